import Synchronization

/// The base of every heap object. Native libraries subclass it (as final classes) for their own values.
open class PyObject {
    /// The object's type (fixed at creation; a subclass instance of a native class carries the subclass).
    public internal(set) var pyType: PyType!
    /// The instance attributes (`__dict__`), or nil for objects without one (a table exactly when `hasDict`).
    public var attributes: AttributeTable?
    /// Whether the object has instance attributes: `attributes != nil` without copying the table.
    public let hasDict: Bool

    /// Creates an object of `type`; `hasDict` gives it an attribute dictionary.
    public init(type: PyType?, hasDict: Bool = false) {
        pyType = type
        self.hasDict = hasDict
        attributes = hasDict ? AttributeTable() : nil
    }
}

/// The attribute names of objects given the same names in the same order (a hidden class), each name's index into
/// the objects' value arrays. A shared layout never changes, so an access site that saw one remembers the index and
/// reads the value without hashing the name; an object with very many attributes gets a private layout instead.
final class Shape: @unchecked Sendable {
    private(set) var names: [String]
    private(set) var index: [String: Int]
    /// False for a private layout (one object's, changed in place; sites do not remember it).
    let isShared: Bool
    /// The layouts one more name leads to (shared layouts only; guarded: sessions may run on several threads).
    private let transitions = Mutex<[String: Shape]>([:])

    /// Objects with more attributes than this get private layouts.
    static let maxSharedCount = 64
    static let empty = Shape(names: [], index: [:], isShared: true)

    private init(names: [String], index: [String: Int], isShared: Bool) {
        self.names = names; self.index = index; self.isShared = isShared
    }

    /// The layout with `name` appended (for a shared layout: the same object for every object that adds it here).
    func adding(_ name: String) -> Shape {
        if !isShared { return copy(appending: name) }
        return transitions.withLock { t in
            if let s = t[name] { return s }
            let s = copy(appending: name)
            if s.isShared { t[name] = s }
            return s
        }
    }

    private func copy(appending name: String) -> Shape {
        var index = self.index
        index[name] = names.count
        return Shape(names: names + [name], index: index, isShared: names.count + 1 <= Shape.maxSharedCount)
    }

    /// Appends `name` to a private layout held by one table.
    fileprivate func append(_ name: String) {
        precondition(!isShared)
        index[name] = names.count
        names.append(name)
    }
}

/// An object's attributes: its layout and the values in layout order (insertion order, like a dict).
public struct AttributeTable: ExpressibleByDictionaryLiteral {
    private(set) var shape: Shape
    var values: [Value]

    public init() { shape = .empty; values = [] }

    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init()
        for (k, v) in elements { self[k] = v }
    }

    public subscript(name: String) -> Value? {
        get { shape.index[name].map { values[$0] } }
        set {
            if let i = shape.index[name] {
                if let v = newValue { values[i] = v } else { removeValue(forKey: name) }
                return
            }
            guard let v = newValue else { return }
            if !shape.isShared && isKnownUniquelyReferenced(&shape) { shape.append(name) } else { shape = shape.adding(name) }
            values.append(v)
        }
    }

    /// Appends the value of a name absent here, when the layout that adding it gives is already known (`next`).
    @inline(__always) mutating func append(_ v: Value, to next: Shape) {
        shape = next
        values.append(v)
    }

    /// Removes `name` (the others keep their order).
    @discardableResult public mutating func removeValue(forKey name: String) -> Value? {
        guard let i = shape.index[name] else { return nil }
        let old = values[i]
        let pairs = zip(shape.names, values).enumerated().filter { $0.offset != i }.map(\.element)
        self = AttributeTable()
        for (k, v) in pairs { self[k] = v }
        return old
    }

    /// The names, in insertion order.
    public var keys: [String] { shape.names }
    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }
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
