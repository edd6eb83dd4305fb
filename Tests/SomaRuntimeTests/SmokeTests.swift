import XCTest
import SomaScript
@testable import SomaRuntime

final class SmokeTests: XCTestCase {
    func run(_ source: String) throws -> String {
        let out = BufferOutputSink()
        let interp = Interpreter(output: out)
        SomaRuntime.install(into: interp)
        _ = try interp.execute(source)
        return out.stdout
    }

    func testStepByStep() throws {
        XCTAssertEqual(try run("print(1)"), "1\n")
        XCTAssertEqual(try run("import soma\nprint(2)"), "2\n")
        XCTAssertEqual(try run("import soma as torch\nx = torch.tensor([1.0, 2.0])\nprint(3)"), "3\n")
        XCTAssertEqual(try run("import soma as torch\nx = torch.tensor([1.0, 2.0])\nprint(repr(x))"), "tensor([1., 2.])\n")
        XCTAssertEqual(try run("import soma as torch\nprint(torch.tensor([1.0, 2.0]) + 1)"), "tensor([2., 3.])\n")
    }
}
