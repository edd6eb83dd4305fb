"""Safetensors round trip between Python's `safetensors` package and Soma's Checkpoint.

Needs numpy and safetensors (requirements-dev.txt) and an existing test build
(`swift build --build-tests`, which `make test` runs first): this test builds nothing.

1. Python writes python.safetensors (+ python_expected.json) into a temporary folder.
2. It runs `swift test --skip-build --filter CheckpointInteropTests` with
   SOMA_SAFETENSORS_INTEROP_DIR pointing at that folder; the Swift test loads Python's
   file, checks every value, and writes soma.safetensors.
3. Python reads soma.safetensors (and soma_nested.safetensors, a nested training
   checkpoint) with safetensors (and with safetensors.torch when torch
   is installed) and checks names, dtypes, shapes, values and metadata.
"""
import json
import os
import subprocess

import numpy as np
import pytest
from safetensors import safe_open
from safetensors.numpy import load_file, save_file

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_safetensors_roundtrip(tmp_path):
    tensors = {
        "encoder.weight": (np.arange(20, dtype=np.float32).reshape(4, 5) - 7) / 3,
        "encoder.bias": np.array([1e-300, -0.0, 3.5], dtype=np.float64),
        "num_batches_tracked": np.array(9007199254740993, dtype=np.int64),
        "keep": np.array([[True], [False], [True]]),
        "nothing": np.zeros((2, 0), dtype=np.float32),
    }
    metadata = {"format": "pt", "source": "python"}
    save_file(tensors, str(tmp_path / "python.safetensors"), metadata=metadata)
    expected = {
        "metadata": metadata,
        "tensors": {
            k: {
                "shape": list(v.shape),
                "dtype": {"float32": "float32", "float64": "float64", "int64": "int64", "bool": "bool"}[str(v.dtype)],
                "values": [int(x) if v.dtype == np.int64 else float(x) for x in v.flatten()],
            }
            for k, v in tensors.items()
        },
    }
    (tmp_path / "python_expected.json").write_text(json.dumps(expected))

    env = dict(os.environ, SOMA_SAFETENSORS_INTEROP_DIR=str(tmp_path))
    run = subprocess.run(
        ["swift", "test", "--skip-build", "--filter", "CheckpointInteropTests"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert "CheckpointInteropTests.testInterop' passed" in output, output

    path = str(tmp_path / "soma.safetensors")
    loaded = load_file(path)
    w = np.arange(12, dtype=np.float32).reshape(3, 4) / 8
    assert sorted(loaded) == sorted(["net.0.weight", "net.0.weight_t", "net.0.bias", "step", "mask"])
    assert loaded["net.0.weight"].dtype == np.float32 and np.array_equal(loaded["net.0.weight"], w)
    assert np.array_equal(loaded["net.0.weight_t"], w.T)
    assert loaded["net.0.bias"].dtype == np.float64
    assert loaded["net.0.bias"].tolist() == [0.1, -0.2, 0.3]
    assert loaded["step"].dtype == np.int64 and loaded["step"].shape == () and int(loaded["step"]) == 42
    assert loaded["mask"].dtype == np.bool_ and loaded["mask"].tolist() == [True, False]
    with safe_open(path, framework="np") as f:
        assert f.metadata() == {"written_by": "soma", "epoch": "7"}

    nested = str(tmp_path / "soma_nested.safetensors")
    loaded = load_file(nested)
    assert list(loaded) == ["model.fc.weight", "model.fc.bias",
                            "optimizer.state.0.momentum_buffer", "optimizer.state.1.momentum_buffer"]
    assert loaded["model.fc.weight"].tolist() == [[1, 2, 3], [4, 5, 6]]
    with safe_open(nested, framework="np") as f:
        structure = json.loads(f.metadata()["soma.structure"])
    assert structure["t"] == "dict"
    assert [k["v"] for k, _ in structure["v"]] == ["model", "optimizer", "epoch", "loss", "shape", "note"]

    try:
        import torch
        from safetensors.torch import load_file as torch_load_file
    except ImportError:
        return
    t = torch_load_file(path)
    assert t["net.0.weight"].dtype == torch.float32
    assert torch.equal(t["net.0.weight_t"], torch.from_numpy(w.T.copy()))
    assert t["step"].item() == 42
