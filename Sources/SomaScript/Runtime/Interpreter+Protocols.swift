/// Truthiness, len, iteration and membership, through dunders for classes.
extension Interpreter {
    /// Python truthiness (`__bool__`, then `__len__`).
    public func isTruthy(_ v: Value) throws -> Bool {
        switch v {
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let d): return d != 0
        case .str(let s): return !s.isEmpty
        case .object(let o):
            if let l = o as? PyList { return !l.items.isEmpty }
            if let t = o as? PyTuple { return !t.items.isEmpty }
            if let d = o as? PyDict { return d.count > 0 }
            if let s = o as? PySet { return s.count > 0 }
            if let r = o as? PyRange { return r.count > 0 }
            if o is PyType || o is PyFunction || o is NativeFunction { return true }
            if let m = o.pyType.lookup("__bool__") {
                let r = try call(m, [v])
                guard case .bool(let b) = r else { throw PyException.typeError("__bool__ should return bool, returned \(r.typeName)") }
                return b
            }
            if o.pyType.lookup("__len__") != nil { return try length(v) > 0 }
            return true
        }
    }

    /// `len(v)`.
    public func length(_ v: Value) throws -> Int {
        switch v {
        case .str(let s): return scalarCount(s)
        case .object(let o):
            if let l = o as? PyList { return l.items.count }
            if let t = o as? PyTuple { return t.items.count }
            if let d = o as? PyDict { return d.count }
            if let s = o as? PySet { return s.count }
            if let r = o as? PyRange { return r.count }
            if let m = o.pyType.lookup("__len__") {
                let r = try call(m, [v])
                guard case .int(let n) = r else {
                    if case .bool(let b) = r { return b ? 1 : 0 }
                    throw PyException.typeError("'\(r.typeName)' object cannot be interpreted as an integer")
                }
                if n < 0 { throw PyException.valueError("__len__() should return >= 0") }
                return n
            }
        default: break
        }
        throw PyException.typeError("object of type '\(v.typeName)' has no len()")
    }

    /// An iterator over `v` as a Swift closure returning nil at the end.
    public func makeIterator(_ v: Value) throws -> () throws -> Value? {
        switch v {
        case .str(let s):
            var it = s.unicodeScalars.makeIterator()
            return { it.next().map { .str(String($0)) } }
        case .object(let o):
            if let l = o as? PyList {
                var i = 0
                return { guard i < l.items.count else { return nil }; i += 1; return l.items[i - 1] }
            }
            if let t = o as? PyTuple { var it = t.items.makeIterator(); return { it.next() } }
            if let r = o as? PyRange {
                var cur = r.start
                let step = r.step, stop = r.stop
                return {
                    guard step > 0 ? cur < stop : cur > stop else { return nil }
                    defer { cur += step }
                    return .int(cur)
                }
            }
            if let d = o as? PyDict {
                var position = 0
                let size = d.count
                return { try d.nextKey(&position, size: size) }
            }
            if let s = o as? PySet {
                var position = 0
                let size = s.count
                return { try s.storage.nextKey(&position, size: size, of: "Set") }
            }
            if let g = o as? PyGenerator { return { try g.next() } }
            if let it = o as? PyIterator { return it.nextValue }
            if let m = o.pyType.lookup("__iter__") {
                let iterator = try call(m, [v])
                if case .object(let io) = iterator, io is PyIterator || io is PyGenerator { return try makeIterator(iterator) }
                guard let next = iterator.type.lookup("__next__") else {
                    throw PyException.typeError("iter() returned non-iterator of type '\(iterator.typeName)'")
                }
                return { [unowned self] in
                    do { return try self.call(next, [iterator]) } catch let e as PyException where e.isInstance(of: "StopIteration") {
                        return nil
                    }
                }
            }
            if let getter = o.pyType.lookup("__getitem__") {
                var i = 0
                return { [unowned self] in
                    do {
                        defer { i += 1 }
                        return try self.call(getter, [v, .int(i)])
                    } catch let e as PyException where e.isInstance(of: "IndexError") || e.isInstance(of: "StopIteration") {
                        return nil
                    }
                }
            }
        default: break
        }
        throw PyException.typeError("'\(v.typeName)' object is not iterable")
    }

    /// All items of an iterable.
    public func iterate(_ v: Value) throws -> [Value] {
        if let l = v.as(PyList.self) { return l.items }
        if let t = v.as(PyTuple.self) { return t.items }
        let next = try makeIterator(v)
        var out: [Value] = []
        while let x = try next() {
            out.append(x)
            try checkInterrupt()
        }
        return out
    }

    /// `iter(v)` as an object.
    func iteratorObject(_ v: Value) throws -> Value {
        if case .object(let o) = v, o is PyIterator || o is PyGenerator { return v }
        if case .object(let o) = v, o.pyType.lookup("__next__") != nil, o.pyType.lookup("__iter__") != nil {
            return try call(o.pyType.lookup("__iter__")!, [v])
        }
        if case .object(let o) = v, let m = o.pyType.lookup("__iter__") { return try call(m, [v]) }
        return .object(PyIterator(try makeIterator(v)))
    }

    /// `next(it)`: nil at the end.
    func nextValue(_ it: Value) throws -> Value? {
        guard case .object(let o) = it else { throw PyException.typeError("'\(it.typeName)' object is not an iterator") }
        if let i = o as? PyIterator { return try i.nextValue() }
        if let g = o as? PyGenerator { return try g.next() }
        if let m = o.pyType.lookup("__next__") {
            do { return try call(m, [it]) } catch let e as PyException where e.isInstance(of: "StopIteration") { return nil }
        }
        throw PyException.typeError("'\(it.typeName)' object is not an iterator")
    }

    /// `item in container`.
    public func contains(_ container: Value, _ item: Value) throws -> Bool {
        switch container {
        case .str(let s):
            guard case .str(let sub) = item else {
                throw PyException.typeError("'in <string>' requires string as left operand, not \(item.typeName)")
            }
            return sub.isEmpty || s.contains(sub)
        case .object(let o):
            if let d = o as? PyDict { return try d.get(item) != nil }
            if let s = o as? PySet { return try s.contains(item) }
            if let r = o as? PyRange, case .int(let i) = item {
                guard r.step > 0 ? (i >= r.start && i < r.stop) : (i <= r.start && i > r.stop) else { return false }
                return (i - r.start) % r.step == 0
            }
            if let l = o as? PyList { return try l.items.contains { try $0.isIdentical(item) || equals($0, item) } }
            if let t = o as? PyTuple { return try t.items.contains { try $0.isIdentical(item) || equals($0, item) } }
            if let m = o.pyType.lookup("__contains__") { return try isTruthy(try call(m, [container, item])) }
            if o.pyType.lookup("__iter__") != nil || o is PyGenerator || o is PyIterator {
                let next = try makeIterator(container)
                while let x = try next() { if try x.isIdentical(item) || equals(x, item) { return true } }
                return false
            }
        default: break
        }
        throw PyException.typeError("argument of type '\(container.typeName)' is not iterable")
    }

    /// `hash(v)`.
    func hashValue(_ v: Value) throws -> Int {
        if case .object(let o) = v, !(o is PyTuple), let m = o.pyType.lookup("__hash__") {
            guard case .int(let h) = try call(m, [v]) else { throw PyException.typeError("__hash__ method should return an integer") }
            return h
        }
        switch v {
        case .int(let i): return i == -1 ? -2 : i
        case .bool(let b): return b ? 1 : 0
        case .float(let d) where d == d.rounded() && abs(d) < 9e18: return Int(d) == -1 ? -2 : Int(d)
        default:
            let h = Int(truncatingIfNeeded: try KeyHash.of(v))
            return h == -1 ? -2 : h
        }
    }
}

/// The number of code points in `s`: its UTF-8 bytes that are not continuation bytes.
func scalarCount(_ s: String) -> Int {
    if let (_, count) = inlineASCII(s) { return count }
    var s = s
    return s.withUTF8 { buf in
        var n = 0
        for b in buf where b & 0xC0 != 0x80 { n += 1 }
        return n
    }
}
