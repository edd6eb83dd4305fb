"""Every notebook in notebooks/ runs with nbclient on the Soma kernel, and its key results hold."""
import collections
import functools
import glob
import os
import re
import tempfile
import xml.etree.ElementTree as ET

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NOTEBOOKS = sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb")))
SVG = "{http://www.w3.org/2000/svg}"


class CountingClient(NotebookClient):
    """An nbclient that counts the iopub messages of each type it receives."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.counts = collections.Counter()

    def process_message(self, msg, cell, cell_index):
        self.counts[msg["msg_type"]] += 1
        return super().process_message(msg, cell, cell_index)


def execute(nb):
    """Executes `nb` in a temporary folder (notebooks write files there); returns the client."""
    with tempfile.TemporaryDirectory() as work:
        client = CountingClient(nb, kernel_name="soma", timeout=600, resources={"metadata": {"path": work}})
        client.execute()
    return client


@functools.lru_cache(maxsize=None)
def run(name):
    """The notebook `name` executed (once per test session)."""
    nb = nbformat.read(os.path.join(ROOT, "notebooks", name), as_version=4)
    execute(nb)
    return nb


def outputs(nb):
    return [o for c in nb.cells for o in c.get("outputs", [])]


def text_of(nb):
    out = []
    for o in outputs(nb):
        if o["output_type"] == "stream":
            out.append(o["text"])
        elif "data" in o:
            out.append(o["data"].get("text/plain", "") + "\n")
    return "".join(out)


def svgs(nb):
    """The SVG outputs, parsed (which fails on malformed XML), each checked to be self-contained and sized."""
    docs = []
    for o in outputs(nb):
        svg = o.get("data", {}).get("image/svg+xml")
        if svg is None:
            continue
        svg = "".join(svg) if isinstance(svg, list) else svg
        root = ET.fromstring(svg)
        assert root.tag == SVG + "svg"
        assert len(root.get("viewBox").split()) == 4
        assert "<script" not in svg and "href=\"http" not in svg
        docs.append(root)
    return docs


def count(root, cls):
    return sum(1 for e in root.iter() if e.get("class") == cls)


def number_after(label, text):
    m = re.search(re.escape(label) + r"\s*(-?[0-9.]+(?:e[-+]?[0-9]+)?)", text)
    assert m, f"{label!r} not in output:\n{text}"
    return float(m.group(1))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[os.path.basename(p) for p in NOTEBOOKS])
def test_notebook_runs_without_errors(path):
    nb = run(os.path.basename(path))
    errors = [o for o in outputs(nb) if o["output_type"] == "error"]
    assert errors == []


def test_every_tutorial_has_a_notebook_with_its_story():
    names = [os.path.basename(p) for p in NOTEBOOKS]
    assert names == ["00_tensors_and_autograd.ipynb", "01_backprop_and_xor.ipynb", "02_cubic_fit.ipynb",
                     "03_fashion_mnist_mlp.ipynb", "04_image_folder_classifier.ipynb", "05_manual_to_module.ipynb"]
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        assert sum(c.cell_type == "markdown" for c in nb.cells) >= 2
        committed = [o for c in nb.cells for o in c.get("outputs", [])]
        assert committed, f"{os.path.basename(path)} is committed without its outputs"


def test_tensors_and_autograd():
    nb = run("00_tensors_and_autograd.ipynb")
    text = text_of(nb)
    assert "grad of sum(x^2): [2.0, 4.0, 6.0]" in text
    assert "after a second backward: [4.0, 8.0, 12.0]" in text
    assert number_after("largest difference from 3x^2 + 2x - 1:", text) < 1e-5
    assert "2 0.0144 1.988" in text
    (figure,) = svgs(nb)
    assert count(figure, "line") == 2 and count(figure, "legend-entry") == 3


def test_backprop_and_xor_results_match_the_tutorial():
    text = text_of(run("01_backprop_and_xor.ipynb"))
    assert "o1=0.60944600  o2=0.66384491  E_total=0.02397190" in text
    assert "W5..W8: [0.437039, 0.386852, 0.696296, 0.596242]" in text
    assert "W1..W4: [0.299596, 0.249191, 0.399645, 0.34929]" in text
    assert "0 0.6948983669281006" in text          # the tutorial's first printed cost, same seed
    assert "Accuracy: 1.0" in text


def test_cubic_fit_is_good_inside_the_training_range_and_poor_outside():
    nb = run("02_cubic_fit.ipynb")
    text = text_of(nb)
    inside, outside = number_after("MSE on [-5, 5]:", text), number_after("MSE beyond it:", text)
    assert inside < 60
    assert outside > 50 * inside
    assert re.search(r"Loss: [0-9.]+: 100%\|█+\| 10000/10000 \[", text)
    loss, fit = svgs(nb)
    assert count(loss, "line") == 1
    assert count(fit, "line") == 4 and count(fit, "legend-entry") == 3


def test_fashion_mnist_trains_and_shows_its_results():
    nb = run("03_fashion_mnist_mlp.ipynb")
    text = text_of(nb)
    assert "60000 training and 10000 test images of 10 classes" in text
    assert "Epoch 3/3: 100%|██████████| 938/938 [" in text
    table = [o["data"] for o in outputs(nb) if "text/html" in o.get("data", {}) and "<table" in o["data"]["text/html"]]
    assert len(table) == 1, "the history table is one display, updated in place"
    rows = table[0]["text/plain"].splitlines()
    assert rows[0].split() == ["epoch", "train_loss", "train_acc", "val_loss", "val_acc"] and len(rows) == 4
    train_loss = [float(r.split()[1]) for r in rows[1:]]
    assert train_loss[-1] < train_loss[0]
    assert float(rows[-1].split()[4]) > 0.8
    assert number_after("Accuracy of the network on the 10000 test images:", text) > 80
    samples, table_chart, history, predictions, confusion = svgs(nb)
    assert count(samples, "image") == 16
    assert count(table_chart, "axes") == 2 and count(table_chart, "line") == 4
    assert count(history, "line") == 2
    assert count(predictions, "image") == 24
    assert count(confusion, "image") == 1
    labels = [t.text for t in confusion.iter(SVG + "text")]
    assert "T-shirt/top" in labels and "Ankle boot" in labels


def test_image_folder_classifier_splits_schedules_and_keeps_the_best_checkpoint():
    nb = run("04_image_folder_classifier.ipynb")
    text = text_of(nb)
    assert "['Cloudy', 'Rain', 'Shine', 'Sunrise']" in text
    assert "192 train, 48 validation, 80 test images" in text
    assert "lr at the end: 0.0001" in text
    assert number_after("best validation accuracy", text) > 0.7
    assert "<All keys matched successfully>" in text
    assert number_after("Test accuracy:", text) > 70
    table = [o["data"]["text/plain"] for o in outputs(nb) if "<table" in o.get("data", {}).get("text/html", "")]
    assert len(table) == 1 and len(table[0].splitlines()) == 9
    batch, history, accuracy = svgs(nb)
    assert count(batch, "image") == 8
    assert count(accuracy, "line") == 2 and count(accuracy, "legend-entry") == 2


def test_manual_to_module_progression_matches_pytorch():
    nb = run("05_manual_to_module.ipynb")
    text = text_of(nb)
    expected = open(os.path.join(ROOT, "Tests", "SomaRuntimeTests", "Programs", "seed004_linear.expected")).read()
    for line in expected.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] in ("manual", "autograd", "nn", "optimizer", "module"):
            assert number_after(f"{parts[0]} {parts[1]}", text) == pytest.approx(float(parts[2]), rel=1e-4)
    assert "largest difference: 0.0" in text
    (curves,) = svgs(nb)
    assert count(curves, "axes") == 2 and count(curves, "line") == 5


def test_ten_epochs_of_fit_on_fashion_mnist_send_fewer_than_200_display_messages():
    nb = new_notebook(metadata={"kernelspec": {"name": "soma", "display_name": "Soma", "language": "python"}})
    nb.cells = [new_code_cell(c) for c in [
        "import soma as torch\nimport soma.nn as nn\nfrom soma import datasets, transforms\ntorch.manual_seed(0)\n"
        "transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])\n"
        "root = '/usr/share/datasets/fashion-mnist'\n"
        "train = torch.utils.data.DataLoader(datasets.FashionMNIST(root, train=True, transform=transform), batch_size=64, shuffle=True)\n"
        "test = torch.utils.data.DataLoader(datasets.FashionMNIST(root, train=False, transform=transform), batch_size=256)",
        "model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))\n"
        "optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)\n"
        "history = torch.fit(model, train, nn.CrossEntropyLoss(), optimizer, epochs=10, val_loader=test)",
        "print(len(history), history[-1]['val_acc'])",
    ]]
    client = execute(nb)
    messages = client.counts["display_data"] + client.counts["update_display_data"]
    print(f"10-epoch fit: {client.counts['display_data']} display_data + {client.counts['update_display_data']} update_display_data")
    assert messages < 200
    assert client.counts["display_data"] == 2, "one display for the epoch bars, one for the history"
    epochs, acc = nb.cells[-1].outputs[0]["text"].split()
    assert epochs == "10" and float(acc) > 0.85
