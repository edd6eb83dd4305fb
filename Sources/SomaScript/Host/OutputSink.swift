import Foundation

/// Which text stream output goes to.
public enum OutputStreamKind: Sendable {
    case stdout, stderr
}

/// Where a running program's output goes; the kernel provides one that sends Jupyter messages.
public protocol OutputSink: AnyObject {
    /// Writes text printed by the program.
    func write(_ text: String, to stream: OutputStreamKind)
    /// Shows a rich value: a MIME bundle (e.g. text/plain and text/html); `update` replaces the display `displayID`.
    func display(_ bundle: [String: String], displayID: String?, update: Bool)
    /// Clears the cell's output (`clear_output`).
    func clearOutput(wait: Bool)
    /// Reads a line for `input(prompt)`; nil at end of input.
    func readLine(prompt: String) -> String?
    /// Shows a long text such as `help(x)` (a pager in notebooks, plain output elsewhere).
    func page(_ text: String)
    /// Whether displays reach a front end that renders MIME bundles and replaces a display in place (a Jupyter
    /// kernel). When false (a terminal, `soma run`) only `text/plain` is shown, so live output such as progress
    /// bars should draw itself as text instead (a carriage-return line on stderr).
    var rendersRichDisplays: Bool { get }
}

extension OutputSink {
    /// Hosts without a pager print the text.
    public func page(_ text: String) { write(text, to: .stdout) }
    /// Hosts are terminals unless they say otherwise.
    public var rendersRichDisplays: Bool { false }
}

/// The sink for `soma run`: the process's stdout and stderr; displays print their text/plain form.
public final class StandardOutputSink: OutputSink {
    public init() {}

    public func write(_ text: String, to stream: OutputStreamKind) {
        let data = Data(text.utf8)
        (stream == .stdout ? FileHandle.standardOutput : FileHandle.standardError).write(data)
    }

    public func display(_ bundle: [String: String], displayID: String?, update: Bool) {
        write((bundle["text/plain"] ?? "") + "\n", to: .stdout)
    }

    public func clearOutput(wait: Bool) {}

    public func readLine(prompt: String) -> String? {
        write(prompt, to: .stdout)
        return Swift.readLine(strippingNewline: true)
    }
}

/// One display the program sent, as a `BufferOutputSink` records it.
public struct RecordedDisplay {
    public var bundle: [String: String]
    public var displayID: String?
    /// True for an update in place of an earlier display (`update_display_data`).
    public var update: Bool
}

/// A sink that collects output in memory (for tests and for capturing).
public final class BufferOutputSink: OutputSink {
    public private(set) var stdout = ""
    public private(set) var stderr = ""
    /// Every display and display update, in order.
    public private(set) var displayLog: [RecordedDisplay] = []
    /// How many times `clear_output` was called.
    public private(set) var clearCount = 0
    /// Lines that `input()` will read.
    public var inputLines: [String] = []
    public let rendersRichDisplays: Bool

    /// The bundles of all displays and updates, in order.
    public var displays: [[String: String]] { displayLog.map(\.bundle) }

    /// `rendersRichDisplays: true` makes the sink behave like a kernel's (progress bars as updated displays).
    public init(rendersRichDisplays: Bool = false) { self.rendersRichDisplays = rendersRichDisplays }

    public func write(_ text: String, to stream: OutputStreamKind) {
        if stream == .stdout { stdout += text } else { stderr += text }
    }

    public func display(_ bundle: [String: String], displayID: String?, update: Bool) {
        displayLog.append(RecordedDisplay(bundle: bundle, displayID: displayID, update: update))
    }

    public func clearOutput(wait: Bool) { clearCount += 1 }

    public func readLine(prompt: String) -> String? {
        stdout += prompt
        return inputLines.isEmpty ? nil : inputLines.removeFirst()
    }
}
