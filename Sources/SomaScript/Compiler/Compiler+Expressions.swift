/// Expression compilation.
extension Compiler {
    func expr(_ e: Expr) throws -> ExprCode {
        let r = e.range
        let interp = self.interp
        switch e.kind {
        case .name(let n): return load(n, r)
        case .constant(let c):
            let v = Compiler.constant(c)
            return { _ in v }
        case .fstring(let parts): return try fstring(parts)
        case .binary(let op, let a, let b): return try binary(op, a, b, r)
        case .unary(let op, let a):
            let x = try expr(a)
            if op == .not { return { f in .bool(!(try interp.isTruthy(try x(f)))) } }
            return { f in
                let v = try x(f)
                do { return try interp.unary(op, v) } catch { throw Compiler.mark(error, r) }
            }
        case .boolOp(let isAnd, let items):
            let codes = try items.map { try expr($0) }
            return { f in
                var v = Value.none
                for c in codes {
                    v = try c(f)
                    if try interp.isTruthy(v) != isAnd { return v }
                }
                return v
            }
        case .compare(let first, let rest): return try compare(first, rest, r)
        case .ifExp(let c, let a, let b):
            let cc = try expr(c), ac = try expr(a), bc = try expr(b)
            return { f in try interp.isTruthy(try cc(f)) ? try ac(f) : try bc(f) }
        case .call(let callee, let args): return try call(callee, args, r)
        case .attribute(let obj, let name):
            let o = try expr(obj)
            let site = AttributeSite(name)
            return { f in
                let v = try o(f)
                do { return try interp.getAttribute(v, site) } catch { throw Compiler.mark(error, r) }
            }
        case .itemAccess(let obj, let index):
            let o = try expr(obj), i = try expr(index)
            return { f in
                let c = try o(f), k = try i(f)
                do { return try interp.getItem(c, k) } catch { throw Compiler.mark(error, r) }
            }
        case .slice(let a, let b, let c):
            let codes = try [a, b, c].map { x -> ExprCode in
                guard let x = x else { return { _ in .none } }
                return try expr(x)
            }
            return { f in .object(PySlice(try codes[0](f), try codes[1](f), try codes[2](f))) }
        case .tuple(let items):
            let build = try sequence(items)
            return { f in .object(PyTuple(try build(f))) }
        case .list(let items):
            let build = try sequence(items)
            return { f in .object(PyList(try build(f))) }
        case .set(let items):
            let build = try sequence(items)
            return { f in
                do { return .object(try PySet(try build(f))) } catch { throw Compiler.mark(error, r) }
            }
        case .dict(let entries): return try dict(entries, r)
        case .starred:
            throw SyntaxError("can't use starred expression here", r)
        case .lambda(let s): return try function(s)
        case .comprehension(let s): return try comprehension(s)
        case .yield(let v):
            let code = try v.map { try expr($0) }
            return { f in try f.generator!.yieldValue(try code?(f) ?? .none) }
        case .yieldFrom(let v):
            let code = try expr(v)
            return { f in
                let inner = try code(f)
                if let g = inner.as(PyGenerator.self) {
                    var sent = Value.none
                    while let x = try g.next(send: sent) { sent = try f.generator!.yieldValue(x) }
                    return g.runner.returnValue
                }
                let next = try interp.makeIterator(inner)
                while let x = try next() { _ = try f.generator!.yieldValue(x) }
                return .none
            }
        }
    }

    static func constant(_ c: Constant) -> Value {
        switch c {
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        case .str(let s): return .str(s)
        case .bool(let b): return .bool(b)
        case .none: return .none
        case .ellipsis: return .object(Types.ellipsis)
        }
    }

    /// Items of a display, expanding `*iterable`.
    func sequence(_ items: [Expr]) throws -> (Frame) throws -> [Value] {
        let interp = self.interp
        let hasStar = items.contains { if case .starred = $0.kind { return true }; return false }
        if !hasStar {
            let codes = try items.map { try expr($0) }
            return { f in
                var out: [Value] = []
                out.reserveCapacity(codes.count)
                for c in codes { out.append(try c(f)) }
                return out
            }
        }
        let codes = try items.map { item -> (Bool, ExprCode) in
            if case .starred(let inner) = item.kind { return (true, try expr(inner)) }
            return (false, try expr(item))
        }
        return { f in
            var out: [Value] = []
            for (star, c) in codes {
                if star { out += try interp.iterate(try c(f)) } else { out.append(try c(f)) }
            }
            return out
        }
    }

    private func dict(_ entries: [(Expr?, Expr)], _ r: SourceRange) throws -> ExprCode {
        let interp = self.interp
        let codes = try entries.map { (k, v) in (try k.map { try expr($0) }, try expr(v)) }
        return { f in
            let d = PyDict()
            do {
                for (k, v) in codes {
                    if let k = k {
                        let key = try k(f)
                        try d.set(key, try v(f))
                    } else {
                        let m = try v(f)
                        guard let src = m.as(PyDict.self) else {
                            throw PyException.typeError("'\(m.typeName)' object is not a mapping")
                        }
                        for (a, b) in src.entries { try d.set(a, b) }
                    }
                }
            } catch { throw Compiler.mark(error, r) }
            _ = interp
            return .object(d)
        }
    }

    private func binary(_ op: BinOp, _ a: Expr, _ b: Expr, _ r: SourceRange) throws -> ExprCode {
        let interp = self.interp
        let x = try expr(a), y = try expr(b)
        switch op {
        case .add:
            return { f in
                let p = try x(f), q = try y(f)
                if case .int(let i) = p, case .int(let j) = q {
                    let (s, o) = i.addingReportingOverflow(j)
                    if !o { return .int(s) }
                }
                if case .float(let i) = p, case .float(let j) = q { return .float(i + j) }
                do { return try interp.binary(op, p, q) } catch { throw Compiler.mark(error, r) }
            }
        case .sub:
            return { f in
                let p = try x(f), q = try y(f)
                if case .int(let i) = p, case .int(let j) = q {
                    let (s, o) = i.subtractingReportingOverflow(j)
                    if !o { return .int(s) }
                }
                if case .float(let i) = p, case .float(let j) = q { return .float(i - j) }
                do { return try interp.binary(op, p, q) } catch { throw Compiler.mark(error, r) }
            }
        case .mul:
            return { f in
                let p = try x(f), q = try y(f)
                if case .int(let i) = p, case .int(let j) = q {
                    let (s, o) = i.multipliedReportingOverflow(by: j)
                    if !o { return .int(s) }
                }
                if case .float(let i) = p, case .float(let j) = q { return .float(i * j) }
                do { return try interp.binary(op, p, q) } catch { throw Compiler.mark(error, r) }
            }
        case .mod:
            return { f in
                let p = try x(f), q = try y(f)
                if case .int(let i) = p, case .int(let j) = q, j > 0, i >= 0 { return .int(i % j) }
                do { return try interp.binary(op, p, q) } catch { throw Compiler.mark(error, r) }
            }
        default:
            return { f in
                let p = try x(f), q = try y(f)
                do { return try interp.binary(op, p, q) } catch { throw Compiler.mark(error, r) }
            }
        }
    }

    private func compare(_ first: Expr, _ rest: [(CmpOp, Expr)], _ r: SourceRange) throws -> ExprCode {
        let interp = self.interp
        let a = try expr(first)
        if rest.count == 1 {
            let (op, bExpr) = rest[0]
            let b = try expr(bExpr)
            switch op {
            case .lt, .le, .gt, .ge, .eq, .ne:
                return { f in
                    let p = try a(f), q = try b(f)
                    if case .int(let i) = p, case .int(let j) = q {
                        switch op {
                        case .lt: return .bool(i < j)
                        case .le: return .bool(i <= j)
                        case .gt: return .bool(i > j)
                        case .ge: return .bool(i >= j)
                        case .eq: return .bool(i == j)
                        default: return .bool(i != j)
                        }
                    }
                    do { return try interp.compare(op, p, q) } catch { throw Compiler.mark(error, r) }
                }
            default:
                return { f in
                    let p = try a(f), q = try b(f)
                    do { return try interp.compare(op, p, q) } catch { throw Compiler.mark(error, r) }
                }
            }
        }
        let others = try rest.map { ($0.0, try expr($0.1)) }
        return { f in
            var left = try a(f)
            var result = Value.bool(true)
            for (op, c) in others {
                let right = try c(f)
                do { result = try interp.compare(op, left, right) } catch { throw Compiler.mark(error, r) }
                if !(try interp.isTruthy(result)) { return result }
                left = right
            }
            return result
        }
    }

    private func fstring(_ parts: [FStringPart]) throws -> ExprCode {
        let interp = self.interp
        enum Piece { case text(String), value(ExprCode, Character?, ExprCode?, SourceRange) }
        let pieces: [Piece] = try parts.map { p in
            switch p {
            case .literal(let s): return .text(s)
            case .value(let e, let conv, let spec):
                return .value(try expr(e), conv, try spec.map { try fstring($0) }, e.range)
            }
        }
        return { f in
            var out = ""
            for p in pieces {
                switch p {
                case .text(let s): out += s
                case .value(let code, let conv, let spec, let r):
                    var v = try code(f)
                    do {
                        if conv == "r" || conv == "a" { v = .str(try interp.repr(v)) } else if conv == "s" { v = .str(try interp.str(v)) }
                        var specText = ""
                        if let spec = spec, case .str(let s) = try spec(f) { specText = s }
                        out += try Formatter.format(v, specText, interp)
                    } catch { throw Compiler.mark(error, r) }
                }
            }
            return .str(out)
        }
    }
}
