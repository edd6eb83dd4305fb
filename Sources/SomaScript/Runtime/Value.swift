/// A Soma value: small values inline, everything else a reference to a heap object.
public enum Value {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case str(String)
    case object(PyObject)

    /// The value's type object.
    public var type: PyType {
        switch self {
        case .none: return Types.noneType
        case .bool: return Types.bool
        case .int: return Types.int
        case .float: return Types.float
        case .str: return Types.str
        case .object(let o): return o.pyType
        }
    }

    /// The Python type name, as in error messages.
    public var typeName: String { type.name }

    /// The object, when the value is a heap object of class `T`.
    public func `as`<T: PyObject>(_: T.Type) -> T? {
        if case .object(let o) = self { return o as? T }
        return nil
    }

    /// The heap object, without taking a reference on it (the value must stay alive while it is used).
    @inline(__always) var unretainedObject: Unmanaged<PyObject>? {
        if case .object(let o) = self { return .passUnretained(o) }
        return nil
    }

    /// True for None.
    public var isNone: Bool { if case .none = self { return true }; return false }

    /// Python's `is`.
    public func isIdentical(_ other: Value) -> Bool {
        switch (self, other) {
        case (.none, .none): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.float(let a), .float(let b)): return a.bitPattern == b.bitPattern
        case (.str(let a), .str(let b)): return a == b
        case (.object(let a), .object(let b)): return a === b
        default: return false
        }
    }
}

extension Value: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
    public init(integerLiteral v: Int) { self = .int(v) }
    public init(floatLiteral v: Double) { self = .float(v) }
    public init(stringLiteral v: String) { self = .str(v) }
    public init(booleanLiteral v: Bool) { self = .bool(v) }
}
