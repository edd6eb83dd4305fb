"""Records a safetensors file written by Python's `safetensors` package (run once; needs
numpy and safetensors, e.g. from .venv):

    .venv/bin/python Tests/SomaNNTests/generate_safetensors_reference.py

Writes Tests/SomaNNTests/Data/data_safetensors.json: the file's bytes in base64 and the
values it holds, so `swift test` checks Soma's reader against the reference writer without
needing Python. The live two-way check is Tests/python/test_safetensors_roundtrip.py.
"""
import base64
import json
import os

import numpy as np
from safetensors.numpy import save

tensors = {
    "fc.weight": np.arange(12, dtype=np.float32).reshape(3, 4) / 7,
    "fc.bias": np.array([-1.5, 0.0, 2.25], dtype=np.float64),
    "steps": np.array(123456789012, dtype=np.int64),
    "mask": np.array([[True, False], [False, True]]),
    "empty": np.zeros((0, 3), dtype=np.float32),
    "half": np.array([0.5, -2.0, 65504.0], dtype=np.float16),
    "small_ints": np.array([-3, 7], dtype=np.int32),
    "bytes": np.array([0, 255], dtype=np.uint8),
}
blob = save(tensors, metadata={"format": "pt", "epoch": "3"})
out = {
    "file_base64": base64.b64encode(blob).decode(),
    "metadata": {"format": "pt", "epoch": "3"},
    "tensors": {
        k: {"shape": list(v.shape), "values": v.astype(np.float64).flatten().tolist(), "dtype": str(v.dtype)}
        for k, v in tensors.items()
    },
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Data", "data_safetensors.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", path, len(blob), "bytes")
