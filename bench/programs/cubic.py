# Seed 000's cubic fit (y = x^3 + x^2 - x - 1): Linear(1,6)-ReLU-Linear(6,1) as an nn.Module subclass, MSELoss, Adam,
# one random sample per step, 10,000 steps. Written for Soma; bench/lang_bench.py runs it under CPython with PyTorch
# after mapping `soma` to `torch`. The last line printed is one JSON object.
import soma as torch
import soma.nn as nn
import time


class NeuralNetwork(nn.Module):
    def __init__(self):
        super(NeuralNetwork, self).__init__()
        self.input_layer = nn.Linear(1, 6)
        self.activation = nn.ReLU()
        self.output_layer = nn.Linear(6, 1)

    def forward(self, x):
        x = self.input_layer(x)
        x = self.activation(x)
        x = self.output_layer(x)
        return x


torch.manual_seed(0)
network = NeuralNetwork()
loss_function = nn.MSELoss()
optimizer = torch.optim.Adam(network.parameters(), lr=0.01)
steps = 10000
losses = []
start = time.perf_counter()
for epoch in range(steps):
    x = (torch.rand(1) - 0.5) * 10
    y = x**3 + x**2 - x - 1
    optimizer.zero_grad()
    output = network(x)
    loss = loss_function(y, output)
    loss.backward()
    optimizer.step()
    if epoch % 1000 == 0:
        losses.append(loss.item())
elapsed = time.perf_counter() - start
grid = torch.linspace(-5, 5, 11).reshape(-1, 1)
with torch.no_grad():
    grid_mse = nn.functional.mse_loss(network(grid), grid**3 + grid**2 - grid - 1).item()
print(f'{{"cubic_step_us": {elapsed / steps * 1e6}, "cubic_grid_mse": {grid_mse}, "cubic_first_loss": {losses[0]}}}')
