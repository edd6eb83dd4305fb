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
    public var items: [Value] { storage.liveKeys }
    public var count: Int { storage.count }
    func clear() { storage.removeAll() }
}
