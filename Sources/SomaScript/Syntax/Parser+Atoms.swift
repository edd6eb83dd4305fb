/// Atom parsing: names, literals, displays and comprehensions.
extension Parser {
    mutating func atom() throws -> Expr {
        let t = tok
        switch t.kind {
        case .name(let n):
            switch n {
            case "True": pos += 1; return Expr(kind: .constant(.bool(true)), range: t.range)
            case "False": pos += 1; return Expr(kind: .constant(.bool(false)), range: t.range)
            case "None": pos += 1; return Expr(kind: .constant(.none), range: t.range)
            case "yield": throw SyntaxError("'yield' must be parenthesized here", t.range)
            default:
                if Parser.keywords.contains(n) { throw error() }
                pos += 1
                return Expr(kind: .name(n), range: t.range)
            }
        case .int(let v): pos += 1; return Expr(kind: .constant(.int(v)), range: t.range)
        case .bigInt: throw SyntaxError.unsupported("integers beyond 64 bits", t.range)
        case .float(let v): pos += 1; return Expr(kind: .constant(.float(v)), range: t.range)
        case .string: return try strings()
        case .op("..."): pos += 1; return Expr(kind: .constant(.ellipsis), range: t.range)
        case .op("("): return try parenthesized()
        case .op("["): return try listDisplay()
        case .op("{"): return try braceDisplay()
        case .eof: throw error("unexpected EOF while parsing")
        case .indent: throw error("unexpected indent")
        case .dedent, .newline: throw error()
        case .op(let o):
            if o == ":=" { throw SyntaxError.unsupported("the walrus operator ':='", t.range) }
            throw error()
        }
    }

    private mutating func parenthesized() throws -> Expr {
        let start = advance().range
        if atOp(")") {
            let end = advance().range
            return Expr(kind: .tuple([]), range: start.to(end))
        }
        if atName("yield") {
            let y = try testList(allowYield: true)
            _ = try expectOp(")")
            return y
        }
        let first = try starOrTestInDisplay()
        if atOp(":=") { throw SyntaxError.unsupported("the walrus operator ':='", tok.range) }
        if atName("for") {
            let g = try comprehension(.generator, element: first, start: start)
            let end = try expectOp(")").range
            return Expr(kind: g.kind, range: start.to(end))
        }
        if acceptOp(")") {
            if case .starred = first.kind { throw SyntaxError("cannot use starred expression here", first.range) }
            var e = first
            e.range = start.to(tokens[pos - 1].range)
            if case .tuple = first.kind { return e }
            return first
        }
        var items = [first]
        while acceptOp(",") {
            if atOp(")") { break }
            items.append(try starOrTestInDisplay())
        }
        let end = try expectOp(")").range
        return Expr(kind: .tuple(items), range: start.to(end))
    }

    private mutating func starOrTestInDisplay() throws -> Expr {
        if atOp("*") {
            let r = advance().range
            let e = try bitOr()
            return Expr(kind: .starred(e), range: r.to(e.range))
        }
        return try test()
    }

    private mutating func listDisplay() throws -> Expr {
        let start = advance().range
        var items: [Expr] = []
        if !atOp("]") {
            let first = try starOrTestInDisplay()
            if atName("for") {
                let c = try comprehension(.list, element: first, start: start)
                let end = try expectOp("]").range
                return Expr(kind: c.kind, range: start.to(end))
            }
            items.append(first)
            while acceptOp(",") {
                if atOp("]") { break }
                items.append(try starOrTestInDisplay())
            }
        }
        let end = try expectOp("]").range
        return Expr(kind: .list(items), range: start.to(end))
    }

    private mutating func braceDisplay() throws -> Expr {
        let start = advance().range
        if acceptOp("}") { return Expr(kind: .dict([]), range: start.to(tokens[pos - 1].range)) }
        if acceptOp("**") {
            var entries: [(Expr?, Expr)] = [(nil, try bitOr())]
            try dictRest(&entries)
            return Expr(kind: .dict(entries), range: start.to(tokens[pos - 1].range))
        }
        let first = try starOrTestInDisplay()
        if acceptOp(":") {
            let value = try test()
            if atName("for") {
                let c = try comprehension(.dict, element: first, value: value, start: start)
                let end = try expectOp("}").range
                return Expr(kind: c.kind, range: start.to(end))
            }
            var entries: [(Expr?, Expr)] = [(first, value)]
            try dictRest(&entries)
            return Expr(kind: .dict(entries), range: start.to(tokens[pos - 1].range))
        }
        if atName("for") {
            let c = try comprehension(.set, element: first, start: start)
            let end = try expectOp("}").range
            return Expr(kind: c.kind, range: start.to(end))
        }
        var items = [first]
        while acceptOp(",") {
            if atOp("}") { break }
            items.append(try starOrTestInDisplay())
        }
        let end = try expectOp("}").range
        return Expr(kind: .set(items), range: start.to(end))
    }

    private mutating func dictRest(_ entries: inout [(Expr?, Expr)]) throws {
        while acceptOp(",") {
            if atOp("}") { break }
            if acceptOp("**") { entries.append((nil, try bitOr())); continue }
            let k = try test()
            _ = try expectOp(":")
            entries.append((k, try test()))
        }
        _ = try expectOp("}")
    }

    /// Adjacent string literals, joined; f-strings become parts.
    private mutating func strings() throws -> Expr {
        let start = tok.range
        var parts: [FStringPart] = []
        var anyF = false
        var end = start
        while case .string(let value, let isF, let raw, let bodyStart) = tok.kind {
            end = advance().range
            if isF {
                anyF = true
                parts += try fstringParts(value, raw: raw == "r", at: bodyStart)
            } else {
                parts.append(.literal(value))
            }
        }
        let range = start.to(end)
        if !anyF {
            let text = parts.map { if case .literal(let s) = $0 { return s }; return "" }.joined()
            return Expr(kind: .constant(.str(text)), range: range)
        }
        return Expr(kind: .fstring(parts), range: range)
    }

    /// Splits an f-string body into literal text and `{expression!conversion:spec}` fields.
    private func fstringParts(_ body: String, raw: Bool, at origin: SourceRange) throws -> [FStringPart] {
        let s = Array(body.unicodeScalars)
        var i = 0
        return try fstringParts(s, &i, raw: raw, origin: origin, nested: false)
    }

    private func fstringParts(_ s: [Unicode.Scalar], _ i: inout Int, raw: Bool, origin: SourceRange, nested: Bool) throws -> [FStringPart] {
        var parts: [FStringPart] = []
        var literal = String.UnicodeScalarView()
        func here(_ k: Int) -> SourceRange {
            SourceRange(line: origin.line, col: origin.col + k, endLine: origin.line, endCol: origin.col + k + 1)
        }
        func flush() throws {
            if !literal.isEmpty {
                let text = String(literal)
                parts.append(.literal(raw ? text : try Lexer.unescape(text, origin)))
                literal = String.UnicodeScalarView()
            }
        }
        while i < s.count {
            let c = s[i]
            if nested && c == "}" { break }
            if c == "{" {
                if !nested && i + 1 < s.count && s[i + 1] == "{" { literal.append("{"); i += 2; continue }
                try flush()
                parts += try fstringField(s, &i, raw: raw, origin: origin)
                continue
            }
            if c == "}" {
                if i + 1 < s.count && s[i + 1] == "}" { literal.append("}"); i += 2; continue }
                throw SyntaxError("f-string: single '}' is not allowed", here(i))
            }
            literal.append(c)
            i += 1
        }
        try flush()
        return parts
    }

    private func fstringField(_ s: [Unicode.Scalar], _ i: inout Int, raw: Bool, origin: SourceRange) throws -> [FStringPart] {
        let open = i
        i += 1
        let exprStart = i
        var depth = 0
        var quote: Unicode.Scalar?
        func here(_ k: Int) -> SourceRange {
            SourceRange(line: origin.line, col: origin.col + k, endLine: origin.line, endCol: origin.col + k + 1)
        }
        var exprEnd = -1
        var debug = false
        while i < s.count {
            let c = s[i]
            if let q = quote {
                if c == q { quote = nil }
                i += 1; continue
            }
            if c == "'" || c == "\"" { quote = c; i += 1; continue }
            if "([{".unicodeScalars.contains(c) { depth += 1 } else if ")]".unicodeScalars.contains(c) { depth -= 1 }
            else if c == "}" { if depth == 0 { exprEnd = i; break }; depth -= 1 }
            else if depth == 0 && c == "!" && i + 1 < s.count && s[i + 1] != "=" { exprEnd = i; break }
            else if depth == 0 && c == ":" { exprEnd = i; break }
            else if depth == 0 && c == "=" && i + 1 < s.count && "}!:".unicodeScalars.contains(s[i + 1])
                        && i > exprStart && !"=!<>".unicodeScalars.contains(s[i - 1]) {
                debug = true; exprEnd = i; i += 1; break
            }
            i += 1
        }
        guard exprEnd >= 0 else { throw SyntaxError("f-string: expecting '}'", here(open)) }
        let exprText = String(String.UnicodeScalarView(s[exprStart..<exprEnd]))
        if exprText.allSatisfy(\.isWhitespace) { throw SyntaxError("f-string: valid expression required before '}'", here(open)) }
        let expr = try Parser.subExpression(exprText, line: origin.line, col: origin.col + exprStart)
        var conversion: Character?
        if i < s.count && s[i] == "!" {
            guard i + 1 < s.count, "rsa".unicodeScalars.contains(s[i + 1]) else {
                throw SyntaxError("f-string: invalid conversion character: expected 's', 'r', or 'a'", here(i))
            }
            conversion = Character(s[i + 1])
            i += 2
        }
        var spec: [FStringPart]?
        if i < s.count && s[i] == ":" {
            i += 1
            spec = try fstringParts(s, &i, raw: raw, origin: origin, nested: true)
        }
        guard i < s.count && s[i] == "}" else { throw SyntaxError("f-string: expecting '}'", here(open)) }
        i += 1
        var parts: [FStringPart] = []
        if debug {
            parts.append(.literal(String(String.UnicodeScalarView(s[exprStart...exprEnd]))))
            if conversion == nil && spec == nil { conversion = "r" }
        }
        parts.append(.value(expr, conversion: conversion, spec: spec))
        return parts
    }

    /// Parses an f-string field's expression text placed at the given position.
    static func subExpression(_ text: String, line: Int, col: Int) throws -> Expr {
        var lexer = Lexer("(" + text + ")", line: line, col: col - 1)
        var p = Parser(tokens: try lexer.tokenize())
        p.scopes = [ScopeNode(kind: .function, name: "<fstring>", range: SourceRange(line: line, col: col, endLine: line, endCol: col))]
        let e = try p.testList(allowStar: false)
        while p.at(.newline) { p.pos += 1 }
        guard p.at(.eof) else { throw p.error("f-string: invalid syntax") }
        return e
    }
}
