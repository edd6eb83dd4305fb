import Foundation
import XCTest
import SomaScript
@testable import SomaRuntime

/// Bad calls in user code (`Errors/errors.py`) against what PyTorch raises for them (`Errors/errors.expected.json`,
/// made by `generate_expected.py`): each case runs as its own cell in one interpreter and must raise the same
/// exception type with the same message, with a traceback that ends at the user's line, and leave the
/// session's globals intact.
final class ErrorConversionTests: XCTestCase {
    struct Expected: Decodable {
        let `case`: String
        let line: Int
        let error: String
    }

    /// The setup chunk and (name, chunk) per `# --- case: NAME` line; each chunk starts with the rest of its
    /// marker line, so its line numbers count from the marker, as the generator counts them.
    static func split(_ source: String) -> (setup: String, cases: [(String, String)]) {
        let marker = "# --- case: "
        var parts = source.components(separatedBy: "\n" + marker)
        let setup = parts.removeFirst()
        return (setup, parts.map { part in
            let name = String(part.prefix { $0 != "\n" })
            return (name, String(part.dropFirst(name.count)))
        })
    }

    func testBadCallsRaisePyTorchsExceptionsAndKeepTheSession() throws {
        let dir = Bundle.module.url(forResource: "Errors", withExtension: nil)!
        let source = try String(contentsOf: dir.appendingPathComponent("errors.py"), encoding: .utf8)
        let expected = try JSONDecoder().decode([Expected].self, from: Data(contentsOf: dir.appendingPathComponent("errors.expected.json")))
        let (setup, cases) = Self.split(source)
        XCTAssertEqual(cases.map(\.0), expected.map(\.case))
        let out = BufferOutputSink()
        let interp = Interpreter(output: out)
        SomaRuntime.install(into: interp)
        _ = try interp.execute(setup, cellName: "setup")
        for ((name, chunk), want) in zip(cases, expected) {
            let cell = "Cell In[\(name)]"
            do {
                _ = try interp.execute(chunk, cellName: cell)
                XCTFail("\(name): raised nothing")
            } catch {
                let text = interp.formatError(error)
                XCTAssertTrue(text.hasSuffix(want.error + "\n"), "\(name):\n  soma:    \(text)\n  pytorch: \(want.error)")
                let lastFrame = text.components(separatedBy: "\n").last { $0.hasPrefix("  File ") } ?? ""
                XCTAssertTrue(lastFrame.hasPrefix("  File \"\(cell)\", line \(want.line),"), "\(name): traceback ends at \(lastFrame)\n\(text)")
            }
            let before = out.stdout.count
            _ = try interp.execute("print(kept, stage, model.weight.shape)", cellName: "check")
            XCTAssertEqual(String(out.stdout.dropFirst(before)), "[1, 2, 3] \(name) torch.Size([2, 4])\n", name)
        }
    }
}
