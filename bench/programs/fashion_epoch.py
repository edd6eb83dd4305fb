# Seed 002's recipe on Fashion-MNIST: ToTensor + Normalize((0.5,), (0.5,)), shuffled DataLoader with batch 64, an
# nn.Module MLP 784-128-64-10 with a language forward, CrossEntropyLoss, SGD lr=0.01 momentum=0.9; one epoch, timed
# from the first batch to the last step (the seed's running-loss bookkeeping kept), then the test accuracy.
# Written for Soma; bench/lang_bench.py runs it under CPython with PyTorch after mapping `soma` to `torch`
# (`from soma import datasets, transforms` becomes torchvision's import). The last line printed is one JSON object.
import soma as torch
import soma.nn as nn
import soma.optim as optim
from soma import datasets, transforms
import time

root = '/usr/share/datasets/fashion-mnist'
torch.manual_seed(0)
transform = transforms.Compose([
    transforms.ToTensor(),
    transforms.Normalize((0.5,), (0.5,))
])
trainset = datasets.FashionMNIST(root=root, train=True, download=True, transform=transform)
trainloader = torch.utils.data.DataLoader(trainset, batch_size=64, shuffle=True)
testset = datasets.FashionMNIST(root=root, train=False, download=True, transform=transform)
testloader = torch.utils.data.DataLoader(testset, batch_size=1000, shuffle=False)


class SimpleANN(nn.Module):
    def __init__(self):
        super(SimpleANN, self).__init__()
        self.fc1 = nn.Linear(28 * 28, 128)
        self.fc2 = nn.Linear(128, 64)
        self.fc3 = nn.Linear(64, 10)

    def forward(self, x):
        x = x.view(-1, 28 * 28)
        x = torch.relu(self.fc1(x))
        x = torch.relu(self.fc2(x))
        x = self.fc3(x)
        return x


model = SimpleANN()
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
running_loss = 0.0
seen = 0
start = time.perf_counter()
for i, data in enumerate(trainloader, 0):
    inputs, labels = data
    optimizer.zero_grad()
    outputs = model(inputs)
    loss = criterion(outputs, labels)
    loss.backward()
    optimizer.step()
    running_loss += loss.item()
    seen += labels.size(0)
elapsed = time.perf_counter() - start
correct = 0
total = 0
with torch.no_grad():
    for data in testloader:
        images, labels = data
        outputs = model(images)
        _, predicted = torch.max(outputs.data, 1)
        total += labels.size(0)
        correct += (predicted == labels).sum().item()
print(f'{{"fashion_samples_per_s": {seen / elapsed}, "fashion_epoch_s": {elapsed}, "fashion_mean_loss": {running_loss / (i + 1)}, "fashion_test_accuracy": {correct / total}}}')
