"""JupyterLab as `make lab` starts it, on notebooks/: it lists the Soma kernel and the notebooks (in JupyterLab and
Notebook 7), and runs a cell through its REST API and kernel WebSocket, as the browser does."""
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest
from tornado.websocket import websocket_connect

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOKEN = uuid.uuid4().hex


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab():
    port = free_port()
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--notebook-dir=" + os.path.join(ROOT, "notebooks"),
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={TOKEN}", "--ip=127.0.0.1"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            api(base, "/api/status")
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("JupyterLab did not start: " + server.stderr.read().decode()[-2000:])
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=30)


def api(base, path, method="GET", body=None):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode()
        return json.loads(text) if response.headers.get_content_type() == "application/json" and text else text


def test_lab_serves_the_soma_kernel_and_the_notebooks(lab):
    specs = api(lab, "/api/kernelspecs")
    assert specs["kernelspecs"]["soma"]["spec"]["display_name"] == "Soma"
    assert specs["kernelspecs"]["soma"]["spec"]["language"] == "python"
    names = {item["name"] for item in api(lab, "/api/contents")["content"]}
    assert {os.path.basename(p) for p in os.listdir(os.path.join(ROOT, "notebooks")) if p.endswith(".ipynb")} <= names
    assert "JupyterLab" in api(lab, "/lab")
    # Notebook 7 is served by the same server: its file browser and a notebook page
    assert "Jupyter Notebook" in api(lab, "/tree")
    assert "Jupyter Notebook" in api(lab, "/notebooks/01_backprop_and_xor.ipynb")


def test_lab_runs_a_cell_over_the_kernel_websocket(lab):
    kernel = api(lab, "/api/kernels", method="POST", body={"name": "soma"})
    try:
        outputs = asyncio.run(execute_over_websocket(lab, kernel["id"], "import soma as torch\ntorch.ones(2, 3).sum().item() * 7"))
        assert outputs == ["42.0"]
    finally:
        api(lab, f"/api/kernels/{kernel['id']}", method="DELETE")


async def execute_over_websocket(base, kernel_id, code):
    """Sends an execute_request as JupyterLab does (JSON over the kernel's channels WebSocket); returns its results."""
    url = base.replace("http", "ws") + f"/api/kernels/{kernel_id}/channels?token={TOKEN}"
    ws = await websocket_connect(url)
    msg_id = uuid.uuid4().hex
    ws.write_message(json.dumps({
        "channel": "shell", "parent_header": {}, "metadata": {}, "buffers": [],
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test", "session": uuid.uuid4().hex,
                   "version": "5.3", "date": ""},
        "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False,
                    "stop_on_error": True}}))
    results, deadline = [], time.monotonic() + 60
    while time.monotonic() < deadline:
        msg = json.loads(await asyncio.wait_for(ws.read_message(), timeout=60))
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "execute_result":
            results.append(msg["content"]["data"]["text/plain"])
        if msg["msg_type"] == "error":
            results.append("error: " + msg["content"]["evalue"])
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    ws.close()
    return results
