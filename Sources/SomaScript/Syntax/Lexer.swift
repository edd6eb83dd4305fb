/// Turns source text into tokens, following Python's indentation, bracket and continuation rules.
struct Lexer {
    private let chars: [Unicode.Scalar]
    private var pos = 0
    private var line: Int
    private var lineStart = 0
    private let colOffset: Int
    private var indents = [0]
    private var depth = 0
    private var tokens: [Token] = []
    private var atLineStart = true

    /// Creates a lexer; `line` and `col` place the text inside a larger source (for f-string expressions).
    init(_ source: String, line: Int = 1, col: Int = 0) {
        chars = Array(source.unicodeScalars)
        self.line = line
        colOffset = col
    }

    private static let operators3: Set<String> = ["**=", "//=", ">>=", "<<=", "...", "!=="]
    private static let operators2: Set<String> = [
        "**", "//", "==", "!=", "<=", ">=", "<<", ">>", "+=", "-=", "*=", "/=", "%=", "@=",
        "&=", "|=", "^=", "->", ":=",
    ]
    private static let operators1: Set<Unicode.Scalar> = Set("+-*/%@<>=()[]{},:.;&|^~!".unicodeScalars)

    private func here() -> SourceRange {
        let c = pos - lineStart + (line == 1 ? colOffset : 0)
        return SourceRange(line: line, col: c, endLine: line, endCol: c + 1)
    }

    private func range(from startPos: Int, line startLine: Int, lineStart startLineStart: Int) -> SourceRange {
        let off = startLine == 1 ? colOffset : 0
        let endOff = line == 1 ? colOffset : 0
        return SourceRange(line: startLine, col: startPos - startLineStart + off,
                           endLine: line, endCol: pos - lineStart + endOff)
    }

    private func peek(_ k: Int = 0) -> Unicode.Scalar? {
        pos + k < chars.count ? chars[pos + k] : nil
    }

    /// Lexes the whole text.
    mutating func tokenize() throws -> [Token] {
        while true {
            if atLineStart && depth == 0 {
                if try handleIndentation() { continue }
            }
            guard let c = peek() else { break }
            if c == " " || c == "\t" || c == "\u{0C}" { pos += 1; continue }
            if c == "#" {
                while let d = peek(), d != "\n" { _ = d; pos += 1 }
                continue
            }
            if c == "\\" {
                if peek(1) == "\n" { pos += 2; newLine(); continue }
                if peek(1) == "\r" && peek(2) == "\n" { pos += 3; newLine(); continue }
                throw SyntaxError("unexpected character after line continuation character", here())
            }
            if c == "\n" || c == "\r" {
                let r = here()
                pos += (c == "\r" && peek(1) == "\n") ? 2 : 1
                if depth == 0 { tokens.append(Token(kind: .newline, range: r)) }
                newLine()
                atLineStart = true
                continue
            }
            // A token inside brackets ends the line start too: a line like `])` that closes the
            // brackets must not be measured for indentation halfway through.
            atLineStart = false
            try lexToken(c)
        }
        let end = here()
        if depth > 0 { throw SyntaxError("unexpected EOF while parsing", end, atEOF: true) }
        if let last = tokens.last, last.kind != .newline { tokens.append(Token(kind: .newline, range: end)) }
        while indents.count > 1 { indents.removeLast(); tokens.append(Token(kind: .dedent, range: end)) }
        tokens.append(Token(kind: .eof, range: end))
        return tokens
    }

    private mutating func newLine() {
        line += 1
        lineStart = pos
    }

    /// Measures the indentation of a new logical line; returns true when the line was blank or a comment.
    private mutating func handleIndentation() throws -> Bool {
        var width = 0
        var p = pos
        while p < chars.count, chars[p] == " " || chars[p] == "\t" || chars[p] == "\u{0C}" {
            width = chars[p] == "\t" ? (width / 8 + 1) * 8 : width + 1
            p += 1
        }
        if p >= chars.count || chars[p] == "\n" || chars[p] == "\r" || chars[p] == "#" {
            pos = p
            if p < chars.count && chars[p] == "#" {
                while let d = peek(), d != "\n" { _ = d; pos += 1 }
            }
            if pos < chars.count {
                pos += (chars[pos] == "\r" && peek(1) == "\n") ? 2 : 1
                newLine()
                return true
            }
            atLineStart = false
            return true
        }
        pos = p
        atLineStart = false
        let r = here()
        if width > indents.last! {
            indents.append(width)
            tokens.append(Token(kind: .indent, range: r))
        } else {
            while width < indents.last! {
                indents.removeLast()
                tokens.append(Token(kind: .dedent, range: r))
            }
            if width != indents.last! {
                throw SyntaxError("unindent does not match any outer indentation level", r)
            }
        }
        return false
    }

    private static func isIdentStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || (c.value < 128 ? c.properties.isAlphabetic : c.properties.isXIDStart)
    }

    private static func isIdentContinue(_ c: Unicode.Scalar) -> Bool {
        c == "_" || (c.value < 128 ? (c.properties.isAlphabetic || ("0"..."9").contains(c)) : c.properties.isXIDContinue)
    }

    private mutating func lexToken(_ c: Unicode.Scalar) throws {
        let start = pos, startLine = line, startLineStart = lineStart
        if Lexer.isIdentStart(c) {
            while let d = peek(), Lexer.isIdentContinue(d) { pos += 1 }
            let word = String(String.UnicodeScalarView(chars[start..<pos]))
            if let q = peek(), q == "'" || q == "\"", word.count <= 2,
               word.lowercased().allSatisfy({ "rfbu".contains($0) }) {
                let lower = word.lowercased()
                if lower.contains("b") {
                    throw SyntaxError.unsupported("bytes literals", range(from: start, line: startLine, lineStart: startLineStart))
                }
                try lexString(start: start, startLine: startLine, startLineStart: startLineStart,
                              raw: lower.contains("r"), isF: lower.contains("f"))
                return
            }
            tokens.append(Token(kind: .name(word), range: range(from: start, line: startLine, lineStart: startLineStart)))
            return
        }
        if ("0"..."9").contains(c) || (c == "." && peek(1).map { ("0"..."9").contains($0) } == true) {
            try lexNumber(start: start)
            return
        }
        if c == "'" || c == "\"" {
            try lexString(start: start, startLine: startLine, startLineStart: startLineStart, raw: false, isF: false)
            return
        }
        for n in [3, 2] where pos + n <= chars.count {
            let s = String(String.UnicodeScalarView(chars[pos..<pos + n]))
            if (n == 3 ? Lexer.operators3 : Lexer.operators2).contains(s) {
                pos += n
                tokens.append(Token(kind: .op(s), range: range(from: start, line: startLine, lineStart: startLineStart)))
                return
            }
        }
        if Lexer.operators1.contains(c) {
            pos += 1
            if "([{".unicodeScalars.contains(c) { depth += 1 }
            if ")]}".unicodeScalars.contains(c) { depth = max(0, depth - 1) }
            tokens.append(Token(kind: .op(String(c)), range: range(from: start, line: startLine, lineStart: startLineStart)))
            return
        }
        throw SyntaxError("invalid character '\(c)' (U+\(String(c.value, radix: 16, uppercase: true)))", here())
    }

    private mutating func lexNumber(start: Int) throws {
        let r0 = here()
        func digits(_ ok: (Unicode.Scalar) -> Bool) -> String {
            var s = ""
            while let d = peek(), ok(d) || (d == "_" && peek(1).map(ok) == true) {
                if d != "_" { s.unicodeScalars.append(d) }
                pos += 1
            }
            return s
        }
        let isDec: (Unicode.Scalar) -> Bool = { ("0"..."9").contains($0) }
        if peek() == "0", let p = peek(1), "xXoObB".unicodeScalars.contains(p) {
            pos += 2
            let radix = "xX".unicodeScalars.contains(p) ? 16 : "oO".unicodeScalars.contains(p) ? 8 : 2
            let body = digits { $0.properties.isASCIIHexDigit && Int(String($0), radix: radix) != nil }
            var r = r0; r.endCol = r.col + (pos - start)
            guard !body.isEmpty else { throw SyntaxError("invalid \(radix == 16 ? "hexadecimal" : radix == 8 ? "octal" : "binary") literal", r) }
            if let v = Int(body, radix: radix) { tokens.append(Token(kind: .int(v), range: r)) } else {
                tokens.append(Token(kind: .bigInt(body), range: r))
            }
            try checkNoTrailingIdent()
            return
        }
        var text = digits(isDec)
        var isFloat = false
        if peek() == ".", !(peek(1).map { Lexer.isIdentStart($0) } ?? false) || peek(1) == "e" || peek(1) == "E" {
            pos += 1; isFloat = true
            text += "." + digits(isDec)
        }
        if let e = peek(), e == "e" || e == "E" {
            var k = 1
            if let s = peek(1), s == "+" || s == "-" { k = 2 }
            if let d = peek(k), isDec(d) {
                let sign = k == 2 ? String(peek(1)!) : ""
                pos += k; isFloat = true
                text += "e" + sign + digits(isDec)
            }
        }
        var r = r0; r.endCol = r.col + (pos - start)
        if let j = peek(), j == "j" || j == "J" { throw SyntaxError.unsupported("complex numbers", r) }
        if isFloat {
            tokens.append(Token(kind: .float(Double(text.hasPrefix(".") ? "0" + text : text) ?? .infinity), range: r))
        } else {
            if text.count > 1 && text.hasPrefix("0") && text.contains(where: { $0 != "0" }) {
                throw SyntaxError("leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", r)
            }
            if let v = Int(text) { tokens.append(Token(kind: .int(v), range: r)) } else {
                tokens.append(Token(kind: .bigInt(text), range: r))
            }
        }
        try checkNoTrailingIdent()
    }

    private func checkNoTrailingIdent() throws {
        if let c = peek(), Lexer.isIdentStart(c) { throw SyntaxError("invalid decimal literal", here()) }
    }

    private mutating func lexString(start: Int, startLine: Int, startLineStart: Int, raw: Bool, isF: Bool) throws {
        let q = peek()!
        let triple = peek(1) == q && peek(2) == q
        pos += triple ? 3 : 1
        let bodyStart = here()
        var body = String.UnicodeScalarView()
        while true {
            guard let c = peek() else {
                let r = range(from: start, line: startLine, lineStart: startLineStart)
                if triple { throw SyntaxError("unterminated triple-quoted string literal (detected at line \(line))", r, atEOF: true) }
                throw SyntaxError("unterminated string literal (detected at line \(line))", r)
            }
            if c == q && (!triple || (peek(1) == q && peek(2) == q)) {
                pos += triple ? 3 : 1
                break
            }
            if c == "\n" {
                if !triple {
                    throw SyntaxError("unterminated string literal (detected at line \(line))",
                                      range(from: start, line: startLine, lineStart: startLineStart))
                }
                body.append(c); pos += 1; newLine(); continue
            }
            if c == "\\", let n = peek(1) {
                body.append(c); body.append(n); pos += 2
                if n == "\n" { newLine() }
                continue
            }
            body.append(c); pos += 1
        }
        let rawBody = String(body)
        let r = range(from: start, line: startLine, lineStart: startLineStart)
        let value = raw || isF ? rawBody : try Lexer.unescape(rawBody, r)
        tokens.append(Token(kind: .string(value, isF: isF, raw: raw ? "r" : "", bodyStart: bodyStart), range: r))
    }

    /// Decodes backslash escapes of a (non-raw) string body.
    static func unescape(_ s: String, _ r: SourceRange) throws -> String {
        guard s.unicodeScalars.contains("\\") else { return s }
        var out = String.UnicodeScalarView()
        var it = Array(s.unicodeScalars)[...]
        while let c = it.popFirst() {
            guard c == "\\", let n = it.popFirst() else { out.append(c); continue }
            switch n {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "0"..."7":
                var v = n.value - 48
                for _ in 0..<2 { if let d = it.first, ("0"..."7").contains(d) { v = v * 8 + d.value - 48; it.removeFirst() } }
                out.append(Unicode.Scalar(v)!)
            case "\\": out.append("\\")
            case "'": out.append("'")
            case "\"": out.append("\"")
            case "\n": break
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "v": out.append("\u{0B}")
            case "x", "u", "U":
                let count = n == "x" ? 2 : n == "u" ? 4 : 8
                let hex = String(String.UnicodeScalarView(it.prefix(count)))
                guard hex.count == count, let v = UInt32(hex, radix: 16), let u = Unicode.Scalar(v) else {
                    throw SyntaxError("(unicode error) truncated \\\(n) escape", r)
                }
                it.removeFirst(count)
                out.append(u)
            case "N": throw SyntaxError.unsupported("\\N{...} escapes", r)
            default: out.append("\\"); out.append(n)
            }
        }
        return String(out)
    }
}
