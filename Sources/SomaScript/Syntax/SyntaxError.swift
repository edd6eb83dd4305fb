/// A syntax error found while lexing or parsing, with the position it points at.
public struct SyntaxError: Error, Sendable {
    public var message: String
    public var range: SourceRange
    /// True when the error is only that the source ended too early (the kernel then asks for more lines).
    public var atEOF: Bool

    init(_ message: String, _ range: SourceRange, atEOF: Bool = false) {
        self.message = message; self.range = range; self.atEOF = atEOF
    }

    /// The error for a construct Soma does not support.
    static func unsupported(_ what: String, _ range: SourceRange) -> SyntaxError {
        SyntaxError("\(what) is not supported in Soma", range)
    }
}
