import Foundation

/// An `ExecutionContext` for running a backend outside Jupyter (`soma run file.py`, tests):
/// stdout/stderr go to the process's own, displays print their text/plain, `input()` reads a
/// line from standard input, pager pages are printed.
public final class TerminalExecutionContext: ExecutionContext {
    public let request: ExecuteRequest
    private let lock = NSLock()
    private var interruptFlag = false
    private let out: (StreamName, String) -> Void
    private let readLineFn: () -> String?

    /// `write` receives everything shown (default: the process's stdout/stderr); `readLine`
    /// answers `input()` (default: Swift's `readLine()`).
    public init(request: ExecuteRequest = ExecuteRequest(code: "", allowStdin: true),
                write: ((StreamName, String) -> Void)? = nil,
                readLine: (() -> String?)? = nil) {
        self.request = request
        self.out = write ?? { name, text in
            let handle = name == .stdout ? FileHandle.standardOutput : FileHandle.standardError
            handle.write(Data(text.utf8))
        }
        self.readLineFn = readLine ?? { Swift.readLine(strippingNewline: true) }
    }

    public func stream(_ name: StreamName, _ text: String) { out(name, text) }

    public func display(_ data: MimeBundle, metadata: JSONObject, displayId: String?) {
        show(data)
    }

    public func updateDisplay(_ data: MimeBundle, metadata: JSONObject, displayId: String) {
        show(data)
    }

    public func clearOutput(wait: Bool) {}

    public func input(prompt: String, password: Bool) throws -> String {
        guard request.allowStdin else { throw InputError.notAllowed }
        out(.stdout, prompt)
        guard let line = readLineFn() else { throw InputError.endOfInput }
        return line
    }

    public func page(_ data: MimeBundle, start: Int) { show(data) }

    /// Whether the code asked to end the session (`exit()`).
    public private(set) var exitRequested = false

    public func askExit(keepKernel: Bool) { exitRequested = true }

    public func setNextInput(_ text: String, replace: Bool) {}

    public var isInterrupted: Bool { lock.lock(); defer { lock.unlock() }; return interruptFlag }

    /// Marks the run as interrupted (e.g. from a SIGINT handler).
    public func interrupt() { lock.lock(); interruptFlag = true; lock.unlock() }

    private func show(_ data: MimeBundle) {
        guard let text = data["text/plain"] as? String else { return }
        out(.stdout, text.hasSuffix("\n") ? text : text + "\n")
    }
}
