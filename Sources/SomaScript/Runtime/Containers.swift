/// A Python list.
public final class PyList: PyObject {
    public var items: [Value]
    public init(_ items: [Value] = []) { self.items = items; super.init(type: Types.list) }
}

/// A Python tuple.
public final class PyTuple: PyObject {
    public fileprivate(set) var items: [Value]
    /// A tuple; `type` is a tuple subclass for named result tuples (`torch.return_types.max`).
    public init(_ items: [Value], type: PyType = Types.tuple) { self.items = items; super.init(type: type) }
}

/// The result tuples of an iterator (`enumerate`, `zip`), handed out again while nothing else holds the last one, as
/// CPython does: a loop that unpacks each result (`for i, x in enumerate(xs)`) allocates no tuple per item.
struct ReusedTuple {
    private var last: PyTuple?

    /// A tuple of `items`: the last one refilled when only this holds it, else a new one.
    mutating func make(_ items: [Value]) -> Value {
        if isKnownUniquelyReferenced(&last), last!.items.count == items.count {
            for i in items.indices { last!.items[i] = items[i] }
        } else {
            last = PyTuple(items)
        }
        return .object(last!)
    }

    /// A tuple of `first` and `second` (see `make(_:)`), without an array of them.
    mutating func make(_ first: Value, _ second: Value) -> Value {
        if isKnownUniquelyReferenced(&last), last!.items.count == 2 {
            last!.items[0] = first
            last!.items[1] = second
        } else {
            last = PyTuple([first, second])
        }
        return .object(last!)
    }
}

/// A Python range.
final class PyRange: PyObject {
    let start: Int, stop: Int, step: Int
    init(_ start: Int, _ stop: Int, _ step: Int) {
        self.start = start; self.stop = stop; self.step = step
        super.init(type: Types.range)
    }
    var count: Int {
        if step > 0 { return start < stop ? (stop - start - 1) / step + 1 : 0 }
        return start > stop ? (start - stop - 1) / (-step) + 1 : 0
    }
}

/// A slice object `start:stop:step` (each part may be None).
public final class PySlice: PyObject {
    public let start: Value, stop: Value, step: Value
    public init(_ start: Value, _ stop: Value, _ step: Value) {
        self.start = start; self.stop = stop; self.step = step
        super.init(type: Types.slice)
    }

    /// The start, stop, step and length this slice selects from a sequence of `length` items (Python's `indices`).
    public func indices(_ length: Int) throws -> (start: Int, stop: Int, step: Int, count: Int) {
        func int(_ v: Value) throws -> Int? {
            switch v {
            case .none: return nil
            case .int(let i): return i
            case .bool(let b): return b ? 1 : 0
            default: throw PyException.typeError("slice indices must be integers or None or have an __index__ method")
            }
        }
        let step = try int(self.step) ?? 1
        if step == 0 { throw PyException.valueError("slice step cannot be zero") }
        let lower = step < 0 ? -1 : 0
        let upper = step < 0 ? length - 1 : length
        func clamp(_ v: Int?, _ def: Int) -> Int {
            guard var x = v else { return def }
            if x < 0 { x += length; return x < lower ? lower : x }
            return x > upper ? upper : x
        }
        let s = clamp(try int(start), step < 0 ? upper : lower)
        let e = clamp(try int(stop), step < 0 ? lower : upper)
        var n = 0
        if step > 0 { if s < e { n = (e - s - 1) / step + 1 } } else if e < s { n = (s - e - 1) / (-step) + 1 }
        return (s, e, step, n)
    }
}

/// A key wrapper giving Values Python's hashing and equality (1 == 1.0 == True).
public struct HashKey: Hashable {
    public let value: Value

    /// Wraps a value, raising TypeError for unhashable ones.
    public init(_ v: Value) throws {
        if case .object(let o) = v {
            if o is PyList || o is PyDict || o is PySet { throw PyException.typeError("unhashable type: '\(v.typeName)'") }
            if let t = o as? PyTuple { for i in t.items { _ = try HashKey(i) } }
        }
        value = v
        rawHash = HashKey.raw(v)
    }

    /// `raw(value)`, computed once per key: probes and dictionary resizes only mix in the seed.
    let rawHash: UInt64

    /// Equal keys have equal raw hashes, so a probe passing over other keys rejects them without comparing values.
    public static func == (a: HashKey, b: HashKey) -> Bool { a.rawHash == b.rawHash && Ops.primitiveEquals(a.value, b.value) }

    public func hash(into h: inout Hasher) { HashKey.hash(value, into: &h) }

    /// Dictionary probes: a cheap non-cryptographic hash (consistent with `==`: 1, 1.0 and True hash alike; strings by
    /// their UTF-8 bytes, i.e. by code points) instead of a SipHash `Hasher` per probe.
    public func _rawHashValue(seed: Int) -> Int {
        Int(bitPattern: UInt(truncatingIfNeeded: HashKey.mix(rawHash ^ UInt64(UInt(bitPattern: seed)))))
    }

    @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
        var k = x
        k ^= k >> 33; k &*= 0xff51afd7ed558ccd
        k ^= k >> 33; k &*= 0xc4ceb9fe1a85ec53
        k ^= k >> 33
        return k
    }

    static func raw(_ v: Value) -> UInt64 {
        switch v {
        case .none: return 0x2545f4914f6cdd1d
        case .bool(let b): return b ? 1 : 0
        case .int(let i): return UInt64(bitPattern: Int64(i))
        case .float(let d):
            if d == d.rounded(), abs(d) < 9.2e18 { return UInt64(bitPattern: Int64(Int(d))) }
            return d.bitPattern
        case .str(let s):
            var s = s
            return s.withUTF8 { buf -> UInt64 in
                var h: UInt64 = 0xcbf29ce484222325 ^ UInt64(buf.count)
                var i = 0
                let n = buf.count
                while i + 8 <= n {
                    let w = UnsafeRawPointer(buf.baseAddress! + i).loadUnaligned(as: UInt64.self)
                    h = (h ^ w) &* 0x100000001b3
                    h ^= h >> 29
                    i += 8
                }
                var tail: UInt64 = 0, shift: UInt64 = 0
                while i < n { tail |= UInt64(buf[i]) << shift; shift += 8; i += 1 }
                h = (h ^ tail) &* 0x100000001b3
                return mix(h)
            }
        case .object(let o):
            if let t = o as? PyTuple {
                var h: UInt64 = 0x345678 ^ UInt64(t.items.count)
                for i in t.items { h = (h ^ mix(raw(i))) &* 1000003 }
                return h
            }
            return UInt64(UInt(bitPattern: ObjectIdentifier(o).hashValue))
        }
    }

    static func hash(_ v: Value, into h: inout Hasher) {
        switch v {
        case .none: h.combine(0)
        case .bool(let b): h.combine(b ? 1 : 0)
        case .int(let i): h.combine(i)
        case .float(let d):
            if d == d.rounded(), abs(d) < 9.2e18 { h.combine(Int(d)) } else { h.combine(d) }
        case .str(let s): h.combine(s)
        case .object(let o):
            if let t = o as? PyTuple { h.combine(t.items.count); for i in t.items { hash(i, into: &h) } }
            else { h.combine(ObjectIdentifier(o)) }
        }
    }
}

/// A Python dict: insertion-ordered.
public final class PyDict: PyObject {
    private(set) var keys: [Value?] = []
    private(set) var values: [Value] = []
    private var index: [HashKey: Int] = [:]

    public init() { super.init(type: Types.dict) }

    public var count: Int { index.count }

    /// The value stored under `key`.
    public func get(_ key: Value) throws -> Value? {
        guard let i = index[try HashKey(key)] else { return nil }
        return values[i]
    }

    /// Stores `value` under `key` (keeping the first insertion's position).
    public func set(_ key: Value, _ value: Value) throws {
        let k = try HashKey(key)
        let n = keys.count
        var slot = -1
        func touch(_ i: inout Int) { slot = i }
        touch(&index[k, default: n])  // one probe: inserts n when the key is new
        if slot != n { values[slot] = value; return }
        keys.append(key)
        values.append(value)
    }

    /// Removes `key`, returning its value.
    @discardableResult public func remove(_ key: Value) throws -> Value? {
        guard let i = index.removeValue(forKey: try HashKey(key)) else { return nil }
        keys[i] = nil
        let v = values[i]
        values[i] = .none
        if keys.count > 16 && index.count * 2 < keys.count { compact() }
        return v
    }

    private func compact() {
        var nk: [Value?] = [], nv: [Value] = []
        for (i, k) in keys.enumerated() where k != nil {
            index[try! HashKey(k!)] = nk.count
            nk.append(k); nv.append(values[i])
        }
        keys = nk; values = nv
    }

    public func removeAll() { keys = []; values = []; index = [:] }

    /// The live keys in insertion order.
    public var liveKeys: [Value] {
        if keys.count == index.count { return keys.map { $0! } }
        var out: [Value] = []
        out.reserveCapacity(index.count)
        for k in keys { if let k = k { out.append(k) } }
        return out
    }

    /// The live entries in insertion order.
    public var entries: [(key: Value, value: Value)] {
        var out: [(key: Value, value: Value)] = []
        out.reserveCapacity(index.count)
        for (i, k) in keys.enumerated() { if let k = k { out.append((k, values[i])) } }
        return out
    }
}

/// A Python set (iterates in insertion order).
public final class PySet: PyObject {
    public private(set) var storage = PyDict()
    public init(_ items: [Value] = []) throws {
        super.init(type: Types.set)
        for i in items { try add(i) }
    }
    public func add(_ v: Value) throws { try storage.set(v, .none) }
    public func contains(_ v: Value) throws -> Bool { try storage.get(v) != nil }
    public func remove(_ v: Value) throws -> Bool { try storage.remove(v) != nil }
    public var items: [Value] { storage.entries.map(\.key) }
    public var count: Int { storage.count }
    func clear() { storage.removeAll() }
}
