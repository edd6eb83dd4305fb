import Foundation

/// Equality and ordering with Python's rules.
enum Ops {
    /// Equality that needs no interpreter: numbers across int/float/bool, strings, tuples of those, identity otherwise.
    static func primitiveEquals(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y
        case (.float(let x), .float(let y)): return x == y
        case (.int(let x), .float(let y)), (.float(let y), .int(let x)): return Double(x) == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.bool(let x), .int(let y)), (.int(let y), .bool(let x)): return (x ? 1 : 0) == y
        case (.bool(let x), .float(let y)), (.float(let y), .bool(let x)): return (x ? 1.0 : 0.0) == y
        case (.str(let x), .str(let y)):  // code points, as Python (Swift's == is canonical equivalence)
            return sameRepresentation(x, y) || codePointOrder(x, y) == 0
        case (.none, .none): return true
        case (.object(let x), .object(let y)):
            if x === y { return true }
            if let p = x as? PyTuple, let q = y as? PyTuple {
                return p.items.count == q.items.count && zip(p.items, q.items).allSatisfy { primitiveEquals($0, $1) }
            }
            return false
        default: return false
        }
    }
}

extension Interpreter {
    /// `a == b`, calling `__eq__` where a class defines it.
    public func equals(_ a: Value, _ b: Value) throws -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            if let p = x as? PyList, let q = y as? PyList { return try sequenceEquals(p.items, q.items) }
            if let p = x as? PyTuple, let q = y as? PyTuple { return try sequenceEquals(p.items, q.items) }
            if let p = x as? PyDict, let q = y as? PyDict {
                guard p.count == q.count else { return false }
                for (k, v) in p.entries {
                    guard let w = try q.get(k), try equals(v, w) else { return false }
                }
                return true
            }
            if let p = x as? PySet, let q = y as? PySet {
                return try p.count == q.count && p.items.allSatisfy { try q.contains($0) }
            }
            if let p = x as? PyRange, let q = y as? PyRange {
                return p.count == q.count && (p.count == 0 || (p.start == q.start && (p.count == 1 || p.step == q.step)))
            }
        case (.object, _), (_, .object): break
        default: return Ops.primitiveEquals(a, b)
        }
        if let r = try richCompare("__eq__", "__eq__", a, b) { return try isTruthy(r) }
        return a.isIdentical(b)
    }

    private func sequenceEquals(_ a: [Value], _ b: [Value]) throws -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count where !(a[i].isIdentical(b[i])) { if !(try equals(a[i], b[i])) { return false } }
        return true
    }

    /// Tries `a.name(b)` then `b.reflected(a)`; nil when both are missing or return NotImplemented.
    private func richCompare(_ name: String, _ reflected: String, _ a: Value, _ b: Value) throws -> Value? {
        let notImpl = Value.object(Types.notImplemented)
        if let m = a.type.lookup(name), !isObjectDefault(m) {
            let r = try call(m, [a, b])
            if !r.isIdentical(notImpl) { return r }
        }
        if let m = b.type.lookup(reflected), !isObjectDefault(m) {
            let r = try call(m, [b, a])
            if !r.isIdentical(notImpl) { return r }
        }
        return nil
    }

    private func isObjectDefault(_ m: Value) -> Bool {
        if case .object(let o) = m, let n = o as? NativeFunction { return n.name.hasPrefix("object.") }
        return false
    }

    /// Runs one comparison operator.
    public func compare(_ op: CmpOp, _ a: Value, _ b: Value) throws -> Value {
        switch op {
        case .eq:
            if case .object = a, let r = try richCompare("__eq__", "__eq__", a, b) { return r }
            return .bool(try equals(a, b))
        case .ne:
            if case .object = a, let r = try richCompare("__ne__", "__ne__", a, b) { return r }
            return .bool(!(try equals(a, b)))
        case .is: return .bool(a.isIdentical(b))
        case .isNot: return .bool(!a.isIdentical(b))
        case .in: return .bool(try contains(b, a))
        case .notIn: return .bool(!(try contains(b, a)))
        case .lt, .le, .gt, .ge: return try order(op, a, b)
        }
    }

    private static let orderingDunders: [CmpOp: (String, String)] = [
        .lt: ("__lt__", "__gt__"), .le: ("__le__", "__ge__"), .gt: ("__gt__", "__lt__"), .ge: ("__ge__", "__le__")]

    private func order(_ op: CmpOp, _ a: Value, _ b: Value) throws -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)): return .bool(cmp(op, x, y))
        case (.float(let x), .float(let y)): return .bool(cmp(op, x, y))
        case (.int(let x), .float(let y)): return .bool(cmp(op, Double(x), y))
        case (.float(let x), .int(let y)): return .bool(cmp(op, x, Double(y)))
        case (.str(let x), .str(let y)): return .bool(cmp(op, codePointOrder(x, y), 0))
        case (.bool(let x), _): return try order(op, .int(x ? 1 : 0), b)
        case (_, .bool(let y)) where a.isNumber: return try order(op, a, .int(y ? 1 : 0))
        default: break
        }
        if let p = a.as(PyList.self), let q = b.as(PyList.self) { return try lexicographic(op, p.items, q.items) }
        if let p = a.as(PyTuple.self), let q = b.as(PyTuple.self) { return try lexicographic(op, p.items, q.items) }
        if let p = a.as(PySet.self), let q = b.as(PySet.self) {
            let sub = try p.items.allSatisfy { try q.contains($0) }, sup = try q.items.allSatisfy { try p.contains($0) }
            switch op {
            case .le: return .bool(sub)
            case .lt: return .bool(sub && p.count < q.count)
            case .ge: return .bool(sup)
            default: return .bool(sup && p.count > q.count)
            }
        }
        let (n, r) = Interpreter.orderingDunders[op]!
        if let v = try richCompare(n, r, a, b) { return v }
        throw PyException.typeError("'\(op.rawValue)' not supported between instances of '\(a.typeName)' and '\(b.typeName)'")
    }

    private func cmp<T: Comparable>(_ op: CmpOp, _ x: T, _ y: T) -> Bool {
        switch op {
        case .lt: return x < y
        case .le: return x <= y
        case .gt: return x > y
        default: return x >= y
        }
    }

    private func cmp(_ op: CmpOp, _ x: [UInt32], _ y: [UInt32]) -> Bool {
        let less = x.lexicographicallyPrecedes(y), eq = x == y
        switch op {
        case .lt: return less
        case .le: return less || eq
        case .gt: return !less && !eq
        default: return !less
        }
    }

    private func lexicographic(_ op: CmpOp, _ a: [Value], _ b: [Value]) throws -> Value {
        for i in 0..<min(a.count, b.count) where !(try equals(a[i], b[i])) {
            return try order(op, a[i], b[i])
        }
        return .bool(cmp(op, a.count, b.count))
    }

    /// `a < b` as a Bool (for sorting, min and max).
    func lessThan(_ a: Value, _ b: Value) throws -> Bool { try isTruthy(try order(.lt, a, b)) }
}

extension Value {
    var isNumber: Bool {
        switch self { case .int, .float, .bool: return true; default: return false }
    }
}

/// Python's string order, by code points (-1, 0, 1): UTF-8 bytes sort in code-point order, so one memcmp does it.
/// True when two strings have the same bits (the same small-string bytes, or the same storage and count): then they
/// hold the same code points, found without comparing (dict probes of short keys mostly end here).
@inline(__always) func sameRepresentation(_ x: String, _ y: String) -> Bool {
    let a = unsafeBitCast(x, to: (UInt64, UInt64).self), b = unsafeBitCast(y, to: (UInt64, UInt64).self)
    return a == b
}

func codePointOrder(_ x: String, _ y: String) -> Int {
    var x = x, y = y
    return x.withUTF8 { a in
        y.withUTF8 { b in
            let common = min(a.count, b.count)
            let c = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
            if c != 0 { return c < 0 ? -1 : 1 }
            return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
        }
    }
}

/// The first eight UTF-8 bytes of `s` as a big-endian word, zero-padded: words order as the texts' first eight bytes.
func utf8Prefix(_ s: String) -> UInt64 {
    if let words = inlineUTF8(s) { return words.0.byteSwapped }
    var s = s
    return s.withUTF8 { buf in
        var w: UInt64 = 0
        for i in 0..<min(8, buf.count) { w |= UInt64(buf[i]) << (8 * UInt64(7 - i)) }
        return w
    }
}

/// The UTF-8 bytes of a small string (up to 15, which Swift keeps inside the `String` value): the first eight in the
/// first word, the rest in the second, zero-padded; nil for a string stored on the heap.
@inline(__always) func inlineUTF8(_ s: String) -> (UInt64, UInt64)? {
    let words = unsafeBitCast(s, to: (UInt64, UInt64).self)
    return words.1 & (1 << 61) != 0 ? (words.0, words.1 & 0x00FF_FFFF_FFFF_FFFF) : nil
}

/// The bytes (as `inlineUTF8`) and length of a small string whose characters are all ASCII; nil for any other.
@inline(__always) func inlineASCII(_ s: String) -> ((UInt64, UInt64), Int)? {
    let top = unsafeBitCast(s, to: (UInt64, UInt64).self).1 >> 56  // flags and count of a small string
    guard top >> 5 == 0b111, let bytes = inlineUTF8(s) else { return nil }  // small (bit 61), ASCII (62), immortal (63)
    return (bytes, Int(truncatingIfNeeded: top & 0xF))
}

/// The one-character string of an ASCII byte, made as Swift lays out a small ASCII string of length 1 (the inverse of
/// `inlineUTF8`): no allocation, no reference.
@inline(__always) func asciiCharacter(_ byte: UInt8) -> String {
    unsafeBitCast((UInt64(byte), UInt64(0xE1) << 56), to: String.self)
}

/// `text + String(n)` when both are short: made in the two words of a small ASCII string, without the formatting
/// and appending calls (nil when `text` is not a small ASCII string, `n` takes more than 8 characters, or the result
/// would not be a small string).
@inline(__always) func appendingDecimal(_ text: String, _ n: Int) -> String? {
    guard let (bytes, count) = inlineASCII(text) else { return nil }
    // The number's characters in one word, the first in the lowest byte (as in the string's words), made from the
    // last digit up: each digit shifts the ones after it up a byte.
    var magnitude = n.magnitude, digits: UInt64 = 0, length = 0
    repeat {
        let (quotient, digit) = magnitude.quotientAndRemainder(dividingBy: 10)
        digits = digits << 8 | (0x30 + UInt64(digit))
        magnitude = quotient
        length += 1
    } while magnitude > 0 && length < 8
    guard magnitude == 0 else { return nil }  // more than 8 digits
    if n < 0 {
        guard length < 8 else { return nil }
        digits = digits << 8 | 0x2D
        length += 1
    }
    guard count + length <= 15 else { return nil }
    var words = bytes
    if count < 8 {
        words.0 |= digits << (8 * UInt64(count))
        if count > 0 { words.1 |= digits >> (64 - 8 * UInt64(count)) }
    } else {
        words.1 |= digits << (8 * UInt64(count - 8))
    }
    words.1 |= UInt64(0xE0 | (count + length)) << 56  // small, ASCII, immortal; the length
    return unsafeBitCast(words, to: String.self)
}

/// Byte `k` of the bytes of a small string (see `inlineUTF8`).
@inline(__always) func inlineByte(_ bytes: (UInt64, UInt64), _ k: Int) -> UInt8 {
    UInt8(truncatingIfNeeded: k < 8 ? bytes.0 >> (8 * UInt64(k)) : bytes.1 >> (8 * UInt64(k - 8)))
}
