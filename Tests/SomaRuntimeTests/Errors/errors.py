# Errors: each case below raises; RuntimeProgramTests runs them one after another in one interpreter, as
# notebook cells, and checks the exception's type and message against PyTorch's (errors.expected.json, made
# by generate_expected.py), the line the traceback points at, and that the globals survive.
import soma as torch
import soma.nn as nn
import soma.optim as optim
import soma.nn.functional as F
kept = [1, 2, 3]
model = nn.Linear(4, 2)
# --- case: operand type
stage = "operand type"
y = torch.ones(2) + "a"
# --- case: argument type
stage = "argument type"
torch.exp([1.0, 2.0])
# --- case: method argument type
stage = "method argument type"
torch.ones(2).add("a")
# --- case: unknown keyword in a function
stage = "unknown keyword in a function"
torch.zeros(3, foo=1)
# --- case: unknown keyword in a layer
stage = "unknown keyword in a layer"
layer = nn.Linear(2, 3, bais=True)
# --- case: unknown keyword in an optimizer
stage = "unknown keyword in an optimizer"
opt = optim.SGD(model.parameters(), lr=0.1, momentun=0.9)
# --- case: matmul shapes
stage = "matmul shapes"
torch.ones(2, 3) @ torch.ones(2, 3)
# --- case: layer input shape inside a function
stage = "layer input shape inside a function"
def predict(x):
    return model(x)
predict(torch.ones(3, 5))
# --- case: add shapes
stage = "add shapes"
z = torch.ones(2, 3) + torch.ones(4)
# --- case: view shape
stage = "view shape"
torch.ones(2, 3).view(4)
# --- case: cat shapes
stage = "cat shapes"
torch.cat([torch.ones(2, 3), torch.ones(2, 4)])
# --- case: integer requires_grad
stage = "integer requires_grad"
torch.ones(2, dtype=torch.long).requires_grad_()
# --- case: float class targets
stage = "float class targets"
nn.CrossEntropyLoss()(torch.randn(3, 4), torch.tensor([0.0, 1.0, 2.0]))
# --- case: float embedding indices
stage = "float embedding indices"
nn.Embedding(3, 2)(torch.tensor([0.5]))
# --- case: mixed dtypes in mm
stage = "mixed dtypes in mm"
torch.mm(torch.ones(2, 2), torch.ones(2, 2, dtype=torch.float64))
# --- case: index out of range
stage = "index out of range"
v = torch.arange(5)
print(v[7])
# --- case: index out of range in dim 1
stage = "index out of range in dim 1"
torch.zeros(2, 3)[:, 3]
# --- case: too many indices
stage = "too many indices"
torch.zeros(2, 3)[0, 1, 2]
# --- case: class index out of range
stage = "class index out of range"
F.one_hot(torch.tensor([0, 5]), num_classes=3)
# --- case: item of many
stage = "item of many"
torch.ones(2).item()
# --- case: leaf in-place
stage = "leaf in-place"
w = torch.ones(2, requires_grad=True)
w += 1
# --- case: backward of non-scalar
stage = "backward of non-scalar"
(torch.ones(2, requires_grad=True) * 2).backward()
# --- case: bool class targets
stage = "bool class targets"
F.nll_loss(torch.randn(2, 3), torch.tensor([True, False]))
# --- case: target batch size
stage = "target batch size"
F.cross_entropy(torch.randn(2, 3), torch.tensor([0.0, 1.0, 1.0]))
# --- case: pooling padding over half the window
stage = "pooling padding over half the window"
F.max_pool2d(torch.randn(1, 1, 4, 4), 2, padding=3)
# --- case: pooling stride zero
stage = "pooling stride zero"
F.max_pool2d(torch.randn(1, 1, 4, 4), 2, stride=0)
# --- case: pooling kernel size
stage = "pooling kernel size"
F.max_pool2d(torch.randn(1, 1, 4, 4), -1)
# --- case: convolution stride zero
stage = "convolution stride zero"
F.conv2d(torch.randn(1, 1, 4, 4), torch.randn(1, 1, 2, 2), stride=0)
# --- case: convolution dilation zero
stage = "convolution dilation zero"
F.conv2d(torch.randn(1, 1, 4, 4), torch.randn(1, 1, 2, 2), dilation=0)
