#!/usr/bin/env python3
"""Kernel start-up, execute round trip and interrupt latency: Soma against xeus-python and ipykernel, through jupyter_client.

    .venv/bin/python bench/kernel_bench.py [KERNEL...]   # default: soma xpython python3

Needs the kernels' specs installed (`.build/release/soma kernelspec install --prefix .venv`; xeus-python and ipykernel
come with requirements-bench.txt). Each kernel is measured in its own process with a time limit, so a kernel that
hangs (xeus-python ignores interrupts) is reported, not waited for.
"""
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import time

import zmq
from jupyter_client.connect import write_connection_file
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session


def raw_startup(kernel_name):
    """Process start until the first kernel_info_reply, with a bare ZeroMQ client (jupyter_client polls more coarsely)."""
    spec = KernelSpecManager().get_kernel_spec(kernel_name)
    folder = tempfile.mkdtemp()
    path, info = write_connection_file(os.path.join(folder, "k.json"))
    session = Session(key=info["key"].encode())
    socket = zmq.Context.instance().socket(zmq.DEALER)
    socket.linger = 0
    socket.reconnect_ivl = 1  # libzmq retries a refused connection every 100 ms by default: that would measure the client
    socket.connect(f"tcp://{info['ip']}:{info['shell_port']}")
    start = time.perf_counter()
    argv = [a.format(connection_file=path) for a in spec.argv]
    if argv[0] in ("python", "python3", f"python3.{sys.version_info.minor}"):
        argv[0] = sys.executable  # as jupyter_client does: the kernelspec means this environment's Python
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # One request, queued by ZeroMQ until the kernel binds; asked again every 250 ms in case a kernel drops
        # requests while it starts (a flood would instead be answered one by one by a slow kernel).
        last_sent = -1.0
        while not socket.poll(1):
            now = time.perf_counter() - start
            if now > 20:
                raise TimeoutError(f"{kernel_name}: no kernel_info_reply within 20 s")
            if now - last_sent >= 0.25:
                session.send(socket, "kernel_info_request", {})
                last_sent = now
        return (time.perf_counter() - start) * 1e3
    finally:
        proc.kill()
        proc.wait()
        socket.close()


def measure(kernel_name, rounds=200, startups=7):
    start = time.perf_counter()
    km = KernelManager(kernel_name=kernel_name)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    startup = time.perf_counter() - start
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        kc.execute_interactive("1+1", timeout=10, output_hook=lambda m: None)
        times.append(time.perf_counter() - t)
    kc.execute("while True:\n    pass")
    time.sleep(0.5)
    t = time.perf_counter()
    km.interrupt_kernel()
    try:
        reply = kc.get_shell_msg(timeout=5)
        interrupt_ms, interrupt_status = (time.perf_counter() - t) * 1e3, reply["content"]["status"]
    except queue.Empty:
        interrupt_ms, interrupt_status = None, "no reply within 5 s"
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    try:
        raw = statistics.median(raw_startup(kernel_name) for _ in range(startups))
    except TimeoutError:
        raw = None  # xeus-python 6 never answers this bare client, though it answers jupyter_client
    return {"startup_raw_ms": raw, "startup_jupyter_client_ms": startup * 1e3, "roundtrip_median_ms": statistics.median(times) * 1e3,
            "interrupt_ms": interrupt_ms, "interrupt_status": interrupt_status}


def measure_in_subprocess(kernel_name, limit_s=180):
    """One kernel's figures, measured by a child process that is killed if it runs past the limit."""
    try:
        out = subprocess.run([sys.executable, __file__, "--one", kernel_name], capture_output=True, text=True, timeout=limit_s)
        return json.loads(out.stdout.strip().splitlines()[-1])
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish within {limit_s} s"}
    except (IndexError, json.JSONDecodeError):
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "no output"}


def table(results):
    def cell(r, key, fmt="{:.2f}"):
        return fmt.format(r[key]) if r.get(key) is not None else r.get("error", "no reply")
    lines = ["| kernel | start-up, bare ZeroMQ client, ms | start-up, jupyter_client ready, ms | `1+1` round trip, median ms | interrupt reply, ms |",
             "|---|---:|---:|---:|---:|"]
    for name, r in results.items():
        if r.get("interrupt_ms") is None and r.get("interrupt_status"):
            interrupt = r["interrupt_status"]
        else:
            interrupt = cell(r, "interrupt_ms") + ("" if r.get("interrupt_status") in (None, "error") else f" ({r['interrupt_status']})")
        lines.append(f"| {name} | {cell(r, 'startup_raw_ms', '{:.1f}')} | {cell(r, 'startup_jupyter_client_ms', '{:.1f}')} | "
                     f"{cell(r, 'roundtrip_median_ms')} | {interrupt} |")
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure(sys.argv[2])))
    else:
        results = {name: measure_in_subprocess(name) for name in (sys.argv[1:] or ["soma", "xpython", "python3"])}
        print(json.dumps(results, sort_keys=True))
        print(table(results))
