#!/usr/bin/env python3
"""Writes the tutorial notebooks in this folder and executes them, so that they are committed with their outputs.

    .venv/bin/python notebooks/make_notebooks.py [--no-execute] [NAME ...]

Execution uses the Soma kernel of this checkout's build (SOMA_BINARY, else .build/release/soma, else
.build/debug/soma), installed into a temporary Jupyter path.
"""
import os
import subprocess
import sys
import tempfile
import time

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WRITTEN = []
KERNEL = {"kernelspec": {"name": "soma", "display_name": "Soma", "language": "python"},
          "language_info": {"name": "python", "codemirror_mode": "python", "pygments_lexer": "python3", "file_extension": ".py"}}


def notebook(name, cells):
    """Writes a notebook; cells starting with "md:" are markdown, the rest code."""
    nb = new_notebook(metadata=KERNEL)
    nb.cells = [new_markdown_cell(c[3:]) if c.startswith("md:") else new_code_cell(c) for c in cells]
    nbformat.write(nb, os.path.join(HERE, name))
    WRITTEN.append(name)


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

notebook("00_tensors_and_autograd.ipynb", [
    "md:# Tensors and autograd\n\n"
    "Soma's `soma` module has PyTorch's names: `import soma as torch` and tutorial code runs unchanged. "
    "This notebook shows tensors, broadcasting and matrix products, then lets autograd differentiate "
    "the cubic $f(x) = x^3 + x^2 - x - 1$ that a later notebook learns to fit.",
    "import soma as torch\nfrom soma import plot as plt\ntorch.manual_seed(0)",
    "md:## Tensors\n\nA tensor shows as PyTorch prints it.",
    "a = torch.tensor([[1., 2., 3.], [4., 5., 6.]])\na",
    "print(a.shape, a.dtype)\nprint(a.sum(dim=0), a.mean().item())\nprint(a @ a.t())",
    "md:Broadcasting: a column against a row makes a matrix.",
    "col = torch.arange(3).reshape(3, 1)\nrow = torch.arange(4)\ncol * 10 + row",
    "md:## Autograd\n\n`requires_grad=True` records the operations; `backward()` fills `.grad` with "
    "$\\partial y / \\partial x$. For $y = \\sum x^2$ that is $2x$.",
    "x = torch.tensor([1., 2., 3.], requires_grad=True)\ny = (x ** 2).sum()\ny.backward()\nprint('grad of sum(x^2):', x.grad.tolist())",
    "md:Gradients accumulate until they are zeroed, as in PyTorch:",
    "y = (x ** 2).sum()\ny.backward()\nprint('after a second backward:', x.grad.tolist())\nx.grad.zero_()\nprint('zeroed:', x.grad.tolist())",
    "md:## The derivative of the cubic, by autograd\n\n"
    "Autograd's $f'(x)$ on a grid matches the derivative by hand, $3x^2 + 2x - 1$.",
    "xs = torch.linspace(-2, 2, 81, requires_grad=True)\nf = xs ** 3 + xs ** 2 - xs - 1\nf.sum().backward()\n"
    "by_hand = 3 * xs.detach() ** 2 + 2 * xs.detach() - 1\n"
    "print('largest difference from 3x^2 + 2x - 1:', (xs.grad - by_hand).abs().max().item())",
    "plt.figure(figsize=(6, 4))\nplt.plot(xs.detach(), f.detach(), label='f(x) = x³ + x² − x − 1')\n"
    "plt.plot(xs.detach(), xs.grad, 'r--', label=\"f'(x) by autograd\")\n"
    "plt.scatter([-1, 1 / 3], [0, 0], c='k', label=\"f'(x) = 0\")\n"
    "plt.xlabel('x'); plt.ylabel('y'); plt.title('A cubic and its derivative'); plt.grid(); plt.legend()\nplt.show()",
    "md:`no_grad()` switches recording off, e.g. for a hand-written update step:",
    "w = torch.tensor([0.5], requires_grad=True)\nfor step in range(3):\n    loss = ((w * 2 - 4) ** 2).sum()\n    loss.backward()\n"
    "    with torch.no_grad():\n        w -= 0.1 * w.grad\n        w.grad.zero_()\n    print(step, round(loss.item(), 4), round(w.item(), 4))",
])

notebook("02_cubic_fit.ipynb", [
    "md:# Fitting $y = x^3 + x^2 - x - 1$ with a tiny network\n\n"
    "The tutorial of `shared/seeds/000_*`: a `Linear(1, 6) → ReLU → Linear(6, 1)` network learns the cubic from one "
    "random sample of $x \\in [-5, 5]$ per step with Adam. Its picture shows a good fit where the samples came from "
    "and a poor one beyond them; so does this notebook. Only the imports differ from the tutorial.",
    "import soma as torch\nimport soma.nn as nn\nfrom soma import tqdm\nfrom soma import plot as plt\ntorch.manual_seed(0)",
    "class NeuralNetwork(nn.Module):\n    def __init__(self):\n        super(NeuralNetwork, self).__init__()\n"
    "        self.input_layer = nn.Linear(1, 6)\n        self.activation = nn.ReLU()\n        self.output_layer = nn.Linear(6, 1)\n\n"
    "    def forward(self, x):\n        x = self.input_layer(x)\n        x = self.activation(x)\n        x = self.output_layer(x)\n        return x",
    "md:## Training: 10,000 single-sample steps\n\nThe progress bar is the tutorial's `tqdm(range(10000), desc=\"Loss: --\")`; "
    "in a notebook it is redrawn in place at most ten times a second.",
    "network = NeuralNetwork()\nloss_function = nn.MSELoss()\noptimizer = torch.optim.Adam(network.parameters(), lr=0.01)\n"
    "running, curve = 0.0, []\n"
    "pbar = tqdm(range(10000), desc=\"Loss: --\")\nfor epoch in pbar:\n    x = (torch.rand(1) - 0.5) * 10\n    y = x**3 + x**2 - x - 1\n\n"
    "    optimizer.zero_grad()\n    output = network(x)\n    loss = loss_function(y, output)\n    loss.backward()\n    optimizer.step()\n\n"
    "    running += loss.item()\n    if epoch % 100 == 99:\n        pbar.set_description(f\"Loss: {running / 100:.3f}\")\n"
    "        curve.append(running / 100)\n        running = 0.0",
    "plt.figure(figsize=(6, 3.5))\nplt.plot(range(100, 10001, 100), curve)\nplt.yscale('log')\n"
    "plt.xlabel('step'); plt.ylabel('mean squared error (last 100 steps)'); plt.title('Training loss'); plt.grid()\nplt.show()",
    "md:## Prediction against the true curve\n\nOn $[-10, 10]$: the network was trained on $[-5, 5]$ only.",
    "grid = torch.linspace(-10, 10, 201).reshape(-1, 1)\ntruth = grid**3 + grid**2 - grid - 1\nwith torch.no_grad():\n    prediction = network(grid)\n"
    "inside = (grid.abs() <= 5).flatten()\n"
    "mse_inside = ((prediction - truth)[inside] ** 2).mean().item()\nmse_outside = ((prediction - truth)[~inside] ** 2).mean().item()\n"
    "print(f'MSE on [-5, 5]: {mse_inside:.2f}')\nprint(f'MSE beyond it: {mse_outside:.2f}')",
    "plt.figure(figsize=(7, 4.5))\nplt.plot(grid, truth, 'k', label='y = x³ + x² − x − 1')\nplt.plot(grid, prediction, 'r--', label='network')\n"
    "plt.plot([-5, -5], [-1000, 1000], 'b:', label='training range')\nplt.plot([5, 5], [-1000, 1000], 'b:')\n"
    "plt.ylim(-300, 300)\nplt.xlabel('x'); plt.ylabel('y'); plt.title('Good fit in the middle, poor fit at the ends'); plt.legend(loc='upper left'); plt.grid()\nplt.show()",
    "md:Between the dotted lines the piecewise-linear network follows the cubic; outside them it continues in straight "
    "lines while the cubic bends away — a network approximates only where it has seen data.",
])

notebook("03_fashion_mnist_mlp.ipynb", [
    "md:# Fashion-MNIST with a multilayer perceptron\n\n"
    "The MLP of `shared/seeds/002_*` (784 → 128 → 64 → 10, ReLU, SGD with momentum) on Fashion-MNIST, read from "
    "Debian's `dataset-fashion-mnist` in `/usr/share/datasets/fashion-mnist`. `soma.fit` runs the training loop with a "
    "progress bar per epoch and a loss table that updates in place; then we look at the accuracy curve, sample "
    "predictions and the confusion matrix.",
    "import soma as torch\nimport soma.nn as nn\nimport soma.optim as optim\nfrom soma import datasets, transforms\nfrom soma import plot as plt\n"
    "torch.manual_seed(0)",
    "transform = transforms.Compose([\n    transforms.ToTensor(),\n    transforms.Normalize((0.5,), (0.5,))\n])\n"
    "root = '/usr/share/datasets/fashion-mnist'\ntrainset = datasets.FashionMNIST(root=root, train=True, download=True, transform=transform)\n"
    "testset = datasets.FashionMNIST(root=root, train=False, download=True, transform=transform)\n"
    "trainloader = torch.utils.data.DataLoader(trainset, batch_size=64, shuffle=True)\n"
    "testloader = torch.utils.data.DataLoader(testset, batch_size=256, shuffle=False)\nclasses = trainset.classes\n"
    "print(len(trainset), 'training and', len(testset), 'test images of', len(classes), 'classes')",
    "md:A few training images with their classes:",
    "images, labels = next(iter(trainloader))\nplt.image_grid(images[:16], labels=[classes[i] for i in labels[:16].tolist()], ncols=8)\nplt.show()",
    "class SimpleANN(nn.Module):\n    def __init__(self):\n        super(SimpleANN, self).__init__()\n        self.fc1 = nn.Linear(28 * 28, 128)\n"
    "        self.fc2 = nn.Linear(128, 64)\n        self.fc3 = nn.Linear(64, 10)\n\n    def forward(self, x):\n        x = x.view(-1, 28 * 28)\n"
    "        x = torch.relu(self.fc1(x))\n        x = torch.relu(self.fc2(x))\n        x = self.fc3(x)\n        return x\n\n"
    "model = SimpleANN()\ncriterion = nn.CrossEntropyLoss()\noptimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)\nmodel",
    "md:## Training with `soma.fit`\n\nThree epochs; validation on the test set after each (no gradients, `model.eval()`).",
    "history = torch.fit(model, trainloader, criterion, optimizer, epochs=3, val_loader=testloader)",
    "best = history.best('val_acc')\nprint(f\"best validation accuracy {best['val_acc']:.4f} after epoch {best['epoch']}\")",
    "history.plot('train_acc', 'val_acc')",
    "md:## Predictions on test images\n\nGreen labels are right, red ones wrong (the prediction is shown, the truth in brackets when it differs).",
    "model.eval()\nall_predicted, all_labels = [], []\nwith torch.no_grad():\n    for images, labels in testloader:\n"
    "        predicted = model(images).argmax(1)\n        all_predicted += predicted.tolist()\n        all_labels += labels.tolist()\n"
    "correct = sum(1 for p, t in zip(all_predicted, all_labels) if p == t)\nprint(f'Accuracy of the network on the {len(all_labels)} test images: {100 * correct / len(all_labels):.2f}%')",
    "images, labels = next(iter(testloader))\nwith torch.no_grad():\n    predicted = model(images[:24]).argmax(1).tolist()\ntruth = labels[:24].tolist()\n"
    "names = [classes[p] if p == t else f'{classes[p]} ({classes[t]})' for p, t in zip(predicted, truth)]\n"
    "plt.image_grid(images[:24], labels=names, ncols=6, size=1.8, label_colors=['green' if p == t else 'red' for p, t in zip(predicted, truth)])\nplt.show()",
    "md:## Confusion matrix\n\nRows are true classes, columns predicted ones: shirts, pullovers and coats are confused most.",
    "plt.confusion_matrix(all_labels, all_predicted, classes=classes)\nplt.show()",
])

notebook("04_image_folder_classifier.ipynb", [
    "md:# An image-folder classifier: train/validation/test, dropout, a learning-rate schedule, the best checkpoint\n\n"
    "The weather classifier of `shared/seeds/003_*` (Cloudy, Rain, Shine, Sunrise) on a small image folder that this "
    "notebook draws itself, so it runs anywhere: each class has its own sky colour and texture plus noise. "
    "`ImageFolder` reads `train/` and `test/`, `random_split` takes a validation set out of `train/`, `Model3` has "
    "dropout, the learning rate drops by 10 at epochs 3 and 7 through `param_groups`, and the best epoch's weights "
    "are saved and loaded back for the test.",
    "import soma as torch\nimport soma.nn as nn\nimport soma.nn.functional as F\nimport soma.optim as optim\nimport soma.transforms as transforms\n"
    "import soma.datasets as datasets\nfrom soma.utils.data import DataLoader, random_split\nfrom soma import plot as plt\nfrom soma import tqdm\n"
    "torch.manual_seed(0)\nroot = 'weather_data'",
    "md:## The image folder\n\n32×32 PNG images: `root/{train,test}/{class}/{i}.png` (saving an image creates its folder).",
    "class_names = {0: 'Cloudy', 1: 'Rain', 2: 'Shine', 3: 'Sunrise'}\n"
    "skies = {'Cloudy': [0.6, 0.6, 0.65], 'Rain': [0.3, 0.35, 0.45], 'Shine': [0.35, 0.6, 0.95], 'Sunrise': [0.95, 0.55, 0.3]}\n"
    "to_image = transforms.ToPILImage()\n\ndef draw(name):\n    base = torch.tensor(skies[name]).reshape(3, 1, 1)\n"
    "    rows = torch.linspace(0, 1, 32).reshape(1, 32, 1)\n    img = base * (0.8 + 0.4 * rows) + torch.randn(3, 32, 32) * 0.12\n"
    "    if name == 'Rain':\n        img[:, :, ::4] -= 0.15\n    if name == 'Shine':\n        img[:, 4:10, 20:26] = 1.0\n"
    "    return to_image(img.clamp(0, 1))\n\n"
    "for split, count in [('train', 60), ('test', 20)]:\n    for name in class_names.values():\n"
    "        for i in range(count):\n            draw(name).save(f'{root}/{split}/{name}/{i}.png')\nprint(datasets.ImageFolder(f'{root}/train').classes)",
    "transform_train = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.ToTensor(),\n"
    "                                      transforms.Normalize(mean=[0.5, 0.5, 0.5], std=[0.5, 0.5, 0.5])])\n"
    "transform_test = transforms.Compose([transforms.ToTensor(), transforms.Normalize(mean=[0.5, 0.5, 0.5], std=[0.5, 0.5, 0.5])])\n"
    "train_dataset = datasets.ImageFolder(root=f'{root}/train/', transform=transform_train)\n"
    "train_size = int(len(train_dataset) * 0.8)\ntrain_dataset, val_dataset = random_split(train_dataset, [train_size, len(train_dataset) - train_size])\n"
    "test_dataset = datasets.ImageFolder(root=f'{root}/test/', transform=transform_test)\n"
    "train_dataloader = DataLoader(train_dataset, batch_size=16, shuffle=True)\nval_dataloader = DataLoader(val_dataset, batch_size=64)\n"
    "test_dataloader = DataLoader(test_dataset, batch_size=64)\nprint(len(train_dataset), 'train,', len(val_dataset), 'validation,', len(test_dataset), 'test images')",
    "md:A batch of training images (normalised tensors are rescaled for display, as `make_grid(normalize=True)` does):",
    "imgs, labels = next(iter(train_dataloader))\nplt.image_grid(imgs[:8], labels=[class_names[l] for l in labels[:8].tolist()], ncols=8)\nplt.show()",
    "md:## Model3: three hidden layers with dropout",
    "class Model3(nn.Module):\n    def __init__(self):\n        super(Model3, self).__init__()\n        self.linear1 = nn.Linear(32 * 32 * 3, 128)\n"
    "        self.dropout1 = nn.Dropout(0.5)\n        self.linear2 = nn.Linear(128, 64)\n        self.dropout2 = nn.Dropout(0.5)\n"
    "        self.linear3 = nn.Linear(64, 32)\n        self.dropout3 = nn.Dropout(0.5)\n        self.linear4 = nn.Linear(32, 4)\n        self.flatten = nn.Flatten()\n\n"
    "    def forward(self, x):\n        x = self.flatten(x)\n        x = F.relu(self.linear1(x))\n        x = self.dropout1(x)\n        x = F.relu(self.linear2(x))\n"
    "        x = self.dropout2(x)\n        x = F.relu(self.linear3(x))\n        x = self.dropout3(x)\n        x = self.linear4(x)\n        return x",
    "md:## Training and validation, written out as in the tutorial\n\n"
    "Each epoch shows its progress bar; the history table below is one display updated in place after every epoch.",
    "def run_epoch(loader, train, desc):\n    model.train() if train else model.eval()\n    total, running_loss, running_corrects = 0, 0.0, 0\n"
    "    for imgs, labels in tqdm(loader, desc=desc, leave=train):\n        if train:\n            outputs = model(imgs)\n            optimizer.zero_grad()\n"
    "            loss = criterion(outputs, labels)\n            loss.backward()\n            optimizer.step()\n        else:\n"
    "            with torch.no_grad():\n                outputs = model(imgs)\n                loss = criterion(outputs, labels)\n"
    "        total += labels.shape[0]\n        running_loss += loss.item() * labels.shape[0]\n        running_corrects += (outputs.argmax(1) == labels).sum().item()\n"
    "    return running_loss / total, running_corrects / total\n\n"
    "def adjust_learning_rate(optimizer, epoch):\n    lr = learning_rate\n    if epoch >= 3:\n        lr /= 10\n    if epoch >= 7:\n        lr /= 10\n"
    "    for param_group in optimizer.param_groups:\n        param_group['lr'] = lr",
    "learning_rate = 0.01\nmodel = Model3()\ncriterion = nn.CrossEntropyLoss()\noptimizer = optim.SGD(model.parameters(), lr=learning_rate, momentum=0.9)\n"
    "num_epochs = 8\nbest_val_acc, best_epoch = 0, 0\nhistory = torch.History()\ntable = display(history, display_id=True)\n"
    "for epoch in range(num_epochs):\n    adjust_learning_rate(optimizer, epoch)\n"
    "    train_loss, train_acc = run_epoch(train_dataloader, True, f'Epoch {epoch + 1}/{num_epochs}')\n"
    "    val_loss, val_acc = run_epoch(val_dataloader, False, 'validation')\n"
    "    history.log(epoch=epoch + 1, train_loss=train_loss, val_loss=val_loss, train_acc=train_acc, val_acc=val_acc)\n"
    "    table.update(history)\n    if val_acc > best_val_acc:\n        best_val_acc, best_epoch = val_acc, epoch\n"
    "        torch.save(model.state_dict(), f'{root}/best_checkpoint_epoch_{epoch + 1}.pth')\n"
    "print('lr at the end:', optimizer.param_groups[0]['lr'])\nprint(f'best validation accuracy {best_val_acc:.4f} at epoch {best_epoch + 1}')",
    "md:The tutorial's accuracy plot:",
    "plt.plot(history['train_acc'], 'b', label='train')\nplt.plot(history['val_acc'], 'r--', label='validation')\n"
    "plt.xlabel('Epochs'); plt.ylabel('Accuracy'); plt.legend()\nplt.show()",
    "md:## The best checkpoint on the test set",
    "best_model = Model3()\nprint(best_model.load_state_dict(torch.load(f'{root}/best_checkpoint_epoch_{best_epoch + 1}.pth')))\nmodel = best_model\n"
    "test_loss, test_accuracy = run_epoch(test_dataloader, False, 'test')\nprint(f'Test loss: {test_loss:.8f}')\nprint(f'Test accuracy: {test_accuracy * 100.:.2f}%')",
])

notebook("05_manual_to_module.ipynb", [
    "md:# From manual gradients to `nn.Module`\n\n"
    "The progression of `shared/seeds/004_*`: one linear model $y = xW$ fitted five ways — gradients by hand, autograd, "
    "the `nn` package, an optimizer, and finally an `nn.Module` subclass. Each step removes code the previous one needed.",
    "import soma as torch\nfrom soma import plot as plt\ndevice = torch.device('cpu')\nN, Din, Dout = 64, 4, 2\ntorch.manual_seed(4)\n"
    "x = torch.randn(N, Din, device=device)\ny = torch.randn(N, Dout, device=device)\nw0 = torch.randn(Din, Dout, device=device)\nlr = 1e-3\ncurves = {}",
    "md:## 1. Gradients by hand\n\nFor $L = \\frac12 \\sum (xw - y)^2$, $\\partial L / \\partial w = x^T (xw - y)$.",
    "w = w0.clone()\ncurves['manual'] = []\nfor t in range(500):\n    y_pred = x.mm(w)\n    loss = 0.5 * (y_pred - y).pow(2).sum()\n"
    "    grad_y_pred = (y_pred - y)\n    grad_w = x.t().mm(grad_y_pred)\n    w -= lr * grad_w\n    curves['manual'].append(loss.item())\n"
    "    if t % 100 == 0:\n        print('manual', t, loss.item())",
    "md:## 2. Autograd\n\n`loss.backward()` computes the same gradient; the update runs under `no_grad`.",
    "w = w0.clone().requires_grad_(True)\ncurves['autograd'] = []\nfor t in range(500):\n    y_pred = x.mm(w)\n    loss = 0.5 * (y_pred - y).pow(2).sum()\n"
    "    loss.backward()\n    with torch.no_grad():\n        w -= lr * w.grad\n        w.grad.zero_()\n    curves['autograd'].append(loss.item())\n"
    "    if t % 100 == 0:\n        print('autograd', t, loss.item())",
    "md:The two are the same computation: their losses agree step by step.",
    "print('largest difference:', max(abs(a - b) for a, b in zip(curves['manual'], curves['autograd'])))",
    "md:## 3. The `nn` package\n\n`nn.Linear` holds the weights (and a bias); `mse_loss` is the mean, so the step is larger.",
    "model = torch.nn.Sequential(torch.nn.Linear(Din, Dout))\ncurves['nn'] = []\nfor t in range(500):\n    y_pred = model(x)\n"
    "    loss = torch.nn.functional.mse_loss(y_pred, y)\n    loss.backward()\n    with torch.no_grad():\n        for param in model.parameters():\n"
    "            param -= 0.1 * param.grad\n    model.zero_grad()\n    curves['nn'].append(loss.item())\n    if t % 100 == 0:\n        print('nn', t, loss.item())",
    "md:## 4. An optimizer\n\n`optim.Adam` does the update.",
    "model = torch.nn.Sequential(torch.nn.Linear(Din, Dout))\noptimizer = torch.optim.Adam(model.parameters(), lr=lr)\ncurves['optimizer'] = []\n"
    "for t in range(500):\n    y_pred = model(x)\n    loss = torch.nn.functional.mse_loss(y_pred, y)\n    loss.backward()\n    optimizer.step()\n"
    "    optimizer.zero_grad()\n    curves['optimizer'].append(loss.item())\n    if t % 100 == 0:\n        print('optimizer', t, loss.item())",
    "md:## 5. An `nn.Module` subclass\n\nThe model becomes a class with `__init__` and `forward`; its parameters register themselves.",
    "class MyOneLayerNet(torch.nn.Module):\n    def __init__(self, Din, Dout):\n        super(MyOneLayerNet, self).__init__()\n"
    "        self.linear = torch.nn.Linear(Din, Dout)\n\n    def forward(self, x):\n        y_pred = self.linear(x)\n        return y_pred\n\n"
    "model = MyOneLayerNet(Din, Dout)\noptimizer = torch.optim.Adam(model.parameters(), lr=lr)\ncurves['module'] = []\nfor t in range(500):\n"
    "    y_pred = model(x)\n    loss = torch.nn.functional.mse_loss(y_pred, y)\n    loss.backward()\n    optimizer.step()\n    optimizer.zero_grad()\n"
    "    curves['module'].append(loss.item())\n    if t % 100 == 0:\n        print('module', t, loss.item())\nmodel",
    "md:## The five loss curves\n\nThe first two minimise the summed loss, the others the mean, so they sit on different scales.",
    "fig, axes = plt.subplots(1, 2, figsize=(10, 4))\nfor name in ['manual', 'autograd']:\n    axes[0].plot(curves[name], label=name)\n"
    "axes[0].set_title('sum of squares'); axes[0].set_xlabel('step'); axes[0].legend(); axes[0].grid()\n"
    "for name, fmt in [('nn', '-'), ('optimizer', '--'), ('module', ':')]:\n    axes[1].plot(curves[name], fmt, label=name)\n"
    "axes[1].set_title('mean squared error'); axes[1].set_xlabel('step'); axes[1].set_yscale('log'); axes[1].legend(); axes[1].grid()\nplt.show()",
])


def kernel_path():
    """A temporary Jupyter path holding the Soma kernelspec of this checkout's build."""
    binary = os.environ.get("SOMA_BINARY") or next(
        (p for p in (os.path.join(ROOT, ".build", c, "soma") for c in ("release", "debug")) if os.path.exists(p)), None)
    if binary is None:
        sys.exit("no soma binary: run `swift build` first (or set SOMA_BINARY)")
    prefix = tempfile.mkdtemp(prefix="soma-notebooks-")
    subprocess.run([binary, "kernelspec", "install", "--prefix", prefix], check=True, capture_output=True)
    return os.path.join(prefix, "share", "jupyter")


def execute(names):
    """Runs each notebook in this folder with nbclient and saves it with its outputs."""
    from nbclient import NotebookClient
    os.environ["JUPYTER_PATH"] = kernel_path()
    for name in names:
        path = os.path.join(HERE, name)
        nb = nbformat.read(path, as_version=4)
        start = time.time()
        with tempfile.TemporaryDirectory() as work:
            NotebookClient(nb, kernel_name="soma", timeout=600, resources={"metadata": {"path": work}}).execute()
        nbformat.write(nb, path)
        print(f"{name}: executed in {time.time() - start:.1f} s")


if __name__ == "__main__":
    chosen = [a for a in sys.argv[1:] if not a.startswith("--")]
    if "--no-execute" not in sys.argv:
        execute([n for n in WRITTEN if not chosen or n in chosen])
