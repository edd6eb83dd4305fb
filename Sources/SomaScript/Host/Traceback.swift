/// Formats uncaught errors the way CPython prints them.
extension Interpreter {
    /// The exception's class name and message (`ValueError`, `bad value`), as the kernel's error reply wants them.
    public func errorNameAndMessage(_ error: Error) -> (name: String, message: String) {
        switch error {
        case ScriptError.syntax(let e, _): return ("SyntaxError", e.message)
        case ScriptError.exception(let e), let e as PyException:
            return (e.pyType.name, (try? exceptionMessage(e)) ?? "")
        default: return ("SystemError", "\(error)")
        }
    }

    /// The full traceback text, ending with `Name: message` and a newline.
    public func formatError(_ error: Error) -> String {
        switch error {
        case ScriptError.syntax(let e, let file):
            var lines = ["  File \"\(file)\", line \(e.range.line)"]
            if let text = sourceLine(file, e.range.line) {
                let stripped = text.drop { $0 == " " || $0 == "\t" }
                let indent = text.unicodeScalars.count - stripped.unicodeScalars.count
                lines.append("    " + stripped)
                let width = e.range.endLine == e.range.line ? max(1, e.range.endCol - e.range.col) : 1
                lines.append("    " + String(repeating: " ", count: max(0, e.range.col - indent)) + String(repeating: "^", count: width))
            }
            return lines.joined(separator: "\n") + "\nSyntaxError: \(e.message)\n"
        case ScriptError.exception(let e), let e as PyException:
            return formatException(e)
        default:
            return "SystemError: \(error)\n"
        }
    }

    private func formatException(_ e: PyException) -> String {
        var out = ""
        if let cause = e.cause {
            out += formatException(cause) + "\nThe above exception was the direct cause of the following exception:\n\n"
        } else if let context = e.context, !e.suppressContext {
            out += formatException(context) + "\nDuring handling of the above exception, another exception occurred:\n\n"
        }
        if !e.traceback.isEmpty { out += "Traceback (most recent call last):\n" }
        for entry in e.traceback {
            out += "  File \"\(entry.file)\", line \(entry.range.line), in \(entry.function)\n"
            guard let text = sourceLine(entry.file, entry.range.line) else { continue }
            let stripped = String(text.drop { $0 == " " || $0 == "\t" }).trimmingTrailingSpaces()
            let indent = text.unicodeScalars.count - text.drop { $0 == " " || $0 == "\t" }.unicodeScalars.count
            out += "    " + stripped + "\n"
            let r = entry.range
            let end = r.endLine == r.line ? r.endCol : text.unicodeScalars.count
            let start = r.col - indent, width = end - r.col
            if start >= 0 && width > 0 && width < stripped.unicodeScalars.count {
                out += "    " + String(repeating: " ", count: start) + String(repeating: "^", count: width) + "\n"
            }
        }
        let message = (try? exceptionMessage(e)) ?? ""
        out += e.pyType.name + (message.isEmpty ? "" : ": " + message) + "\n"
        return out
    }

    private func sourceLine(_ file: String, _ line: Int) -> String? {
        guard let lines = sources[file], line >= 1, line <= lines.count else { return nil }
        return lines[line - 1]
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return s
    }
}
