"""The third-party jupyter_kernel_test suite and jupyter_client against the real Soma kernel."""
import re
import time
import unittest

import jupyter_kernel_test as jkt
from jupyter_client.manager import KernelManager, start_new_kernel


class SomaKernelTests(jkt.KernelTests):
    kernel_name = "soma"
    language_name = "python"
    file_extension = ".py"
    code_hello_world = "print('hello, world')"
    code_stderr = "import sys\nsys.stderr.write('test\\n')"
    completion_samples = [{"text": "zi", "matches": {"zip"}}]
    complete_code_samples = ["1", "print('hello, world')", "def f(x):\n    return x * 2\n\n"]
    incomplete_code_samples = ["print('''hello", "def f(x):\n    x * 2"]
    invalid_code_samples = ["import = 7q"]
    code_page_something = "help(len)"
    code_generate_error = "raise ValueError('boom')"
    code_execute_result = [{"code": "6 * 7", "result": "42"}, {"code": "import soma as torch\ntorch.tensor([1.5, 2.0])",
                                                             "result": "tensor([1.5000, 2.0000])"}]
    code_display_data = [{"code": "display(42)", "mime": "text/plain"}]
    code_history_pattern = "6*"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "zip"
    code_clear_output = "clear_output()"


class SomaIopubWelcomeTests(jkt.IopubWelcomeTests):
    kernel_name = "soma"
    support_iopub_welcome = True


class KernelSession(unittest.TestCase):
    """One Soma kernel, started through jupyter_client, shared by a class's tests."""

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name="soma")

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)


class SomaSessionTests(KernelSession):
    """State across cells, interrupts and tensor errors, through a real jupyter_client."""

    def run_cell(self, code, timeout=30):
        outputs = []
        reply = self.kc.execute_interactive(code, output_hook=outputs.append, timeout=timeout)
        return reply["content"], outputs

    def test_training_state_survives_between_cells(self):
        self.run_cell("import soma as torch\nimport soma.nn as nn\ntorch.manual_seed(0)\nmodel = nn.Linear(2, 1)")
        reply, outputs = self.run_cell("model.weight.shape")
        self.assertEqual(reply["status"], "ok")
        results = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results, ["torch.Size([1, 2])"])

    def test_shape_error_is_a_python_exception_with_pytorchs_message(self):
        reply, outputs = self.run_cell("import soma as torch\ntorch.randn(64, 784) @ torch.randn(128, 10)")
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "RuntimeError")
        self.assertEqual(reply["evalue"], "mat1 and mat2 shapes cannot be multiplied (64x784 and 128x10)")
        self.assertEqual(len([m for m in outputs if m["msg_type"] == "error"]), 1)

    def test_interrupt_stops_a_loop_and_keeps_globals(self):
        self.run_cell("kept = 41")
        msg_id = self.kc.execute("while True:\n    pass")
        time.sleep(0.5)
        start = time.monotonic()
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=10)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertLess(time.monotonic() - start, 1.0)
        self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")
        reply, outputs = self.run_cell("kept + 1")
        self.assertEqual([m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"], ["42"], (reply, outputs))

    def test_ten_thousand_printed_lines_arrive_complete_and_in_order(self):
        reply, outputs = self.run_cell("for i in range(10000):\n    print(i)", timeout=60)
        self.assertEqual(reply["status"], "ok")
        text = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")
        self.assertEqual(text, "".join(f"{i}\n" for i in range(10000)))


class SomaMagicsTests(KernelSession):
    """The IPython magics notebooks start with: %matplotlib is accepted, %time and %%time report as IPython does."""

    TIMES = re.compile(r"CPU times: user [0-9.e+]+ (s|ms|µs|ns), sys: [0-9.e+]+ (s|ms|µs|ns), total: [0-9.e+]+ (s|ms|µs|ns)\n"
                       r"Wall time: [0-9.e+]+ (s|ms|µs|ns)\n")

    def run_cell(self, code):
        outputs = []
        reply = self.kc.execute_interactive(code, output_hook=outputs.append, timeout=30)
        stdout = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")
        results = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]
        return reply["content"], stdout, results

    def test_matplotlib_inline_is_accepted(self):
        reply, _, results = self.run_cell("%matplotlib inline\nx = 6\nx * 7")
        self.assertEqual((reply["status"], results), ("ok", ["42"]))

    def test_cell_time_reports_cpu_and_wall_time_then_the_value(self):
        reply, stdout, results = self.run_cell("%%time\ns = 0\nfor i in range(1000):\n    s += i\ns")
        self.assertEqual(reply["status"], "ok")
        self.assertRegex(stdout, "^" + self.TIMES.pattern + "$")
        self.assertEqual(results, ["499500"])

    def test_line_time_times_its_statement_and_errors_keep_the_cells_line_numbers(self):
        reply, stdout, results = self.run_cell("a = 1\n%time b = a + 1\nprint('after')\nb")
        self.assertEqual(reply["status"], "ok")
        self.assertRegex(stdout, "^" + self.TIMES.pattern + "after\n$")
        self.assertEqual(results, ["2"])
        reply, _, _ = self.run_cell("a = 1\n%time b = missing\n")
        self.assertEqual((reply["ename"], reply["evalue"]), ("NameError", "name 'missing' is not defined"))
        self.assertIn('File "In[', "\n".join(reply["traceback"]))
        self.assertIn("line 2", "\n".join(reply["traceback"]))

    def test_unknown_magics_and_shell_commands_are_usage_errors(self):
        for cell, message in [("%timeit 1 + 1", "Line magic function `%timeit` not found"), ("%%bash\nls", "Cell magic `%%bash` not found"),
                              ("!ls", "Shell commands (`!ls`) do not run in Soma.")]:
            reply, _, _ = self.run_cell(cell)
            self.assertEqual(reply["status"], "error")
            self.assertEqual(reply["ename"], "UsageError")
            self.assertTrue(reply["evalue"].startswith(message), reply["evalue"])

    def test_a_percent_line_inside_a_string_is_not_a_magic(self):
        reply, stdout, _ = self.run_cell('s = """\n%d items\n""" % 3\nprint(s.strip())')
        self.assertEqual((reply["status"], stdout), ("ok", "3 items\n"))

    def test_a_cell_magic_is_complete_at_an_empty_line(self):
        for code, status in [("%%time\nx = 1", "incomplete"), ("%%time\nx = 1\n", "complete"), ("%matplotlib inline", "complete"),
                             ("%time for i in range(3):", "incomplete")]:
            self.kc.is_complete(code)
            self.assertEqual(self.kc.get_shell_msg(timeout=10)["content"]["status"], status, code)


class SomaEncryptedTransportTests(unittest.TestCase):
    """A kernel started with transport_encryption="required" (CurveZMQ on every socket) runs cells."""

    def test_required_encryption_runs_a_cell(self):
        km = KernelManager(kernel_name="soma")
        km.start_kernel(transport_encryption="required")
        try:
            self.assertTrue(km.curve_publickey and km.curve_secretkey)
            kc = km.client()
            kc.start_channels()
            kc.wait_for_ready(timeout=30)
            outputs = []
            reply = kc.execute_interactive("x = 6\nprint(x * 7)", output_hook=outputs.append, timeout=30)
            self.assertEqual(reply["content"]["status"], "ok")
            self.assertEqual([m["content"]["text"] for m in outputs if m["msg_type"] == "stream"], ["42\n"])
            self.assertTrue(kc.is_alive())
            kc.stop_channels()
        finally:
            km.shutdown_kernel(now=True)


class SomaRichOutputTests(KernelSession):
    """What a notebook user sees: figures drawn in a cell appear when it ends; small 2-D tensors also as tables."""

    def run_cell(self, code):
        outputs = []
        reply = self.kc.execute_interactive(code, output_hook=outputs.append, timeout=30)
        self.assertEqual(reply["content"]["status"], "ok")
        return [(m["msg_type"], m["content"].get("data", {})) for m in outputs if "data" in m["content"]]

    def test_a_figure_drawn_but_not_shown_appears_when_the_cell_ends(self):
        shown = self.run_cell("from soma import plot as plt\nplt.plot([1, 2, 3], [1, 4, 9], label='squares')\nplt.legend()")
        self.assertEqual([kind for kind, _ in shown], ["display_data"])
        self.assertIn("<svg", shown[0][1]["image/svg+xml"])
        self.assertEqual(self.run_cell("1"), [("execute_result", {"text/plain": "1"})], "the figure is not shown twice")

    def test_a_small_2d_tensor_is_also_an_html_table(self):
        [(kind, data)] = self.run_cell("import soma as torch\ntorch.tensor([[1, 2], [3, 4]])")
        self.assertEqual(kind, "execute_result")
        self.assertEqual(data["text/plain"], "tensor([[1, 2],\n        [3, 4]])")
        self.assertEqual(data["text/html"].count("<td"), 4)
