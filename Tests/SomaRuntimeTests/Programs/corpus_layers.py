# Corpus: every layer forward and backward, against PyTorch.
import soma as torch
import soma.nn as nn

torch.manual_seed(1)


def check(name, layer, x):
    x = x.clone().requires_grad_()
    out = layer(x)
    (out * torch.arange(out.numel(), dtype=torch.float32).reshape(out.shape).cos()).sum().backward()
    print(name, out.shape)
    print(out)
    print(x.grad)
    for pname, p in layer.named_parameters():
        print(pname, p.grad)


x = torch.randn(3, 4)
check("Linear", nn.Linear(4, 2), x)
check("Linear-nobias", nn.Linear(4, 3, bias=False), x)
check("ReLU", nn.ReLU(), x)
check("LeakyReLU", nn.LeakyReLU(0.2), x)
check("Sigmoid", nn.Sigmoid(), x)
check("Tanh", nn.Tanh(), x)
check("Softmax", nn.Softmax(dim=1), x)
check("LogSoftmax", nn.LogSoftmax(dim=0), x)
check("GELU", nn.GELU(), x)
drop = nn.Dropout(0.5)
drop.eval()
check("Dropout-eval", drop, x)
check("Identity", nn.Identity(), x)
check("Flatten", nn.Flatten(), torch.randn(2, 2, 3))
check("Flatten-0", nn.Flatten(0, 1), torch.randn(2, 2, 3))

seq = nn.Sequential(nn.Linear(4, 5), nn.Tanh(), nn.Linear(5, 2))
check("Sequential", seq, x)
print(seq)
print(len(seq), seq[0], seq[-1].weight.shape)


class Stack(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(4, 4) for _ in range(2)])
        self.head = nn.Linear(4, 1)

    def forward(self, x):
        for layer in self.layers:
            x = torch.relu(layer(x)) + x
        return self.head(x)


stack = Stack()
check("ModuleList", stack, x)
print(stack)
print([n for n, _ in stack.named_parameters()])
print(sum(p.numel() for p in stack.parameters()))

img = torch.randn(2, 2, 5, 5)
check("Conv2d", nn.Conv2d(2, 3, kernel_size=3), img)
check("Conv2d-pad-stride", nn.Conv2d(2, 2, 3, stride=2, padding=1), img)
check("MaxPool2d", nn.MaxPool2d(2), img)
check("MaxPool2d-stride", nn.MaxPool2d(kernel_size=3, stride=1), img)

bn1 = nn.BatchNorm1d(4)
check("BatchNorm1d-train", bn1, x)
print(bn1.running_mean, bn1.running_var, bn1.num_batches_tracked)
bn1.eval()
check("BatchNorm1d-eval", bn1, x)
bn2 = nn.BatchNorm2d(2, momentum=0.5)
check("BatchNorm2d-train", bn2, img)
print(bn2.running_mean, bn2.running_var)
bn2.eval()
check("BatchNorm2d-eval", bn2, img)

emb = nn.Embedding(5, 3)
idx = torch.tensor([[0, 2], [4, 2]])
out = emb(idx)
print(out)
out.sum().backward()
print(emb.weight.grad)
emb0 = nn.Embedding(4, 2, padding_idx=0)
print(emb0.weight)
emb0(torch.tensor([0, 1, 0, 3])).sum().backward()
print(emb0.weight.grad)

cnn = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16, 3))
check("CNN", cnn, img)
print(cnn.training, cnn[1].training)
cnn.eval()
print(cnn.training, cnn[1].training)
with torch.no_grad():
    print(cnn(img))
print(cnn)
print(nn.Sequential(nn.LeakyReLU(0.2), nn.Softmax(dim=1), nn.LogSoftmax(dim=-1), nn.GELU(), nn.Dropout(0.25), nn.Identity(), nn.Flatten(0, 1),
                    nn.MaxPool2d(3, stride=1), nn.BatchNorm1d(3, momentum=None), emb0, nn.Sigmoid(), nn.ReLU()))
