# shared/seeds/002_*: the MNIST ANN with DataLoader, on Fashion-MNIST (Debian's dataset-fashion-mnist); one epoch.
import soma as torch
import soma.nn as nn
import soma.optim as optim
from soma import datasets, transforms
import time
import sys
tmp = sys.argv[1]

torch.manual_seed(0)
transform = transforms.Compose([
    transforms.ToTensor(),
    transforms.Normalize((0.5,), (0.5,))
])
trainset = datasets.FashionMNIST(root='/usr/share/datasets/fashion-mnist', train=True, download=True, transform=transform)
trainloader = torch.utils.data.DataLoader(trainset, batch_size=64, shuffle=True)
testset = datasets.FashionMNIST(root='/usr/share/datasets/fashion-mnist', train=False, download=True, transform=transform)
testloader = torch.utils.data.DataLoader(testset, batch_size=64, shuffle=False)

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
start = time.time()
for epoch in range(1):
    running_loss = 0.0
    for i, data in enumerate(trainloader, 0):
        inputs, labels = data
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
        if i % 300 == 299:
            print(f'[Epoch {epoch + 1}, Batch {i + 1}] loss: {running_loss / 300:.3f}')
            running_loss = 0.0
correct = 0
total = 0
with torch.no_grad():
    for data in testloader:
        images, labels = data
        outputs = model(images)
        _, predicted = torch.max(outputs.data, 1)
        total += labels.size(0)
        correct += (predicted == labels).sum().item()
print(f'Accuracy of the network on the 10000 test images: {100 * correct / total:.2f}%')
torch.save(model.state_dict(), f"{tmp}/best_epoch_{epoch + 1}.safetensors")
model2 = SimpleANN()
print(model2.load_state_dict(torch.load(f"{tmp}/best_epoch_1.safetensors")))
