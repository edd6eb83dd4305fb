import Foundation
@testable import SomaKernel
import XCTest

/// jupyter_client and jupyter_kernel_test (its strict message validator) against an in-test kernel
/// with the fake backend. Needs a Python with both packages: $SOMA_TEST_PYTHON, else the
/// repository's .venv/bin/python; skipped when there is none, so `swift test` needs no Python.
final class PythonClientTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func python() throws -> String {
        var candidates: [String] = []
        if let p = ProcessInfo.processInfo.environment["SOMA_TEST_PYTHON"], !p.isEmpty { candidates.append(p) }
        candidates.append(PythonClientTests.repo.appendingPathComponent(".venv/bin/python").path)
        for c in candidates where FileManager.default.isExecutableFile(atPath: c) {
            if (try? run(c, ["-c", "import jupyter_client, jupyter_kernel_test"], timeout: 60).status) == 0 { return c }
        }
        throw XCTSkip("no Python with jupyter_client and jupyter_kernel_test (set SOMA_TEST_PYTHON or make .venv)")
    }

    func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
             timeout: Double) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        let done = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in done.signal() }
        try p.run()
        final class Box: @unchecked Sendable { var data = Data() }
        let box = Box()
        let reader = Thread { box.data = out.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        if done.wait(timeout: .now() + timeout) == .timedOut {
            p.terminate()
            _ = done.wait(timeout: .now() + 5)
        }
        Thread.sleep(forTimeInterval: 0.1)
        return (p.terminationStatus, String(decoding: box.data, as: UTF8.self))
    }

    func testJupyterKernelTestSuiteAgainstFakeBackend() throws {
        let python = try python()
        let h = try Harness()
        defer { h.shutdown() }
        let file = NSTemporaryDirectory() + "soma-kernel-\(UUID().uuidString).json"
        try JSONEncoder().encode(h.server.connection).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let script = PythonClientTests.repo.appendingPathComponent("Tests/SomaKernelTests/python/check_fake_kernel.py").path
        let (status, output) = try run(python, [script], environment: ["SOMA_CONNECTION_FILE": file], timeout: 180)
        print(output)
        XCTAssertEqual(status, 0, output)
        XCTAssertNotNil(output.range(of: #"Ran \d+ tests"#, options: .regularExpression), output)
        XCTAssertTrue(output.contains("\nOK"), output)
    }
}
