import SomaScript
import XCTest

/// The kernel-facing helpers: is-complete, completion and inspection.
final class HelperTests: XCTestCase {
    func testIsComplete() {
        XCTAssertEqual(Interpreter.isComplete("x = 1"), .complete)
        XCTAssertEqual(Interpreter.isComplete("print((1,\n"), .incomplete(indent: ""))
        XCTAssertEqual(Interpreter.isComplete("def f(x):"), .incomplete(indent: "    "))
        XCTAssertEqual(Interpreter.isComplete("for i in range(3):\n    print(i)"), .incomplete(indent: "    "))
        XCTAssertEqual(Interpreter.isComplete("for i in range(3):\n    print(i)\n\n"), .complete)
        XCTAssertEqual(Interpreter.isComplete("s = '''abc"), .incomplete(indent: ""))
        XCTAssertEqual(Interpreter.isComplete("x = = 2"), .invalid)
    }

    func testCompleteNamesAttributesAndKeywords() throws {
        let interp = Interpreter(output: BufferOutputSink())
        _ = try interp.execute("class Model:\n    def fit(self): pass\n    def forward(self): pass\nmodel = Model()\nmodel.fine = 1\nmodel_size = 3\n")
        let names = interp.complete("print(mod", cursor: 9)
        XCTAssertEqual(names.matches, ["model", "model_size"])
        XCTAssertEqual(names.start, 6)
        let attrs = interp.complete("model.f", cursor: 7)
        XCTAssertEqual(attrs.matches, ["fine", "fit", "forward"])
        XCTAssertEqual(attrs.start, 6)
        XCTAssertTrue(interp.complete("whi", cursor: 3).matches.contains("while"))
        XCTAssertEqual(interp.complete("import math\nmath.sq", cursor: 19).matches, [])
    }

    func testInspectShowsSignatureAndDocstring() throws {
        let interp = Interpreter(output: BufferOutputSink())
        _ = try interp.execute("def train(model, epochs=3, *, lr=0.1):\n    \"\"\"Trains the model.\"\"\"\n    pass\n")
        let text = try XCTUnwrap(interp.inspect("train(", cursor: 6))
        XCTAssertTrue(text.contains("train(model, epochs, *, lr)"), text)
        XCTAssertTrue(text.contains("Trains the model."), text)
        XCTAssertNotNil(interp.inspect("len", cursor: 2))
        XCTAssertNil(interp.inspect("nothing_here", cursor: 3))
    }
}
