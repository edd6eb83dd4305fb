"""Regenerates Programs/*.out from CPython: stdout, then the traceback's last line when the program fails."""
import pathlib
import subprocess
import sys

here = pathlib.Path(__file__).parent / "Programs"
for program in sorted(here.glob("*.py")):
    run = subprocess.run([sys.executable, program.name], cwd=here, capture_output=True, text=True)
    out = run.stdout
    if run.returncode != 0:
        out += run.stderr.strip().splitlines()[-1] + "\n"
    program.with_suffix(".out").write_text(out)
    print(program.name, "fails" if run.returncode else "ok")
