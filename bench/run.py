#!/usr/bin/env python3
"""Runs Soma's benchmarks and PyTorch's side by side on this machine and prints the ratios.

    make bench      # or: swift build -c release --product soma-bench && .venv/bin/python bench/run.py

Each workload runs in its own process (so peak RSS is the workload's own). Set SOMA_BENCH_EPOCHS=10
to train Fashion-MNIST for ten epochs and report the test accuracy after them (with SOMA_BENCH_SCHEDULE=cosine
the learning rate is annealed to zero over the epochs). The MLP steps run as
--pairs N alternating pairs of processes (default 5) and report medians: on a shared two-core VM one
run of either side moves by up to 1.5x.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOMA = os.path.join(ROOT, ".build", "release", "soma-bench")
TORCH = [sys.executable, os.path.join(ROOT, "bench", "tensor_torch.py")]


def run_json(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


def both(part, torch_parts=None):
    return run_json([SOMA, part]), run_json(TORCH + (torch_parts or [part]))


def paired(part, key, pairs):
    """Medians of Soma's and PyTorch's `key` (higher is better) over alternating runs, and the median of their ratios."""
    soma, torch = zip(*(both(part) for _ in range(pairs)))
    soma, torch = [r[key] for r in soma], [r[key] for r in torch]
    return statistics.median(soma), statistics.median(torch), statistics.median(a / b for a, b in zip(soma, torch))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=5, help="alternating runs of each MLP step")
    pairs = parser.parse_args().pairs
    rows = []
    soma, torch = both("gemm")
    rows.append(("GEMM 1024x1024, GFLOP/s", soma["soma_gflops"], soma["openblas_gflops"], "OpenBLAS direct", soma["soma_gflops"] / soma["openblas_gflops"]))
    rows.append(("GEMM 1024x1024 both operands transposed, GFLOP/s", soma["soma_transposed_gflops"], soma["openblas_gflops"], "OpenBLAS direct",
                 soma["soma_transposed_gflops"] / soma["openblas_gflops"]))
    rows.append(("GEMM 1024x1024, GFLOP/s", soma["soma_gflops"], torch["torch_gflops"], "PyTorch", soma["soma_gflops"] / torch["torch_gflops"]))
    soma, torch = both("add")
    rows.append(("1x6 add with autograd, ns/op", soma["add_autograd_ns"], torch["add_autograd_ns"], "PyTorch", torch["add_autograd_ns"] / soma["add_autograd_ns"]))
    rows.append(("1x6 add under no_grad, ns/op", soma["add_nograd_ns"], torch["add_nograd_ns"], "PyTorch", torch["add_nograd_ns"] / soma["add_nograd_ns"]))
    for name, part in (("MLP 784-128-64-10 fwd+bwd+SGD (tensor ops), samples/s", "mlp"), ("same MLP with addmm and add_(alpha=), samples/s", "mlp_fused")):
        soma, torch, ratio = paired(part, f"{part}_samples_per_s", pairs)
        rows.append((name, soma, torch, f"PyTorch, median of {pairs}", ratio))
    for name, part, key in (("small CNN step (conv 3-16-32, pool, Linear), batch 64, ms", "cnn", "cnn_step_ms"),
                            ("Adam step over the MLP's parameters, us", "adam", "adam_step_us"),
                            ("cubic fit (Linear 1-6-1, Adam, 1 sample), us/step", "cubic", "cubic_step_us"),
                            ("XOR (2-10-10-10-1, BCE, SGD, full batch), us/step", "xor", "xor_step_us")):
        soma, torch = both(part)
        rows.append((name, soma[key], torch[key], "PyTorch", torch[key] / soma[key]))
    soma, torch = both("fashion")
    _, batched = both("fashion", ["fashion_batched"])
    rows.append(("Fashion-MNIST MLP epoch, samples/s", soma["fashion_samples_per_s"], torch["fashion_samples_per_s"], "PyTorch DataLoader",
                 soma["fashion_samples_per_s"] / torch["fashion_samples_per_s"]))
    rows.append(("Fashion-MNIST MLP epoch, samples/s", soma["fashion_samples_per_s"], batched["fashion_batched_samples_per_s"],
                 "PyTorch hand-cut batches", soma["fashion_samples_per_s"] / batched["fashion_batched_samples_per_s"]))
    rows.append(("Fashion-MNIST MLP, peak RSS MB", soma["fashion_peak_rss_mb"], torch["fashion_peak_rss_mb"], "PyTorch DataLoader",
                 torch["fashion_peak_rss_mb"] / soma["fashion_peak_rss_mb"]))
    epochs = int(soma["fashion_epochs"])
    rows.append((f"Fashion-MNIST test accuracy after {epochs} epoch(s), %", 100 * soma["fashion_test_accuracy"],
                 100 * torch["fashion_test_accuracy"], "PyTorch", soma["fashion_test_accuracy"] / torch["fashion_test_accuracy"]))
    print(f"| {'workload':<58} | {'Soma':>10} | {'other':>10} | {'other is':<24} | {'Soma better by':>14} |")
    print(f"|{'-' * 60}|{'-' * 12}|{'-' * 12}|{'-' * 26}|{'-' * 16}|")
    for name, a, b, against, ratio in rows:
        print(f"| {name:<58} | {a:>10.1f} | {b:>10.1f} | {against:<24} | {ratio:>13.2f}x |")


if __name__ == "__main__":
    main()
