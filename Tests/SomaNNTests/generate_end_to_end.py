#!/usr/bin/env python3
"""Records PyTorch's runs of the tutorials' XOR network (shared/seeds/001_*) and cubic fit (shared/seeds/000_*).

    python3 Tests/SomaNNTests/generate_end_to_end.py   # writes Data/nn_end_to_end.json
"""
import json
import os

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))


def xor():
    torch.manual_seed(777)
    X = torch.FloatTensor([[0, 0], [0, 1], [1, 0], [1, 1]])
    Y = torch.FloatTensor([[0], [1], [1], [0]])
    model = nn.Sequential(nn.Linear(2, 10), nn.Sigmoid(), nn.Linear(10, 10), nn.Sigmoid(), nn.Linear(10, 10), nn.Sigmoid(),
                          nn.Linear(10, 1), nn.Sigmoid())
    criterion = nn.BCELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=1)
    costs = []
    for epoch in range(10001):
        optimizer.zero_grad()
        cost = criterion(model(X), Y)
        cost.backward()
        optimizer.step()
        if epoch % 100 == 0:
            costs.append(cost.item())
    with torch.no_grad():
        hypothesis = model(X)
    return {"costs_every_100": costs, "hypothesis": hypothesis.reshape(-1).tolist()}


def cubic(seed, steps=10000):
    torch.manual_seed(seed)
    net = nn.Sequential(nn.Linear(1, 6), nn.ReLU(), nn.Linear(6, 1))
    loss_function = nn.MSELoss()
    optimizer = torch.optim.Adam(net.parameters(), lr=0.01)
    for _ in range(steps):
        x = (torch.rand(1) - 0.5) * 10
        y = x ** 3 + x ** 2 - x - 1
        optimizer.zero_grad()
        loss = loss_function(y, net(x))
        loss.backward()
        optimizer.step()
    grid = torch.linspace(-5, 5, 101).reshape(-1, 1)
    with torch.no_grad():
        mse = loss_function(net(grid), grid ** 3 + grid ** 2 - grid - 1).item()
    return mse


if __name__ == "__main__":
    data = {"xor": xor(), "cubic_mse_by_seed": {str(s): cubic(s) for s in range(5)}}
    with open(os.path.join(HERE, "Data", "nn_end_to_end.json"), "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write("\n")
