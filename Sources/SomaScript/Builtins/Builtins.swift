import Foundation

/// The built-in namespace: functions, types, constants and exception classes.
enum Builtins {
    /// `object.__setattr__`, the default attribute store.
    static let objectSetattr: Value = .object(NativeFunction("object.__setattr__", signature: "(self, name, value)") { interp, args in
        let a = try args.expect("__setattr__", min: 3, max: 3)
        try interp.genericSetAttribute(a[0], try a[1].asString(), a[2])
        return .none
    })

    /// Builds the builtins dictionary (and installs built-in types' constructors and methods once).
    static func make() -> [String: Value] {
        _ = installTypes
        var b: [String: Value] = [:]
        func fn(_ name: String, _ sig: String = "(...)", _ body: @escaping (Interpreter, Arguments) throws -> Value) {
            b[name] = .object(NativeFunction(name, signature: sig, body))
        }
        func unary(_ name: String, _ sig: String, _ body: @escaping (Interpreter, Value) throws -> Value) {
            let f = NativeFunction(name, signature: sig) { interp, args in try body(interp, try args.expect(name, min: 1, max: 1)[0]) }
            f.oneArgument = body
            b[name] = .object(f)
        }
        for t in [Types.int, Types.float, Types.str, Types.bool, Types.list, Types.tuple, Types.dict, Types.set,
                  Types.range, Types.slice, Types.object, Types.type, Types.property, Types.staticMethod,
                  Types.classMethod, Types.superType] {
            b[t.name] = .object(t)
        }
        for (name, t) in Types.exceptions { b[name] = .object(t) }
        b["None"] = Value.none
        b["True"] = .bool(true)
        b["False"] = .bool(false)
        b["Ellipsis"] = .object(Types.ellipsis)
        b["NotImplemented"] = .object(Types.notImplemented)
        addIO(fn)
        addSequenceFunctions(fn)
        addNumericFunctions(fn, unary)
        addIntrospection(fn, unary)
        return b
    }

    typealias Define = (String, String, @escaping (Interpreter, Arguments) throws -> Value) -> Void
    /// Defines a function of exactly one positional argument (called without an argument array where it can be).
    typealias DefineUnary = (String, String, @escaping (Interpreter, Value) throws -> Value) -> Void

    private static func addIO(_ fn: Define) {
        fn("print", "(*args, sep=' ', end='\\n', file=None, flush=False)") { interp, args in
            var sep = " ", end = "\n"
            var target: Value = .none
            for (k, v) in args.keywords {
                switch k {
                case "sep": if case .str(let s) = v { sep = s } else if case .none = v {} else { throw PyException.typeError("sep must be None or a string, not \(v.typeName)") }
                case "end": if case .str(let s) = v { end = s } else if case .none = v {} else { throw PyException.typeError("end must be None or a string, not \(v.typeName)") }
                case "file": target = v
                case "flush": break
                default: throw PyException.typeError("'\(k)' is an invalid keyword argument for print()")
                }
            }
            let text = try args.positional.map { try interp.str($0) }.joined(separator: sep) + end
            try interp.write(text, to: target)
            return .none
        }
        fn("input", "(prompt='')") { interp, args in
            let a = try args.expect("input", min: 0, max: 1)
            let prompt = try a.first.map { try interp.str($0) } ?? ""
            guard let line = interp.output.readLine(prompt: prompt) else { throw PyException.make("EOFError", "EOF when reading a line") }
            return .str(line)
        }
        fn("display", "(*objs, display_id=None)") { interp, args in try interp.display(args) }
        fn("clear_output", "(wait=False)") { interp, args in
            interp.output.clearOutput(wait: try interp.isTruthy(args.keyword("wait") ?? args.positional.first ?? .bool(false)))
            return .none
        }
        fn("help", "(obj)") { interp, args in
            let a = try args.expect("help", min: 1, max: 1)
            interp.output.page(try interp.helpText(a[0]) + "\n")
            return .none
        }
    }

    private static func addIntrospection(_ fn: Define, _ unary: DefineUnary) {
        unary("len", "(obj, /)") { interp, v in .int(try interp.length(v)) }
        unary("repr", "(obj, /)") { interp, v in .str(try interp.repr(v)) }
        fn("format", "(value, format_spec='', /)") { interp, args in
            let a = try args.expect("format", min: 1, max: 2)
            return .str(try Formatter.format(a[0], a.count > 1 ? try a[1].asString() : "", interp))
        }
        fn("isinstance", "(obj, class_or_tuple, /)") { _, args in
            let a = try args.expect("isinstance", min: 2, max: 2)
            return .bool(try isInstance(a[0].type, a[1], "isinstance() arg 2 must be a type, a tuple of types, or a union"))
        }
        fn("issubclass", "(cls, class_or_tuple, /)") { _, args in
            let a = try args.expect("issubclass", min: 2, max: 2)
            guard let t = a[0].as(PyType.self) else { throw PyException.typeError("issubclass() arg 1 must be a class") }
            return .bool(try isInstance(t, a[1], "issubclass() arg 2 must be a class, a tuple of classes, or a union"))
        }
        fn("hasattr", "(obj, name, /)") { interp, args in
            let a = try args.expect("hasattr", min: 2, max: 2)
            return .bool(try interp.hasAttribute(a[0], try attrName(a[1], "hasattr")))
        }
        fn("getattr", "(object, name[, default])") { interp, args in
            let a = try args.expect("getattr", min: 2, max: 3)
            do { return try interp.getAttribute(a[0], try attrName(a[1], "getattr")) } catch let e as PyException where e.isInstance(of: "AttributeError") && a.count == 3 {
                return a[2]
            }
        }
        fn("setattr", "(obj, name, value, /)") { interp, args in
            let a = try args.expect("setattr", min: 3, max: 3)
            try interp.setAttribute(a[0], try attrName(a[1], "setattr"), a[2])
            return .none
        }
        fn("delattr", "(obj, name, /)") { interp, args in
            let a = try args.expect("delattr", min: 2, max: 2)
            try interp.deleteAttribute(a[0], try attrName(a[1], "delattr"))
            return .none
        }
        fn("callable", "(obj, /)") { _, args in
            let v = try args.expect("callable", min: 1, max: 1)[0]
            guard case .object(let o) = v else { return .bool(false) }
            return .bool(o is PyFunction || o is NativeFunction || o is PyBoundMethod || o is PyType || o.pyType.lookup("__call__") != nil)
        }
        fn("id", "(obj, /)") { _, args in
            let v = try args.expect("id", min: 1, max: 1)[0]
            if case .object(let o) = v { return .int(Int(bitPattern: UInt(bitPattern: ObjectIdentifier(o).hashValue))) }
            return .int(Int(truncatingIfNeeded: try KeyHash.of(v)))
        }
        fn("hash", "(obj, /)") { interp, args in .int(try interp.hashValue(try args.expect("hash", min: 1, max: 1)[0])) }
        fn("iter", "(iterable, /)") { interp, args in try interp.iteratorObject(try args.expect("iter", min: 1, max: 1)[0]) }
        fn("next", "(iterator[, default])") { interp, args in
            let a = try args.expect("next", min: 1, max: 2)
            if let v = try interp.nextValue(a[0]) { return v }
            if a.count == 2 { return a[1] }
            throw PyException.stopIteration()
        }
        fn("vars", "([object])") { interp, args in
            let a = try args.expect("vars", min: 1, max: 1)
            return try interp.getAttribute(a[0], "__dict__")
        }
    }

    private static func attrName(_ v: Value, _ fn: String) throws -> String {
        guard case .str(let s) = v else { throw PyException.typeError("attribute name must be string, not '\(v.typeName)'") }
        return s
    }

    static func isInstance(_ t: PyType, _ cls: Value, _ message: String) throws -> Bool {
        if let tuple = cls.as(PyTuple.self) { return try tuple.items.contains { try isInstance(t, $0, message) } }
        guard let c = cls.as(PyType.self) else { throw PyException.typeError(message) }
        return t.isSubtype(of: c)
    }
}

extension Interpreter {
    /// Writes printed text to stdout, to sys.stderr, or to any object with a `write` method.
    func write(_ text: String, to target: Value) throws {
        switch target {
        case .none: output.write(text, to: .stdout)
        default:
            if let s = target.as(TextStream.self) { output.write(text, to: s.kind); return }
            _ = try callMethod(target, "write", [.str(text)])
        }
    }

    /// The text `help(obj)` prints.
    func helpText(_ v: Value) throws -> String {
        switch v {
        case .object(let o):
            if let f = o as? PyFunction {
                return "Help on function \(f.name):\n\n\(f.name)\(f.code.signature)" + (f.code.scope.docstring.map { "\n    " + $0 } ?? "")
            }
            if let f = o as? NativeFunction {
                return "Help on built-in function \(f.name):\n\n\(f.name)\(f.signature)" + (f.doc.map { "\n    " + $0 } ?? "")
            }
            if let m = o as? PyBoundMethod { return try helpText(m.function) }
            if let t = o as? PyType {
                var lines = ["Help on class \(t.name):", "", "class \(t.name)(\(t.base?.name ?? ""))"]
                if let d = t.doc { lines.append(" |  " + d) }
                for name in t.dict.keys.sorted() where !name.hasPrefix("_") || name == "__init__" {
                    lines.append(" |  " + name)
                }
                return lines.joined(separator: "\n")
            }
        default: break
        }
        return "Help on \(v.typeName) object:\n\n\(try repr(v))"
    }
}
