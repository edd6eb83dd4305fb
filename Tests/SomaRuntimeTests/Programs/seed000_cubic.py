# shared/seeds/000_*: fitting y = x^3 + x^2 - x - 1 with Linear(1,6)-ReLU-Linear(6,1) and Adam.
import soma as torch
import soma.nn as nn
import soma.nn.functional as F
import random

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
optimizer = torch.optim.Adam(network.parameters(), lr=0.001)
x = torch.Tensor([1])
y = x**3 + x**2 - x - 1
optimizer.zero_grad()
output = network(x)
loss = loss_function(y, output)
loss.backward()
optimizer.step()
parameters = network.input_layer.state_dict()
print(parameters['weight'])
print(parameters['bias'])

network = NeuralNetwork()
loss_function = nn.MSELoss()
optimizer = torch.optim.Adam(network.parameters(), lr=0.01)
for epoch in range(10000):
    x = (torch.rand(1) - 0.5) * 10
    y = x**3 + x**2 - x - 1
    optimizer.zero_grad()
    output = network(x)
    loss = loss_function(y, output)
    loss.backward()
    optimizer.step()
    if epoch % 1000 == 0:
        print(f"Loss: {loss.item():.3f}")
grid = torch.linspace(-5, 5, 11).reshape(-1, 1)
with torch.no_grad():
    print([round(v, 3) for v in network(grid).flatten().tolist()])
    print("grid MSE", F.mse_loss(network(grid), grid**3 + grid**2 - grid - 1).item())
