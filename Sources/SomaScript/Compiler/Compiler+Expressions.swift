/// Expression compilation.
extension Compiler {
    func expr(_ e: Expr) throws -> ExprCode {
        let r = e.range
        let interp = self.interp
        switch e.kind {
        case .name(let n): return load(n, r)
        case .constant(let c):
            switch Compiler.constant(c) {  // no outlined copy of a Value for the plain cases
            case .int(let i): return { _ in .int(i) }
            case .none: return { _ in .none }
            case .bool(let b): return { _ in .bool(b) }
            case let v: return { _ in v }
            }
        case .fstring(let parts): return try fstring(parts)
        case .binary(let op, let a, let b): return try binary(op, a, b, r)
        case .unary(let op, let a):
            if op == .not {
                let c = try condition(a)
                return { f in .bool(!(try c(f))) }
            }
            let x = try expr(a)
            return { f in
                let v = try x(f)
                do { return try interp.unary(op, v) } catch { throw Compiler.mark(error, r) }
            }
        case .boolOp(let isAnd, let items):
            let codes = CodeList(try items.map { ExprBox(try expr($0)) })
            return { f in
                var v = Value.none
                for i in 0..<codes.count {
                    v = try codes.with(i) { try $0.run(f) }
                    if try interp.isTruthy(v) != isAnd { return v }
                }
                return v
            }
        case .compare(let first, let rest): return try compare(first, rest, r)
        case .ifExp(let c, let a, let b):
            let cc = try condition(c), ac = try expr(a), bc = try expr(b)
            return { f in try cc(f) ? try ac(f) : try bc(f) }
        case .call(let callee, let args): return try call(callee, args, r)
        case .attribute(let obj, let name):
            let read = AttributeRead(interp, object: try expr(obj), name, r)
            switch receiverVariable(obj) {
            case .local(let slot)?:
                return { f in try read.instanceAttribute(of: .local(slot), in: f) ?? read.read(f) }
            case let variable?:
                return { f in try read.instanceAttribute(of: variable, in: f) ?? read.read(f) }
            case nil:
                return { f in try read.read(f) }
            }
        case .itemAccess(let obj, let index):
            let read = ItemAccess(interp, container: try expr(obj), key: try expr(index), r)
            if let variable = receiverVariable(obj), !variable.canBeRebound(by: index) {
                // `d[k]`, `xs[i]`: a dict or list variable read in place (its key's code cannot rebind it)
                return { f in try read.read(in: variable, f) }
            }
            return { f in try read.read(f) }
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
            let codes = try items.map { ExprBox(try expr($0)) }
            // Two or three items (`(len(k), k)`, `return a, b`): an array literal allocates the exact storage once.
            if codes.count == 2 {
                let a = codes[0].run, b = codes[1].run
                return { f in [try a(f), try b(f)] }
            }
            if codes.count == 3 {
                let a = codes[0].run, b = codes[1].run, c = codes[2].run
                return { f in [try a(f), try b(f), try c(f)] }
            }
            let list = CodeList(codes)
            return { f in
                var out: [Value] = []
                out.reserveCapacity(list.count)
                for i in 0..<list.count { out.append(try list.with(i) { try $0.run(f) }) }
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

    /// An operand the int fast paths read in place, without a closure call or a copy: a fast local or an int literal.
    private enum FastOperand {
        case local(Int), int(Int), other

        /// The operand's int value, when it is one now (nil: take the general path, which also reports unbound locals).
        @inline(__always) func int(_ f: Frame) -> Int? {
            switch self {
            case .local(let s): if case .int(let i)? = f.slots[s] { return i }; return nil
            case .int(let i): return i
            case .other: return nil
            }
        }
    }

    private func fastOperand(_ e: Expr) -> FastOperand {
        switch e.kind {
        case .constant(.int(let i)): return .int(i)
        case .name(let n): if case .local(let s) = scope.ref(n) { return .local(s) }
        default: break
        }
        return .other
    }

    /// `i op j` for ints where the result is an int computed without overflow; nil: the general path decides.
    @inline(__always) private static func intArithmetic(_ op: BinOp, _ i: Int, _ j: Int) -> Int? {
        switch op {
        case .add: let (s, o) = i.addingReportingOverflow(j); return o ? nil : s
        case .sub: let (s, o) = i.subtractingReportingOverflow(j); return o ? nil : s
        case .mul: let (s, o) = i.multipliedReportingOverflow(by: j); return o ? nil : s
        case .mod:
            guard j > 0 else { return nil }
            let r = i % j
            return r < 0 ? r + j : r
        case .floorDiv:
            guard j > 0 else { return nil }
            let q = i / j
            return (i % j < 0) ? q - 1 : q
        case .bitAnd: return i & j
        case .bitOr: return i | j
        case .bitXor: return i ^ j
        default: return nil
        }
    }

    /// `a op b` for floats where IEEE arithmetic is Python's; nil: the general path decides.
    @inline(__always) private static func floatArithmetic(_ op: BinOp, _ a: Double, _ b: Double) -> Double? {
        switch op {
        case .add: return a + b
        case .sub: return a - b
        case .mul: return a * b
        case .div: return b != 0 ? a / b : nil
        default: return nil
        }
    }

    private func binary(_ op: BinOp, _ a: Expr, _ b: Expr, _ r: SourceRange) throws -> ExprCode {
        let interp = self.interp
        let x = try expr(a), y = try expr(b)
        let general: ExprCode = { f in
            let p = try x(f), q = try y(f)
            if case .int(let i) = p, case .int(let j) = q, let v = Compiler.intArithmetic(op, i, j) { return .int(v) }
            if case .float(let i) = p, case .float(let j) = q, let v = Compiler.floatArithmetic(op, i, j) { return .float(v) }
            do { return try interp.binary(op, p, q) } catch { throw Compiler.mark(error, r) }
        }
        switch (fastOperand(a), fastOperand(b)) {
        case (.other, .other), (.int, .int): return general
        case (.other, .int(let k)):
            // `expr op 1`: the right side needs no evaluation.
            return { f in
                let p = try x(f)
                if case .int(let i) = p, let v = Compiler.intArithmetic(op, i, k) { return .int(v) }
                do { return try interp.binary(op, p, .int(k)) } catch { throw Compiler.mark(error, r) }
            }
        case (.local(let s), .int(let k)):
            // `n - 1`: the local read in place, the literal part of the code.
            return { f in
                if case .int(let i)? = f.slots[s], let v = Compiler.intArithmetic(op, i, k) { return .int(v) }
                return try general(f)
            }
        case (let p, let q):
            // Locals and literals: read in place; anything else (or an unbound local) goes the general way.
            return { f in
                if let i = p.int(f), let j = q.int(f), let v = Compiler.intArithmetic(op, i, j) { return .int(v) }
                return try general(f)
            }
        }
    }

    /// `i op j` for the ordering and equality operators.
    @inline(__always) private static func intComparison(_ op: CmpOp, _ i: Int, _ j: Int) -> Bool {
        switch op {
        case .lt: return i < j
        case .le: return i <= j
        case .gt: return i > j
        case .ge: return i >= j
        case .eq: return i == j
        default: return i != j
        }
    }

    /// One comparison `a op b` giving `R` (the Value, or its truth for conditions), with int fast paths.
    private func comparison<R: ComparisonResult>(_ op: CmpOp, _ a: Expr, _ b: Expr, _ r: SourceRange, _: R.Type) throws
        -> (Frame) throws -> R {
        let interp = self.interp
        let x = try expr(a), y = try expr(b)
        let slow: (Value, Value) throws -> R = { p, q in
            do { return try R.make(try interp.compare(op, p, q), interp) } catch { throw Compiler.mark(error, r) }
        }
        switch op {
        case .lt, .le, .gt, .ge, .eq, .ne: break
        default: return { f in try slow(try x(f), try y(f)) }
        }
        let general: (Frame) throws -> R = { f in
            let p = try x(f), q = try y(f)
            if case .int(let i) = p, case .int(let j) = q { return R.make(Compiler.intComparison(op, i, j)) }
            return try slow(p, q)
        }
        switch (fastOperand(a), fastOperand(b)) {
        case (.other, .other), (.int, .int): return general
        case (.other, .int(let k)):
            return { f in
                let p = try x(f)
                if case .int(let i) = p { return R.make(Compiler.intComparison(op, i, k)) }
                return try slow(p, .int(k))
            }
        case (.local(let s), .int(let k)):
            return { f in
                if case .int(let i)? = f.slots[s] { return R.make(Compiler.intComparison(op, i, k)) }
                return try general(f)
            }
        case (let p, let q):
            return { f in
                if let i = p.int(f), let j = q.int(f) { return R.make(Compiler.intComparison(op, i, j)) }
                return try general(f)
            }
        }
    }

    private func compare(_ first: Expr, _ rest: [(CmpOp, Expr)], _ r: SourceRange) throws -> ExprCode {
        let interp = self.interp
        if rest.count == 1 { return try comparison(rest[0].0, first, rest[0].1, r, Value.self) }
        let a = try expr(first)
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

    /// Code giving an expression's truth (for `if`, `while`, `not`, `and`/`or` in conditions, `x if c else y`):
    /// comparisons of ints give a Bool without making a Value.
    func condition(_ e: Expr) throws -> (Frame) throws -> Bool {
        let interp = self.interp
        switch e.kind {
        case .compare(let first, let rest) where rest.count == 1:
            // `n < 2`, `i % 3 != 0`: an int literal on the right, in closures of their own (the generic comparison's
            // closures are called through a reabstraction thunk).
            let op = rest[0].0, r = e.range
            guard [.lt, .le, .gt, .ge, .eq, .ne].contains(op), case .int(let k) = fastOperand(rest[0].1) else {
                return try comparison(op, first, rest[0].1, r, Bool.self)
            }
            if case .local(let s) = fastOperand(first) {
                let general = try comparison(op, first, rest[0].1, r, Bool.self)
                return { f in
                    if case .int(let i)? = f.slots[s] { return Compiler.intComparison(op, i, k) }
                    return try general(f)
                }
            }
            let x = try expr(first)
            let slow: (Value) throws -> Bool = { p in
                do { return try interp.isTruthy(try interp.compare(op, p, .int(k))) } catch { throw Compiler.mark(error, r) }
            }
            return { f in
                let p = try x(f)
                if case .int(let i) = p { return Compiler.intComparison(op, i, k) }
                return try slow(p)
            }
        case .unary(.not, let a):
            let c = try condition(a)
            return { f in !(try c(f)) }
        case .boolOp(let isAnd, let items):
            let codes = CodeList(try items.map { ConditionBox(try condition($0)) })
            return { f in
                for i in 0..<codes.count where try codes.with(i, { try $0.run(f) }) != isAnd { return !isAnd }
                return isAnd
            }
        case .constant(.bool(let b)): return { _ in b }
        default:
            let c = try expr(e)
            return { f in
                let v = try c(f)
                if case .bool(let b) = v { return b }
                return try interp.isTruthy(v)
            }
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
        // Only text and `{expr}` pieces (the common `f"k{i}"`): the texts between the values in one array, the values'
        // code in another, so that a run copies no piece.
        var texts = [""], values: [(code: ExprBox, range: SourceRange)] = []
        for p in pieces {
            switch p {
            case .text(let t): texts[texts.count - 1] += t
            case .value(let code, nil, nil, let r): values.append((ExprBox(code), r)); texts.append("")
            case .value: values = []; texts = []
            }
            if texts.isEmpty { break }
        }
        if !texts.isEmpty {
            let codes = CodeList(values.map(\.code)), ranges = values.map(\.range)
            return { f in
                var out = texts[0]
                for i in 0..<codes.count {
                    let v = try codes.with(i) { try $0.run(f) }
                    if case .int(let n) = v {  // str() of an int or a str is its text
                        if let short = appendingDecimal(out, n) { out = short } else { out += String(n) }
                    } else if case .str(let s) = v {
                        out += s
                    } else {
                        do { out += try Formatter.format(v, "", interp) } catch { throw Compiler.mark(error, ranges[i]) }
                    }
                    if !texts[i + 1].isEmpty { out += texts[i + 1] }
                }
                return .str(out)
            }
        }
        return { f in
            var out = ""
            for p in pieces {
                switch p {
                case .text(let s): out += s
                case .value(let code, let conv, let spec, let r):
                    var v = try code(f)
                    if conv == nil && spec == nil {  // `{i}` and `{s}`: str() of an int or a str is its text
                        if case .int(let i) = v { out += String(i); continue }
                        if case .str(let s) = v { out += s; continue }
                    }
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

/// What a compiled comparison gives: its Value, or its truth.
protocol ComparisonResult {
    static func make(_ b: Bool) -> Self
    static func make(_ v: Value, _ interp: Interpreter) throws -> Self
}

extension Value: ComparisonResult {
    @inline(__always) static func make(_ b: Bool) -> Value { .bool(b) }
    @inline(__always) static func make(_ v: Value, _: Interpreter) throws -> Value { v }
}

extension Bool: ComparisonResult {
    @inline(__always) static func make(_ b: Bool) -> Bool { b }
    @inline(__always) static func make(_ v: Value, _ interp: Interpreter) throws -> Bool {
        if case .bool(let b) = v { return b }
        return try interp.isTruthy(v)
    }
}
