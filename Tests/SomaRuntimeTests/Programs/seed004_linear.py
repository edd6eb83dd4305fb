# shared/seeds/004_*: the same linear model by manual gradients, autograd, nn, an optimizer, and nn.Module.
import soma as torch

device = torch.device('cpu')
N, Din, Dout = 64, 4, 2
torch.manual_seed(4)
x = torch.randn(N, Din, device=device)
y = torch.randn(N, Dout, device=device)
w0 = torch.randn(Din, Dout, device=device)
lr = 1e-3

w = w0.clone()
for t in range(500):
    y_pred = x.mm(w)
    loss = 0.5 * (y_pred - y).pow(2).sum()
    grad_y_pred = (y_pred - y)
    grad_w = x.t().mm(grad_y_pred)
    w -= lr * grad_w
    if t % 100 == 0:
        print("manual", t, loss.item())

w = w0.clone().requires_grad_(True)
for t in range(500):
    y_pred = x.mm(w)
    loss = 0.5 * (y_pred - y).pow(2).sum()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        w.grad.zero_()
    if t % 100 == 0:
        print("autograd", t, loss.item())

model = torch.nn.Sequential(torch.nn.Linear(Din, Dout))
for t in range(500):
    y_pred = model(x)
    loss = torch.nn.functional.mse_loss(y_pred, y)
    loss.backward()
    with torch.no_grad():
        for param in model.parameters():
            param -= 0.1 * param.grad
    model.zero_grad()
    if t % 100 == 0:
        print("nn", t, loss.item())

model = torch.nn.Sequential(torch.nn.Linear(Din, Dout))
optimizer = torch.optim.Adam(model.parameters(), lr=lr)
for t in range(500):
    y_pred = model(x)
    loss = torch.nn.functional.mse_loss(y_pred, y)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    if t % 100 == 0:
        print("optimizer", t, loss.item())

class MyOneLayerNet(torch.nn.Module):
    def __init__(self, Din, Dout):
        super(MyOneLayerNet, self).__init__()
        self.linear = torch.nn.Linear(Din, Dout)

    def forward(self, x):
        y_pred = self.linear(x)
        return y_pred

model = MyOneLayerNet(Din, Dout)
optimizer = torch.optim.Adam(model.parameters(), lr=lr)
for t in range(500):
    y_pred = model(x)
    loss = torch.nn.functional.mse_loss(y_pred, y)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    if t % 100 == 0:
        print("module", t, loss.item())
print(model)
print(model.state_dict()['linear.bias'].shape)
