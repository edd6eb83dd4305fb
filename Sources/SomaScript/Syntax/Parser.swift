/// Parses tokens into statements (recursive descent over Python's grammar for Soma's subset).
struct Parser {
    var tokens: [Token]
    var pos = 0
    /// The stack of enclosing scopes, to tell where `yield` and `return` may stand.
    var scopes: [ScopeNode] = []

    init(tokens: [Token]) { self.tokens = tokens }

    /// Parses a whole source text into a module scope.
    static func parseModule(_ source: String, name: String = "<module>") throws -> ScopeNode {
        var lexer = Lexer(source)
        var parser = Parser(tokens: try lexer.tokenize())
        let module = ScopeNode(kind: .module, name: name, range: SourceRange(line: 1, col: 0, endLine: 1, endCol: 0))
        parser.scopes = [module]
        while !parser.at(.eof) {
            if parser.at(.newline) { parser.pos += 1; continue }
            module.body += try parser.statement()
        }
        return module
    }

    var tok: Token { tokens[pos] }

    func at(_ k: TokenKind) -> Bool { tok.kind == k }
    func atOp(_ s: String) -> Bool { if case .op(s) = tok.kind { return true }; return false }
    func atName(_ s: String) -> Bool { if case .name(s) = tok.kind { return true }; return false }

    mutating func advance() -> Token { let t = tokens[pos]; if pos < tokens.count - 1 { pos += 1 }; return t }

    mutating func acceptOp(_ s: String) -> Bool { if atOp(s) { pos += 1; return true }; return false }
    mutating func acceptName(_ s: String) -> Bool { if atName(s) { pos += 1; return true }; return false }

    func error(_ message: String = "invalid syntax") -> SyntaxError {
        SyntaxError(message, tok.range, atEOF: tok.kind == .eof)
    }

    mutating func expectOp(_ s: String) throws -> Token {
        guard atOp(s) else {
            if tok.kind == .eof { throw error("unexpected EOF while parsing") }
            if s == ":" { throw error("expected ':'") }
            throw error()
        }
        return advance()
    }

    mutating func expectName(_ s: String) throws { guard acceptName(s) else { throw error() } }

    static let keywords: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
        "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    ]

    /// An identifier that is not a keyword.
    mutating func identifier() throws -> String {
        guard case .name(let n) = tok.kind, !Parser.keywords.contains(n) else { throw error() }
        pos += 1
        return n
    }

    var currentScope: ScopeNode { scopes[scopes.count - 1] }
}
