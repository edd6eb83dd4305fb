"""`jupyter console --kernel soma` driven through a pseudo-terminal, as a person would use it."""
import os
import sys
import time

import pexpect

JUPYTER = os.path.join(os.path.dirname(sys.executable), "jupyter")
ANSI = r"(?:\x1b\[[0-9;?]*[A-Za-z])*"


def prompt(n):
    """The `In [n]: ` prompt, whatever colour codes prompt_toolkit puts around its parts."""
    return "In " + ANSI + r"\[" + ANSI + str(n) + ANSI + r"\]" + ANSI + ": "


def test_console_multiline_def_output_interrupt_and_exit():
    child = pexpect.spawn(JUPYTER, ["console", "--kernel", "soma"], encoding="utf-8", timeout=30, dimensions=(40, 200),
                          env={**os.environ, "TERM": "xterm"})
    try:
        child.expect(prompt(1))
        child.send("def double(x):\r")          # is_complete says incomplete: the console continues the cell
        time.sleep(0.5)
        child.send("return 2 * x\r")            # the console indents the body itself
        time.sleep(0.5)
        child.send("\r")                         # a blank line ends the block and runs the cell
        child.expect(prompt(2))
        child.send("print(double(21))\r")
        child.expect("42")
        child.expect(prompt(3))
        child.send("while True: pass\r")
        time.sleep(1.5)
        child.sendintr()
        child.expect("KeyboardInterrupt", timeout=10)
        child.expect(prompt(4))
        child.send("print(double(5))\r")
        child.expect("10")
        child.expect(prompt(5))
        child.send("exit\r")
        child.expect(pexpect.EOF, timeout=20)
    finally:
        child.close(force=True)
