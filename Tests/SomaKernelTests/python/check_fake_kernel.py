"""jupyter_kernel_test's strict message validator against an already running Soma kernel.

Run by KernelPythonTests (swift test) when a Python with jupyter_client and jupyter_kernel_test
is available: the Swift test starts a kernel with the fake backend in-process, writes its
connection file and runs this script with SOMA_CONNECTION_FILE pointing at it.
"""
import os
import sys
import time
import unittest

import jupyter_kernel_test as jkt
from jupyter_client import BlockingKernelClient

CONNECTION_FILE = os.environ["SOMA_CONNECTION_FILE"]


def connect() -> BlockingKernelClient:
    kc = BlockingKernelClient(connection_file=CONNECTION_FILE)
    kc.load_connection_file()
    kc.start_channels()
    kc.wait_for_ready(timeout=10)
    return kc


class FakeBackendKernelTests(jkt.KernelTests):
    """Every sample of jupyter_kernel_test, in the fake backend's command language."""

    kernel_name = "soma-fake"
    language_name = "python"
    file_extension = ".py"
    code_hello_world = "print hello, world"
    code_stderr = "eprint oops"
    completion_samples = [{"text": "prin", "matches": {"print", "printn"}}]
    complete_code_samples = ["print 1", "set x 1"]
    incomplete_code_samples = ["def f():"]
    invalid_code_samples = ["$"]
    code_page_something = "help tensor"
    code_generate_error = "raise ValueError boom"
    code_execute_result = [{"code": "set x 42\nget x", "result": "42"}]
    code_display_data = [{"code": "display hi", "mime": "text/plain"}, {"code": "display hi", "mime": "text/html"}]
    code_history_pattern = "set x*"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "print"
    code_clear_output = "clear"

    @classmethod
    def setUpClass(cls) -> None:
        cls.kc = connect()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.kc.stop_channels()


class WelcomeAndClientTests(unittest.TestCase):
    def test_iopub_welcome_is_first(self) -> None:
        kc = BlockingKernelClient(connection_file=CONNECTION_FILE)
        kc.load_connection_file()
        kc.start_channels()
        try:
            msg = kc.get_iopub_msg(timeout=5)
            self.assertEqual(msg["msg_type"], "iopub_welcome")
            self.assertEqual(msg["content"]["subscription"], "")
        finally:
            kc.stop_channels()

    def test_execute_interactive_stdin_and_interrupt(self) -> None:
        kc = connect()
        try:
            outputs = []
            reply = kc.execute_interactive("input name: ", allow_stdin=True,
                                           stdin_hook=lambda m: kc.input("Ada"),
                                           output_hook=lambda m: outputs.append(m), timeout=10)
            self.assertEqual(reply["content"]["status"], "ok")
            self.assertIn("got: Ada\n", [m["content"].get("text") for m in outputs])
            msg_id = kc.execute("loop")
            time.sleep(0.2)
            start = time.monotonic()
            kc.control_channel.send(kc.session.msg("interrupt_request", {}))
            reply = kc.get_shell_msg(timeout=5)
            self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
            self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")
            self.assertLess(time.monotonic() - start, 1.0)
        finally:
            kc.stop_channels()

    def test_ten_thousand_lines(self) -> None:
        kc = connect()
        try:
            text = []
            reply = kc.execute_interactive("printn 10000", timeout=20,
                                           output_hook=lambda m: text.append(m["content"].get("text", "")))
            self.assertEqual(reply["content"]["status"], "ok")
            self.assertEqual("".join(text), "".join(f"line {i}\n" for i in range(10000)))
        finally:
            kc.stop_channels()


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() and not result.skipped else 1)
