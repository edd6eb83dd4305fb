import Foundation
import SomaScript
import XCTest

/// Session behaviour: globals across executions, interrupts, recursion, unsupported syntax, tracebacks.
final class SessionTests: XCTestCase {
    func testGlobalsPersistAndLastExpressionIsReturned() throws {
        let interp = Interpreter(output: BufferOutputSink())
        _ = try interp.execute("x = 20\ndef twice(v):\n    return 2 * v\n", cellName: "In[1]")
        let v = try interp.execute("twice(x) + 2", cellName: "In[2]")
        XCTAssertEqual(try interp.repr(XCTUnwrap(v)), "42")
    }

    func testInterruptStopsInfiniteLoopQuicklyAndKeepsGlobals() throws {
        let interp = Interpreter(output: BufferOutputSink())
        _ = try interp.execute("kept = 7", cellName: "In[1]")
        let started = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            started.wait()
            Thread.sleep(forTimeInterval: 0.2)
            interp.interrupt()
        }
        started.signal()
        let t0 = Date()
        XCTAssertThrowsError(try interp.execute("n = 0\nwhile True:\n    n += 1\n", cellName: "In[2]")) { error in
            XCTAssertEqual(interp.errorNameAndMessage(error).name, "KeyboardInterrupt")
        }
        XCTAssertLessThan(Date().timeIntervalSince(t0), 0.3)
        let v = try interp.execute("kept + (1 if n > 0 else 0)", cellName: "In[3]")
        XCTAssertEqual(try interp.repr(XCTUnwrap(v)), "8")
    }

    func testDeepRecursionRaisesRecursionError() throws {
        let interp = Interpreter(output: BufferOutputSink())
        XCTAssertThrowsError(try interp.execute("def f(n):\n    return [f(n + 1)]\nf(0)\n", cellName: "deep")) { error in
            XCTAssertEqual(interp.errorNameAndMessage(error).name, "RecursionError")
        }
    }

    func testUnsupportedSyntaxIsNamedAndLocated() {
        let cases: [(String, String, Int)] = [
            ("async def f():\n    pass\n", "'async' is not supported in Soma", 1),
            ("x = 1\nif (y := 2):\n    pass\n", "the walrus operator ':=' is not supported in Soma", 2),
            ("match x:\n    case 1:\n        pass\n", "the 'match' statement is not supported in Soma", 1),
            ("@cache\ndef f():\n    pass\n", "decorators other than @staticmethod, @classmethod and @property is not supported in Soma", 1),
            ("x = b'abc'\n", "bytes literals is not supported in Soma", 1),
            ("class A(B, C):\n    pass\n", "multiple inheritance is not supported in Soma", 1),
        ]
        for (source, message, line) in cases {
            let interp = Interpreter(output: BufferOutputSink())
            XCTAssertThrowsError(try interp.execute(source, cellName: "cell")) { error in
                guard case ScriptError.syntax(let e, _) = error else { return XCTFail("not a syntax error: \(error)") }
                XCTAssertEqual(e.message, message)
                XCTAssertEqual(e.range.line, line, source)
            }
        }
    }

    func testTracebackNamesFileLineFunctionAndCaret() {
        let interp = Interpreter(output: BufferOutputSink())
        let source = "def forward(x):\n    return x / 0\n\nforward(3)\n"
        XCTAssertThrowsError(try interp.execute(source, cellName: "train.soma")) { error in
            XCTAssertEqual(interp.formatError(error), """
            Traceback (most recent call last):
              File "train.soma", line 4, in <module>
                forward(3)
              File "train.soma", line 2, in forward
                return x / 0
                       ^^^^^
            ZeroDivisionError: division by zero

            """)
        }
    }

    func testIntOverflowRaisesOverflowError() {
        let interp = Interpreter(output: BufferOutputSink())
        XCTAssertThrowsError(try interp.execute("x = 2 ** 62\ny = x * 4\n", cellName: "c")) { error in
            XCTAssertEqual(interp.errorNameAndMessage(error).name, "OverflowError")
        }
    }
}
