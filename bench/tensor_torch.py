"""PyTorch's side of the tensor-runtime benchmark: the same workloads as bench/Sources/soma-bench."""
import json
import time

import torch


def best(fn, iterations, rounds=5):
    best_time = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(iterations):
            fn()
        best_time = min(best_time, (time.perf_counter() - start) / iterations)
    return best_time


def gemm(n=1024):
    a, b = torch.randn(n, n), torch.randn(n, n)
    t = best(lambda: a @ b, 5)
    return {"torch_gflops": 2 * n ** 3 / t / 1e9}


def tiny_add():
    a, b = torch.randn(1, 6, requires_grad=True), torch.randn(1, 6, requires_grad=True)
    with_grad = best(lambda: a + b, 200_000)
    with torch.no_grad():
        no_grad = best(lambda: a + b, 200_000)
    return {"add_autograd_ns": with_grad * 1e9, "add_nograd_ns": no_grad * 1e9}


def mlp(fused=False):
    torch.manual_seed(0)

    def layer(i, o):
        bound = 1 / i ** 0.5
        return (torch.empty(o, i).uniform_(-bound, bound).requires_grad_(),
                torch.empty(o).uniform_(-bound, bound).requires_grad_())

    (w1, b1), (w2, b2), (w3, b3) = layer(784, 128), layer(128, 64), layer(64, 10)
    params = [w1, b1, w2, b2, w3, b3]
    x = torch.rand(64, 784)
    y = torch.randint(0, 10, (64, 1))

    def step():
        if fused:
            h1 = torch.addmm(b1, x, w1.t()).relu()
            h2 = torch.addmm(b2, h1, w2.t()).relu()
            logits = torch.addmm(b3, h2, w3.t())
        else:
            h1 = (x @ w1.t() + b1).relu()
            h2 = (h1 @ w2.t() + b2).relu()
            logits = h2 @ w3.t() + b3
        loss = -logits.log_softmax(dim=1).gather(1, y).mean()
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                if fused:
                    p.add_(p.grad, alpha=-0.01)
                else:
                    p.sub_(p.grad * 0.01)

    per_step = best(step, 200)
    key = "mlp_fused" if fused else "mlp"
    return {f"{key}_step_us": per_step * 1e6, f"{key}_samples_per_s": 64 / per_step}


def cubic(steps=10_000):
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(1, 6), torch.nn.ReLU(), torch.nn.Linear(6, 1))
    loss_function = torch.nn.MSELoss()
    optimizer = torch.optim.Adam(net.parameters(), lr=0.01)
    start = time.perf_counter()
    for _ in range(steps):
        x = (torch.rand(1) - 0.5) * 10
        y = x ** 3 + x ** 2 - x - 1
        optimizer.zero_grad()
        loss = loss_function(y, net(x))
        loss.backward()
        optimizer.step()
    return {"cubic_step_us": (time.perf_counter() - start) / steps * 1e6}


def cnn():
    """The same small CNN step as Soma's (conv 3-16-32, ReLU, 2x2 max pooling, Linear; CE; SGD momentum)."""
    torch.manual_seed(0)
    nn = torch.nn
    model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                          nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 8 * 8, 10))
    x, y = torch.randn(64, 3, 32, 32), torch.randint(0, 10, (64,))
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def step():
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    return {"cnn_step_ms": best(step, 20, rounds=3) * 1e3}


def adam():
    """One Adam step over the MLP's parameters, gradients given (PyTorch's default foreach implementation)."""
    torch.manual_seed(0)
    params = [torch.randn(*shape, requires_grad=True) for shape in [(128, 784), (128,), (64, 128), (64,), (10, 64), (10,)]]
    for p in params:
        p.grad = torch.randn_like(p)
    optimizer = torch.optim.Adam(params, lr=1e-3)
    return {"adam_step_us": best(optimizer.step, 200) * 1e6}


def xor(steps=10_001):
    torch.manual_seed(777)
    X = torch.FloatTensor([[0, 0], [0, 1], [1, 0], [1, 1]])
    Y = torch.FloatTensor([[0], [1], [1], [0]])
    nn = torch.nn
    model = nn.Sequential(nn.Linear(2, 10), nn.Sigmoid(), nn.Linear(10, 10), nn.Sigmoid(), nn.Linear(10, 10), nn.Sigmoid(),
                          nn.Linear(10, 1), nn.Sigmoid())
    criterion = nn.BCELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=1)
    start = time.perf_counter()
    for _ in range(steps):
        optimizer.zero_grad()
        cost = criterion(model(X), Y)
        cost.backward()
        optimizer.step()
    return {"xor_step_us": (time.perf_counter() - start) / steps * 1e6}


def read_idx(path):
    import gzip

    import numpy as np
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return torch.from_numpy(np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape).copy())


def fashion(epochs=int(__import__("os").environ.get("SOMA_BENCH_EPOCHS", "1"))):
    """The same MLP epoch as Soma's, with the tutorials' TensorDataset + DataLoader (no torchvision here)."""
    import resource
    root = "/usr/share/datasets/fashion-mnist"
    images = (read_idx(f"{root}/train-images-idx3-ubyte.gz").float() / 255 - 0.5) / 0.5
    labels = read_idx(f"{root}/train-labels-idx1-ubyte.gz").long()
    test_images = (read_idx(f"{root}/t10k-images-idx3-ubyte.gz").float() / 255 - 0.5) / 0.5
    test_labels = read_idx(f"{root}/t10k-labels-idx1-ubyte.gz").long()
    torch.manual_seed(int(__import__("os").environ.get("SOMA_BENCH_SEED", "0")))
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(images.unsqueeze(1), labels), batch_size=64, shuffle=True)
    nn = torch.nn
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=float(__import__("os").environ.get("SOMA_BENCH_LR", "0.01")), momentum=0.9)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, epochs) if __import__("os").environ.get("SOMA_BENCH_SCHEDULE") == "cosine" else None
    first = None
    for _ in range(epochs):
        start = time.perf_counter()
        for x, y in loader:
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
        first = first or time.perf_counter() - start
        if scheduler:
            scheduler.step()
    with torch.no_grad():
        accuracy = (model(test_images.unsqueeze(1)).argmax(1) == test_labels).float().mean().item()
    return {"fashion_samples_per_s": 60_000 / first, "fashion_epoch_s": first, "fashion_test_accuracy": accuracy,
            "fashion_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def fashion_batched():
    """The same epoch with batches cut by hand from a shuffled index (no DataLoader): PyTorch's compute alone."""
    root = "/usr/share/datasets/fashion-mnist"
    images = (read_idx(f"{root}/train-images-idx3-ubyte.gz").float() / 255 - 0.5) / 0.5
    labels = read_idx(f"{root}/train-labels-idx1-ubyte.gz").long()
    torch.manual_seed(0)
    nn = torch.nn
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    start = time.perf_counter()
    order = torch.randperm(60_000)
    for i in range(0, 60_000, 64):
        idx = order[i:i + 64]
        optimizer.zero_grad()
        loss = criterion(model(images[idx]), labels[idx])
        loss.backward()
        optimizer.step()
    return {"fashion_batched_samples_per_s": 60_000 / (time.perf_counter() - start)}


PARTS = {"fashion_batched": fashion_batched, "gemm": gemm, "add": tiny_add, "mlp": mlp, "mlp_fused": lambda: mlp(fused=True), "adam": adam, "cnn": cnn, "cubic": cubic, "xor": xor, "fashion": fashion}

if __name__ == "__main__":
    import sys
    out = {}
    for name in sys.argv[1:] or ["gemm", "add", "mlp", "mlp_fused", "cubic", "xor"]:
        out.update(PARTS[name]())
    print(json.dumps(out, sort_keys=True))
