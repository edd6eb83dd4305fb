#!/usr/bin/env python3
"""The language-level benchmark (issue 5): the tutorials' loops written once as programs in bench/programs/, run by
`soma run` and by CPython with PyTorch, side by side, reported as ratios.

    swift build -c release --product soma && .venv/bin/python bench/lang_bench.py [--repeat N] [PROGRAM...]

Each program is written for Soma (`import soma as torch`); PyTorch's copy is the same text with `soma` mapped to
`torch` (and `from soma import datasets, transforms` to torchvision's import; where torchvision is not installed,
bench/programs/shim stands in for it). Every program times its own loop with time.perf_counter and prints one JSON
line. Each program runs --repeat times (default 3) in each system, alternating Soma and PyTorch, in a fresh process
each time; the table shows the medians.

PyTorch runs twice per repeat: with its default intra-op thread count (all cores) and with one thread
(OMP_NUM_THREADS=1). On a busy two-core machine its default threads can lose 10x or more on these small
workloads (they wait for each other while other processes hold a core), so the table compares Soma with
the faster of the two medians and names it; --torch-threads default or 1 picks one setting only.
"""
import argparse
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGRAMS = os.path.join(ROOT, "bench", "programs")
SOMA = os.path.join(ROOT, ".build", "release", "soma")

# (program, key, unit, higher is better, target ratio)
ROWS = {
    "cubic": [("cubic_step_us", "cubic fit (seed 000: Linear 1-6-1 Module, Adam, 1 sample, 10,000 steps), us/step", False, 5.0)],
    "xor": [("xor_step_us", "XOR (seed 001: 2-10-10-10-1 sigmoid, BCE, SGD, 10,001 steps), us/step", False, 5.0)],
    "fashion_epoch": [("fashion_samples_per_s", "Fashion-MNIST epoch (seed 002: ToTensor+Normalize, DataLoader), samples/s", True, 1.5)],
    "fashion_tensors": [("fashion_tensors_samples_per_s", "Fashion-MNIST epoch (pre-normalised TensorDataset), samples/s", True, None)],
}
CHECKS = {
    "cubic": ["cubic_first_loss", "cubic_grid_mse"],
    "xor": ["xor_final_cost", "xor_accuracy"],
    "fashion_epoch": ["fashion_mean_loss", "fashion_test_accuracy"],
    "fashion_tensors": ["fashion_tensors_test_accuracy"],
}


def torch_source(source):
    source = re.sub(r"^from soma import datasets, transforms$", "from torchvision import datasets, transforms", source, flags=re.M)
    source = re.sub(r"^from soma import datasets$", "from torchvision import datasets", source, flags=re.M)
    return re.sub(r"\bsoma\b", "torch", source)


def run_json(cmd, env=None):
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("LANG_BENCH_REPEAT", "3")))
    parser.add_argument("--torch-threads", choices=["best", "default", "1"], default="best")
    parser.add_argument("programs", nargs="*", default=list(ROWS))
    args = parser.parse_args()
    env = dict(os.environ)
    if importlib.util.find_spec("torchvision") is None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [os.path.join(PROGRAMS, "shim"), env.get("PYTHONPATH")]))
    one_thread = dict(env, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    settings = {"best": [("torch", env), ("torch 1 thread", one_thread)], "default": [("torch", env)],
                "1": [("torch 1 thread", one_thread)]}[args.torch_threads]
    tmp = tempfile.mkdtemp(prefix="soma-lang-bench-")
    table = []
    for name in args.programs:
        path = os.path.join(PROGRAMS, name + ".py")
        torch_path = os.path.join(tmp, name + ".py")
        with open(path) as f, open(torch_path, "w") as g:
            g.write(torch_source(f.read()))
        runs = {"soma": []} | {label: [] for label, _ in settings}
        for _ in range(args.repeat):
            runs["soma"].append(run_json([SOMA, "run", path]))
            for label, setting in settings:
                runs[label].append(run_json([sys.executable, torch_path], setting))
        for system, results in runs.items():
            checks = {k: [round(r[k], 4) for r in results] for k in CHECKS[name]}
            print(f"{name} {system}: " + ", ".join(f"{k} {v}" for k, v in checks.items()), file=sys.stderr)
        for key, label, higher, target in ROWS[name]:
            s = statistics.median(r[key] for r in runs["soma"])
            medians = {system: statistics.median(r[key] for r in runs[system]) for system, _ in settings}
            best = (max if higher else min)(medians, key=medians.get)
            t = medians[best]
            ratio = s / t if higher else t / s
            spread = "; ".join(f"{system}: " + ", ".join(f"{r[key]:.1f}" for r in results) for system, results in runs.items())
            met = "" if target is None else (f"yes (>= {target}x)" if ratio >= target else f"NO (< {target}x)")
            table.append((label, s, t, best, ratio, met, spread))
    print(f"\nmedians of {args.repeat} runs each (every run in the last column)\n")
    print("| workload | Soma | PyTorch | PyTorch setting | Soma better by | target met | runs |")
    print("|---|---:|---:|---|---:|---|---|")
    for label, s, t, best, ratio, met, spread in table:
        print(f"| {label} | {s:.1f} | {t:.1f} | {best} | {ratio:.2f}x | {met} | {spread} |")


if __name__ == "__main__":
    main()
