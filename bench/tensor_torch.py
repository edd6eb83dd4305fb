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


def mlp():
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
        h1 = (x @ w1.t() + b1).relu()
        h2 = (h1 @ w2.t() + b2).relu()
        logits = h2 @ w3.t() + b3
        loss = -logits.log_softmax(dim=1).gather(1, y).mean()
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p.sub_(p.grad * 0.01)

    per_step = best(step, 200)
    return {"mlp_step_us": per_step * 1e6, "mlp_samples_per_s": 64 / per_step}


if __name__ == "__main__":
    out = {}
    for part in (gemm(), tiny_add(), mlp()):
        out.update(part)
    print(json.dumps(out, sort_keys=True))
