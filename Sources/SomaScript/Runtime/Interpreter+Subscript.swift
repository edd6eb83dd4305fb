/// `x[i]`, `x[i] = v` and `del x[i]` for built-in containers and classes with `__getitem__`/`__setitem__`.
extension Interpreter {
    /// Converts an index to a position in a sequence of `count` items, raising IndexError `message` when out of range.
    func normalizeIndex(_ index: Int, _ count: Int, _ message: String) throws -> Int {
        let i = index < 0 ? index + count : index
        guard i >= 0 && i < count else { throw PyException.indexError(message) }
        return i
    }

    private func intIndex(_ v: Value) -> Int? {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    private func sliced(_ items: [Value], _ s: PySlice) throws -> [Value] {
        let (start, _, step, n) = try s.indices(items.count)
        if step == 1 { return Array(items[start..<start + n]) }
        return (0..<n).map { items[start + $0 * step] }
    }

    /// `container[index]`.
    public func getItem(_ container: Value, _ index: Value) throws -> Value {
        switch container {
        case .str(let s):
            if let i = intIndex(index) {
                if let (bytes, count) = inlineASCII(s) {  // a short ASCII string: its bytes are in the value itself
                    let k = try normalizeIndex(i, count, "string index out of range")
                    return .str(asciiCharacter(inlineByte(bytes, k)))
                }
                var u = s
                let ascii: Value? = try u.withUTF8 { buf in  // ASCII: index the bytes, no scalar array
                    for b in buf where b >= 0x80 { return nil }
                    let k = try normalizeIndex(i, buf.count, "string index out of range")
                    return .str(asciiCharacter(buf[k]))
                }
                if let v = ascii { return v }
            }
            let chars = Array(s.unicodeScalars)
            if let i = intIndex(index) { return .str(String(chars[try normalizeIndex(i, chars.count, "string index out of range")])) }
            if let sl = index.as(PySlice.self) {
                let idx = (0..<chars.count).map { Value.int($0) }
                let picked = try sliced(idx, sl).map { v -> Unicode.Scalar in if case .int(let k) = v { return chars[k] }; return " " }
                return .str(String(String.UnicodeScalarView(picked)))
            }
            throw PyException.typeError("string indices must be integers, not '\(index.typeName)'")
        case .object(let o):
            if let l = o as? PyList {
                if let i = intIndex(index) { return l.items[try normalizeIndex(i, l.items.count, "list index out of range")] }
                if let sl = index.as(PySlice.self) { return .object(PyList(try sliced(l.items, sl))) }
                throw PyException.typeError("list indices must be integers or slices, not \(index.typeName)")
            }
            if let t = o as? PyTuple {
                if let i = intIndex(index) { return t.items[try normalizeIndex(i, t.items.count, "tuple index out of range")] }
                if let sl = index.as(PySlice.self) { return .object(PyTuple(try sliced(t.items, sl))) }
                throw PyException.typeError("tuple indices must be integers or slices, not \(index.typeName)")
            }
            if let d = o as? PyDict {
                if let v = try d.get(index) { return v }
                throw PyException.keyError(index)
            }
            if let r = o as? PyRange {
                if let i = intIndex(index) { return .int(r.start + r.step * (try normalizeIndex(i, r.count, "range object index out of range"))) }
                if let sl = index.as(PySlice.self) {
                    let (s, _, st, n) = try sl.indices(r.count)
                    let start = r.start + s * r.step, step = r.step * st
                    return .object(PyRange(start, start + n * step, step))
                }
                throw PyException.typeError("range indices must be integers or slices, not \(index.typeName)")
            }
            if let m = o.pyType.lookup("__getitem__") { return try call(m, [container, index]) }
            if let t = o as? PyType {
                if let m = t.lookup("__class_getitem__") { return try call(m, [container, index]) }
                return container
            }
        default: break
        }
        throw PyException.typeError("'\(container.typeName)' object is not subscriptable")
    }

    /// `o[k]` when `o` is a plain dict or list and `k` a key or an int (a missing key or index raises as `getItem`);
    /// nil for anything else. (`is` and `unsafeDowncast` rather than `as?`: a cast's result holds a reference.)
    @inline(__always) func builtinItem(_ o: PyObject, _ k: Value) throws -> Value? {
        if Types.dict === o.pyType, o is PyDict {
            if let v = try unsafeDowncast(o, to: PyDict.self).get(k) { return v }
            throw PyException.keyError(k)
        }
        if Types.list === o.pyType, case .int(let i) = k, o is PyList {
            let l = unsafeDowncast(o, to: PyList.self)
            return l.items[try normalizeIndex(i, l.items.count, "list index out of range")]
        }
        return nil
    }

    /// `o[k] = v` when `o` is a plain dict or list and `k` a key or an int (false: anything else, nothing stored).
    @inline(__always) func setBuiltinItem(_ o: PyObject, _ k: Value, _ v: Value) throws -> Bool {
        if Types.dict === o.pyType, o is PyDict {
            try unsafeDowncast(o, to: PyDict.self).set(k, v)
            return true
        }
        if Types.list === o.pyType, case .int(let i) = k, o is PyList {
            let l = unsafeDowncast(o, to: PyList.self)
            l.items[try normalizeIndex(i, l.items.count, "list assignment index out of range")] = v
            return true
        }
        return false
    }

    /// `container[index] = value`.
    public func setItem(_ container: Value, _ index: Value, _ value: Value) throws {
        if case .object(let o) = container {
            if let l = o as? PyList {
                if let i = intIndex(index) {
                    l.items[try normalizeIndex(i, l.items.count, "list assignment index out of range")] = value
                    return
                }
                if let sl = index.as(PySlice.self) {
                    let new = try iterate(value)
                    let (start, stop, step, n) = try sl.indices(l.items.count)
                    if step == 1 {
                        l.items.replaceSubrange(start..<max(start, stop), with: new)
                    } else {
                        guard new.count == n else {
                            throw PyException.valueError("attempt to assign sequence of size \(new.count) to extended slice of size \(n)")
                        }
                        for k in 0..<n { l.items[start + k * step] = new[k] }
                    }
                    return
                }
                throw PyException.typeError("list indices must be integers or slices, not \(index.typeName)")
            }
            if let d = o as? PyDict { try d.set(index, value); return }
            if let m = o.pyType.lookup("__setitem__") { _ = try call(m, [container, index, value]); return }
        }
        throw PyException.typeError("'\(container.typeName)' object does not support item assignment")
    }

    /// `del container[index]`.
    public func deleteItem(_ container: Value, _ index: Value) throws {
        if case .object(let o) = container {
            if let l = o as? PyList {
                if let i = intIndex(index) {
                    l.items.remove(at: try normalizeIndex(i, l.items.count, "list assignment index out of range"))
                    return
                }
                if let sl = index.as(PySlice.self) {
                    let (start, _, step, n) = try sl.indices(l.items.count)
                    let doomed = Set((0..<n).map { start + $0 * step })
                    l.items = l.items.enumerated().filter { !doomed.contains($0.offset) }.map(\.element)
                    return
                }
            }
            if let d = o as? PyDict {
                if try d.remove(index) == nil { throw PyException.keyError(index) }
                return
            }
            if let m = o.pyType.lookup("__delitem__") { _ = try call(m, [container, index]); return }
        }
        throw PyException.typeError("'\(container.typeName)' object doesn't support item deletion")
    }
}
