# Seed 001's XOR: 2-10-10-10-1 sigmoid network, BCELoss, SGD lr=1, 10,001 full-batch steps (the seed's code, its
# per-1000-steps loss print kept as a list). Written for Soma; bench/lang_bench.py runs it under CPython with PyTorch
# after mapping `soma` to `torch`. The last line printed is one JSON object.
import soma as torch
import soma.nn as nn
import time

device = 'cuda' if torch.cuda.is_available() else 'cpu'
torch.manual_seed(777)
X = torch.FloatTensor([[0, 0], [0, 1], [1, 0], [1, 1]]).to(device)
Y = torch.FloatTensor([[0], [1], [1], [0]]).to(device)
model = nn.Sequential(
          nn.Linear(2, 10, bias=True), nn.Sigmoid(),
          nn.Linear(10, 10, bias=True), nn.Sigmoid(),
          nn.Linear(10, 10, bias=True), nn.Sigmoid(),
          nn.Linear(10, 1, bias=True), nn.Sigmoid()).to(device)
criterion = torch.nn.BCELoss().to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=1)
steps = 10001
costs = []
start = time.perf_counter()
for epoch in range(steps):
    optimizer.zero_grad()
    hypothesis = model(X)
    cost = criterion(hypothesis, Y)
    cost.backward()
    optimizer.step()
    if epoch % 1000 == 0:
        costs.append(cost.item())
elapsed = time.perf_counter() - start
with torch.no_grad():
    accuracy = ((model(X) > 0.5).float() == Y).float().mean().item()
print(f'{{"xor_step_us": {elapsed / steps * 1e6}, "xor_final_cost": {costs[-1]}, "xor_accuracy": {accuracy}}}')
