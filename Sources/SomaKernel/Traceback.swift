/// IPython-style tracebacks with ANSI colours, for backends to build `KernelErrorInfo.traceback`.
public enum Traceback {
    /// One frame: where (e.g. "Cell In[3]" or "File /path/x.py"), the line number, the function
    /// (nil at cell level), the source line and optionally the columns (0-based, end exclusive)
    /// of the failing expression to underline with carets.
    public struct Frame {
        public var location: String
        public var line: Int
        public var function: String?
        public var source: String?
        public var caretStart: Int?
        public var caretEnd: Int?

        public init(location: String, line: Int, function: String? = nil, source: String? = nil,
                    caretStart: Int? = nil, caretEnd: Int? = nil) {
            self.location = location; self.line = line; self.function = function
            self.source = source; self.caretStart = caretStart; self.caretEnd = caretEnd
        }
    }

    static let red = "\u{1b}[0;31m"
    static let green = "\u{1b}[0;32m"
    static let cyan = "\u{1b}[0;36m"
    static let boldRed = "\u{1b}[1;31m"
    static let reset = "\u{1b}[0m"

    /// The traceback lines as IPython 8 shows them:
    ///
    ///     ---------------------------------------------------------------------------
    ///     ZeroDivisionError                         Traceback (most recent call last)
    ///     Cell In[1], line 1
    ///     ----> 1 1/0
    ///
    ///     ZeroDivisionError: division by zero
    public static func format(ename: String, evalue: String, frames: [Frame]) -> [String] {
        var lines: [String] = []
        let rule = String(repeating: "-", count: 75)
        lines.append("\(red)\(rule)\(reset)")
        let pad = String(repeating: " ", count: max(1, 42 - ename.count))
        lines.append("\(red)\(ename)\(reset)\(pad)Traceback (most recent call last)")
        for f in frames {
            var block = ""
            let (prefix, place) = splitLocation(f.location)
            block += "\(prefix)\(green)\(place), line \(f.line)\(reset)"
            if let fn = f.function { block += ", in \(cyan)\(fn)\(reset)" }
            if let src = f.source {
                let arrow = "----> \(f.line)"
                block += "\n\(green)\(arrow)\(reset) \(src)"
                if let s = f.caretStart {
                    let e = max(s + 1, f.caretEnd ?? s + 1)
                    block += "\n" + String(repeating: " ", count: arrow.count + 1 + s)
                        + "\(boldRed)\(String(repeating: "^", count: e - s))\(reset)"
                }
            }
            lines.append(block + "\n")
        }
        lines.append(evalue.isEmpty ? "\(red)\(ename)\(reset)" : "\(red)\(ename)\(reset): \(evalue)")
        return lines
    }

    private static func splitLocation(_ location: String) -> (String, String) {
        if location.hasPrefix("Cell ") { return ("Cell ", String(location.dropFirst(5))) }
        if location.hasPrefix("File ") { return ("File ", String(location.dropFirst(5))) }
        return ("", location)
    }
}
