/// The methods of dict and set.
extension Builtins {
    static func installDictMethods() {
        let t = Types.dict
        func m(_ name: String, _ sig: String = "(...)", _ body: @escaping (Interpreter, PyDict, Arguments) throws -> Value) {
            t.addMethod(name, signature: sig) { interp, receiver, args in
                guard let d = receiver.as(PyDict.self) else { throw PyException.typeError("descriptor '\(name)' requires a 'dict' object") }
                return try body(interp, d, args)
            }
        }
        m("keys") { _, d, _ in .object(PyList(d.liveKeys)) }
        m("values") { _, d, _ in .object(PyList(d.liveValues)) }
        m("items") { _, d, _ in .object(PyList(d.entries.map { .object(PyTuple([$0.key, $0.value])) })) }
        m("get", "(key, default=None, /)") { _, d, args in
            let a = try args.expect("get", min: 1, max: 2)
            return try d.get(a[0]) ?? (a.count > 1 ? a[1] : .none)
        }
        t.addShortForm("get", arity: 1...2) { _, receiver, key, fallback in
            // The dict used without taking a reference on it (as a cast or a bound payload would).
            guard let dict = receiver.unretainedObject, dict._withUnsafeGuaranteedRef({ $0 is PyDict }) else {
                throw PyException.typeError("descriptor 'get' requires a 'dict' object")
            }
            return try dict._withUnsafeGuaranteedRef { try unsafeDowncast($0, to: PyDict.self).get(key) } ?? fallback ?? .none
        }
        m("pop", "(key[, default])") { _, d, args in
            let a = try args.expect("pop", min: 1, max: 2)
            if let v = try d.remove(a[0]) { return v }
            if a.count > 1 { return a[1] }
            throw PyException.keyError(a[0])
        }
        m("popitem") { _, d, _ in
            guard let last = d.entries.last else { throw PyException.make("KeyError", "popitem(): dictionary is empty") }
            try d.remove(last.key)
            return .object(PyTuple([last.key, last.value]))
        }
        m("setdefault", "(key, default=None, /)") { _, d, args in
            let a = try args.expect("setdefault", min: 1, max: 2)
            if let v = try d.get(a[0]) { return v }
            let v = a.count > 1 ? a[1] : .none
            try d.set(a[0], v)
            return v
        }
        m("update") { interp, d, args in
            if let src = args.positional.first { try interp.updateDict(d, from: src) }
            for (k, v) in args.keywords { try d.set(.str(k), v) }
            return .none
        }
        m("copy") { _, d, _ in
            let c = PyDict()
            for (k, v) in d.entries { try c.set(k, v) }
            return .object(c)
        }
        m("clear") { _, d, _ in d.removeAll(); return .none }
        Types.dict.dict["fromkeys"] = .object(PyMethodWrapper(.object(NativeFunction("fromkeys") { interp, args in
            let a = Array(args.positional.dropFirst())
            let d = PyDict()
            for k in try interp.iterate(a.first ?? .none) { try d.set(k, a.count > 1 ? a[1] : .none) }
            return .object(d)
        }), isClassMethod: true))
    }

    static func installSetMethods() {
        let t = Types.set
        func m(_ name: String, _ sig: String = "(...)", _ body: @escaping (Interpreter, PySet, Arguments) throws -> Value) {
            t.addMethod(name, signature: sig) { interp, receiver, args in
                guard let s = receiver.as(PySet.self) else { throw PyException.typeError("descriptor '\(name)' requires a 'set' object") }
                return try body(interp, s, args)
            }
        }
        m("add", "(elem, /)") { _, s, args in try s.add(try args.expect("add", min: 1, max: 1)[0]); return .none }
        t.addShortForm("add", arity: 1...1) { _, receiver, v, _ in
            guard let s = receiver.as(PySet.self) else { throw PyException.typeError("descriptor 'add' requires a 'set' object") }
            try s.add(v)
            return .none
        }
        m("remove", "(elem, /)") { _, s, args in
            let v = try args.expect("remove", min: 1, max: 1)[0]
            if !(try s.remove(v)) { throw PyException.keyError(v) }
            return .none
        }
        m("discard", "(elem, /)") { _, s, args in _ = try s.remove(try args.expect("discard", min: 1, max: 1)[0]); return .none }
        m("pop") { _, s, _ in
            guard let v = s.items.first else { throw PyException.make("KeyError", "pop from an empty set") }
            _ = try s.remove(v)
            return v
        }
        m("clear") { _, s, _ in s.clear(); return .none }
        m("copy") { _, s, _ in .object(try PySet(s.items)) }
        m("update") { interp, s, args in
            for a in args.positional { for v in try interp.iterate(a) { try s.add(v) } }
            return .none
        }
        let ops: [(String, BinOp)] = [("union", .bitOr), ("intersection", .bitAnd), ("difference", .sub), ("symmetric_difference", .bitXor)]
        for (name, op) in ops {
            m(name) { interp, s, args in
                var result = s
                for a in args.positional { result = try interp.setOp(op, result, try PySet(try interp.iterate(a))) }
                return .object(result === s ? try PySet(s.items) : result)
            }
        }
        m("issubset") { interp, s, args in
            let other = try PySet(try interp.iterate(try args.expect("issubset", min: 1, max: 1)[0]))
            return .bool(try s.items.allSatisfy { try other.contains($0) })
        }
        m("issuperset") { interp, s, args in
            let other = try interp.iterate(try args.expect("issuperset", min: 1, max: 1)[0])
            return .bool(try other.allSatisfy { try s.contains($0) })
        }
        m("isdisjoint") { interp, s, args in
            let other = try interp.iterate(try args.expect("isdisjoint", min: 1, max: 1)[0])
            return .bool(try !other.contains { try s.contains($0) })
        }
    }
}
