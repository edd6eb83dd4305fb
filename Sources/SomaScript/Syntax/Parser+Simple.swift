/// Simple (one-line) statement parsing.
extension Parser {
    private static let augOps: [String: BinOp] = [
        "+=": .add, "-=": .sub, "*=": .mul, "/=": .div, "//=": .floorDiv, "%=": .mod, "**=": .pow, "@=": .matMul,
        "<<=": .lshift, ">>=": .rshift, "&=": .bitAnd, "|=": .bitOr, "^=": .bitXor,
    ]

    mutating func simpleStatement() throws -> Stmt {
        let t = tok
        if case .name(let kw) = t.kind {
            switch kw {
            case "pass": pos += 1; return Stmt(kind: .pass, range: t.range)
            case "break": pos += 1; return Stmt(kind: .breakLoop, range: t.range)
            case "continue": pos += 1; return Stmt(kind: .continueLoop, range: t.range)
            case "return":
                pos += 1
                if case .module = currentScope.kind { throw SyntaxError("'return' outside function", t.range) }
                if case .classBody = currentScope.kind { throw SyntaxError("'return' outside function", t.range) }
                let v = atEndOfSimple ? nil : try testList(allowStar: true)
                return Stmt(kind: .returnValue(v), range: v.map { t.range.to($0.range) } ?? t.range)
            case "del":
                pos += 1
                var targets: [Expr] = []
                repeat {
                    if atEndOfSimple { break }
                    let e = try bitOr()
                    try checkTarget(e, verb: "delete")
                    targets.append(e)
                } while acceptOp(",")
                return Stmt(kind: .del(targets), range: t.range)
            case "raise":
                pos += 1
                if atEndOfSimple { return Stmt(kind: .raise(nil, cause: nil), range: t.range) }
                let e = try test()
                let cause = acceptName("from") ? try test() : nil
                return Stmt(kind: .raise(e, cause: cause), range: t.range.to(e.range))
            case "global", "nonlocal":
                pos += 1
                var names = [try identifier()]
                while acceptOp(",") { names.append(try identifier()) }
                if kw == "nonlocal", case .module = currentScope.kind {
                    throw SyntaxError("nonlocal declaration not allowed at module level", t.range)
                }
                return Stmt(kind: kw == "global" ? .global(names) : .nonlocal(names), range: t.range)
            case "assert":
                pos += 1
                let c = try test()
                let msg = acceptOp(",") ? try test() : nil
                return Stmt(kind: .assert(c, msg), range: t.range.to(c.range))
            case "import": return try importStatement()
            case "from": return try fromImport()
            default: break
            }
        }
        let first = try testList(allowStar: true, allowYield: true)
        if atOp("=") {
            var targets = [first]
            var value = first
            while acceptOp("=") {
                value = try testList(allowStar: true, allowYield: true)
                targets.append(value)
            }
            targets.removeLast()
            for target in targets { try checkTarget(target, verb: "assign to") }
            return Stmt(kind: .assign(targets: targets, value: value), range: first.range.to(value.range))
        }
        if case .op(let o) = tok.kind, let op = Parser.augOps[o] {
            pos += 1
            switch first.kind {
            case .name, .attribute, .itemAccess: break
            default: throw SyntaxError("'\(Parser.describe(first))' is an illegal expression for augmented assignment", first.range)
            }
            let value = try testList(allowYield: true)
            return Stmt(kind: .augAssign(first, op, value), range: first.range.to(value.range))
        }
        if acceptOp(":") {
            try checkTarget(first, verb: "annotate")
            _ = try test()
            let value = acceptOp("=") ? try testList(allowStar: true, allowYield: true) : nil
            return Stmt(kind: .annAssign(first, value), range: first.range)
        }
        if atOp(":=") { throw SyntaxError.unsupported("the walrus operator ':='", tok.range) }
        return Stmt(kind: .expr(first), range: first.range)
    }

    var atEndOfSimple: Bool { at(.newline) || at(.eof) || atOp(";") }

    /// Checks that an expression may be assigned to (or deleted).
    func checkTarget(_ e: Expr, verb: String) throws {
        switch e.kind {
        case .name, .attribute, .itemAccess: return
        case .tuple(let items), .list(let items):
            if verb == "annotate" { break }
            var stars = 0
            for item in items {
                if case .starred(let inner) = item.kind {
                    stars += 1
                    if verb == "delete" { throw SyntaxError("cannot delete starred", item.range) }
                    try checkTarget(inner, verb: verb)
                } else {
                    try checkTarget(item, verb: verb)
                }
            }
            if stars > 1 { throw SyntaxError("multiple starred expressions in assignment", e.range) }
            return
        case .starred:
            throw SyntaxError("starred assignment target must be in a list or tuple", e.range)
        default: break
        }
        if case .constant(let c) = e.kind, case .none = c { throw SyntaxError("cannot \(verb) None", e.range) }
        if case .call = e.kind {
            throw SyntaxError("cannot \(verb) function call here. Maybe you meant '==' instead of '='?", e.range)
        }
        throw SyntaxError("cannot \(verb) \(Parser.describe(e))", e.range)
    }

    static func describe(_ e: Expr) -> String {
        switch e.kind {
        case .constant(.str): return "literal"
        case .constant(.bool(let b)): return b ? "True" : "False"
        case .constant(.none): return "None"
        case .constant(.ellipsis): return "ellipsis"
        case .constant: return "literal"
        case .call: return "function call"
        case .binary, .unary: return "expression"
        case .compare: return "comparison"
        case .boolOp: return "expression"
        case .lambda: return "lambda"
        case .ifExp: return "conditional expression"
        case .fstring: return "f-string expression"
        case .comprehension(let s):
            switch s.kind {
            case .comprehension(.list): return "list comprehension"
            case .comprehension(.set): return "set comprehension"
            case .comprehension(.dict): return "dict comprehension"
            default: return "generator expression"
            }
        case .dict: return "dict literal"
        case .set: return "set display"
        case .yield, .yieldFrom: return "yield expression"
        case .tuple: return "tuple"
        default: return "expression"
        }
    }

    private mutating func dottedName() throws -> String {
        var parts = [try identifier()]
        while acceptOp(".") { parts.append(try identifier()) }
        return parts.joined(separator: ".")
    }

    private mutating func importStatement() throws -> Stmt {
        let start = advance().range
        var names: [(path: String, alias: String?)] = []
        repeat {
            let path = try dottedName()
            names.append((path, acceptName("as") ? try identifier() : nil))
        } while acceptOp(",")
        return Stmt(kind: .importModule(names), range: start.to(tokens[pos - 1].range))
    }

    private mutating func fromImport() throws -> Stmt {
        let start = advance().range
        if atOp(".") || atOp("...") { throw SyntaxError.unsupported("relative imports", tok.range) }
        let module = try dottedName()
        try expectName("import")
        if atOp("*") { throw SyntaxError.unsupported("'from ... import *'", tok.range) }
        let paren = acceptOp("(")
        var names: [(name: String, alias: String?)] = []
        repeat {
            if paren && atOp(")") { break }
            let n = try identifier()
            names.append((n, acceptName("as") ? try identifier() : nil))
        } while acceptOp(",")
        if paren { _ = try expectOp(")") }
        return Stmt(kind: .importFrom(module: module, names: names), range: start.to(tokens[pos - 1].range))
    }
}
