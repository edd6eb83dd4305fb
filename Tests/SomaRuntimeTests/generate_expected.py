#!/usr/bin/env python3
"""Runs every program in Programs/ under CPython with PyTorch (imports of `soma` mapped to `torch`) and
records its output as Programs/NAME.expected: the oracle for RuntimeProgramTests.

    pip install torch==2.13.0+cpu && python3 Tests/SomaRuntimeTests/generate_expected.py
"""
import glob
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

for path in sorted(glob.glob(os.path.join(HERE, "Programs", "*.py"))):
    source = open(path).read()
    source = re.sub(r"\bsoma\b", "torch", source)
    out = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, check=True).stdout
    with open(path[:-3] + ".expected", "w") as f:
        f.write(out)
    print(os.path.basename(path), len(out.splitlines()), "lines")
