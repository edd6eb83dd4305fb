/// `repr()` and `str()` of every value.
extension Interpreter {
    /// `repr(v)`.
    public func repr(_ v: Value) throws -> String {
        var seen = Set<ObjectIdentifier>()
        return try repr(v, &seen)
    }

    /// `str(v)`.
    public func str(_ v: Value) throws -> String {
        switch v {
        case .str(let s): return s
        case .object(let o):
            if let e = o as? PyException, o.pyType.lookup("__str__") == nil { return try exceptionMessage(e) }
            if let m = o.pyType.lookup("__str__") {
                let r = try call(m, [v])
                guard case .str(let s) = r else { throw PyException.typeError("__str__ returned non-string (type \(r.typeName))") }
                return s
            }
            return try repr(v)
        default: return try repr(v)
        }
    }

    /// The message part of `ExceptionName: message`.
    func exceptionMessage(_ e: PyException) throws -> String {
        if e.isInstance(of: "KeyError") && e.args.count == 1 { return try repr(e.args[0]) }
        switch e.args.count {
        case 0: return ""
        case 1: return try str(e.args[0])
        default: return try repr(.object(PyTuple(e.args)))
        }
    }

    private func repr(_ v: Value, _ seen: inout Set<ObjectIdentifier>) throws -> String {
        switch v {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let d): return FloatFormat.repr(d)
        case .str(let s): return StringRepr.quote(s)
        case .object(let o):
            if let m = o.pyType.lookup("__repr__") {
                let r = try call(m, [v])
                guard case .str(let s) = r else { throw PyException.typeError("__repr__ returned non-string (type \(r.typeName))") }
                return s
            }
            let id = ObjectIdentifier(o)
            if o is PyList || o is PyDict || o is PySet || o is PyTuple {
                if seen.contains(id) { return o is PyDict ? "{...}" : o is PyList ? "[...]" : "(...)" }
                seen.insert(id)
            }
            defer { seen.remove(id) }
            if let l = o as? PyList { return "[" + (try l.items.map { try repr($0, &seen) }).joined(separator: ", ") + "]" }
            if let t = o as? PyTuple {
                if t.items.count == 1 { return "(" + (try repr(t.items[0], &seen)) + ",)" }
                return "(" + (try t.items.map { try repr($0, &seen) }).joined(separator: ", ") + ")"
            }
            if let d = o as? PyDict {
                return "{" + (try d.entries.map { "\(try repr($0.key, &seen)): \(try repr($0.value, &seen))" }).joined(separator: ", ") + "}"
            }
            if let s = o as? PySet {
                if s.count == 0 { return "set()" }
                return "{" + (try s.items.map { try repr($0, &seen) }).joined(separator: ", ") + "}"
            }
            return try objectRepr(o, v)
        }
    }

    private func objectRepr(_ o: PyObject, _ v: Value) throws -> String {
        let addr = "0x" + String(UInt(bitPattern: ObjectIdentifier(o).hashValue), radix: 16).leftPadded(to: 12)
        switch o {
        case let r as PyRange: return r.step == 1 ? "range(\(r.start), \(r.stop))" : "range(\(r.start), \(r.stop), \(r.step))"
        case let s as PySlice: return "slice(\(try repr(s.start)), \(try repr(s.stop)), \(try repr(s.step)))"
        case let t as PyType: return "<class '\(t.qualifiedName)'>"
        case let f as PyFunction: return "<function \(f.qualname) at \(addr)>"
        case let f as NativeFunction: return "<built-in function \(f.name)>"
        case let m as PyBoundMethod:
            let fname = (m.function.as(PyFunction.self)?.qualname) ?? (m.function.as(NativeFunction.self)?.name ?? "?")
            return "<bound method \(fname) of \(try repr(m.receiver))>"
        case let m as PyModule: return "<module '\(m.name)'>"
        case let s as PySingleton: return s.text
        case let g as PyGenerator: return "<generator object \(g.name) at \(addr)>"
        case let e as PyException:
            let args = e.args.count == 1 ? "(" + (try repr(e.args[0])) + ")" : try repr(.object(PyTuple(e.args)))
            return e.pyType.name + args
        default:
            return "<\(o.pyType.qualifiedName) object at \(addr)>"
        }
    }
}

extension String {
    func leftPadded(to n: Int, with c: Character = "0") -> String {
        count >= n ? self : String(repeating: c, count: n - count) + self
    }
}

/// Python's quoting of strings in repr.
enum StringRepr {
    static func quote(_ s: String) -> String {
        let useDouble = s.contains("'") && !s.contains("\"")
        let q: Character = useDouble ? "\"" : "'"
        var out = String(q)
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u == q.unicodeScalars.first! { out += "\\" + String(q) }
                else if u.value < 0x20 || u.value == 0x7f { out += "\\x" + String(u.value, radix: 16).leftPadded(to: 2) }
                else if u.value >= 0x80 && u.value < 0xa0 { out += "\\x" + String(u.value, radix: 16).leftPadded(to: 2) }
                else { out.unicodeScalars.append(u) }
            }
        }
        out.append(q)
        return out
    }
}
