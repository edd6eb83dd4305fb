#!/usr/bin/env python3
"""The language's interpreter against CPython: the same programs (bench/interpreter/*.py) run by `soma run` and by
this Python, side by side, each program timing its own loop and printing `RESULT <figure>` (lower is better).

    swift build -c release --product soma && .venv/bin/python bench/interp_bench.py [--repeat N]

Each program runs N times (default 3) per implementation, Soma and CPython in turn. The table gives each one's best
run and, as the speed ratio, the median over the N pairs of adjacent runs: on a shared machine whose speed drifts
(by half, over seconds), runs next to each other see the same spell, where the best runs of each may not.
"""
import argparse
import glob
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOMA = os.path.join(ROOT, ".build", "release", "soma")
UNITS = {"loop.py": "ns/iteration", "fib.py": "ms per fib(27)", "methods.py": "ns/method call",
         "collections_workload.py": "ms/round"}


def figure(cmd):
    """Runs a program; returns its printed figure and everything else it printed (which must agree across runs)."""
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout.splitlines()
    result = [line for line in out if line.startswith("RESULT ")]
    return float(result[-1].split()[1]), [line for line in out if not line.startswith("RESULT ")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    print(f"| workload | Soma (best) | CPython {sys.version.split()[0]} (best) | unit | Soma faster by (median of pairs) |")
    print("|---|---:|---:|---|---:|")
    for path in sorted(glob.glob(os.path.join(ROOT, "bench", "interpreter", "*.py"))):
        # Alternating runs: on a machine whose speed drifts (a shared virtual machine), both see the same spells.
        soma_runs, python_runs = [], []
        for _ in range(repeat):
            soma_runs.append(figure([SOMA, "run", path]))
            python_runs.append(figure([sys.executable, path]))
        if soma_runs[0][1] != python_runs[0][1]:
            sys.exit(f"{path}: Soma printed {soma_runs[0][1]}, CPython {python_runs[0][1]}")
        soma, python = min(r[0] for r in soma_runs), min(r[0] for r in python_runs)
        ratio = statistics.median(p[0] / s[0] for s, p in zip(soma_runs, python_runs))
        name = os.path.basename(path)
        print(f"| {name} | {soma:.1f} | {python:.1f} | {UNITS.get(name, '')} | {ratio:.2f}x |")


if __name__ == "__main__":
    main()
