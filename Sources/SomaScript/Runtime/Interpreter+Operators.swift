/// Operators: fast paths for built-in values, dunder methods for classes (with reflected and in-place forms).
extension Interpreter {
    static let dunders: [BinOp: (String, String, String)] = [
        .add: ("__add__", "__radd__", "__iadd__"), .sub: ("__sub__", "__rsub__", "__isub__"),
        .mul: ("__mul__", "__rmul__", "__imul__"), .div: ("__truediv__", "__rtruediv__", "__itruediv__"),
        .floorDiv: ("__floordiv__", "__rfloordiv__", "__ifloordiv__"), .mod: ("__mod__", "__rmod__", "__imod__"),
        .pow: ("__pow__", "__rpow__", "__ipow__"), .matMul: ("__matmul__", "__rmatmul__", "__imatmul__"),
        .lshift: ("__lshift__", "__rlshift__", "__ilshift__"), .rshift: ("__rshift__", "__rrshift__", "__irshift__"),
        .bitAnd: ("__and__", "__rand__", "__iand__"), .bitOr: ("__or__", "__ror__", "__ior__"),
        .bitXor: ("__xor__", "__rxor__", "__ixor__"),
    ]

    /// `a op b`.
    public func binary(_ op: BinOp, _ a: Value, _ b: Value) throws -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)): return try Arithmetic.int(op, x, y)
        case (.float(let x), .float(let y)): return try Arithmetic.float(op, x, y, "float", "float")
        case (.int(let x), .float(let y)): return try Arithmetic.float(op, Double(x), y, "int", "float")
        case (.float(let x), .int(let y)): return try Arithmetic.float(op, x, Double(y), "float", "int")
        case (.bool(let x), .bool(let y)) where op == .bitAnd || op == .bitOr || op == .bitXor:
            return .bool(op == .bitAnd ? x && y : op == .bitOr ? x || y : x != y)
        case (.bool, _), (_, .bool):
            if let x = numeric(a), let y = numeric(b) { return try binary(op, x, y) }
        case (.str(let x), .str(let y)) where op == .add: return .str(x + y)
        case (.str(let x), _) where op == .mod: return .str(try Formatter.percent(x, b, self))
        default: break
        }
        if let r = try fastBinary(op, a, b) { return r }
        if let r = try sequenceOp(op, a, b) { return r }
        return try dunderBinary(op, a, b)
    }

    /// A native type's `fastBinary` hook, when both operands are of types that have the same hook or plain values.
    @inline(__always) private func fastBinary(_ op: BinOp, _ a: Value, _ b: Value) throws -> Value? {
        if case .object(let x) = a {
            guard let h = x.pyType.fastBinary else { return nil }
            if case .object(let y) = b, y.pyType.fastBinary == nil { return nil }
            return try h(op, a, b)
        }
        if case .object(let y) = b, let h = y.pyType.fastBinary { return try h(op, a, b) }
        return nil
    }

    /// Bools as ints for arithmetic.
    private func numeric(_ v: Value) -> Value? {
        switch v {
        case .bool(let b): return .int(b ? 1 : 0)
        case .int, .float: return v
        default: return nil
        }
    }

    private func repeatCount(_ v: Value) -> Int? {
        switch v {
        case .int(let n): return n
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    private func sequenceOp(_ op: BinOp, _ a: Value, _ b: Value) throws -> Value? {
        switch op {
        case .add:
            if case .str = a { throw PyException.typeError("can only concatenate str (not \"\(b.typeName)\") to str") }
            if let x = a.as(PyList.self) {
                guard let y = b.as(PyList.self) else { throw PyException.typeError("can only concatenate list (not \"\(b.typeName)\") to list") }
                return .object(PyList(x.items + y.items))
            }
            if let x = a.as(PyTuple.self) {
                guard let y = b.as(PyTuple.self) else { throw PyException.typeError("can only concatenate tuple (not \"\(b.typeName)\") to tuple") }
                return .object(PyTuple(x.items + y.items))
            }
        case .mul:
            if let r = try repeatSequence(a, b) { return r }
            if let r = try repeatSequence(b, a) { return r }
        case .bitOr, .bitAnd, .sub, .bitXor:
            if let x = a.as(PySet.self), let y = b.as(PySet.self) { return .object(try setOp(op, x, y)) }
            if op == .bitOr, let x = a.as(PyDict.self), let y = b.as(PyDict.self) {
                let d = PyDict()
                for (k, v) in x.entries + y.entries { try d.set(k, v) }
                return .object(d)
            }
        default: break
        }
        return nil
    }

    private func repeatSequence(_ seq: Value, _ count: Value) throws -> Value? {
        let isSeq: Bool
        switch seq {
        case .str: isSeq = true
        case .object(let o): isSeq = o is PyList || o is PyTuple
        default: isSeq = false
        }
        guard isSeq else { return nil }
        guard let n = repeatCount(count) else {
            if case .object(let o) = count, o.pyType.lookup("__rmul__") != nil { return nil }
            throw PyException.typeError("can't multiply sequence by non-int of type '\(count.typeName)'")
        }
        let k = max(n, 0)
        switch seq {
        case .str(let s): return .str(String(repeating: s, count: k))
        case .object(let o as PyList): return .object(PyList(Array([[Value]](repeating: o.items, count: k).joined())))
        case .object(let o as PyTuple): return .object(PyTuple(Array([[Value]](repeating: o.items, count: k).joined())))
        default: return nil
        }
    }

    func setOp(_ op: BinOp, _ x: PySet, _ y: PySet) throws -> PySet {
        switch op {
        case .bitOr: return try PySet(x.items + y.items)
        case .bitAnd: return try PySet(x.items.filter { try y.contains($0) })
        case .sub: return try PySet(x.items.filter { try !y.contains($0) })
        default: return try PySet(x.items.filter { try !y.contains($0) } + y.items.filter { try !x.contains($0) })
        }
    }

    /// The method names of `op`: (`__add__`, `__radd__`, `__iadd__`), without hashing.
    static func dunderNames(_ op: BinOp) -> (String, String, String) {
        switch op {
        case .add: return ("__add__", "__radd__", "__iadd__")
        case .sub: return ("__sub__", "__rsub__", "__isub__")
        case .mul: return ("__mul__", "__rmul__", "__imul__")
        case .div: return ("__truediv__", "__rtruediv__", "__itruediv__")
        case .floorDiv: return ("__floordiv__", "__rfloordiv__", "__ifloordiv__")
        case .mod: return ("__mod__", "__rmod__", "__imod__")
        case .pow: return ("__pow__", "__rpow__", "__ipow__")
        case .matMul: return ("__matmul__", "__rmatmul__", "__imatmul__")
        case .lshift: return ("__lshift__", "__rlshift__", "__ilshift__")
        case .rshift: return ("__rshift__", "__rrshift__", "__irshift__")
        case .bitAnd: return ("__and__", "__rand__", "__iand__")
        case .bitOr: return ("__or__", "__ror__", "__ior__")
        case .bitXor: return ("__xor__", "__rxor__", "__ixor__")
        }
    }

    @inline(__always) private func isNotImplemented(_ v: Value) -> Bool {
        if case .object(let o) = v { return o === Types.notImplemented }
        return false
    }

    private func dunderBinary(_ op: BinOp, _ a: Value, _ b: Value) throws -> Value {
        let (name, rname, _) = Interpreter.dunderNames(op)
        let ta = a.type, tb = b.type
        let reflectedFirst = tb !== ta && tb.isSubtype(of: ta) && tb.lookup(rname) != nil
        if reflectedFirst, let m = tb.lookup(rname) {
            let r = try callBound(m, b, [a])
            if !isNotImplemented(r) { return r }
        }
        if let m = ta.lookup(name) {
            let r = try callBound(m, a, [b])
            if !isNotImplemented(r) { return r }
        }
        if !reflectedFirst, tb !== ta, let m = tb.lookup(rname) {
            let r = try callBound(m, b, [a])
            if !isNotImplemented(r) { return r }
        }
        throw Arithmetic.unsupported(op, ta.name, tb.name)
    }

    /// `inPlace`, with the int addition that cannot overflow done inline (the common `total += x`).
    @inline(__always) func augmented(_ op: BinOp, _ a: Value, _ b: Value) throws -> Value {
        if op == .add, case .int(let i) = a, case .int(let j) = b, case (let s, false) = i.addingReportingOverflow(j) {
            return .int(s)
        }
        return try inPlace(op, a, b)
    }

    /// `a op= b`: mutates lists and objects with in-place dunders, otherwise computes `a op b`.
    public func inPlace(_ op: BinOp, _ a: Value, _ b: Value) throws -> Value {
        switch a {
        case .int, .float, .bool, .str, .none: return try binaryInPlace(op, a, b)
        case .object(let o):
            if let l = o as? PyList {
                if op == .add { l.items += try iterate(b); return a }
                if op == .mul, let n = repeatCount(b) {
                    l.items = Array([[Value]](repeating: l.items, count: max(n, 0)).joined()); return a
                }
            }
            if let s = o as? PySet, let t = b.as(PySet.self), op == .bitOr || op == .bitAnd || op == .sub || op == .bitXor {
                let r = try setOp(op, s, t)
                s.clear()
                for i in r.items { try s.add(i) }
                return a
            }
            if let m = o.pyType.lookup(Interpreter.dunderNames(op).2) {
                let r = try callBound(m, a, [b])
                if !isNotImplemented(r) { return r }
            }
            return try binaryInPlace(op, a, b)
        }
    }

    /// `a op b` for `a op= b`: the error for operand types without the operation names the augmented operator.
    private func binaryInPlace(_ op: BinOp, _ a: Value, _ b: Value) throws -> Value {
        do { return try binary(op, a, b) } catch let e as PyException where e.traceback.isEmpty {
            let plain = Arithmetic.unsupported(op, a.typeName, b.typeName)
            guard e.pyType === plain.pyType, case .str(let message)? = e.args.first, case .str(message)? = plain.args.first else { throw e }
            throw Arithmetic.unsupported(op, a.typeName, b.typeName, inPlace: true)
        }
    }

    /// `-a`, `+a`, `~a`, `not a`.
    public func unary(_ op: UnaryOp, _ a: Value) throws -> Value {
        switch (op, a) {
        case (.not, _): return .bool(!(try isTruthy(a)))
        case (.neg, .int(let x)):
            if x == .min { throw PyException.overflow() }
            return .int(-x)
        case (.neg, .float(let x)): return .float(-x)
        case (.neg, .bool(let x)): return .int(x ? -1 : 0)
        case (.pos, .int), (.pos, .float): return a
        case (.pos, .bool(let x)): return .int(x ? 1 : 0)
        case (.invert, .int(let x)): return .int(~x)
        case (.invert, .bool(let x)): return .int(~(x ? 1 : 0))
        default:
            let name = op == .neg ? "__neg__" : op == .pos ? "__pos__" : "__invert__"
            if let m = a.type.lookup(name) { return try callBound(m, a, []) }
            throw PyException.typeError("bad operand type for unary \(op.rawValue): '\(a.typeName)'")
        }
    }
}
