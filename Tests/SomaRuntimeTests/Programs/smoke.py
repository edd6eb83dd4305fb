import soma as torch
print(torch.tensor([1.0, 2.0]) + 1)
