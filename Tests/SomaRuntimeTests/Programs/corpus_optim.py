# Corpus: optimizers for a few steps, lr schedulers and param_groups edits, against PyTorch.
import soma as torch
import soma.nn as nn
import soma.optim as optim
from soma.optim import lr_scheduler

X = torch.tensor([[0.5, -1.0], [1.5, 2.0], [-0.3, 0.8], [1.0, 0.0]])
Y = torch.tensor([[1.0], [-1.0], [0.5], [2.0]])


def fit(name, make, steps=4):
    torch.manual_seed(3)
    model = nn.Linear(2, 1)
    opt = make(model.parameters())
    for _ in range(steps):
        opt.zero_grad()
        loss = ((model(X) - Y) ** 2).mean()
        loss.backward()
        opt.step()
    print(name, round(loss.item(), 6), model.weight.data.flatten().tolist(), model.bias.item())
    return opt


fit("SGD", lambda p: optim.SGD(p, lr=0.1))
fit("SGD momentum", lambda p: optim.SGD(p, lr=0.1, momentum=0.9))
fit("SGD nesterov", lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True))
fit("SGD weight_decay", lambda p: optim.SGD(p, lr=0.1, momentum=0.5, dampening=0.1, weight_decay=0.01))
fit("Adam", lambda p: optim.Adam(p, lr=0.05))
fit("Adam amsgrad", lambda p: optim.Adam(p, lr=0.05, betas=(0.8, 0.9), amsgrad=True, weight_decay=0.1))
fit("AdamW", lambda p: optim.AdamW(p, lr=0.05, weight_decay=0.1))
fit("AdamW amsgrad", lambda p: optim.AdamW(p, lr=0.05, amsgrad=True))
fit("RMSprop", lambda p: optim.RMSprop(p, lr=0.01))
fit("RMSprop momentum centered", lambda p: optim.RMSprop(p, lr=0.01, momentum=0.9, centered=True, weight_decay=0.1))
fit("Adagrad", lambda p: optim.Adagrad(p, lr=0.1))
fit("Adagrad lr_decay", lambda p: optim.Adagrad(p, lr=0.1, lr_decay=0.1, weight_decay=0.05, initial_accumulator_value=0.1))

# per-parameter groups and edits
torch.manual_seed(4)
net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
opt = optim.SGD([{"params": net[0].parameters()}, {"params": net[2].parameters(), "lr": 0.01}], lr=0.1, momentum=0.9)
print(len(opt.param_groups), [g["lr"] for g in opt.param_groups], opt.param_groups[1]["momentum"])
for step in range(3):
    opt.zero_grad()
    loss = ((net(X) - Y) ** 2).mean()
    loss.backward()
    opt.step()
    for g in opt.param_groups:
        g["lr"] = g["lr"] * 0.5
    print(step, round(loss.item(), 6), [g["lr"] for g in opt.param_groups])
print(net[2].weight.data)


def schedule(name, make, epochs=8, metric=None):
    torch.manual_seed(5)
    model = nn.Linear(2, 1)
    opt = optim.SGD(model.parameters(), lr=0.1)
    sched = make(opt)
    lrs = []
    for epoch in range(epochs):
        opt.zero_grad()
        ((model(X) - Y) ** 2).mean().backward()
        opt.step()
        if metric is None:
            sched.step()
        else:
            sched.step(metric[epoch])
        lrs.append(round(opt.param_groups[0]["lr"], 8))
    print(name, lrs, [round(x, 8) for x in sched.get_last_lr()])


schedule("StepLR", lambda o: lr_scheduler.StepLR(o, step_size=3, gamma=0.5))
schedule("MultiStepLR", lambda o: lr_scheduler.MultiStepLR(o, milestones=[2, 5], gamma=0.1))
schedule("ExponentialLR", lambda o: lr_scheduler.ExponentialLR(o, gamma=0.9))
schedule("CosineAnnealingLR", lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=4, eta_min=0.01), epochs=10)
schedule("LambdaLR", lambda o: lr_scheduler.LambdaLR(o, lr_lambda=lambda e: 1.0 / (e + 1)))
schedule("ReduceLROnPlateau", lambda o: lr_scheduler.ReduceLROnPlateau(o, mode="min", factor=0.5, patience=1),
         metric=[1.0, 0.9, 0.95, 0.96, 0.97, 0.8, 0.85, 0.9])
schedule("ReduceLROnPlateau max", lambda o: optim.lr_scheduler.ReduceLROnPlateau(o, mode="max", factor=0.1, patience=0, cooldown=1, min_lr=0.0005),
         metric=[0.1, 0.2, 0.2, 0.1, 0.1, 0.1, 0.3, 0.3])

# optimizer state_dict round trip
opt = fit("Adam again", lambda p: optim.Adam(p, lr=0.05), steps=2)
sd = opt.state_dict()
print(sorted(sd.keys()), sd["param_groups"][0]["lr"], sd["param_groups"][0]["params"], sorted(sd["state"].keys()))
print(sorted(sd["state"][0].keys()), sd["state"][0]["step"], sd["state"][1]["exp_avg"])
torch.manual_seed(3)
model = nn.Linear(2, 1)
opt2 = optim.Adam(model.parameters(), lr=0.05)
opt2.load_state_dict(sd)
print(opt2.state_dict()["state"][0]["exp_avg_sq"], opt2.param_groups[0]["betas"])
print(opt2)
print(optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4).param_groups[0])
g = optim.RMSprop(model.parameters(), lr=0.01).state_dict()["param_groups"][0]
print(sorted(g.items()))
sched = lr_scheduler.StepLR(opt2, step_size=2)
print(sched.last_epoch, sched.get_last_lr())
