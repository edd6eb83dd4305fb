/// One line of a traceback: where a frame was when the exception passed through it.
public struct TraceEntry: Sendable {
    public var file: String
    public var function: String
    public var range: SourceRange
}

/// A raised Python exception: an instance of BaseException or a subclass, thrown as a Swift error.
public final class PyException: PyObject, Error, @unchecked Sendable {
    /// The constructor arguments (`e.args`).
    public var args: [Value]
    /// The traceback, innermost frame last.
    public internal(set) var traceback: [TraceEntry] = []
    var cause: PyException?
    var context: PyException?
    var suppressContext = false
    /// The frame that last added a traceback entry (to add one entry per frame).
    var pendingRange: SourceRange?

    /// Creates an exception instance of `type` with constructor arguments.
    public init(type: PyType, args: [Value] = []) {
        self.args = args
        super.init(type: type, hasDict: true)
    }

    /// An exception of the built-in class `name` with a message.
    public static func make(_ name: String, _ message: String) -> PyException {
        PyException(type: Types.exception(name), args: [.str(message)])
    }

    public static func typeError(_ m: String) -> PyException { make("TypeError", m) }
    public static func valueError(_ m: String) -> PyException { make("ValueError", m) }
    public static func indexError(_ m: String) -> PyException { make("IndexError", m) }
    public static func attributeError(_ m: String) -> PyException { make("AttributeError", m) }
    public static func nameError(_ m: String) -> PyException { make("NameError", m) }
    public static func zeroDivision(_ m: String) -> PyException { make("ZeroDivisionError", m) }
    public static func overflow(_ m: String = "integer overflow: Soma's int is 64-bit") -> PyException { make("OverflowError", m) }
    public static func runtimeError(_ m: String) -> PyException { make("RuntimeError", m) }
    public static func keyError(_ key: Value) -> PyException { PyException(type: Types.exception("KeyError"), args: [key]) }
    public static func stopIteration(_ v: Value? = nil) -> PyException {
        PyException(type: Types.exception("StopIteration"), args: v.map { [$0] } ?? [])
    }

    /// True when this exception is an instance of `type`.
    public func isInstance(of type: PyType) -> Bool { pyType.isSubtype(of: type) }

    /// True when this exception's class is the built-in `name` or derives from it.
    public func isInstance(of name: String) -> Bool { isInstance(of: Types.exception(name)) }
}
