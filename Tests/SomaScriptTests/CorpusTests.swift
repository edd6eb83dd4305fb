import Foundation
import SomaScript
import XCTest

/// Runs every program of Programs/ and compares its output with what CPython printed (generate_expected.py).
final class CorpusTests: XCTestCase {
    /// Runs a program and returns stdout plus `Name: message` when it fails, as the expected files hold.
    static func run(_ source: String, name: String) -> String {
        let sink = BufferOutputSink()
        let interp = Interpreter(output: sink)
        do {
            _ = try interp.execute(source, cellName: name)
            return sink.stdout
        } catch {
            let (ename, message) = interp.errorNameAndMessage(error)
            return sink.stdout + ename + (message.isEmpty ? "" : ": " + message) + "\n"
        }
    }

    func testProgramsMatchCPython() throws {
        let dir = try XCTUnwrap(Bundle.module.url(forResource: "Programs", withExtension: nil))
        let programs = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".py") }.sorted()
        XCTAssertGreaterThan(programs.count, 20)
        for program in programs {
            let source = try String(contentsOf: dir.appendingPathComponent(program), encoding: .utf8)
            let expected = try String(contentsOf: dir.appendingPathComponent(program.replacingOccurrences(of: ".py", with: ".out")), encoding: .utf8)
            let got = CorpusTests.run(source, name: program)
            if got != expected {
                let g = got.components(separatedBy: "\n"), e = expected.components(separatedBy: "\n")
                let i = (0..<min(g.count, e.count)).first { g[$0] != e[$0] } ?? min(g.count, e.count)
                XCTFail("\(program): line \(i + 1) differs\n  soma:    \(i < g.count ? g[i] : "<end>")\n  cpython: \(i < e.count ? e[i] : "<end>")")
            }
        }
    }
}
