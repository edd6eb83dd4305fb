"""Headless runners on the Soma kernel: `jupyter nbconvert --execute`, `--to script`, and papermill's parameters."""
import json
import os
import subprocess
import sys

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

KERNEL = {"kernelspec": {"name": "soma", "display_name": "Soma", "language": "python"}}


def write_notebook(folder):
    """A small notebook with a papermill `parameters` cell, a training loop and a printed result."""
    nb = new_notebook(metadata=KERNEL)
    params = new_code_cell("steps = 3\nlr = 0.1")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        new_markdown_cell("# Gradient descent on a line"),
        params,
        "import soma as torch\ntorch.manual_seed(0)\nw = torch.zeros(1, requires_grad=True)\n"
        "x = torch.tensor([1.0, 2.0, 3.0])\ny = 2 * x",
        "for _ in range(steps):\n    loss = ((w * x - y) ** 2).mean()\n    loss.backward()\n"
        "    with torch.no_grad():\n        w -= lr * w.grad\n        w.grad.zero_()\nprint(f'steps={steps} w={w.item():.4f}')",
        "w.item()",
    ]
    nb.cells[2:] = [new_code_cell(c) for c in nb.cells[2:]]
    path = os.path.join(folder, "line.ipynb")
    nbformat.write(nb, path)
    return path


def expected_w(steps, lr):
    """The same loop in plain Python: w <- w - lr * d/dw mean((w x - 2x)^2)."""
    xs, w = [1.0, 2.0, 3.0], 0.0
    for _ in range(steps):
        w -= lr * sum(2 * (w * x - 2 * x) * x for x in xs) / len(xs)
    return w


def printed(nb):
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "stream")


def test_nbconvert_execute_runs_the_notebook(tmp_path):
    path = write_notebook(tmp_path)
    subprocess.run([sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", "--output", "executed.ipynb", path],
                   check=True, capture_output=True, timeout=120)
    nb = nbformat.read(os.path.join(tmp_path, "executed.ipynb"), as_version=4)
    assert printed(nb) == f"steps=3 w={expected_w(3, 0.1):.4f}\n"
    last = nb.cells[-1].outputs
    assert [o["output_type"] for o in last] == ["execute_result"]
    assert abs(float(last[0]["data"]["text/plain"]) - expected_w(3, 0.1)) < 1e-5
    assert nb.metadata["language_info"]["name"] == "python"


def test_nbconvert_to_script_of_an_executed_notebook_writes_python(tmp_path):
    """The kernel's language_info (name python, file_extension .py) decides the script's kind."""
    path = write_notebook(tmp_path)
    subprocess.run([sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", "--output", "executed.ipynb", path],
                   check=True, capture_output=True, timeout=120)
    subprocess.run([sys.executable, "-m", "nbconvert", "--to", "script", os.path.join(tmp_path, "executed.ipynb")],
                   check=True, capture_output=True, timeout=120)
    script = open(os.path.join(tmp_path, "executed.py")).read()
    assert "import soma as torch" in script and "steps = 3" in script


def test_papermill_injects_parameters(tmp_path):
    path = write_notebook(tmp_path)
    out = os.path.join(tmp_path, "out.ipynb")
    subprocess.run([sys.executable, "-m", "papermill", path, out, "-p", "steps", "20", "-p", "lr", "0.05", "-k", "soma"],
                   check=True, capture_output=True, timeout=120)
    nb = nbformat.read(out, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert printed(nb) == f"steps=20 w={expected_w(20, 0.05):.4f}\n"
    assert json.loads(json.dumps(nb.metadata["papermill"]["parameters"])) == {"steps": 20, "lr": 0.05}
