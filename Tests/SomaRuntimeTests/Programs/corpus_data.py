# Corpus: TensorDataset, DataLoader (batching, shuffle, drop_last), random_split, Subset and a Dataset subclass, against PyTorch.
import soma as torch
from soma.utils.data import DataLoader, TensorDataset, Dataset, random_split, Subset

xs = torch.arange(20, dtype=torch.float32).reshape(10, 2)
ys = torch.arange(10)
ds = TensorDataset(xs, ys)
print(len(ds), ds[3], ds[-1][1])

for bx, by in DataLoader(ds, batch_size=4):
    print(bx.shape, by.tolist())
print(len(DataLoader(ds, batch_size=4)), len(DataLoader(ds, batch_size=4, drop_last=True)))
for bx, by in DataLoader(ds, batch_size=3, drop_last=True):
    print(by.tolist(), bx.dtype, by.dtype)

torch.manual_seed(10)
for epoch in range(2):
    print(epoch, [by.tolist() for _, by in DataLoader(ds, batch_size=4, shuffle=True)])

torch.manual_seed(11)
train, val = random_split(ds, [7, 3])
print(len(train), len(val), [train[i][1].item() for i in range(len(train))], [val[i][1].item() for i in range(len(val))])
print(train.indices, type(train).__name__)
torch.manual_seed(12)
parts = random_split(ds, [0.5, 0.3, 0.2])
print([len(p) for p in parts], [p.indices for p in parts])
g = torch.Generator().manual_seed(42)
a, b = random_split(range(8), [6, 2], generator=g)
print(list(a), list(b))

sub = Subset(ds, [9, 0, 5])
print(len(sub), sub[0], [y.tolist() for _, y in DataLoader(sub, batch_size=2)])


class Squares(Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        x = torch.tensor([float(i), float(i) / 2])
        return x, i * i


sq = Squares(7)
print(len(sq), sq[3])
for x, y in DataLoader(sq, batch_size=3):
    print(x, y)
torch.manual_seed(13)
print([y.tolist() for _, y in DataLoader(sq, batch_size=2, shuffle=True, drop_last=True)])


class Pairs(Dataset):
    def __init__(self):
        self.data = [(torch.tensor([1.0, 2.0]), torch.tensor(0)), (torch.tensor([3.0, 4.0]), torch.tensor(1)),
                     (torch.tensor([5.0, 6.0]), torch.tensor(1))]

    def __len__(self):
        return len(self.data)

    def __getitem__(self, idx):
        return {"x": self.data[idx][0], "y": self.data[idx][1]}


for batch in DataLoader(Pairs(), batch_size=2):
    print(batch["x"], batch["y"])
tr, te = random_split(Squares(5), [3, 2], generator=torch.Generator().manual_seed(1))
print([tr[i][1] for i in range(3)], next(iter(DataLoader(te, batch_size=2)))[1])
