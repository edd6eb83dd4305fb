import Foundation

/// The IPython magics a notebook cell may start with, as the kernel understands them before the language sees the
/// cell: `%matplotlib ...`, `%config InlineBackend...` or `Completer...`, `%load_ext autoreload`, `%autoreload` (Soma's figures are always
/// inline and it has no Python modules to reload: nothing to do), `%time STATEMENT` and `%%time`
/// (run, then print CPU and wall time as IPython does). Any other `%name`, `%%name` or `!command` is a `UsageError`
/// with IPython's wording, instead of a puzzling SyntaxError.
enum Magics {
    /// A run of the cell's lines, executed in order; `timed` pieces (`%time` statements) print their times after they run.
    struct Piece: Equatable {
        /// The piece's source, preceded by blank lines so that tracebacks give the cell's own line numbers.
        var code: String
        var timed: Bool
    }

    /// A magic this kernel does not have, or one used in a way it does not support.
    struct UsageError: Error, Equatable {
        let message: String
    }

    /// The magics Soma offers, named in its usage errors.
    static let available = "%matplotlib, %config (InlineBackend, Completer), %load_ext autoreload, %autoreload, %time, %%time"

    /// Whether the cell has a line that can only be a magic or a shell command (`%` or `!` in its first column).
    /// A cell that is valid as it is runs unchanged even then: such a line may be inside a string or brackets.
    static func mayHaveMagics(_ cell: String) -> Bool {
        cell.hasPrefix("%") || cell.hasPrefix("!") || cell.contains("\n%") || cell.contains("\n!")
    }

    /// What a line of the cell is to the kernel.
    private enum Line {
        case code(String)
        /// A magic with nothing to run (`%matplotlib inline`, the `%%time` line).
        case ignored
        /// `%time STATEMENT`: the statement, timed on its own.
        case timed(String)
    }

    /// The cell's lines, magics recognised, and whether `%%time` times the whole cell.
    private static func classify(_ cell: String) throws -> (lines: [Line], cellTimed: Bool) {
        var lines = cell.components(separatedBy: "\n").map(Line.code)
        var cellTimed = false
        if let first = lines.firstIndex(where: { if case .code(let l) = $0 { return !l.trimmingCharacters(in: .whitespaces).isEmpty }; return false }),
           case .code(let line) = lines[first], line.hasPrefix("%%") {
            let name = magicName(line.dropFirst(2))
            guard name == "time" else { throw UsageError(message: "Cell magic `%%\(name)` not found (Soma has \(available)).") }
            lines[first] = .ignored
            cellTimed = true
        }
        for (number, entry) in lines.enumerated() {
            guard case .code(let line) = entry else { continue }
            if line.hasPrefix("!") { throw UsageError(message: "Shell commands (`\(line)`) do not run in Soma.") }
            guard line.hasPrefix("%") else { continue }
            let name = magicName(line.dropFirst())
            let argument = line.dropFirst(1 + name.count).trimmingCharacters(in: .whitespaces)
            switch name {
            // Figures are always inline SVG and there are no Python modules to reload: nothing to do.
            case "matplotlib", "autoreload": lines[number] = .ignored
            // Settings of figures and of IPython's completer (VS Code sends `%config Completer.use_jedi = False`).
            case "config" where argument.hasPrefix("InlineBackend.") || argument.hasPrefix("Completer."): lines[number] = .ignored
            case "load_ext" where argument == "autoreload": lines[number] = .ignored
            case "time": lines[number] = .timed(argument)
            default: throw UsageError(message: "Line magic function `%\(name)` not found (Soma has \(available)).")
            }
        }
        return (lines, cellTimed)
    }

    /// The cell as the language sees it, magics replaced by what they run (for `is_complete`).
    static func source(of cell: String) throws -> String {
        try classify(cell).lines.map { line -> String in
            switch line {
            case .code(let text), .timed(let text): return text
            case .ignored: return ""
            }
        }.joined(separator: "\n")
    }

    /// The pieces to run in order (the code between `%time` lines, and each `%time` statement), and whether `%%time`
    /// times them all together.
    static func plan(of cell: String) throws -> (pieces: [Piece], timesCell: Bool) {
        let (lines, cellTimed) = try classify(cell)
        var pieces: [Piece] = []
        var pending: [String] = [], pendingStart = 0
        func flush(next: Int) {
            if pending.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                pieces.append(Piece(code: String(repeating: "\n", count: pendingStart) + pending.joined(separator: "\n"), timed: false))
            }
            pending = []
            pendingStart = next
        }
        for (number, line) in lines.enumerated() {
            switch line {
            case .code(let text): pending.append(text)
            case .ignored: pending.append("")
            case .timed(let statement):
                flush(next: number + 1)
                if !statement.isEmpty { pieces.append(Piece(code: String(repeating: "\n", count: number) + statement, timed: true)) }
            }
        }
        flush(next: lines.count)
        return (pieces, cellTimed)
    }

    /// The magic's name: the letters, digits and underscores after its `%` or `%%`.
    private static func magicName(_ text: Substring) -> String {
        String(text.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
    }

    /// IPython's report of a timed run: `CPU times: user 4.21 ms, sys: 0 ns, total: 4.21 ms` and `Wall time: 4.3 ms`.
    static func report(user: Double, system: Double, wall: Double) -> String {
        "CPU times: user \(format(user)), sys: \(format(system)), total: \(format(user + system))\nWall time: \(format(wall))\n"
    }

    /// A span of seconds as IPython writes it: three significant digits in s, ms, µs or ns; `1min 5s` from a minute on.
    static func format(_ seconds: Double) -> String {
        if seconds >= 60 {
            var parts: [String] = [], left = seconds
            for (suffix, length) in [("d", 86_400.0), ("h", 3_600.0), ("min", 60.0), ("s", 1.0)] {
                let value = Int(left / length)
                if value > 0 {
                    left = left.truncatingRemainder(dividingBy: length)
                    parts.append("\(value)\(suffix)")
                }
                if left < 1 { break }
            }
            return parts.joined(separator: " ")
        }
        let order = seconds > 0 ? min(-Int((log10(seconds).rounded(.down) / 3).rounded(.down)), 3) : 3
        let scaled = seconds * [1, 1e3, 1e6, 1e9][order]
        return String(format: "%.3g", scaled) + " " + ["s", "ms", "µs", "ns"][order]
    }

    /// User and system CPU seconds of this process so far.
    static func cpuTimes() -> (user: Double, system: Double) {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return (seconds(usage.ru_utime), seconds(usage.ru_stime))
    }
}
