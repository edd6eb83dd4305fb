/// Attribute access with Python's rules: properties, instance attributes, class attributes, bound methods, `__getattr__`.
extension Interpreter {
    /// `value.name`.
    public func getAttribute(_ value: Value, _ name: String) throws -> Value {
        if case .object(let o) = value {
            if let cls = o as? PyType { return try classAttribute(cls, name) }
            if let m = o as? PyModule {
                if let v = m.attributes![name] { return v }
                if name == "__name__" { return .str(m.name) }
                throw PyException.attributeError("module '\(m.name)' has no attribute '\(name)'")
            }
            if let s = o as? PySuper { return try superAttribute(s, name) }
            if let attrs = o.attributes, let v = attrs[name], !o.pyType.hasProperty(name) { return v }
        }
        let t = value.type
        let found = t.lookup(name)
        if case .object(let d)? = found, let prop = d as? PyProperty {
            guard let g = prop.getter else { throw PyException.attributeError("property '\(name)' of '\(t.name)' object has no getter") }
            return try callBound(g, value, [])
        }
        if case .object(let o) = value, let v = o.attributes?[name] { return v }
        if let found = found { return bindMember(found, to: value, type: t) }
        if let special = try specialAttribute(value, name) { return special }
        if let hook = t.lookup("__getattr__") { return try call(hook, [value, .str(name)]) }
        throw PyException.attributeError("'\(t.name)' object has no attribute '\(name)'")
    }

    /// Makes a method found on a class into what `instance.name` gives: a bound method, a static function, ...
    func bindMember(_ member: Value, to receiver: Value, type: PyType) -> Value {
        guard case .object(let o) = member else { return member }
        if o is PyFunction || o is NativeFunction { return .object(PyBoundMethod(receiver: receiver, function: member)) }
        if let w = o as? PyMethodWrapper {
            return w.isClassMethod ? .object(PyBoundMethod(receiver: .object(type), function: w.function)) : w.function
        }
        return member
    }

    private func specialAttribute(_ value: Value, _ name: String) throws -> Value? {
        switch name {
        case "__class__": return .object(value.type)
        case "__dict__":
            guard case .object(let o) = value, let attrs = o.attributes else { return nil }
            let d = PyDict()
            for (k, v) in zip(attrs.keys, attrs.values) { try d.set(.str(k), v) }  // insertion order, as in Python
            return .object(d)
        default: break
        }
        guard case .object(let o) = value else { return nil }
        if let e = o as? PyException, name == "args" { return .object(PyTuple(e.args)) }
        if let f = o as? PyFunction {
            switch name {
            case "__name__": return .str(f.name)
            case "__qualname__": return .str(f.qualname)
            case "__doc__": return f.code.scope.docstring.map { .str($0) } ?? Value.none
            default: return nil
            }
        }
        if let f = o as? NativeFunction {
            if name == "__name__" { return .str(f.name) }
            if name == "__doc__" { return f.doc.map { .str($0) } ?? Value.none }
        }
        if let m = o as? PyBoundMethod {
            if name == "__self__" { return m.receiver }
            if name == "__func__" { return m.function }
            return try getAttribute(m.function, name)
        }
        if let e = o as? PyException {
            if name == "__cause__" { return e.cause.map { .object($0) } ?? Value.none }
            if name == "__context__" { return e.context.map { .object($0) } ?? Value.none }
        }
        return nil
    }

    /// `Class.name`: class attributes, unbound functions, class methods bound to the class.
    func classAttribute(_ cls: PyType, _ name: String) throws -> Value {
        if let v = cls.lookup(name) {
            if case .object(let o) = v, let w = o as? PyMethodWrapper {
                return w.isClassMethod ? .object(PyBoundMethod(receiver: .object(cls), function: w.function)) : w.function
            }
            return v
        }
        switch name {
        case "__name__", "__qualname__": return .str(cls.name)
        case "__doc__": return cls.doc.map { .str($0) } ?? .none
        case "__module__": return .str(cls.moduleName)
        case "__base__": return cls.base.map { .object($0) } ?? .none
        case "__bases__": return .object(PyTuple(cls.base.map { [.object($0)] } ?? []))
        case "__mro__": return .object(PyTuple(cls.mro.map { .object($0) }))
        case "__class__": return .object(cls.pyType)
        default: throw PyException.attributeError("type object '\(cls.name)' has no attribute '\(name)'")
        }
    }

    private func superAttribute(_ s: PySuper, _ name: String) throws -> Value {
        var t = s.startAfter.base
        while let c = t {
            if let v = c.dict[name] {
                if case .object(let d) = v, let prop = d as? PyProperty, let g = prop.getter { return try call(g, [s.receiver]) }
                if case .object(let cls) = s.receiver, let cls = cls as? PyType {
                    if case .object(let o) = v, let w = o as? PyMethodWrapper {
                        return w.isClassMethod ? .object(PyBoundMethod(receiver: .object(cls), function: w.function)) : w.function
                    }
                    return v
                }
                return bindMember(v, to: s.receiver, type: s.receiver.type)
            }
            t = c.base
        }
        throw PyException.attributeError("'super' object has no attribute '\(name)'")
    }

    /// `value.name = newValue`, through a `__setattr__` hook when the class (or a native base) defines one.
    public func setAttribute(_ value: Value, _ name: String, _ newValue: Value) throws {
        if case .object(let o) = value {
            if let cls = o as? PyType { cls.dict[name] = newValue; return }
            if let m = o as? PyModule { m.attributes![name] = newValue; return }
        }
        if let hook = value.type.lookup("__setattr__"), !hook.isIdentical(Builtins.objectSetattr) {
            _ = try call(hook, [value, .str(name), newValue])
            return
        }
        try genericSetAttribute(value, name, newValue)
    }

    /// `object.__setattr__`: properties' setters, else the instance dictionary.
    public func genericSetAttribute(_ value: Value, _ name: String, _ newValue: Value) throws {
        let t = value.type
        if case .object(let d)? = t.lookup(name), let prop = d as? PyProperty {
            guard let s = prop.setter else { throw PyException.attributeError("property '\(name)' of '\(t.name)' object has no setter") }
            _ = try call(s, [value, newValue])
            return
        }
        guard case .object(let o) = value, o.hasDict else {
            throw PyException.attributeError("'\(t.name)' object has no attribute '\(name)'")
        }
        o.attributes![name] = newValue
    }

    /// `del value.name`.
    public func deleteAttribute(_ value: Value, _ name: String) throws {
        if case .object(let o) = value {
            if let cls = o as? PyType {
                guard cls.dict.removeValue(forKey: name) != nil else {
                    throw PyException.attributeError("type object '\(cls.name)' has no attribute '\(name)'")
                }
                return
            }
            if let hook = value.type.lookup("__delattr__") { _ = try call(hook, [value, .str(name)]); return }
            if o.attributes?.removeValue(forKey: name) != nil { return }
        }
        throw PyException.attributeError("'\(value.typeName)' object has no attribute '\(name)'")
    }

    /// `hasattr(value, name)`.
    public func hasAttribute(_ value: Value, _ name: String) throws -> Bool {
        do { _ = try getAttribute(value, name); return true } catch let e as PyException where e.isInstance(of: "AttributeError") {
            return false
        }
    }
}

/// What one attribute-access or method-call site learned about the last type it saw, valid while no class namespace
/// changes (`PyType.version`): instances of `type` are plain objects with an attribute dictionary (not classes, modules
/// or `super()` objects), and `name` is no property along the class chain.
final class AttributeSite {
    let name: String
    private(set) var type: PyType?
    private(set) var version = -1
    /// For reads: the instance dictionary is read directly. For writes: also no `__setattr__` hook.
    private(set) var plain = false
    /// For method calls: the Soma function `name` finds on the class, read without taking a reference (`keptMethods`
    /// holds it).
    private(set) var method: Unmanaged<PyFunction>?
    /// Every function `method` was: a call through this site may still run one when the site learns another.
    private var keptMethods: [PyFunction] = []

    /// The last shared attribute layout seen here and `name`'s index in it (-1: absent from such objects).
    private var shape: Shape?
    private var slot = -1
    /// For writes: the layout an object of layout `shape` gets when `name` is added (when `slot` is -1).
    private var grownShape: Shape?

    /// For method calls on values without instance attributes: the last class seen, and the native method body
    /// `name` finds on it (nil: none, or not native).
    private var nativeType: PyType?
    private var nativeVersion = -1
    private var nativeBody: ((Interpreter, Value, [Value], [(name: String, value: Value)]) throws -> Value)?
    /// The native method's short form (see `NativeFunction.shortMethod`), handed out unretained: every short form the
    /// site has found stays in `shortMethodsFound`, so a reference handed out outlives any later lookup.
    private var nativeShortReference: Unmanaged<ShortMethod>?
    private var shortMethodsFound: [ShortMethod] = []

    init(_ name: String) { self.name = name }

    /// The native method `name` on `t`, looked up once per class and class change; nil for classes, modules and
    /// `super()` objects (whose attributes are found elsewhere first).
    @inline(__always) func nativeMethod(_ t: PyType) -> ((Interpreter, Value, [Value], [(name: String, value: Value)]) throws -> Value)? {
        if t === nativeType && nativeVersion == PyType.version { return nativeBody }
        nativeType = t
        nativeVersion = PyType.version
        nativeBody = nil
        nativeShortReference = nil
        if t.isSubtype(of: Types.type) || t === Types.module || t === Types.superType { return nil }
        if case .object(let m)? = t.lookup(name), let n = m as? NativeFunction {
            nativeBody = n.methodBody
            if let short = n.shortMethod {
                if !shortMethodsFound.contains(where: { $0 === short }) { shortMethodsFound.append(short) }
                nativeShortReference = .passUnretained(short)
            }
        }
        return nativeBody
    }

    /// The short form of the native method `name` on `t` when it takes `count` arguments (see `nativeMethod`),
    /// unretained (the site keeps it).
    @inline(__always) func nativeShortMethod(_ t: PyType, count: Int) -> Unmanaged<ShortMethod>? {
        if !(t === nativeType && nativeVersion == PyType.version) { _ = nativeMethod(t) }
        return shortReference(count)
    }

    /// `nativeShortMethod(o.pyType, count:)`, comparing the class with the one seen last without taking a reference
    /// on it.
    @inline(__always) func nativeShortMethod(ofTypeOf o: PyObject, count: Int) -> Unmanaged<ShortMethod>? {
        if o.pyType === nativeType && nativeVersion == PyType.version { return shortReference(count) }
        return nativeShortMethod(o.pyType, count: count)
    }

    @inline(__always) private func shortReference(_ count: Int) -> Unmanaged<ShortMethod>? {
        guard let short = nativeShortReference, short._withUnsafeGuaranteedRef({ $0.arity.contains(count) }) else { return nil }
        return short
    }

    /// `name`'s index in the attribute table of `o`, which has one (nil: absent), remembering shared layouts.
    @inline(__always) func index(in o: PyObject) -> Int? {
        let s = o.attributes!.shape
        if s === shape { return slot < 0 ? nil : slot }
        let i = s.index[name]
        if s.isShared { shape = s; slot = i ?? -1; grownShape = nil }
        return i
    }

    /// The instance attribute `name` of `o` (nil: none).
    @inline(__always) func read(_ o: PyObject) -> Value? {
        guard o.hasDict, let i = index(in: o) else { return nil }
        return o.attributes!.values[i]
    }

    /// Sets the instance attribute `name` of `o`, which has an attribute table.
    @inline(__always) func write(_ o: PyObject, _ v: Value) {
        if let i = index(in: o) {
            o.attributes!.values[i] = v
        } else if let next = grownShape, o.attributes!.shape === shape {
            o.attributes!.append(v, to: next)
        } else {
            let before = o.attributes!.shape
            o.attributes![name] = v
            if before === shape { grownShape = o.attributes!.shape.isShared ? o.attributes!.shape : nil }
        }
    }

    /// True when the site's facts hold for objects of `t`.
    @inline(__always) func matches(_ t: PyType) -> Bool { t === type && version == PyType.version }

    /// Records the facts about `o`'s type (called on a miss).
    func learn(_ o: PyObject, forWrite: Bool) {
        type = nil; plain = false; method = nil
        guard o.hasDict, !(o is PyType || o is PyModule || o is PySuper), let t = o.pyType else { return }
        type = t
        version = PyType.version
        plain = !t.hasProperty(name)
        if forWrite, let hook = t.lookup("__setattr__"), !hook.isIdentical(Builtins.objectSetattr) { plain = false }
        if plain, case .object(let m)? = t.lookup(name), let f = m as? PyFunction {
            if !keptMethods.contains(where: { $0 === f }) { keptMethods.append(f) }
            method = .passUnretained(f)
        }
    }
}

extension Interpreter {
    /// `value.name` through a site cache: an instance attribute is one dictionary probe.
    @inline(__always) func getAttribute(_ value: Value, _ site: AttributeSite) throws -> Value {
        if case .object(let o) = value, let v = instanceAttribute(o, site) { return v }
        return try getAttribute(value, site.name)
    }

    /// `o.name` when the site finds it in the instance's attributes (nil: look it up the general way). Runs no Soma code.
    @inline(__always) func instanceAttribute(_ o: PyObject, _ site: AttributeSite) -> Value? {
        if !site.matches(o.pyType) { site.learn(o, forWrite: false) }
        if site.plain && o.pyType === site.type { return site.read(o) }
        return nil
    }

    /// `value.name = newValue` through a site cache: an instance without `__setattr__` or property is written directly.
    @inline(__always) func setAttribute(_ value: Value, _ site: AttributeSite, _ newValue: Value) throws {
        if case .object(let o) = value, setInstanceAttribute(o, site, newValue) { return }
        try setAttribute(value, site.name, newValue)
    }

    /// Sets `o.name` when the site writes the instance's attributes directly (false: set it the general way). Runs no
    /// Soma code.
    @inline(__always) func setInstanceAttribute(_ o: PyObject, _ site: AttributeSite, _ newValue: Value) -> Bool {
        if !site.matches(o.pyType) { site.learn(o, forWrite: true) }
        guard site.plain && o.pyType === site.type && o.hasDict else { return false }
        site.write(o, newValue)
        return true
    }
}
