/// Expression parsing, by precedence level.
extension Parser {
    /// `test (',' test)* [',']`, a tuple when there is a comma.
    mutating func testList(allowStar: Bool = false, allowYield: Bool = false) throws -> Expr {
        if allowYield && atName("yield") { return try yieldExpr() }
        let first = try starOrTest(allowStar)
        guard atOp(",") else {
            if case .starred = first.kind { throw SyntaxError("can't use starred expression here", first.range) }
            return first
        }
        var items = [first]
        while acceptOp(",") {
            if atEndOfTestList { break }
            items.append(try starOrTest(allowStar))
        }
        return Expr(kind: .tuple(items), range: first.range.to(items.last!.range))
    }

    private var atEndOfTestList: Bool {
        if case .op(let o) = tok.kind { return [")", "]", "}", "=", ":", ";"].contains(o) || Parser.isAugOp(o) }
        return at(.newline) || at(.eof) || atName("in")
    }

    static func isAugOp(_ o: String) -> Bool { o.count >= 2 && o.hasSuffix("=") && !["==", "!=", "<=", ">="].contains(o) }

    private mutating func starOrTest(_ allowStar: Bool) throws -> Expr {
        if atOp("*") {
            let r = advance().range
            guard allowStar else { throw SyntaxError("can't use starred expression here", r) }
            let e = try bitOr()
            return Expr(kind: .starred(e), range: r.to(e.range))
        }
        return try test()
    }

    /// A `for` loop's or comprehension's target list.
    mutating func targetList() throws -> Expr {
        let first = try targetItem()
        guard atOp(",") else { try checkTarget(first, verb: "assign to"); return first }
        var items = [first]
        while acceptOp(",") {
            if atName("in") || atOp("=") { break }
            items.append(try targetItem())
        }
        let e = Expr(kind: .tuple(items), range: first.range.to(items.last!.range))
        try checkTarget(e, verb: "assign to")
        return e
    }

    private mutating func targetItem() throws -> Expr {
        if atOp("*") {
            let r = advance().range
            let e = try bitOr()
            return Expr(kind: .starred(e), range: r.to(e.range))
        }
        return try bitOr()
    }

    /// A `with ... as` target.
    mutating func targetAtom() throws -> Expr {
        let e = try bitOr()
        try checkTarget(e, verb: "assign to")
        return e
    }

    private mutating func yieldExpr() throws -> Expr {
        let r = advance().range
        switch currentScope.kind {
        case .function: currentScope.isGenerator = true
        case .lambda: throw SyntaxError.unsupported("'yield' inside lambda", r)
        case .comprehension: throw SyntaxError("'yield' inside comprehension", r)
        default: throw SyntaxError("'yield' outside function", r)
        }
        if acceptName("from") {
            let e = try test()
            return Expr(kind: .yieldFrom(e), range: r.to(e.range))
        }
        if atEndOfSimple || atOp(")") { return Expr(kind: .yield(nil), range: r) }
        let e = try testList(allowStar: true)
        return Expr(kind: .yield(e), range: r.to(e.range))
    }

    /// `or_test ['if' or_test 'else' test] | lambda`.
    mutating func test() throws -> Expr {
        if atName("lambda") { return try lambda() }
        let e = try orTest()
        if atName("if") {
            pos += 1
            let cond = try orTest()
            guard acceptName("else") else { throw error("expected 'else' after 'if' expression") }
            let other = try test()
            return Expr(kind: .ifExp(cond: cond, then: e, orElse: other), range: e.range.to(other.range))
        }
        return e
    }

    private mutating func testNoCond() throws -> Expr {
        atName("lambda") ? try lambda() : try orTest()
    }

    private mutating func lambda() throws -> Expr {
        let r = advance().range
        let scope = ScopeNode(kind: .lambda, name: "<lambda>", range: r)
        scope.params = try parameters(closer: ":", annotations: false)
        _ = try expectOp(":")
        scopes.append(scope)
        defer { scopes.removeLast() }
        let body = try test()
        scope.element = body
        scope.range = r.to(body.range)
        return Expr(kind: .lambda(scope), range: r.to(body.range))
    }

    private mutating func orTest() throws -> Expr {
        let first = try andTest()
        guard atName("or") else { return first }
        var items = [first]
        while acceptName("or") { items.append(try andTest()) }
        return Expr(kind: .boolOp(isAnd: false, items), range: first.range.to(items.last!.range))
    }

    private mutating func andTest() throws -> Expr {
        let first = try notTest()
        guard atName("and") else { return first }
        var items = [first]
        while acceptName("and") { items.append(try notTest()) }
        return Expr(kind: .boolOp(isAnd: true, items), range: first.range.to(items.last!.range))
    }

    private mutating func notTest() throws -> Expr {
        if atName("not") {
            let r = advance().range
            let e = try notTest()
            return Expr(kind: .unary(.not, e), range: r.to(e.range))
        }
        return try comparison()
    }

    private mutating func compOp() -> CmpOp? {
        switch tok.kind {
        case .op(let o):
            if o == "<>" { return nil }
            if let c = CmpOp(rawValue: o), ["==", "!=", "<", "<=", ">", ">="].contains(o) { pos += 1; return c }
        case .name("in"): pos += 1; return .in
        case .name("not") where tokens[pos + 1].kind == .name("in"): pos += 2; return .notIn
        case .name("is"):
            pos += 1
            return acceptName("not") ? .isNot : .is
        default: break
        }
        return nil
    }

    private mutating func comparison() throws -> Expr {
        let first = try bitOr()
        var rest: [(CmpOp, Expr)] = []
        while let op = compOp() { rest.append((op, try bitOr())) }
        if rest.isEmpty { return first }
        return Expr(kind: .compare(first, rest), range: first.range.to(rest.last!.1.range))
    }

    private mutating func binaryLevel(_ ops: [String: BinOp], _ next: (inout Parser) throws -> Expr) throws -> Expr {
        var left = try next(&self)
        while case .op(let o) = tok.kind, let op = ops[o] {
            pos += 1
            let right = try next(&self)
            left = Expr(kind: .binary(op, left, right), range: left.range.to(right.range))
        }
        return left
    }

    mutating func bitOr() throws -> Expr { try binaryLevel(["|": .bitOr]) { try $0.bitXor() } }
    private mutating func bitXor() throws -> Expr { try binaryLevel(["^": .bitXor]) { try $0.bitAnd() } }
    private mutating func bitAnd() throws -> Expr { try binaryLevel(["&": .bitAnd]) { try $0.shift() } }
    private mutating func shift() throws -> Expr { try binaryLevel(["<<": .lshift, ">>": .rshift]) { try $0.arith() } }
    private mutating func arith() throws -> Expr { try binaryLevel(["+": .add, "-": .sub]) { try $0.term() } }
    private mutating func term() throws -> Expr {
        try binaryLevel(["*": .mul, "/": .div, "//": .floorDiv, "%": .mod, "@": .matMul]) { try $0.factor() }
    }

    private mutating func factor() throws -> Expr {
        if case .op(let o) = tok.kind, let op = ["-": UnaryOp.neg, "+": .pos, "~": .invert][o] {
            let r = advance().range
            let e = try factor()
            if op == .neg, case .constant(.int(let v)) = e.kind { return Expr(kind: .constant(.int(-v)), range: r.to(e.range)) }
            return Expr(kind: .unary(op, e), range: r.to(e.range))
        }
        return try power()
    }

    private mutating func power() throws -> Expr {
        if atName("await") { throw SyntaxError.unsupported("'await'", tok.range) }
        let base = try primary()
        if acceptOp("**") {
            let exp = try factor()
            return Expr(kind: .binary(.pow, base, exp), range: base.range.to(exp.range))
        }
        return base
    }

    private mutating func primary() throws -> Expr {
        var e = try atom()
        while true {
            if atOp("(") {
                pos += 1
                let args = try callArgs()
                let end = try expectOp(")").range
                e = Expr(kind: .call(e, args), range: e.range.to(end))
            } else if atOp("[") {
                pos += 1
                let index = try subscriptList()
                let end = try expectOp("]").range
                e = Expr(kind: .itemAccess(e, index), range: e.range.to(end))
            } else if atOp(".") {
                pos += 1
                let r = tok.range
                let name = try identifier()
                e = Expr(kind: .attribute(e, name), range: e.range.to(r))
            } else {
                return e
            }
        }
    }

    private mutating func callArgs() throws -> [CallArg] {
        var args: [CallArg] = []
        var seenKeyword = false
        while !atOp(")") {
            if acceptOp("**") {
                args.append(.doubleStar(try test())); seenKeyword = true
            } else if acceptOp("*") {
                args.append(.star(try test()))
            } else if case .name(let n) = tok.kind, tokens[pos + 1].kind == .op("="), !Parser.keywords.contains(n) {
                pos += 2
                if args.contains(where: { if case .keyword(n, _) = $0 { return true }; return false }) {
                    throw SyntaxError("keyword argument repeated: \(n)", tokens[pos - 2].range)
                }
                args.append(.keyword(n, try test())); seenKeyword = true
            } else {
                let r = tok.range
                var e = try test()
                if atOp(":=") { throw SyntaxError.unsupported("the walrus operator ':='", tok.range) }
                if atName("for") {
                    e = try comprehension(.generator, element: e, start: r)
                }
                if seenKeyword { throw SyntaxError("positional argument follows keyword argument", e.range) }
                args.append(.positional(e))
            }
            if !acceptOp(",") { break }
        }
        return args
    }

    private mutating func subscriptList() throws -> Expr {
        let first = try subscriptItem()
        guard atOp(",") else { return first }
        var items = [first]
        while acceptOp(",") {
            if atOp("]") { break }
            items.append(try subscriptItem())
        }
        return Expr(kind: .tuple(items), range: first.range.to(items.last!.range))
    }

    private mutating func subscriptItem() throws -> Expr {
        let r = tok.range
        var lower: Expr?
        if !atOp(":") {
            let e = try starOrTest(true)
            if !atOp(":") { return e }
            lower = e
        }
        _ = try expectOp(":")
        var upper: Expr?, step: Expr?
        if !atOp(":") && !atOp(",") && !atOp("]") { upper = try test() }
        if acceptOp(":") {
            if !atOp(",") && !atOp("]") { step = try test() }
        }
        return Expr(kind: .slice(lower, upper, step), range: r.to(tokens[pos - 1].range))
    }

    /// Parses the `for ... in ... if ...` clauses after a comprehension's element.
    mutating func comprehension(_ kind: ComprehensionKind, element: Expr, value: Expr? = nil, start: SourceRange) throws -> Expr {
        let scope = ScopeNode(kind: .comprehension(kind), name: kind == .generator ? "<genexpr>" : "<\(kind)comp>", range: start)
        scope.element = element
        scope.value = value
        scopes.append(scope)
        defer { scopes.removeLast() }
        while atName("for") {
            pos += 1
            if atName("async") { throw SyntaxError.unsupported("'async for'", tok.range) }
            let target = try targetList()
            try expectName("in")
            let iter = try orTest()
            var conds: [Expr] = []
            while atName("if") { pos += 1; conds.append(try testNoCond()) }
            scope.clauses.append(ComprehensionClause(target: target, iter: iter, conditions: conds))
        }
        scope.range = start.to(tokens[pos - 1].range)
        return Expr(kind: .comprehension(scope), range: scope.range)
    }
}
