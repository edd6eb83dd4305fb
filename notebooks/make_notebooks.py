#!/usr/bin/env python3
"""Writes the tutorial notebooks in this folder (run once; the .ipynb files are committed).

    .venv/bin/python notebooks/make_notebooks.py
"""
import os

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = os.path.dirname(os.path.abspath(__file__))
KERNEL = {"kernelspec": {"name": "soma", "display_name": "Soma", "language": "python"},
          "language_info": {"name": "python", "codemirror_mode": "python", "pygments_lexer": "python3", "file_extension": ".py"}}


def notebook(name, cells):
    """Writes a notebook; cells starting with "md:" are markdown, the rest code."""
    nb = new_notebook(metadata=KERNEL)
    nb.cells = [new_markdown_cell(c[3:]) if c.startswith("md:") else new_code_cell(c) for c in cells]
    nbformat.write(nb, os.path.join(HERE, name))


notebook("01_backprop_and_xor.ipynb", [
    "md:# Backpropagation by hand, then XOR with a multilayer perceptron\n\n"
    "Soma runs the tutorial's PyTorch code after changing only the imports (`shared/seeds/001_*`).",
    "import soma as torch\nimport soma.nn as nn",
    "md:## 1. The 2-2-2 sigmoid network of section 5.3\n\nInputs 0.1 and 0.2, targets 0.4 and 0.6, weights W1..W8 as in the tutorial.",
    "# float64, as the tutorial computes by hand to 8 decimals\n"
    "x = torch.tensor([0.1, 0.2], dtype=torch.float64)\ntarget = torch.tensor([0.4, 0.6], dtype=torch.float64)\n"
    "W_hidden = torch.tensor([[0.3, 0.25], [0.4, 0.35]], dtype=torch.float64, requires_grad=True)   # W1 W2 / W3 W4\n"
    "W_output = torch.tensor([[0.45, 0.4], [0.7, 0.6]], dtype=torch.float64, requires_grad=True)    # W5 W6 / W7 W8\n"
    "h = torch.sigmoid(W_hidden @ x)\no = torch.sigmoid(W_output @ h)\n"
    "E_total = (0.5 * (target - o) ** 2).sum()\n"
    "print(f'o1={o[0].item():.8f}  o2={o[1].item():.8f}  E_total={E_total.item():.8f}')",
    "E_total.backward()\nwith torch.no_grad():\n    W_output -= 0.5 * W_output.grad\n    W_hidden -= 0.5 * W_hidden.grad\n"
    "print('W5..W8:', [round(v, 6) for v in W_output.flatten().tolist()])\n"
    "print('W1..W4:', [round(v, 6) for v in W_hidden.flatten().tolist()])",
    "md:## 2. XOR with a 2-10-10-10-1 sigmoid network (BCELoss, SGD, lr=1)",
    "device = 'cuda' if torch.cuda.is_available() else 'cpu'\ntorch.manual_seed(777)\n"
    "X = torch.FloatTensor([[0, 0], [0, 1], [1, 0], [1, 1]]).to(device)\nY = torch.FloatTensor([[0], [1], [1], [0]]).to(device)",
    "model = nn.Sequential(\n    nn.Linear(2, 10, bias=True), nn.Sigmoid(),\n    nn.Linear(10, 10, bias=True), nn.Sigmoid(),\n"
    "    nn.Linear(10, 10, bias=True), nn.Sigmoid(),\n    nn.Linear(10, 1, bias=True), nn.Sigmoid()).to(device)\nmodel",
    "criterion = torch.nn.BCELoss().to(device)\noptimizer = torch.optim.SGD(model.parameters(), lr=1)\n"
    "for epoch in range(10001):\n    optimizer.zero_grad()\n    hypothesis = model(X)\n    cost = criterion(hypothesis, Y)\n"
    "    cost.backward()\n    optimizer.step()\n    if epoch % 1000 == 0:\n        print(epoch, cost.item())",
    "with torch.no_grad():\n    hypothesis = model(X)\n    predicted = (hypothesis > 0.5).float()\n"
    "    accuracy = (predicted == Y).float().mean()\n    print('Hypothesis:', hypothesis.flatten().tolist())\n"
    "    print('Predicted:', predicted.flatten().tolist())\n    print('Accuracy:', accuracy.item())",
])
