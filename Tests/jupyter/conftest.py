"""Installs the Soma kernelspec of this checkout's build into a temporary Jupyter path for the tests."""
import os
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOMA = os.environ.get("SOMA_BINARY", os.path.join(ROOT, ".build", "debug", "soma"))

_prefix = tempfile.mkdtemp(prefix="soma-jupyter-")
subprocess.run([SOMA, "kernelspec", "install", "--prefix", _prefix], check=True, capture_output=True)
os.environ["JUPYTER_PATH"] = os.path.join(_prefix, "share", "jupyter")
os.environ.setdefault("JUPYTER_DATA_DIR", os.path.join(_prefix, "data"))
