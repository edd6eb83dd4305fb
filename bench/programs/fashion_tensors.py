# The same epoch as fashion_epoch.py with the data set normalised once up front (TensorDataset over the whole
# training set, as bench/tensor_torch.py's `fashion` does), so no per-sample transform runs in either system.
# The last line printed is one JSON object.
import soma as torch
import soma.nn as nn
import soma.optim as optim
from soma import datasets
from soma.utils.data import DataLoader, TensorDataset
import time

root = '/usr/share/datasets/fashion-mnist'
torch.manual_seed(0)
train = datasets.FashionMNIST(root=root, train=True)
images = (train.data.float() / 255 - 0.5) / 0.5
trainloader = DataLoader(TensorDataset(images.unsqueeze(1), train.targets), batch_size=64, shuffle=True)
test = datasets.FashionMNIST(root=root, train=False)
test_images = (test.data.float() / 255 - 0.5) / 0.5


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
seen = 0
start = time.perf_counter()
for inputs, labels in trainloader:
    optimizer.zero_grad()
    loss = criterion(model(inputs), labels)
    loss.backward()
    optimizer.step()
    seen += labels.size(0)
elapsed = time.perf_counter() - start
with torch.no_grad():
    accuracy = (model(test_images).argmax(1) == test.targets).float().mean().item()
print(f'{{"fashion_tensors_samples_per_s": {seen / elapsed}, "fashion_tensors_test_accuracy": {accuracy}}}')
