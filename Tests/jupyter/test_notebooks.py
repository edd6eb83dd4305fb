"""Every notebook in notebooks/ runs with nbclient on the Soma kernel, and its key results hold."""
import glob
import os

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NOTEBOOKS = sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb")))


def run(path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, kernel_name="soma", timeout=600).execute()
    return nb


def text_of(nb):
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o["output_type"] == "stream":
                out.append(o["text"])
            elif "data" in o:
                out.append(o["data"].get("text/plain", ""))
    return "".join(out)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[os.path.basename(p) for p in NOTEBOOKS])
def test_notebook_runs_without_errors(path):
    nb = run(path)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert errors == []


def test_backprop_and_xor_results_match_the_tutorial():
    text = text_of(run(os.path.join(ROOT, "notebooks", "01_backprop_and_xor.ipynb")))
    assert "o1=0.60944600  o2=0.66384491  E_total=0.02397190" in text
    assert "W5..W8: [0.437039, 0.386852, 0.696296, 0.596242]" in text
    assert "W1..W4: [0.299596, 0.249191, 0.399645, 0.34929]" in text
    assert "0 0.6948983669281006" in text          # the tutorial's first printed cost, same seed
    assert "Accuracy: 1.0" in text
