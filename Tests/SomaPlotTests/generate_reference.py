"""Records SomaPlot's oracles once: numpy.histogram bins and counts, tqdm's format_meter lines and format_num.

Run with a Python that has numpy and tqdm (a scratch venv: `python3 -m venv /tmp/v && /tmp/v/bin/pip install numpy tqdm`):
    /tmp/v/bin/python Tests/SomaPlotTests/generate_reference.py
It writes Tests/SomaPlotTests/Data/reference.json.
"""
import json
import os

import numpy as np
import tqdm
from tqdm import tqdm as T

rng = np.random.default_rng(7)
hist_cases = []
datasets = {
    "normal": rng.normal(0.0, 1.0, 500).tolist(),
    "uniform": rng.uniform(-3.0, 7.0, 200).tolist(),
    "integers": [0, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4],
    "constant": [5.0] * 7,
    "tiny": (rng.normal(0, 1, 50) * 1e-9).tolist(),
    "huge": (rng.uniform(0, 1, 50) * 1e12).tolist(),
    "thirds": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
    "single": [3.25],
}
for name, data in datasets.items():
    for bins in (1, 3, 10, 7, 30):
        counts, edges = np.histogram(np.array(data), bins=bins)
        hist_cases.append({"name": name, "data": data, "bins": bins, "counts": counts.tolist(), "edges": edges.tolist()})
counts, edges = np.histogram(np.array(datasets["uniform"]), bins=5, range=(-2.0, 4.0))
hist_cases.append({"name": "uniform-range", "data": datasets["uniform"], "bins": 5, "range": [-2.0, 4.0],
                   "counts": counts.tolist(), "edges": edges.tolist()})
explicit = []
for e in ([-3, -1, 0, 1, 3], [0, 0.5, 2, 2.5, 8]):
    counts, edges = np.histogram(np.array(datasets["uniform"]), bins=np.array(e, dtype=float))
    explicit.append({"edges": [float(x) for x in e], "data": datasets["uniform"], "counts": counts.tolist()})

meter_cases = []
for kw in [
    dict(n=450, total=1000, elapsed=2.5, prefix="desc", postfix="loss=0.123"),
    dict(n=0, total=1000, elapsed=0, prefix=""),
    dict(n=0, total=100, elapsed=1.0, prefix="train"),
    dict(n=1, total=3, elapsed=0.4),
    dict(n=999, total=1000, elapsed=3723.0, prefix="Epoch 1: "),
    dict(n=1000, total=1000, elapsed=5.55, prefix="Epoch 1", postfix="loss=0.0123, acc=0.987"),
    dict(n=450, total=None, elapsed=2.5, prefix="desc"),
    dict(n=12, total=None, elapsed=30.0),
    dict(n=7, total=60000, elapsed=12.0, prefix="slow"),
    dict(n=33, total=100, elapsed=1.0, ncols=60, prefix="w"),
    dict(n=66, total=100, elapsed=1.0, ncols=80, ascii=True),
    dict(n=5, total=10, elapsed=1.0, ncols=0, prefix="nb"),
    dict(n=12, total=10, elapsed=1.0),
    dict(n=3, total=8, elapsed=2.0, rate=0.5, unit="batch"),
]:
    line = T.format_meter(**kw)
    meter_cases.append({"args": kw, "line": line})

numbers = [0.123456, 0.5, 1e-5, 12345.678, 2.0, 100.0, 0.000123456, 1234567.0, 3, 12345, 0.1, 1e16]
num_cases = [{"value": v, "isInt": isinstance(v, int), "text": T.format_num(v)} for v in numbers]

intervals = [(t, T.format_interval(t)) for t in (0, 0.9, 59.99, 61, 3599, 3600, 3723.5, 86400 * 2 + 5)]

out = {
    "numpy": np.__version__, "tqdm": tqdm.__version__,
    "histograms": hist_cases, "explicit_histograms": explicit,
    "meters": meter_cases, "numbers": num_cases,
    "intervals": [{"t": t, "text": s} for t, s in intervals],
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Data", "reference.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
print("wrote", path)
