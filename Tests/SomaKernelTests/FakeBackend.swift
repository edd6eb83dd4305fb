import Foundation
import SomaKernel

/// A tiny line-command language standing in for SomaScript in the kernel's tests:
///
///     print TEXT        stdout line            eprint TEXT     stderr line
///     printn N          N lines "line i"       sleep S         sleeps (interruptible)
///     loop              counts `counter` up until interrupted
///     set NAME VALUE    stores a variable      get NAME        execute_result of a variable
///     raise NAME MSG    fails with NAME: MSG   input PROMPT    asks stdin, prints "got: VALUE"
///     display TEXT [ID] display_data           update ID TEXT  update_display_data
///     clear [wait]      clear_output           help NAME       pager payload
final class FakeBackend: KernelBackend {
    private let lock = NSLock()
    private var interruptFlag = false
    private var _variables: [String: String] = [:]
    private(set) var shutdownCalls: [Bool] = []
    private(set) var executed: [ExecuteRequest] = []

    var variables: [String: String] {
        lock.lock(); defer { lock.unlock() }; return _variables
    }

    var interrupted: Bool {
        lock.lock(); defer { lock.unlock() }; return interruptFlag
    }

    func interrupt() {
        lock.lock(); interruptFlag = true; lock.unlock()
    }

    func shutdown(restart: Bool) {
        lock.lock(); shutdownCalls.append(restart); lock.unlock()
    }

    var banner: String { "Soma (fake backend for tests)" }
    var implementationVersion: String { "0.0.1-test" }

    private func setVar(_ name: String, _ value: String) {
        lock.lock(); _variables[name] = value; lock.unlock()
    }

    private var keyboardInterrupt: ExecuteOutcome {
        .error(KernelErrorInfo(ename: "KeyboardInterrupt", evalue: "", traceback: Traceback.format(
            ename: "KeyboardInterrupt", evalue: "", frames: [])))
    }

    func execute(_ request: ExecuteRequest, context: ExecutionContext) -> ExecuteOutcome {
        lock.lock(); interruptFlag = false; executed.append(request); lock.unlock()
        var result: MimeBundle?
        let lines = request.code.split(separator: "\n", omittingEmptySubsequences: true)
        for (index, rawLine) in lines.enumerated() {
            let line = String(rawLine)
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            let command = parts.first ?? ""
            let arg = parts.count > 1 ? parts[1] : ""
            result = nil
            switch command {
            case "print":
                context.stream(.stdout, arg + "\n")
            case "eprint":
                context.stream(.stderr, arg + "\n")
            case "printn":
                for i in 0..<(Int(arg) ?? 0) { context.stream(.stdout, "line \(i)\n") }
            case "sleep":
                let end = Date().addingTimeInterval(Double(arg) ?? 0)
                while Date() < end {
                    if interrupted { return keyboardInterrupt }
                    usleep(2000)
                }
            case "loop":
                var n = Int(variables["counter"] ?? "0") ?? 0
                while true {
                    if interrupted {
                        setVar("counter", String(n))
                        return keyboardInterrupt
                    }
                    n += 1
                }
            case "set":
                let kv = arg.split(separator: " ", maxSplits: 1).map(String.init)
                setVar(kv[0], kv.count > 1 ? kv[1] : "")
            case "get":
                guard let v = variables[arg] else {
                    return .error(KernelErrorInfo(ename: "NameError", evalue: "name '\(arg)' is not defined",
                                                  traceback: Traceback.format(ename: "NameError", evalue: "name '\(arg)' is not defined",
                                                                              frames: [.init(location: "Cell In[\(request.executionCount)]", line: index + 1, source: line, caretStart: 4, caretEnd: 4 + arg.count)])))
                }
                result = ["text/plain": v]
            case "raise":
                let kv = arg.split(separator: " ", maxSplits: 1).map(String.init)
                return .error(KernelErrorInfo(ename: kv.first ?? "Exception", evalue: kv.count > 1 ? kv[1] : ""))
            case "input":
                do {
                    let value = try context.input(prompt: arg)
                    context.stream(.stdout, "got: \(value)\n")
                } catch InputError.interrupted {
                    return keyboardInterrupt
                } catch {
                    return .error(KernelErrorInfo(ename: "StdinNotImplementedError", evalue: "\(error)"))
                }
            case "display":
                let kv = arg.split(separator: " ").map(String.init)
                context.display(["text/plain": kv.first ?? "", "text/html": "<b>\(kv.first ?? "")</b>"],
                                displayId: kv.count > 1 ? kv[1] : nil)
            case "update":
                let kv = arg.split(separator: " ", maxSplits: 1).map(String.init)
                context.updateDisplay(["text/plain": kv.count > 1 ? kv[1] : ""], displayId: kv[0])
            case "clear":
                context.clearOutput(wait: arg == "wait")
            case "exit", "quit":
                context.askExit(keepKernel: arg == "keep")
            case "next":
                context.setNextInput(arg, replace: false)
            case "help":
                context.page("Help on \(arg):\n\n\(arg)(...) does things.")
            default:
                return .error(KernelErrorInfo(ename: "SyntaxError", evalue: "unknown command \(command)"))
            }
        }
        if let result { return .value(result) }
        return .ok
    }

    func evaluateUserExpression(_ expression: String) -> ExecuteOutcome {
        if let v = variables[expression] { return .value(["text/plain": v]) }
        return .error(KernelErrorInfo(ename: "NameError", evalue: "name '\(expression)' is not defined"))
    }

    static let words = ["print", "printn", "eprint", "sleep", "loop", "set", "get", "raise", "input", "display", "update", "clear", "help"]

    func complete(code: String, cursorPosition: Int) -> CompletionResult {
        let scalars = Array(code.unicodeScalars)
        let end = min(cursorPosition, scalars.count)
        var start = end
        while start > 0, CharacterSet.alphanumerics.contains(scalars[start - 1]) || scalars[start - 1] == "_" { start -= 1 }
        var prefix = ""
        prefix.unicodeScalars.append(contentsOf: scalars[start..<end])
        let candidates = (FakeBackend.words + variables.keys.sorted())
        let matches = candidates.filter { $0.hasPrefix(prefix) }
        let types = matches.map { FakeBackend.words.contains($0) ? "function" : "instance" }
        return CompletionResult(matches: matches, cursorStart: start, cursorEnd: end, types: types)
    }

    func inspect(code: String, cursorPosition: Int, detailLevel: Int) -> InspectResult? {
        let word = code.split(separator: " ").first.map(String.init) ?? ""
        guard FakeBackend.words.contains(word) else { return nil }
        var data: MimeBundle = ["text/plain": "\(word): a fake command"]
        if detailLevel > 0 { data["text/markdown"] = "**\(word)**: a fake command" }
        return InspectResult(data: data)
    }

    func isComplete(code: String) -> IsCompleteResult {
        if code.contains("$") { return .invalid }
        if code.hasSuffix(":") { return .incomplete(indent: "    ") }
        return .complete
    }
}
