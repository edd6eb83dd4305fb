/// The base of every heap object. Native libraries subclass it (as final classes) for their own values.
open class PyObject {
    /// The object's type (fixed at creation; a subclass instance of a native class carries the subclass).
    public internal(set) var pyType: PyType!
    /// The instance attributes (`__dict__`), or nil for objects without one.
    public var attributes: [String: Value]?

    /// Creates an object of `type`; `hasDict` gives it an attribute dictionary.
    public init(type: PyType?, hasDict: Bool = false) {
        pyType = type
        attributes = hasDict ? [:] : nil
    }
}

/// A plain instance of a class defined in Soma code.
public final class PyInstance: PyObject {}

/// A cell holding a variable shared between a function and the functions nested in it.
final class Cell {
    var value: Value?
    init(_ v: Value? = nil) { value = v }
}

/// The `...` singleton and `NotImplemented`.
public final class PySingleton: PyObject {
    let text: String
    init(_ text: String, type: PyType) { self.text = text; super.init(type: type) }
}
