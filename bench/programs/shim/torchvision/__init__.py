"""A minimal stand-in for torchvision, which has no wheel on this machine, so that the benchmark programs' seed-002
imports (`from torchvision import datasets, transforms`) run under CPython with PyTorch.

It follows torchvision 0.28's code paths for what the programs use (FashionMNIST's __getitem__, ToTensor, Normalize)
except that an image stays a uint8 tensor instead of going through PIL: PyTorch's side does less work per sample
than with the real torchvision, so the ratios it gives are, if anything, in PyTorch's favour.
"""
from . import datasets, transforms  # noqa: F401
