"""torchvision.datasets.FashionMNIST / MNIST over the IDX files (see __init__.py)."""
import gzip
import os

import torch


def _read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return torch.frombuffer(bytearray(data), dtype=torch.uint8, offset=4 + 4 * dims).reshape(shape)


class MNIST(torch.utils.data.Dataset):
    def __init__(self, root, train=True, transform=None, target_transform=None, download=False):
        prefix = "train" if train else "t10k"
        self.data = _read_idx(os.path.join(root, f"{prefix}-images-idx3-ubyte.gz"))
        self.targets = _read_idx(os.path.join(root, f"{prefix}-labels-idx1-ubyte.gz")).long()
        self.transform, self.target_transform = transform, target_transform

    def __getitem__(self, index):
        img, target = self.data[index], int(self.targets[index])
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def __len__(self):
        return len(self.data)


class FashionMNIST(MNIST):
    pass
