/// Statement parsing.
extension Parser {
    /// Parses one logical line (possibly several `;`-separated simple statements) or one compound statement.
    mutating func statement() throws -> [Stmt] {
        let t = tok
        if case .name(let kw) = t.kind {
            switch kw {
            case "if": return [try ifStatement()]
            case "while": return [try whileStatement()]
            case "for": return [try forStatement()]
            case "def": return [try funcDef(decorators: [])]
            case "class": return [try classDef(decorators: [])]
            case "try": return [try tryStatement()]
            case "with": return [try withStatement()]
            case "async", "await": throw SyntaxError.unsupported("'\(kw)'", t.range)
            case "match" where isMatchStatement(): throw SyntaxError.unsupported("the 'match' statement", t.range)
            default: break
            }
        }
        if atOp("@") { return [try decorated()] }
        if at(.indent) { throw error("unexpected indent") }
        return try simpleLine()
    }

    /// `;`-separated simple statements up to the end of the line.
    private mutating func simpleLine() throws -> [Stmt] {
        var stmts = [try simpleStatement()]
        while acceptOp(";") {
            if at(.newline) { break }
            stmts.append(try simpleStatement())
        }
        guard at(.newline) || at(.eof) else { throw error() }
        if at(.newline) { pos += 1 }
        return stmts
    }

    private func isMatchStatement() -> Bool {
        var p = pos + 1
        guard p < tokens.count else { return false }
        if case .op(let o) = tokens[p].kind, ["=", ".", "(", ")", "[", ",", ":"].contains(o) || o.hasSuffix("=") { return false }
        while p < tokens.count, tokens[p].kind != .newline, tokens[p].kind != .eof { p += 1 }
        return p > 0 && tokens[p - 1].kind == .op(":")
    }

    /// An indented block or a simple statement on the same line.
    mutating func block() throws -> [Stmt] {
        _ = try expectOp(":")
        if !at(.newline) { return try simpleLine() }
        pos += 1
        guard at(.indent) else { throw error(tok.kind == .eof ? "unexpected EOF while parsing" : "expected an indented block") }
        pos += 1
        var body: [Stmt] = []
        while !at(.dedent) && !at(.eof) { body += try statement() }
        if at(.dedent) { pos += 1 }
        return body
    }

    private mutating func ifStatement() throws -> Stmt {
        let start = advance().range
        let cond = try namedTest()
        let body = try block()
        var orElse: [Stmt] = []
        if atName("elif") {
            orElse = [try ifStatement()]
        } else if acceptName("else") {
            orElse = try block()
        }
        return Stmt(kind: .ifElse(cond, body, orElse), range: start.to(cond.range))
    }

    private mutating func whileStatement() throws -> Stmt {
        let start = advance().range
        let cond = try namedTest()
        let body = try block()
        let orElse = acceptName("else") ? try block() : []
        return Stmt(kind: .whileLoop(cond, body, orElse: orElse), range: start.to(cond.range))
    }

    private mutating func forStatement() throws -> Stmt {
        let start = advance().range
        let target = try targetList()
        try expectName("in")
        let iter = try testList()
        let body = try block()
        let orElse = acceptName("else") ? try block() : []
        return Stmt(kind: .forLoop(target: target, iter: iter, body: body, orElse: orElse), range: start.to(iter.range))
    }

    /// A test that rejects the walrus operator with a clear message.
    mutating func namedTest() throws -> Expr {
        let e = try test()
        if atOp(":=") { throw SyntaxError.unsupported("the walrus operator ':='", tok.range) }
        return e
    }

    private mutating func tryStatement() throws -> Stmt {
        let start = advance().range
        let body = try block()
        var handlers: [ExceptHandler] = []
        while atName("except") {
            let r = advance().range
            if atOp("*") { throw SyntaxError.unsupported("'except*'", tok.range) }
            var type: Expr?
            var name: String?
            if !atOp(":") {
                type = try test()
                if atOp(",") {
                    var items = [type!]
                    while acceptOp(",") { items.append(try test()) }
                    type = Expr(kind: .tuple(items), range: items[0].range.to(items.last!.range))
                }
                if acceptName("as") { name = try identifier() }
            }
            handlers.append(ExceptHandler(type: type, name: name, body: try block(), range: r))
        }
        let orElse = !handlers.isEmpty && acceptName("else") ? try block() : []
        let fin = acceptName("finally") ? try block() : []
        if handlers.isEmpty && fin.isEmpty { throw error("expected 'except' or 'finally' block") }
        return Stmt(kind: .tryStmt(body: body, handlers: handlers, orElse: orElse, finally: fin), range: start)
    }

    private mutating func withStatement() throws -> Stmt {
        let start = advance().range
        var items: [(Expr, Expr?)] = []
        let parenthesized = atOp("(") && isParenthesizedWithItems()
        if parenthesized { pos += 1 }
        repeat {
            if parenthesized && atOp(")") { break }
            let ctx = try test()
            var target: Expr?
            if acceptName("as") { target = try targetAtom() }
            items.append((ctx, target))
        } while acceptOp(",")
        if parenthesized { _ = try expectOp(")") }
        let body = try block()
        return Stmt(kind: .with(items: items, body: body), range: start)
    }

    private func isParenthesizedWithItems() -> Bool {
        var depth = 0
        var p = pos
        while p < tokens.count {
            switch tokens[p].kind {
            case .op("("), .op("["), .op("{"): depth += 1
            case .op(")"), .op("]"), .op("}"):
                depth -= 1
                if depth == 0 { return p + 1 < tokens.count && tokens[p + 1].kind == .op(":") && containsAs(pos, p) }
            case .newline, .eof: return false
            default: break
            }
            p += 1
        }
        return false
    }

    private func containsAs(_ a: Int, _ b: Int) -> Bool {
        tokens[a..<b].contains { $0.kind == .name("as") }
    }

    private mutating func decorated() throws -> Stmt {
        var decorators: [Expr] = []
        while atOp("@") {
            let atRange = advance().range
            let d = try test()
            var ok = false
            if case .name(let n) = d.kind, ["staticmethod", "classmethod", "property"].contains(n) { ok = true }
            if case .attribute(_, let attr) = d.kind, ["setter", "deleter", "getter"].contains(attr) { ok = true }
            if !ok { throw SyntaxError.unsupported("decorators other than @staticmethod, @classmethod and @property", atRange.to(d.range)) }
            decorators.append(d)
            guard at(.newline) else { throw error() }
            pos += 1
        }
        if atName("def") { return try funcDef(decorators: decorators) }
        if atName("class") { throw SyntaxError.unsupported("class decorators", tok.range) }
        throw error()
    }

    private mutating func funcDef(decorators: [Expr]) throws -> Stmt {
        let start = advance().range
        let nameRange = tok.range
        let name = try identifier()
        let scope = ScopeNode(kind: .function, name: name, range: start.to(nameRange))
        scope.decorators = decorators
        _ = try expectOp("(")
        scope.params = try parameters(closer: ")", annotations: true)
        _ = try expectOp(")")
        if acceptOp("->") { _ = try test() }
        scopes.append(scope)
        defer { scopes.removeLast() }
        scope.body = try block()
        scope.docstring = Parser.docstring(scope.body)
        return Stmt(kind: .funcDef(scope), range: start.to(nameRange))
    }

    static func docstring(_ body: [Stmt]) -> String? {
        if case .expr(let e)? = body.first?.kind, case .constant(.str(let s)) = e.kind { return s }
        return nil
    }

    /// Parses a parameter list up to `closer` (")" for def, ":" for lambda).
    mutating func parameters(closer: String, annotations: Bool) throws -> Parameters {
        var p = Parameters()
        var seenStar = false
        var seenDefault = false
        var names = Set<String>()
        func addName(_ n: String, _ r: SourceRange) throws {
            if !names.insert(n).inserted { throw SyntaxError("duplicate argument '\(n)' in function definition", r) }
        }
        while !atOp(closer) {
            let r = tok.range
            if acceptOp("**") {
                let n = try identifier(); try addName(n, r)
                if annotations && acceptOp(":") { _ = try test() }
                p.varKeywords = n
                _ = acceptOp(",")
                guard atOp(closer) else { throw error("arguments cannot follow var-keyword argument") }
                break
            }
            if acceptOp("*") {
                if seenStar { throw error("* argument may appear only once") }
                seenStar = true
                if atOp(",") || atOp(closer) {
                    if atOp(closer) { throw error("named arguments must follow bare *") }
                } else {
                    let n = try identifier(); try addName(n, r)
                    if annotations && acceptOp(":") { _ = try test() }
                    p.varArgs = n
                }
            } else if acceptOp("/") {
                throw SyntaxError.unsupported("positional-only parameters ('/')", r)
            } else {
                let n = try identifier(); try addName(n, r)
                if annotations && acceptOp(":") { _ = try test() }
                var d: Expr?
                if acceptOp("=") { d = try test() }
                if seenStar {
                    p.keywordOnly.append((n, d))
                } else {
                    if d == nil && seenDefault { throw SyntaxError("non-default argument follows default argument", r) }
                    if d != nil { seenDefault = true }
                    p.positional.append((n, d))
                }
            }
            if !acceptOp(",") { break }
        }
        return p
    }

    private mutating func classDef(decorators: [Expr]) throws -> Stmt {
        let start = advance().range
        let nameRange = tok.range
        let name = try identifier()
        let scope = ScopeNode(kind: .classBody, name: name, range: start.to(nameRange))
        if acceptOp("(") {
            while !atOp(")") {
                if case .name(let n) = tok.kind, tokens[pos + 1].kind == .op("=") {
                    throw SyntaxError.unsupported("class keyword '\(n)=' (metaclasses)", tok.range)
                }
                scope.bases.append(try test())
                if !acceptOp(",") { break }
            }
            _ = try expectOp(")")
        }
        if scope.bases.count > 1 {
            throw SyntaxError.unsupported("multiple inheritance", scope.bases[1].range)
        }
        scopes.append(scope)
        defer { scopes.removeLast() }
        scope.body = try block()
        scope.docstring = Parser.docstring(scope.body)
        return Stmt(kind: .classDef(scope), range: start.to(nameRange))
    }
}
