/// Python's hashing of dict keys and set members: equal keys (1 == 1.0 == True, strings by code points) hash alike.
enum KeyHash {
    /// The hash of a key, raising TypeError for an unhashable one (a list, dict or set, or a tuple holding one).
    @inline(__always) static func of(_ v: Value) throws -> UInt64 {
        switch v {
        case .str(let s): return string(s)
        case .int(let i): return mix(UInt64(bitPattern: Int64(i)))
        case .object(let o): return try object(o, v)
        default: return mix(raw(v))
        }
    }

    private static func object(_ o: PyObject, _ v: Value) throws -> UInt64 {
        if let t = o as? PyTuple {
            var h: UInt64 = 0x345678 ^ UInt64(t.items.count)
            for i in t.items { h = (h ^ (try of(i))) &* 1000003 }
            return mix(h)
        }
        if o is PyList || o is PyDict || o is PySet { throw PyException.typeError("unhashable type: '\(v.typeName)'") }
        return mix(UInt64(UInt(bitPattern: ObjectIdentifier(o).hashValue)))
    }

    /// The unmixed hash of a number, None or a bool (ints and integral floats by their integer value).
    private static func raw(_ v: Value) -> UInt64 {
        switch v {
        case .none: return 0x2545f4914f6cdd1d
        case .bool(let b): return b ? 1 : 0
        case .int(let i): return UInt64(bitPattern: Int64(i))
        case .float(let d):
            if d == d.rounded(), abs(d) < 9.2e18 { return UInt64(bitPattern: Int64(Int(d))) }
            return d.bitPattern
        default: return 0
        }
    }

    /// A string's hash from its UTF-8 bytes. A small string (up to 15 bytes, kept inside the `String` value) is hashed
    /// from the two words that hold its bytes, zero-padded; a longer or heap-stored string of up to 15 bytes is loaded
    /// into the same two words first, so equal texts hash alike however Swift stores them.
    @inline(__always) static func string(_ s: String) -> UInt64 {
        if let words = inlineUTF8(s) { return pair(words.0, words.1) }
        return storedString(s)
    }

    private static func storedString(_ s: String) -> UInt64 {
        var s = s
        return s.withUTF8 { buf -> UInt64 in
            let n = buf.count
            let base = buf.baseAddress
            if n <= 15 {
                var first: UInt64 = 0, second: UInt64 = 0
                for i in 0..<n {
                    if i < 8 { first |= UInt64(base![i]) << (8 * UInt64(i)) } else { second |= UInt64(base![i]) << (8 * UInt64(i - 8)) }
                }
                return pair(first, second)
            }
            var h: UInt64 = 0xcbf29ce484222325 ^ UInt64(n)
            var i = 0
            while i + 8 <= n {
                h = (h ^ UnsafeRawPointer(base! + i).loadUnaligned(as: UInt64.self)) &* 0x100000001b3
                h ^= h >> 29
                i += 8
            }
            var tail: UInt64 = 0, shift: UInt64 = 0
            while i < n { tail |= UInt64(base![i]) << shift; shift += 8; i += 1 }
            return mix((h ^ tail) &* 0x100000001b3)
        }
    }

    @inline(__always) private static func pair(_ a: UInt64, _ b: UInt64) -> UInt64 {
        mix(a &* 0x9E3779B97F4A7C15 ^ b)
    }

    @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
        var k = x
        k ^= k >> 33; k &*= 0xff51afd7ed558ccd
        k ^= k >> 33; k &*= 0xc4ceb9fe1a85ec53
        k ^= k >> 33
        return k
    }
}

/// A Python dict: insertion-ordered, like CPython's compact dict. Entries sit in insertion order in raw storage (a
/// removed one keeps its place with no key until the entries are compacted); an open-addressing table maps hashes to
/// entry positions.
public final class PyDict: PyObject {
    private struct Entry {
        var hash: UInt64
        var key: Value?
        var value: Value
    }

    /// The entries: `used` initialized (live and removed), room for `capacity`.
    private var slots: UnsafeMutablePointer<Entry>
    private var used = 0
    private var capacity: Int
    /// Entry position + 1 per table slot (0: empty); the table's size is a power of two.
    private var table: UnsafeMutablePointer<Int32>
    private var mask: Int
    /// The number of live entries.
    public private(set) var count = 0

    public init() {
        mask = PyDict.minimumTableSize - 1
        table = .allocate(capacity: PyDict.minimumTableSize)
        table.initialize(repeating: 0, count: PyDict.minimumTableSize)
        capacity = PyDict.minimumTableSize * 2 / 3
        slots = .allocate(capacity: capacity)
        super.init(type: Types.dict)
    }

    deinit {
        slots.deinitialize(count: used)
        slots.deallocate()
        table.deallocate()
    }

    private static let minimumTableSize = 8

    /// The entry position holding `key` (hash `h`), or -1.
    @inline(__always) private func position(of key: Value, _ h: UInt64) -> Int {
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(table[i]) - 1
            if e < 0 { return -1 }
            if slots[e].hash == h, PyDict.sameKey(slots[e].key, key) { return e }
            i = (i + 1) & mask
        }
    }

    /// Whether a stored key (nil: removed) equals `key` (whose hash it has), comparing strs and ints in place.
    @inline(__always) private static func sameKey(_ stored: borrowing Value?, _ key: Value) -> Bool {
        switch stored {
        case .some(.str(let a)):
            guard case .str(let b) = key else { return false }
            return sameRepresentation(a, b) || codePointOrder(a, b) == 0
        case .some(.int(let a)):
            if case .int(let b) = key { return a == b }
            return Ops.primitiveEquals(.int(a), key)
        case .some(let k): return Ops.primitiveEquals(k, key)
        case nil: return false
        }
    }

    /// The value stored under `key`.
    public func get(_ key: Value) throws -> Value? {
        let e = position(of: key, try KeyHash.of(key))
        return e < 0 ? nil : slots[e].value
    }

    /// Stores `value` under `key` (keeping the first insertion's position).
    public func set(_ key: Value, _ value: Value) throws {
        let h = try KeyHash.of(key)
        let e = position(of: key, h)
        if e >= 0 { slots[e].value = value; return }
        if (used + 1) * 3 > (mask + 1) * 2 { rebuild() }
        if used == capacity { grow() }
        (slots + used).initialize(to: Entry(hash: h, key: key, value: value))
        place(used, h)
        used += 1
        count += 1
    }

    /// Puts entry position `e` (hash `h`) in the first empty table slot of its probe sequence.
    @inline(__always) private func place(_ e: Int, _ h: UInt64) {
        var i = Int(truncatingIfNeeded: h) & mask
        while table[i] != 0 { i = (i + 1) & mask }
        table[i] = Int32(e + 1)
    }

    /// Moves the entries into storage of twice the room.
    private func grow() {
        let bigger = UnsafeMutablePointer<Entry>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: slots, count: used)
        slots.deallocate()
        slots = bigger
        capacity *= 2
    }

    /// Drops removed entries and sizes the table for the live ones and as many again.
    private func rebuild() {
        if count < used {
            var live = 0
            for e in 0..<used {
                if slots[e].key == nil {
                    (slots + e).deinitialize(count: 1)
                } else {
                    if live != e { (slots + live).moveInitialize(from: slots + e, count: 1) }
                    live += 1
                }
            }
            used = live
        }
        var size = PyDict.minimumTableSize
        while size < (count + 1) * 3 { size *= 2 }
        table.deallocate()
        table = .allocate(capacity: size)
        table.initialize(repeating: 0, count: size)
        mask = size - 1
        for e in 0..<used { place(e, slots[e].hash) }
    }

    /// Removes `key`, returning its value.
    @discardableResult public func remove(_ key: Value) throws -> Value? {
        let e = position(of: key, try KeyHash.of(key))
        if e < 0 { return nil }
        let v = slots[e].value
        slots[e].key = nil
        slots[e].value = .none
        count -= 1
        if used > 16 && count * 2 < used { rebuild() }
        return v
    }

    public func removeAll() {
        slots.deinitialize(count: used)
        used = 0
        count = 0
        table.update(repeating: 0, count: mask + 1)
    }

    /// The next live key from entry `position` on (moving `position` past it), nil at the end: iteration over the dict
    /// itself, which sees values stored meanwhile and fails, as Python's, once keys were added or removed (`size`: the
    /// number of keys when it began).
    @inline(__always) func nextKey(_ position: inout Int, size: Int, of kind: String = "dictionary") throws -> Value? {
        if count != size { throw PyException.runtimeError("\(kind) changed size during iteration") }
        while position < used {
            let p = position
            position += 1
            if let k = slots[p].key { return k }
        }
        return nil
    }

    /// The live keys in insertion order.
    public var liveKeys: [Value] {
        var out: [Value] = []
        out.reserveCapacity(count)
        for e in 0..<used { if let k = slots[e].key { out.append(k) } }
        return out
    }

    /// The live values in insertion order.
    public var liveValues: [Value] {
        var out: [Value] = []
        out.reserveCapacity(count)
        for e in 0..<used where slots[e].key != nil { out.append(slots[e].value) }
        return out
    }

    /// The live entries in insertion order.
    public var entries: [(key: Value, value: Value)] {
        var out: [(key: Value, value: Value)] = []
        out.reserveCapacity(count)
        for e in 0..<used { if let k = slots[e].key { out.append((k, slots[e].value)) } }
        return out
    }
}
