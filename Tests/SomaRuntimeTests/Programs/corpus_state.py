# Corpus: module state dicts (keys, shapes, load_state_dict, buffers) and optimizer state, against PyTorch.
import soma as torch
import soma.nn as nn
import soma.optim as optim


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3)
        self.bn = nn.BatchNorm2d(2)
        self.body = nn.Sequential(nn.Flatten(), nn.Linear(8, 4), nn.ReLU())
        self.heads = nn.ModuleList([nn.Linear(4, 2), nn.Linear(4, 1, bias=False)])
        self.emb = nn.Embedding(3, 2)

    def forward(self, x):
        h = self.body(self.bn(self.conv(x)))
        return self.heads[0](h), self.heads[1](h)


torch.manual_seed(6)
net = Net()
sd = net.state_dict()
for k, v in sd.items():
    print(k, tuple(v.shape), v.dtype)
print(len(list(net.parameters())), len(list(net.buffers())), [n for n, _ in net.named_children()])
print(sd["bn.num_batches_tracked"], sd["heads.1.weight"])

x = torch.randn(3, 1, 4, 4)
a, b = net(x)
print(a, b)
print(net.bn.running_mean)

torch.manual_seed(7)
other = Net()
result = other.load_state_dict(net.state_dict())
print(result)
other.eval()
net.eval()
print(torch.equal(other(x)[0], net(x)[0]), other.bn.num_batches_tracked)

# state_dict tensors are detached copies that share values
w = net.state_dict()["heads.0.bias"]
print(w.requires_grad, w)

# non-strict loading reports missing and unexpected keys
partial = {"heads.0.weight": torch.zeros(2, 4), "extra.weight": torch.ones(1)}
print(other.load_state_dict(partial, strict=False))
print(other.heads[0].weight)

# registered buffers are in the state dict
class WithBuffer(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(2, 2)
        self.register_buffer("scale", torch.tensor([2.0, 3.0]))

    def forward(self, x):
        return self.lin(x) * self.scale


torch.manual_seed(8)
wb = WithBuffer()
print(list(wb.state_dict().keys()), wb.scale, [n for n, _ in wb.named_buffers()])
print(wb(torch.ones(1, 2)))

# optimizer state dict
torch.manual_seed(9)
model = nn.Linear(3, 2)
opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
for _ in range(2):
    opt.zero_grad()
    model(torch.ones(4, 3)).pow(2).sum().backward()
    opt.step()
osd = opt.state_dict()
print(osd["param_groups"])
print(osd["state"][0]["momentum_buffer"], osd["state"][1]["momentum_buffer"])
torch.manual_seed(9)
model2 = nn.Linear(3, 2)
opt2 = optim.SGD(model2.parameters(), lr=0.5)
model2.load_state_dict(model.state_dict())
opt2.load_state_dict(osd)
print(opt2.param_groups[0]["lr"], opt2.param_groups[0]["momentum"])
opt2.zero_grad()
model2(torch.ones(4, 3)).pow(2).sum().backward()
opt2.step()
print(model2.weight)
