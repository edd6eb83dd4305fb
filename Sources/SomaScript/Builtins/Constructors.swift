import Foundation

/// Constructors of the built-in types (int(), str(), list(), ...) and the methods of object and BaseException.
extension Builtins {
    /// Runs once: installs constructors and methods on the built-in type objects.
    static let installTypes: Void = {
        _ = Types.type
        Types.object.dict["__setattr__"] = objectSetattr
        Types.object.addMethod("__init__", signature: "(self, /, *args, **kwargs)") { _, _, _ in .none }
        Types.baseException.makeInstance = { PyException(type: $0) }
        Types.baseException.addMethod("__init__", signature: "(self, *args)") { _, receiver, args in
            receiver.as(PyException.self)?.args = args.positional
            return .none
        }
        Types.baseException.addMethod("with_traceback") { _, receiver, _ in receiver }
        Types.generator.addMethod("send", signature: "(value)") { _, receiver, args in
            guard let g = receiver.as(PyGenerator.self) else { return .none }
            guard let v = try g.next(send: args.positional.first ?? .none) else { throw PyException.stopIteration(g.runner.returnValue) }
            return v
        }
        Types.generator.addMethod("close") { _, receiver, _ in
            receiver.as(PyGenerator.self)?.runner.close()
            return .none
        }
        Types.property.addMethod("setter", signature: "(fset)") { _, receiver, args in
            let p = receiver.as(PyProperty.self)!
            return .object(PyProperty(getter: p.getter, setter: args.positional.first))
        }
        Types.property.addMethod("getter", signature: "(fget)") { _, receiver, args in
            .object(PyProperty(getter: args.positional.first, setter: receiver.as(PyProperty.self)!.setter))
        }
        installConstructors()
        installStrMethods()
        installListMethods()
        installDictMethods()
        installSetMethods()
    }()

    private static func ctor(_ t: PyType, _ body: @escaping (Interpreter, Arguments) throws -> Value) {
        t.constructor = { interp, _, args in try body(interp, args) }
    }

    private static func installConstructors() {
        ctor(Types.int) { interp, args in
            let a = try args.expect("int", min: 0, max: 2)
            guard let v = a.first else { return .int(0) }
            if a.count == 2 {
                guard case .str(let s) = v else { throw PyException.typeError("int() can't convert non-string with explicit base") }
                return .int(try parseInt(s, base: try a[1].asInt()))
            }
            return .int(try interp.toInt(v))
        }
        ctor(Types.float) { interp, args in
            let a = try args.expect("float", min: 0, max: 1)
            guard let v = a.first else { return .float(0) }
            return .float(try interp.toFloat(v))
        }
        ctor(Types.str) { interp, args in
            let a = try args.expect("str", min: 0, max: 1)
            return .str(try a.first.map { try interp.str($0) } ?? "")
        }
        ctor(Types.bool) { interp, args in
            let a = try args.expect("bool", min: 0, max: 1)
            return .bool(try a.first.map { try interp.isTruthy($0) } ?? false)
        }
        ctor(Types.list) { interp, args in
            let a = try args.expect("list", min: 0, max: 1)
            return .object(PyList(try a.first.map { try interp.iterate($0) } ?? []))
        }
        ctor(Types.tuple) { interp, args in
            let a = try args.expect("tuple", min: 0, max: 1)
            if let t = a.first?.as(PyTuple.self) { return .object(t) }
            return .object(PyTuple(try a.first.map { try interp.iterate($0) } ?? []))
        }
        ctor(Types.set) { interp, args in
            let a = try args.expect("set", min: 0, max: 1)
            return .object(try PySet(try a.first.map { try interp.iterate($0) } ?? []))
        }
        ctor(Types.dict) { interp, args in
            let d = PyDict()
            if args.positional.count > 1 { throw PyException.typeError("dict expected at most 1 argument, got \(args.positional.count)") }
            if let src = args.positional.first { try interp.updateDict(d, from: src) }
            for (k, v) in args.keywords { try d.set(.str(k), v) }
            return .object(d)
        }
        ctor(Types.range) { _, args in
            let a = try args.expect("range", min: 1, max: 3).map { try $0.asInt() }
            if a.count == 3 && a[2] == 0 { throw PyException.valueError("range() arg 3 must not be zero") }
            switch a.count {
            case 1: return .object(PyRange(0, a[0], 1))
            case 2: return .object(PyRange(a[0], a[1], 1))
            default: return .object(PyRange(a[0], a[1], a[2]))
            }
        }
        ctor(Types.slice) { _, args in
            let a = try args.expect("slice", min: 1, max: 3)
            switch a.count {
            case 1: return .object(PySlice(.none, a[0], .none))
            case 2: return .object(PySlice(a[0], a[1], .none))
            default: return .object(PySlice(a[0], a[1], a[2]))
            }
        }
        ctor(Types.object) { _, args in
            _ = try args.expect("object", min: 0, max: 0)
            return .object(PyInstance(type: Types.object))
        }
        ctor(Types.type) { interp, args in
            let a = try args.expect("type", min: 1, max: 3)
            if a.count == 1 { return .object(a[0].type) }
            guard a.count == 3, case .str(let name) = a[0], let bases = a[1].as(PyTuple.self), let ns = a[2].as(PyDict.self) else {
                throw PyException.typeError("type() takes 1 or 3 arguments")
            }
            var dict: [String: Value] = [:]
            for (k, v) in ns.entries { dict[try k.asString()] = v }
            return .object(PyType(name: name, base: bases.items.first?.as(PyType.self) ?? Types.object, module: "__main__", dict: dict))
        }
        ctor(Types.property) { _, args in
            let b = try ParameterList("property", ["fget", "fset", "fdel", "doc"],
                                      defaults: ["fget": .none, "fset": .none, "fdel": .none, "doc": .none]).bind(args)
            return .object(PyProperty(getter: b[0].isNone ? nil : b[0], setter: b[1].isNone ? nil : b[1]))
        }
        ctor(Types.staticMethod) { _, args in .object(PyMethodWrapper(try args.expect("staticmethod", min: 1, max: 1)[0], isClassMethod: false)) }
        ctor(Types.classMethod) { _, args in .object(PyMethodWrapper(try args.expect("classmethod", min: 1, max: 1)[0], isClassMethod: true)) }
        ctor(Types.superType) { _, args in
            let a = try args.expect("super", min: 2, max: 2)
            guard let t = a[0].as(PyType.self) else { throw PyException.typeError("super() argument 1 must be a type, not \(a[0].typeName)") }
            return .object(PySuper(startAfter: t, receiver: a[1]))
        }
    }

    /// Parses an int literal the way int(str, base) does.
    static func parseInt(_ text: String, base: Int) throws -> Int {
        var s = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let original = text
        var negative = false
        if s.hasPrefix("-") { negative = true; s.removeFirst() } else if s.hasPrefix("+") { s.removeFirst() }
        var b = base
        let lower = s.lowercased()
        for (p, r) in [("0x", 16), ("0o", 8), ("0b", 2)] where lower.hasPrefix(p) && (base == 0 || base == r) {
            s.removeFirst(2); b = r
        }
        if b == 0 { b = 10 }
        let invalid = PyException.valueError("invalid literal for int() with base \(base): \(StringRepr.quote(original))")
        guard !s.isEmpty, !s.hasPrefix("_"), !s.hasSuffix("_"), !s.contains("__") else { throw invalid }
        guard let v = Int(s.replacingOccurrences(of: "_", with: ""), radix: b) else {
            if s.allSatisfy({ $0.isHexDigit || $0 == "_" }) && s.count > 15 { throw PyException.overflow() }
            throw invalid
        }
        return negative ? -v : v
    }
}

extension Interpreter {
    /// `int(v)`.
    public func toInt(_ v: Value) throws -> Int {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .float(let d): return try Arithmetic.toInt(d)
        case .str(let s): return try Builtins.parseInt(s, base: 10)
        case .object(let o):
            for name in ["__int__", "__index__"] {
                if let m = o.pyType.lookup(name) { return try call(m, [v]).asInt() }
            }
            if let m = o.pyType.lookup("__float__") { return try Arithmetic.toInt(try call(m, [v]).asDouble()) }
        default: break
        }
        throw PyException.typeError("int() argument must be a string, a bytes-like object or a real number, not '\(v.typeName)'")
    }

    /// `float(v)`.
    public func toFloat(_ v: Value) throws -> Double {
        switch v {
        case .float(let d): return d
        case .int(let i): return Double(i)
        case .bool(let b): return b ? 1 : 0
        case .str(let s):
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().replacingOccurrences(of: "_", with: "")
            let special: [String: Double] = ["inf": .infinity, "+inf": .infinity, "-inf": -.infinity, "infinity": .infinity,
                                             "+infinity": .infinity, "-infinity": -.infinity, "nan": .nan, "+nan": .nan, "-nan": .nan]
            if let d = special[t] { return d }
            if !t.isEmpty, t.allSatisfy({ "0123456789.e+-".contains($0) }), let d = Double(t) { return d }
            throw PyException.valueError("could not convert string to float: \(StringRepr.quote(s))")
        case .object(let o):
            if let m = o.pyType.lookup("__float__") { return try call(m, [v]).asDouble() }
            if let m = o.pyType.lookup("__index__") { return Double(try call(m, [v]).asInt()) }
        default: break
        }
        throw PyException.typeError("float() argument must be a string or a real number, not '\(v.typeName)'")
    }

    /// `dict.update(src)`: from a dict or an iterable of pairs.
    func updateDict(_ d: PyDict, from src: Value) throws {
        if let s = src.as(PyDict.self) {
            for (k, v) in s.entries { try d.set(k, v) }
            return
        }
        if case .object(let o) = src, o.pyType.lookup("keys") != nil, o.pyType.lookup("__getitem__") != nil {
            for k in try iterate(try callMethod(src, "keys", [])) { try d.set(k, try getItem(src, k)) }
            return
        }
        for (i, item) in try iterate(src).enumerated() {
            let pair = try iterate(item)
            guard pair.count == 2 else {
                throw PyException.valueError("dictionary update sequence element #\(i) has length \(pair.count); 2 is required")
            }
            try d.set(pair[0], pair[1])
        }
    }
}
