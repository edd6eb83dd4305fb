/// A type object: a built-in type, a class defined in Soma code, or a native class registered by the host.
public final class PyType: PyObject {
    /// The class name.
    public let name: String
    /// The single base class (nil only for `object`).
    public internal(set) var base: PyType?
    /// The class namespace: methods, properties and class attributes.
    public var dict: [String: Value] = [:] { didSet { PyType.version &+= 1 } }
    /// Bumped on every change to any class namespace (invalidates the property caches).
    nonisolated(unsafe) static var version = 0
    private var propertyCacheVersion = -1
    private var propertyNames: Set<String> = []
    /// What `lookup` found for each name asked for (nil: found nowhere), valid while `lookupCacheVersion` is current.
    private var lookupCache: [String: Value?] = [:]
    private var lookupCacheVersion = -1
    /// Builds a bare instance of this type (inherited by subclasses); native classes set it to make their own objects.
    public var makeInstance: ((PyType) -> PyObject)?
    /// A native type's arithmetic without method lookup: `a op b` where one operand has this type and the other has it
    /// too or is a plain value (number, str, None). Returns nil to let the dunder methods decide. Not inherited, so a
    /// subclass written in the language, which may override the operators, always goes through its methods.
    public var fastBinary: ((BinOp, Value, Value) throws -> Value?)?
    /// A built-in type's own constructor (int(), list(), ...); not inherited.
    var constructor: ((Interpreter, PyType, Arguments) throws -> Value)?
    /// The module the class is defined in (shown in reprs).
    public var moduleName: String
    /// The docstring shown by `help` and the kernel's inspect.
    public var doc: String?

    /// Creates a type; native hosts use `NativeClass` rather than this directly.
    public init(name: String, base: PyType?, module: String = "builtins", dict: [String: Value] = [:]) {
        self.name = name
        self.base = base
        self.moduleName = module
        self.dict = dict
        super.init(type: nil)
        if base != nil && !(name == "type" && moduleName == "builtins") { pyType = Types.type }
    }

    /// A built-in type (`Types`): it lives as long as the process, so it is made immortal, and the objects that hold
    /// it (every tuple, list and dict) take and drop their references without an atomic count.
    convenience init(builtin name: String, base: PyType?) {
        self.init(name: name, base: base)
        immortalize(Unmanaged.passUnretained(self).toOpaque())
    }

    /// Looks `name` up along the class chain (one dictionary probe once the name has been looked up before:
    /// answers are cached per type until any class namespace changes).
    public func lookup(_ name: String) -> Value? {
        if lookupCacheVersion != PyType.version {
            lookupCache.removeAll(keepingCapacity: true)
            lookupCacheVersion = PyType.version
        }
        if let hit = lookupCache[name] { return hit }
        var found: Value?
        var t: PyType? = self
        while let c = t {
            if let v = c.dict[name] { found = v; break }
            t = c.base
        }
        lookupCache[name] = .some(found)
        return found
    }

    /// True when `name` is a property somewhere along the class chain (then it wins over instance attributes).
    func hasProperty(_ name: String) -> Bool {
        if propertyCacheVersion != PyType.version {
            propertyNames = []
            var t: PyType? = self
            while let c = t {
                for (k, v) in c.dict { if case .object(let o) = v, o is PyProperty { propertyNames.insert(k) } }
                t = c.base
            }
            propertyCacheVersion = PyType.version
        }
        return propertyNames.contains(name)
    }

    /// The type that defines `name` along the class chain.
    func owner(of name: String) -> PyType? {
        var t: PyType? = self
        while let c = t {
            if c.dict[name] != nil { return c }
            t = c.base
        }
        return nil
    }

    /// True when `self` is `other` or derives from it.
    public func isSubtype(of other: PyType) -> Bool {
        var t: PyType? = self
        while let c = t {
            if c === other { return true }
            t = c.base
        }
        return false
    }

    /// The method resolution order (single inheritance: the base chain).
    var mro: [PyType] {
        var out: [PyType] = []
        var t: PyType? = self
        while let c = t { out.append(c); t = c.base }
        return out
    }

    /// The factory that makes instances of this type (the nearest one along the chain).
    var instanceFactory: ((PyType) -> PyObject)? {
        var t: PyType? = self
        while let c = t {
            if let f = c.makeInstance { return f }
            t = c.base
        }
        return nil
    }

    /// `module.Name` for user and native classes, plain name for built-ins.
    var qualifiedName: String { moduleName == "builtins" ? name : "\(moduleName).\(name)" }
}

/// The Swift runtime's own way to make an object immortal: its reference count is no longer counted (retain and
/// release return at once) and it is never freed.
@_silgen_name("_swift_stdlib_immortalize")
private func immortalize(_ object: UnsafeMutableRawPointer)
