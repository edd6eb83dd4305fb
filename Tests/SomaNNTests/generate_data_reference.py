"""Records the PyTorch numbers the data tests check against (run once; needs torch, numpy).

    python3 Tests/SomaNNTests/generate_data_reference.py

Writes Tests/SomaNNTests/Data/data_reference.json. torchvision is not needed: Resize on
tensors is torchvision's `F.resize`, i.e. `torch.nn.functional.interpolate(bilinear,
align_corners=False, antialias=True)`, called here directly; Fashion-MNIST is read with a
plain gzip + numpy IDX reader, independent of the Swift one.
"""
import gzip
import json
import os
import struct

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset, random_split

out = {}


def batches(loader):
    return [[b[0].tolist(), b[1].tolist()] for b in loader]


# Shuffled loader with the global generator: two epochs, then the next global draw.
torch.manual_seed(0)
ds = TensorDataset(torch.arange(10), torch.arange(10) * 10)
loader = DataLoader(ds, batch_size=3, shuffle=True)
out["shuffle_global"] = {
    "epoch1": batches(loader),
    "epoch2": batches(loader),
    "after": torch.randint(0, 1000, (3,)).tolist(),
    "len": len(loader),
}

# An unshuffled pass still draws a base seed from the global generator.
torch.manual_seed(1)
plain = DataLoader(ds, batch_size=4)
first = batches(plain)
out["plain"] = {"batches": first, "after": torch.randint(0, 1000, (3,)).tolist(), "len": len(plain)}

# drop_last
out["drop_last_len"] = len(DataLoader(ds, batch_size=4, drop_last=True))
torch.manual_seed(3)
out["drop_last_shuffle"] = batches(DataLoader(ds, batch_size=4, shuffle=True, drop_last=True))

# A loader with its own generator: the global one is untouched.
torch.manual_seed(5)
g = torch.Generator().manual_seed(42)
own = DataLoader(ds, batch_size=4, shuffle=True, generator=g)
out["shuffle_generator"] = {
    "epoch1": batches(own),
    "epoch2": batches(own),
    "global_after": torch.randint(0, 1000, (3,)).tolist(),
}

# The sampler's extra randperm at the end of a pass shows with a loader's own generator:
# sizes that divide evenly, drop_last, and no batching.
gen_cases = {}
for name, n, bs, drop in [("even_8_4", 8, 4, False), ("drop_10_4", 10, 4, True), ("drop_8_4", 8, 4, True)]:
    g = torch.Generator().manual_seed(9)
    l = DataLoader(TensorDataset(torch.arange(n), torch.arange(n)), batch_size=bs, shuffle=True, drop_last=drop, generator=g)
    gen_cases[name] = {"n": n, "batch_size": bs, "drop_last": drop, "epochs": [batches(l), batches(l)],
                       "after": torch.randint(0, 1000, (3,), generator=g).tolist()}
g = torch.Generator().manual_seed(9)
l = DataLoader(TensorDataset(torch.arange(5), torch.arange(5)), batch_size=None, shuffle=True, generator=g)
gen_cases["unbatched_5"] = {"n": 5, "batch_size": None, "drop_last": False,
                            "epochs": [[[b[0].item() for b in l]], [[b[0].item() for b in l]]],
                            "after": torch.randint(0, 1000, (3,), generator=g).tolist()}
out["generator_cases"] = gen_cases

# A longer permutation (n = 1000) to exercise randperm through the loader.
torch.manual_seed(7)
big = DataLoader(TensorDataset(torch.arange(1000)), batch_size=1000, shuffle=True)
out["shuffle_1000"] = next(iter(big))[0].tolist()

# random_split
splits = {}
for name, n, lengths, seed in [
    ("ints_10_3_7", 10, [3, 7], 42),
    ("fractions_30", 30, [0.3, 0.3, 0.4], 42),
    ("fractions_10_thirds", 10, [0.33, 0.33, 0.34], 0),
    ("fractions_11_halves", 11, [0.5, 0.5], 1),
]:
    parts = random_split(range(n), lengths, generator=torch.Generator().manual_seed(seed))
    splits[name] = {"n": n, "lengths": lengths, "seed": seed, "indices": [list(p.indices) for p in parts]}
torch.manual_seed(11)
parts = random_split(range(20), [0.8, 0.2])
splits["global_20"] = {"n": 20, "lengths": [0.8, 0.2], "seed": 11, "indices": [list(p.indices) for p in parts]}
out["random_split"] = splits

# Default collation of (tensor, int, float, bool, str) samples.
from torch.utils.data import default_collate
c = default_collate([(torch.tensor([1.0, 2.0]), 3, 0.5, True, "a"), (torch.tensor([3.0, 4.0]), 4, 1.5, False, "b")])
out["collate"] = {
    "tensor": c[0].tolist(), "tensor_dtype": str(c[0].dtype),
    "ints": c[1].tolist(), "ints_dtype": str(c[1].dtype),
    "floats": c[2].tolist(), "floats_dtype": str(c[2].dtype),
    "bools": c[3].tolist(), "bools_dtype": str(c[3].dtype),
    "strings": c[4],
}

# Fashion-MNIST through an independent IDX reader.
root = "/usr/share/datasets/fashion-mnist"


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


fm = {}
for split, prefix in [("train", "train"), ("test", "t10k")]:
    images = idx(os.path.join(root, f"{prefix}-images-idx3-ubyte.gz"))
    labels = idx(os.path.join(root, f"{prefix}-labels-idx1-ubyte.gz"))
    fm[split] = {
        "count": int(labels.shape[0]),
        "first_labels": labels[:20].tolist(),
        "label_counts": np.bincount(labels, minlength=10).tolist(),
        "label_weighted_sum": int((labels.astype(np.int64) * np.arange(labels.shape[0])).sum() % 1000000007),
        "image0_row14": images[0, 14].tolist(),
        "image0_sum": int(images[0].astype(np.int64).sum()),
        "pixel_sum": int(images.astype(np.int64).sum()),
        "last_image_sum": int(images[-1].astype(np.int64).sum()),
    }
    # ToTensor + Normalize((0.5,), (0.5,)) of image 0, as torchvision computes it (x/255 then (x-m)/s) in float32.
    x = torch.from_numpy(images[0].copy()).float().div(255).unsqueeze(0)
    fm[split]["image0_normalized_row14"] = ((x - 0.5) / 0.5)[0, 14].tolist()
out["fashion_mnist"] = fm

# Shuffled Fashion-MNIST batches: labels of the first batch after manual_seed(0).
labels = torch.from_numpy(idx(os.path.join(root, "train-labels-idx1-ubyte.gz")).astype(np.int64))
torch.manual_seed(0)
fl = DataLoader(TensorDataset(labels), batch_size=64, shuffle=True)
it = iter(fl)
out["fashion_shuffled_first_batch_labels"] = next(it)[0].tolist()

# Resize (bilinear, antialiased as torchvision does for tensors and PIL images).
torch.manual_seed(0)
img = torch.rand(3, 7, 10)
res = {"input": img.flatten().tolist(), "shape": list(img.shape), "cases": []}
for size in [(4, 5), (11, 13), (3, 17), (7, 10)]:
    y = F.interpolate(img.unsqueeze(0), size=size, mode="bilinear", align_corners=False, antialias=True)[0]
    res["cases"].append({"size": list(size), "output": y.flatten().tolist()})
# Resize(int): the shorter side becomes size, the longer int(size * long / short).
y = F.interpolate(img.unsqueeze(0), size=(5, int(5 * 10 / 7)), mode="bilinear", align_corners=False, antialias=True)[0]
res["int5"] = {"shape": list(y.shape), "output": y.flatten().tolist()}
out["resize"] = res

# Random transforms draw from the global generator: RandomHorizontalFlip's torch.rand(1) and
# RandomCrop's two randint calls; record the draws for the same seed.
torch.manual_seed(0)
out["flip_draws"] = [float(torch.rand(1)) for _ in range(6)]
torch.manual_seed(0)
crops = []
for _ in range(4):
    i = torch.randint(0, 8 + 4 - 6 + 1, size=(1,)).item()
    j = torch.randint(0, 9 + 4 - 5 + 1, size=(1,)).item()
    crops.append([i, j])
out["crop_draws"] = crops

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Data", "data_reference.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", path)
