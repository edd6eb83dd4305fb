/// A position range in a source text: 1-based lines, 0-based columns (in Unicode scalars).
public struct SourceRange: Sendable, Equatable {
    public var line: Int
    public var col: Int
    public var endLine: Int
    public var endCol: Int

    public init(line: Int, col: Int, endLine: Int, endCol: Int) {
        self.line = line; self.col = col; self.endLine = endLine; self.endCol = endCol
    }

    /// The range spanning from the start of `self` to the end of `other`.
    func to(_ other: SourceRange) -> SourceRange {
        SourceRange(line: line, col: col, endLine: other.endLine, endCol: other.endCol)
    }
}

/// The kinds of token the lexer produces.
enum TokenKind: Equatable {
    case name(String)
    case int(Int)
    case bigInt(String)
    case float(Double)
    /// A string literal: its decoded text, whether it is an f-string, and its raw body (for f-strings).
    case string(String, isF: Bool, raw: String, bodyStart: SourceRange)
    case op(String)
    case newline
    case indent
    case dedent
    case eof
}

/// One lexical token with its source range.
struct Token {
    var kind: TokenKind
    var range: SourceRange
}
