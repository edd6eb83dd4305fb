#!/usr/bin/env python3
"""Runs Soma's benchmarks and PyTorch's side by side on this machine and prints the ratios.

    make bench          # or: swift build -c release --product soma-bench && .venv/bin/python bench/run.py
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_json(cmd):
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout.strip().splitlines()[-1])


def main():
    soma = run_json([os.path.join(ROOT, ".build", "release", "soma-bench")])
    torch = run_json([sys.executable, os.path.join(ROOT, "bench", "tensor_torch.py")])
    rows = [
        ("GEMM 1024x1024 (GFLOP/s)", soma["soma_gflops"], soma["openblas_gflops"], "vs OpenBLAS", soma["soma_gflops"] / soma["openblas_gflops"]),
        ("GEMM 1024x1024, both transposed (GFLOP/s)", soma["soma_transposed_gflops"], soma["openblas_gflops"], "vs OpenBLAS",
         soma["soma_transposed_gflops"] / soma["openblas_gflops"]),
        ("GEMM 1024x1024 (GFLOP/s)", soma["soma_gflops"], torch["torch_gflops"], "vs PyTorch", soma["soma_gflops"] / torch["torch_gflops"]),
        ("1x6 add, autograd on (ns/op)", soma["add_autograd_ns"], torch["add_autograd_ns"], "vs PyTorch",
         torch["add_autograd_ns"] / soma["add_autograd_ns"]),
        ("1x6 add, no_grad (ns/op)", soma["add_nograd_ns"], torch["add_nograd_ns"], "vs PyTorch",
         torch["add_nograd_ns"] / soma["add_nograd_ns"]),
        ("MLP 784-128-64-10 fwd+bwd+SGD, batch 64 (samples/s)", soma["mlp_samples_per_s"], torch["mlp_samples_per_s"], "vs PyTorch",
         soma["mlp_samples_per_s"] / torch["mlp_samples_per_s"]),
    ]
    print(f"| {'workload':<52} | {'Soma':>10} | {'other':>10} | {'against':<11} | {'speed-up':>8} |")
    print(f"|{'-' * 54}|{'-' * 12}|{'-' * 12}|{'-' * 13}|{'-' * 10}|")
    for name, a, b, against, ratio in rows:
        print(f"| {name:<52} | {a:>10.1f} | {b:>10.1f} | {against:<11} | {ratio:>7.2f}x |")


if __name__ == "__main__":
    main()
