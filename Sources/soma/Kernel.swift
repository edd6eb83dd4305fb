import ArgumentParser
import Foundation
import SomaKernel
import SomaRuntime
import SomaScript

/// `soma kernel -f CONNECTION_FILE`: the Jupyter kernel, with the soma modules installed.
struct Kernel: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Jupyter kernel (started by Jupyter with a connection file).")

    @Option(name: [.customShort("f"), .customLong("connection-file")], help: "The connection file Jupyter wrote.")
    var connectionFile: String

    func run() throws {
        try KernelServer(connectionFile: connectionFile, backend: SomaBackend(), options: .init(shellStackSize: Interpreter.stackSize + (8 << 20))).run()
    }
}

/// `soma kernelspec install [--user | --sys-prefix | --prefix DIR] [--name NAME]`.
struct KernelspecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kernelspec", abstract: "Manage Soma's Jupyter kernelspec.",
                                                    subcommands: [Install.self])

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Install the kernelspec where `jupyter kernelspec install` would.")

        @Flag(help: "Install for the current user (~/.local/share/jupyter/kernels).") var user = false
        @Flag(name: .customLong("sys-prefix"), help: "Install into the Python environment of the jupyter in PATH.") var sysPrefix = false
        @Option(help: "Install into PREFIX/share/jupyter/kernels.") var prefix: String?
        @Option(help: "The kernel's name.") var name = "soma"

        func run() throws {
            let dir = try KernelspecInstaller.install(user: user, sysPrefix: sysPrefix, prefix: prefix, name: name,
                                                      binaryPath: KernelspecInstaller.currentExecutablePath())
            print("Installed kernelspec \(name) in \(dir)")
        }
    }
}

/// Runs cells for the kernel: one interpreter with the soma modules, whose output becomes Jupyter messages.
final class SomaBackend: KernelBackend {
    private let sink = KernelSink()
    private let interp: Interpreter

    init() {
        interp = Interpreter(output: sink)
        SomaRuntime.install(into: interp)
    }

    var banner: String { "Soma \(Soma.version): PyTorch-style neural networks in a Python-flavoured language (import soma as torch)" }
    var implementationVersion: String { Soma.version }

    func execute(_ request: ExecuteRequest, context: ExecutionContext) -> ExecuteOutcome {
        sink.context = context
        defer { sink.context = nil }
        // As in IPython, a bare `exit` or `quit` asks the frontend (e.g. jupyter console) to end the session.
        // (Foundation's trimming costs microseconds a cell: only short cells can be one of these.)
        if request.code.utf8.count < 64,
           ["exit", "quit", "exit()", "quit()"].contains(request.code.trimmingCharacters(in: .whitespacesAndNewlines)) {
            context.askExit(keepKernel: false)
            return .ok
        }
        do {
            let cellName = "In[\(request.executionCount)]"
            let value: Value?
            if Magics.mayHaveMagics(request.code), Interpreter.isComplete(request.code) != .complete {
                value = try runWithMagics(request.code, cellName: cellName)
            } else {
                value = try interp.execute(request.code, cellName: cellName)
            }
            try interp.runPostCellHooks()
            guard let value, !value.isNone, !request.silent else { return .ok }
            return .value(try interp.mimeBundle(value))
        } catch let error as Magics.UsageError {
            return .error(KernelErrorInfo(ename: "UsageError", evalue: error.message, traceback: ["UsageError: \(error.message)"]))
        } catch {
            try? interp.runPostCellHooks()  // figures drawn before the error still appear, as in IPython
            if case ScriptError.exception(let e) = error, e.pyType.name == "SystemExit" {
                context.askExit(keepKernel: false)
                return .ok
            }
            let (name, message) = interp.errorNameAndMessage(error)
            let lines = interp.formatError(error).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            return .error(KernelErrorInfo(ename: name, evalue: message, traceback: lines.last == "" ? Array(lines.dropLast()) : lines))
        }
    }

    /// Runs a cell that uses magics (`Magics`) piece by piece; its value is the last piece's.
    private func runWithMagics(_ cell: String, cellName: String) throws -> Value? {
        let (pieces, timesCell) = try Magics.plan(of: cell)
        let cellStart = (Magics.cpuTimes(), DispatchTime.now().uptimeNanoseconds)
        var value: Value?
        for piece in pieces {
            let start = (Magics.cpuTimes(), DispatchTime.now().uptimeNanoseconds)
            value = try interp.execute(piece.code, cellName: cellName)
            if piece.timed { printTimes(since: start) }
        }
        if timesCell { printTimes(since: cellStart) }
        return value
    }

    private func printTimes(since start: ((user: Double, system: Double), UInt64)) {
        let now = Magics.cpuTimes()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start.1) / 1e9
        sink.write(Magics.report(user: now.user - start.0.user, system: now.system - start.0.system, wall: wall), to: .stdout)
    }

    func evaluateUserExpression(_ expression: String) -> ExecuteOutcome {
        do {
            let value = try interp.execute(expression, cellName: "<user_expression>") ?? .none
            return .value(try interp.mimeBundle(value))
        } catch {
            let (name, message) = interp.errorNameAndMessage(error)
            return .error(KernelErrorInfo(ename: name, evalue: message))
        }
    }

    func complete(code: String, cursorPosition: Int) -> CompletionResult {
        let c = interp.complete(code, cursor: cursorPosition)
        return CompletionResult(matches: c.matches, cursorStart: c.start, cursorEnd: c.end)
    }

    func inspect(code: String, cursorPosition: Int, detailLevel: Int) -> InspectResult? {
        guard let text = interp.inspect(code, cursor: cursorPosition) else { return nil }
        return InspectResult(data: ["text/plain": text])
    }

    func isComplete(code: String) -> IsCompleteResult {
        var source = code
        if Magics.mayHaveMagics(code), Interpreter.isComplete(code) != .complete {
            guard let plain = try? Magics.source(of: code) else { return .invalid }
            // As IPython's: a cell magic goes on until an empty line.
            if code.hasPrefix("%%") { return code.hasSuffix("\n") ? .complete : .incomplete(indent: "") }
            source = plain
        }
        switch Interpreter.isComplete(source) {
        case .complete: return .complete
        case .incomplete(let indent): return .incomplete(indent: indent)
        case .invalid: return .invalid
        }
    }

    func interrupt() { interp.interrupt() }
}

/// The interpreter's output sink inside the kernel: text as stream messages, rich values as display data.
final class KernelSink: OutputSink {
    weak var context: ExecutionContext?

    var rendersRichDisplays: Bool { true }

    func write(_ text: String, to stream: OutputStreamKind) {
        context?.stream(stream == .stdout ? .stdout : .stderr, text)
    }

    func display(_ bundle: [String: String], displayID: String?, update: Bool) {
        guard let context else { return }
        if update, let id = displayID {
            context.updateDisplay(bundle, displayId: id)
        } else {
            context.display(bundle, displayId: displayID)
        }
    }

    func clearOutput(wait: Bool) { context?.clearOutput(wait: wait) }

    func readLine(prompt: String) -> String? { try? context?.input(prompt: prompt) }

    func page(_ text: String) { context?.page(text) }
}
