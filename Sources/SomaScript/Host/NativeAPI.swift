/// Helpers for hosts that bind Swift code into the language: native classes, methods, properties and argument checks.
extension PyType {
    /// Creates a native class; `make` builds the Swift object behind each instance (also for Soma subclasses, with their type).
    public static func nativeClass(_ name: String, module: String, base: PyType = Types.object, doc: String? = nil,
                                   make: ((PyType) -> PyObject)? = nil) -> PyType {
        let t = PyType(name: name, base: base, module: module)
        t.doc = doc
        t.makeInstance = make
        return t
    }

    /// Adds a native method; `body` receives the receiver (`self`) and the remaining arguments.
    @discardableResult
    public func addMethod(_ name: String, signature: String = "(...)", doc: String? = nil,
                          _ body: @escaping (Interpreter, Value, Arguments) throws -> Value) -> NativeFunction {
        let typeName = self.name
        let f = NativeFunction(name, signature: signature, doc: doc) { interp, args in
            guard let receiver = args.positional.first else {
                throw PyException.typeError("descriptor '\(name)' of '\(typeName)' object needs an argument")
            }
            return try body(interp, receiver, Arguments(Array(args.positional.dropFirst()), keywords: args.keywords))
        }
        f.methodBody = { interp, receiver, positional, keywords in try body(interp, receiver, Arguments(positional, keywords: keywords)) }
        dict[name] = .object(f)
        return f
    }

    /// Gives the method `name` (added with `addMethod`) a form called without an argument array when it gets
    /// `arity` positional arguments and no keywords; `body` receives the receiver and the arguments (the second nil
    /// when one is given) and must do what the method does.
    public func addShortForm(_ name: String, arity: ClosedRange<Int>, _ body: @escaping (Interpreter, Value, Value, Value?) throws -> Value) {
        guard case .object(let o)? = dict[name], let f = o as? NativeFunction else { preconditionFailure("no method \(name)") }
        precondition(arity.lowerBound >= 1 && arity.upperBound <= 2)
        f.shortMethod = ShortMethod(arity: arity, body)
    }

    /// Adds a static method (`Type.name(...)` and `instance.name(...)` both call `body` without a receiver).
    @discardableResult
    public func addStaticMethod(_ name: String, signature: String = "(...)", doc: String? = nil,
                                _ body: @escaping (Interpreter, Arguments) throws -> Value) -> NativeFunction {
        let f = NativeFunction(name, signature: signature, doc: doc, body)
        dict[name] = .object(PyMethodWrapper(.object(f), isClassMethod: false))
        return f
    }

    /// Adds a computed attribute with a getter and an optional setter.
    public func addProperty(_ name: String, doc: String? = nil, get: @escaping (Interpreter, Value) throws -> Value,
                            set: ((Interpreter, Value, Value) throws -> Void)? = nil) {
        let getter = NativeFunction(name, doc: doc) { interp, args in try get(interp, args.positional[0]) }
        getter.methodBody = { interp, receiver, _, _ in try get(interp, receiver) }
        let setter = set.map { s in
            NativeFunction(name) { interp, args in try s(interp, args.positional[0], args.positional[1]); return .none }
        }
        dict[name] = .object(PyProperty(getter: .object(getter), setter: setter.map { .object($0) }))
    }
}

extension Arguments {
    /// Checks that there are no keyword arguments and between `min` and `max` positional ones.
    public func expect(_ name: String, min: Int, max: Int) throws -> [Value] {
        if !keywords.isEmpty { throw PyException.typeError("\(name)() takes no keyword arguments") }
        let n = positional.count
        if n < min || n > max {
            if min == max {
                if min == 0 { throw PyException.typeError("\(name)() takes no arguments (\(n) given)") }
                if min == 1 { throw PyException.typeError("\(name)() takes exactly one argument (\(n) given)") }
                throw PyException.typeError("\(name) expected \(min) arguments, got \(n)")
            }
            if n < min { throw PyException.typeError("\(name) expected at least \(min) argument\(min == 1 ? "" : "s"), got \(n)") }
            throw PyException.typeError("\(name) expected at most \(max) argument\(max == 1 ? "" : "s"), got \(n)")
        }
        return positional
    }

    /// The keyword argument `name`, if given.
    public func keyword(_ name: String) -> Value? { keywords.last { $0.name == name }?.value }
}

extension Value {
    /// The Int inside an int or bool, or a TypeError naming what was expected.
    public func asInt(_ what: String = "an integer") throws -> Int {
        switch self {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: throw PyException.typeError("'\(typeName)' object cannot be interpreted as an integer")
        }
    }

    /// The Double inside a float, int or bool.
    public func asDouble() throws -> Double {
        switch self {
        case .float(let d): return d
        case .int(let i): return Double(i)
        case .bool(let b): return b ? 1 : 0
        default: throw PyException.typeError("must be real number, not \(typeName)")
        }
    }

    /// The String inside a str.
    public func asString() throws -> String {
        if case .str(let s) = self { return s }
        throw PyException.typeError("expected str, got \(typeName)")
    }
}
