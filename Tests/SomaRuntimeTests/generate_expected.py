#!/usr/bin/env python3
"""The oracle for RuntimeProgramTests, from CPython with PyTorch (imports of `soma` mapped to `torch`):

- every program in Programs/ runs and its output is recorded as Programs/NAME.expected;
- Errors/errors.py is split at its `# --- case: NAME` lines; the part before the first case runs once, then
  each case runs in the same globals, and the exception it raises is recorded in Errors/errors.expected.json
  as `Type: message` with the case's line (counted from the case's first line) that the traceback ends at.

    pip install torch==2.13.0+cpu && python3 Tests/SomaRuntimeTests/generate_expected.py
"""
import glob
import json
import os
import re
import subprocess
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
CASE = re.compile(r"^# --- case: (.*)$", re.M)


def torch_source(source):
    return re.sub(r"\bsoma\b", "torch", source)


for path in sorted(glob.glob(os.path.join(HERE, "Programs", "*.py"))):
    source = torch_source(open(path).read())
    out = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, check=True).stdout
    with open(path[:-3] + ".expected", "w") as f:
        f.write(out)
    print(os.path.basename(path), len(out.splitlines()), "lines")


def split_cases(source):
    """The setup chunk and (name, chunk) per case."""
    parts = CASE.split(source)
    return parts[0], list(zip(parts[1::2], parts[2::2]))


errors_path = os.path.join(HERE, "Errors", "errors.py")
setup, cases = split_cases(torch_source(open(errors_path).read()))
namespace = {}
exec(compile(setup, "<setup>", "exec"), namespace)
results = []
for name, chunk in cases:
    cell = "<case>"
    try:
        exec(compile(chunk, cell, "exec"), namespace)
    except Exception as e:
        line = [frame.lineno for frame in traceback.extract_tb(e.__traceback__) if frame.filename == cell][-1]
        results.append({"case": name, "line": line, "error": f"{type(e).__name__}: {e}"})
    else:
        sys.exit(f"case {name!r} raised nothing")
with open(os.path.join(HERE, "Errors", "errors.expected.json"), "w") as f:
    json.dump(results, f, indent=1, ensure_ascii=False)
    f.write("\n")
print("errors.py", len(results), "cases")
