#!/usr/bin/env python3
"""Kernel start-up, execute round trip and interrupt latency: Soma against xeus-python and ipykernel, through jupyter_client.

    .venv/bin/python bench/kernel_bench.py     # needs the soma kernelspec installed (make lab, or Tests/jupyter's conftest)
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
    socket.connect(f"tcp://{info['ip']}:{info['shell_port']}")
    start = time.perf_counter()
    proc = subprocess.Popen([a.format(connection_file=path) for a in spec.argv], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not socket.poll(5):  # ask again every 5 ms: a kernel may drop requests that arrive while it starts
            if time.perf_counter() - start > 30:
                raise TimeoutError(f"{kernel_name}: no kernel_info_reply within 30 s")
            session.send(socket, "kernel_info_request", {})
        return (time.perf_counter() - start) * 1e3
    finally:
        proc.kill()
        proc.wait()
        socket.close()


def measure(kernel_name, rounds=200):
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
    return {"startup_raw_ms": raw_startup(kernel_name), "startup_jupyter_client_ms": startup * 1e3, "roundtrip_median_ms": statistics.median(times) * 1e3,
            "interrupt_ms": interrupt_ms, "interrupt_status": interrupt_status}


if __name__ == "__main__":
    out = {name: measure(name) for name in (sys.argv[1:] or ["soma", "xpython", "python3"])}
    print(json.dumps(out, sort_keys=True))
