#!/usr/bin/env python3
"""Kernel start-up, execute round trip and interrupt latency: Soma against xeus-python and ipykernel, through jupyter_client.

    .venv/bin/python bench/kernel_bench.py [--repeat N] [--floor] [KERNEL...]   # default: soma xpython python3

Needs the kernels' specs installed (`.build/release/soma kernelspec install --prefix .venv`; xeus-python and ipykernel
come with requirements-bench.txt). Each kernel is measured in its own process with a time limit, so a kernel that
hangs (xeus-python ignores interrupts) is reported, not waited for. `--repeat N` measures the kernels N times in
turn (this machine is shared: interleaved runs see the same load) and gives each figure's median and range.

The round trip is measured twice: through jupyter_client's `execute_interactive`, and with a bare ZeroMQ client
(send the request, wait for the reply and the idle status) that shows the kernel's own share. `--floor` adds
`echo-floor`, a stand-in kernel written in C (compiled here with cc, libzmq and OpenSSL) that answers `1+1` at once
without running anything: its round trips are what the client and the transport cost by themselves.
"""
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import time

import shutil

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


def raw_roundtrips(info, rounds):
    """`1+1` with a bare ZeroMQ client: send execute_request, wait for the reply and the idle status; seconds each."""
    ctx = zmq.Context.instance()
    shell = ctx.socket(zmq.DEALER)
    iopub = ctx.socket(zmq.SUB)
    iopub.setsockopt(zmq.SUBSCRIBE, b"")
    for s in (shell, iopub):
        s.linger = 0
    shell.connect(f"tcp://{info['ip']}:{info['shell_port']}")
    iopub.connect(f"tcp://{info['ip']}:{info['iopub_port']}")
    time.sleep(0.5)  # the subscription reaches the kernel
    session = Session(key=info["key"])
    content = {"code": "1+1", "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False,
               "stop_on_error": True}
    times = []
    try:
        for _ in range(rounds):
            msg = session.msg("execute_request", content)
            frames = session.serialize(msg)
            msg_id = msg["header"]["msg_id"].encode()
            t = time.perf_counter()
            shell.send_multipart(frames)
            got_reply = got_idle = False
            while not (got_reply and got_idle):
                if not zmq.select([shell, iopub], [], [], 5)[0]:
                    raise TimeoutError("no reply within 5 s")
                while not got_reply and shell.poll(0):
                    shell.recv_multipart()
                    got_reply = True
                while not got_idle and iopub.poll(0):
                    f = iopub.recv_multipart()
                    got_idle = b'"idle"' in f[-1] and msg_id in f[-3]
            times.append(time.perf_counter() - t)
    finally:
        shell.close()
        iopub.close()
    return times


def measure(kernel_name, rounds=200, startups=7, raw_rounds=1000):
    floor = kernel_name == "echo-floor"
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
    try:
        raw_rt = statistics.median(raw_roundtrips(km.get_connection_info(), raw_rounds)) * 1e3
    except TimeoutError:
        raw_rt = None
    if floor:  # the stand-in runs nothing: only its round trips mean something
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        return {"roundtrip_median_ms": statistics.median(times) * 1e3, "roundtrip_raw_median_ms": raw_rt}
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
            "roundtrip_raw_median_ms": raw_rt, "interrupt_ms": interrupt_ms, "interrupt_status": interrupt_status}


def measure_in_subprocess(kernel_name, limit_s=180, env=None):
    """One kernel's figures, measured by a child process that is killed if it runs past the limit."""
    try:
        out = subprocess.run([sys.executable, __file__, "--one", kernel_name], capture_output=True, text=True, timeout=limit_s,
                             env=env)
        return json.loads(out.stdout.strip().splitlines()[-1])
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish within {limit_s} s"}
    except (IndexError, json.JSONDecodeError):
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "no output"}


ECHO_FLOOR_C = r"""
/* A stand-in kernel that answers at once (busy, execute_input, execute_result "2", reply, idle; no code runs):
   the floor a client sees. Single-threaded, libzmq and OpenSSL only. */
#include <zmq.h>
#include <openssl/hmac.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/time.h>
#include <unistd.h>

static char key[256], ip[64], transport[16];
static int ports[5]; /* shell iopub stdin control hb */
static const char *names[5] = {"shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"};
static char session[40];
static unsigned long counter;

static void field(const char *json, const char *name, char *out, size_t n) {
    char pat[64]; snprintf(pat, sizeof pat, "\"%s\"", name);
    const char *p = strstr(json, pat); out[0] = 0; if (!p) return;
    p = strchr(p + strlen(pat), ':') + 1; while (*p == ' ') p++;
    if (*p == '"') { p++; size_t i = 0; while (*p && *p != '"' && i + 1 < n) out[i++] = *p++; out[i] = 0; }
    else { size_t i = 0; while (*p && *p != ',' && *p != '}' && i + 1 < n) out[i++] = *p++; out[i] = 0; }
}

typedef struct { char *data; size_t len; } buf;
static void sendframes(void *s, buf *f, int n) { for (int i = 0; i < n; i++) zmq_send(s, f[i].data, f[i].len, i < n - 1 ? ZMQ_SNDMORE : 0); }

static void sign(buf *parts, char *hex) {
    size_t n = 0;
    for (int i = 0; i < 4; i++) n += parts[i].len;
    unsigned char *all = malloc(n + 1), mac[32];
    unsigned int len = 32;
    n = 0;
    for (int i = 0; i < 4; i++) { memcpy(all + n, parts[i].data, parts[i].len); n += parts[i].len; }
    HMAC(EVP_sha256(), key, (int)strlen(key), all, n, mac, &len);
    free(all);
    for (int i = 0; i < 32; i++) sprintf(hex + 2 * i, "%02x", mac[i]);
}

/* ids: identity frames (routing or topic); parent: the request's header bytes */
static void send_msg(void *s, buf *ids, int nids, const char *type, buf parent, const char *content) {
    char header[512], hex[65], date[40];
    struct timeval tv; gettimeofday(&tv, NULL); struct tm tmv; gmtime_r(&tv.tv_sec, &tmv);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tmv);
    snprintf(date + strlen(date), 12, ".%06ldZ", (long)tv.tv_usec);
    snprintf(header, sizeof header, "{\"msg_id\":\"%s-%012lu\",\"session\":\"%s\",\"username\":\"echo\",\"date\":\"%s\",\"msg_type\":\"%s\",\"version\":\"5.3\"}",
             session, ++counter, session, date, type);
    buf parts[4] = {{header, strlen(header)}, parent, {"{}", 2}, {(char *)content, strlen(content)}};
    sign(parts, hex);
    buf f[16]; int n = 0;
    for (int i = 0; i < nids; i++) f[n++] = ids[i];
    f[n++] = (buf){"<IDS|MSG>", 9}; f[n++] = (buf){hex, 64};
    for (int i = 0; i < 4; i++) f[n++] = parts[i];
    sendframes(s, f, n);
}

static void status(void *pub, buf parent, const char *state) {
    char c[64]; snprintf(c, sizeof c, "{\"execution_state\":\"%s\"}", state);
    buf topic = {"kernel.echo.status", 18};
    send_msg(pub, &topic, 1, "status", parent, c);
}

int main(int argc, char **argv) {
    FILE *fp = fopen(argv[1], "r"); static char conn[4096]; size_t n = fread(conn, 1, sizeof conn - 1, fp); conn[n] = 0; fclose(fp);
    field(conn, "key", key, sizeof key); field(conn, "ip", ip, sizeof ip); field(conn, "transport", transport, sizeof transport);
    for (int i = 0; i < 5; i++) { char v[16]; field(conn, names[i], v, sizeof v); ports[i] = atoi(v); }
    snprintf(session, sizeof session, "echo%08x", (unsigned)getpid());
    void *ctx = zmq_ctx_new();
    int types[5] = {ZMQ_ROUTER, ZMQ_PUB, ZMQ_ROUTER, ZMQ_ROUTER, ZMQ_REP};
    void *s[5];
    for (int i = 0; i < 5; i++) {
        char ep[128]; s[i] = zmq_socket(ctx, types[i]);
        snprintf(ep, sizeof ep, "%s://%s:%d", transport, ip, ports[i]);
        if (zmq_bind(s[i], ep)) { perror(ep); return 1; }
    }
    static char frames[32][65536]; size_t lens[32];
    for (;;) {
        zmq_pollitem_t items[3] = {{s[0], 0, ZMQ_POLLIN, 0}, {s[3], 0, ZMQ_POLLIN, 0}, {s[4], 0, ZMQ_POLLIN, 0}};
        zmq_poll(items, 3, -1);
        if (items[2].revents) { int l = zmq_recv(s[4], frames[0], 65536, 0); zmq_send(s[4], frames[0], l, 0); }
        for (int k = 0; k < 2; k++) {
            if (!items[k].revents) continue;
            void *sock = s[k == 0 ? 0 : 3];
            int nf = 0, more = 1;
            while (more && nf < 32) {
                int l = zmq_recv(sock, frames[nf], 65535, 0); lens[nf] = l < 0 ? 0 : (l > 65535 ? 65535 : l); frames[nf][lens[nf]] = 0; nf++;
                size_t sz = sizeof more; zmq_getsockopt(sock, ZMQ_RCVMORE, &more, &sz);
            }
            int d = 0; while (d < nf && !(lens[d] == 9 && !memcmp(frames[d], "<IDS|MSG>", 9))) d++;
            if (d + 5 >= nf + 1) continue;
            buf ids[8]; for (int i = 0; i < d && i < 8; i++) ids[i] = (buf){frames[i], lens[i]};
            buf parent = {frames[d + 2], lens[d + 2]};
            char type[64]; field(frames[d + 2], "msg_type", type, sizeof type);
            status(s[1], parent, "busy");
            if (!strcmp(type, "execute_request")) {
                buf t1 = {"kernel.echo.execute_input", 25}, t2 = {"kernel.echo.execute_result", 26};
                char code[1024]; field(frames[d + 5], "code", code, sizeof code);
                char c[1200]; snprintf(c, sizeof c, "{\"code\":\"%s\",\"execution_count\":1}", code);
                send_msg(s[1], &t1, 1, "execute_input", parent, c);
                send_msg(s[1], &t2, 1, "execute_result", parent, "{\"execution_count\":1,\"data\":{\"text/plain\":\"2\"},\"metadata\":{}}");
                send_msg(sock, ids, d, "execute_reply", parent, "{\"status\":\"ok\",\"execution_count\":1,\"payload\":[],\"user_expressions\":{}}");
            } else if (!strcmp(type, "kernel_info_request")) {
                send_msg(sock, ids, d, "kernel_info_reply", parent, "{\"status\":\"ok\",\"protocol_version\":\"5.3\",\"implementation\":\"echo\",\"implementation_version\":\"0\",\"language_info\":{\"name\":\"echo\",\"version\":\"0\",\"mimetype\":\"text/plain\",\"file_extension\":\".txt\"},\"banner\":\"\",\"help_links\":[]}");
            } else if (!strcmp(type, "shutdown_request")) {
                send_msg(sock, ids, d, "shutdown_reply", parent, "{\"status\":\"ok\",\"restart\":false}");
                status(s[1], parent, "idle");
                return 0;
            } else {
                char rt[80]; snprintf(rt, sizeof rt, "%.*s_reply", (int)(strlen(type) > 8 ? strlen(type) - 8 : 0), type);
                send_msg(sock, ids, d, rt, parent, "{\"status\":\"ok\"}");
            }
            status(s[1], parent, "idle");
        }
    }
}
"""


def build_echo_floor():
    """Compiles the stand-in kernel and writes its kernelspec; returns the Jupyter path folder that holds it, or None."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        print("--floor: no C compiler; echo-floor skipped", file=sys.stderr)
        return None
    folder = tempfile.mkdtemp(prefix="echo-floor-")
    with open(os.path.join(folder, "echo_floor.c"), "w") as f:
        f.write(ECHO_FLOOR_C)
    binary = os.path.join(folder, "echo_floor")
    built = subprocess.run([cc, "-O2", "-o", binary, os.path.join(folder, "echo_floor.c"), "-lzmq", "-lcrypto"],
                           capture_output=True, text=True)
    if built.returncode != 0:
        print(f"--floor: cannot build echo-floor (needs libzmq3-dev and libssl-dev):\n{built.stderr}", file=sys.stderr)
        return None
    spec = os.path.join(folder, "kernels", "echo-floor")
    os.makedirs(spec)
    with open(os.path.join(spec, "kernel.json"), "w") as f:
        json.dump({"argv": [binary, "{connection_file}"], "display_name": "echo floor", "language": "text"}, f)
    return folder


def cell(r, key, fmt="{:.2f}"):
    if r.get(key) is None:
        return r.get("error", "no reply")
    low, high = r.get(key + "_range", (r[key], r[key]))
    return fmt.format(r[key]) + (f" ({fmt.format(low)}–{fmt.format(high)})" if low != high else "")


def table(results):
    lines = ["| kernel | start-up, bare ZeroMQ client, ms | start-up, jupyter_client ready, ms | `1+1` round trip, median ms "
             "| `1+1` round trip, bare ZeroMQ client, median ms | interrupt reply, ms |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, r in results.items():
        if r.get("interrupt_ms") is None and r.get("interrupt_status"):
            interrupt = r["interrupt_status"]
        else:
            interrupt = cell(r, "interrupt_ms") + ("" if r.get("interrupt_status") in (None, "error") else f" ({r['interrupt_status']})")
        if name == "echo-floor":
            lines.append(f"| {name} | – | – | {cell(r, 'roundtrip_median_ms')} | {cell(r, 'roundtrip_raw_median_ms', '{:.3f}')} | – |")
            continue
        lines.append(f"| {name} | {cell(r, 'startup_raw_ms', '{:.1f}')} | {cell(r, 'startup_jupyter_client_ms', '{:.1f}')} | "
                     f"{cell(r, 'roundtrip_median_ms')} | {cell(r, 'roundtrip_raw_median_ms', '{:.3f}')} | {interrupt} |")
    return "\n".join(lines)


def summary(runs):
    """Each figure over repeated runs: median and range."""
    merged = {}
    for name in runs[0]:
        merged[name] = {}
        for key in ("startup_raw_ms", "startup_jupyter_client_ms", "roundtrip_median_ms", "roundtrip_raw_median_ms", "interrupt_ms"):
            values = sorted(r[name][key] for r in runs if r[name].get(key) is not None)
            if values:
                merged[name][key] = statistics.median(values)
                merged[name][key + "_range"] = [values[0], values[-1]]
        statuses = {r[name].get("interrupt_status") for r in runs} - {None}
        if statuses:
            merged[name]["interrupt_status"] = "/".join(sorted(statuses))
        if not merged[name]:
            merged[name]["error"] = runs[-1][name].get("error", "no reply")
    return merged


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--one"]:
        print(json.dumps(measure(args[1])))
        sys.exit(0)
    repeat = 1
    if "--repeat" in args:
        i = args.index("--repeat")
        repeat = int(args[i + 1])
        del args[i:i + 2]
    names = [a for a in args if a != "--floor"] or ["soma", "xpython", "python3"]
    env = None
    if "--floor" in args:
        folder = build_echo_floor()
        if folder:
            names.append("echo-floor")
            env = dict(os.environ, JUPYTER_PATH=os.pathsep.join(p for p in (folder, os.environ.get("JUPYTER_PATH")) if p))
    runs = []
    for i in range(repeat):
        runs.append({name: measure_in_subprocess(name, env=env) for name in names})
        if repeat > 1:
            print(f"run {i + 1}:", json.dumps(runs[-1], sort_keys=True), flush=True)
    results = runs[0] if repeat == 1 else summary(runs)
    print(json.dumps(results, sort_keys=True))
    print(table(results))
