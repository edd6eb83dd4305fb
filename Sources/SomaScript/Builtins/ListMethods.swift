/// The methods of list and tuple.
extension Builtins {
    static func installListMethods() {
        let t = Types.list
        func m(_ name: String, _ sig: String = "(...)", _ body: @escaping (Interpreter, PyList, Arguments) throws -> Value) {
            t.addMethod(name, signature: sig) { interp, receiver, args in
                guard let l = receiver.as(PyList.self) else { throw PyException.typeError("descriptor '\(name)' requires a 'list' object") }
                return try body(interp, l, args)
            }
        }
        m("append", "(object, /)") { _, l, args in l.items.append(try args.expect("append", min: 1, max: 1)[0]); return .none }
        t.addShortForm("append", arity: 1...1) { _, receiver, v, _ in
            guard let l = receiver.as(PyList.self) else { throw PyException.typeError("descriptor 'append' requires a 'list' object") }
            l.items.append(v)
            return .none
        }
        m("extend", "(iterable, /)") { interp, l, args in l.items += try interp.iterate(try args.expect("extend", min: 1, max: 1)[0]); return .none }
        m("insert", "(index, object, /)") { _, l, args in
            let a = try args.expect("insert", min: 2, max: 2)
            var i = try a[0].asInt()
            if i < 0 { i = max(0, i + l.items.count) }
            l.items.insert(a[1], at: min(i, l.items.count))
            return .none
        }
        m("pop", "(index=-1, /)") { interp, l, args in
            let a = try args.expect("pop", min: 0, max: 1)
            if l.items.isEmpty { throw PyException.indexError("pop from empty list") }
            let i = try interp.normalizeIndex(try a.first?.asInt() ?? -1, l.items.count, "pop index out of range")
            return l.items.remove(at: i)
        }
        m("remove", "(value, /)") { interp, l, args in
            let v = try args.expect("remove", min: 1, max: 1)[0]
            guard let i = try l.items.firstIndex(where: { try interp.equals($0, v) }) else {
                throw PyException.valueError("list.remove(x): x not in list")
            }
            l.items.remove(at: i)
            return .none
        }
        m("index", "(value, start=0, stop=sys.maxsize, /)") { interp, l, args in
            let v = try args.expect("index", min: 1, max: 3)[0]
            guard let i = try l.items.firstIndex(where: { try interp.equals($0, v) }) else {
                throw PyException.valueError("\(try interp.repr(v)) is not in list")
            }
            return .int(i)
        }
        m("count", "(value, /)") { interp, l, args in
            let v = try args.expect("count", min: 1, max: 1)[0]
            return .int(try l.items.filter { try interp.equals($0, v) }.count)
        }
        m("sort", "(*, key=None, reverse=False)") { interp, l, args in
            if !args.positional.isEmpty { throw PyException.typeError("sort() takes no positional arguments") }
            var items = l.items
            try interp.sort(&items, key: args.keyword("key") ?? .none, reverse: try interp.isTruthy(args.keyword("reverse") ?? .bool(false)))
            l.items = items
            return .none
        }
        m("reverse") { _, l, _ in l.items.reverse(); return .none }
        m("copy") { _, l, _ in .object(PyList(l.items)) }
        m("clear") { _, l, _ in l.items.removeAll(); return .none }

        Types.tuple.addMethod("index", signature: "(value, /)") { interp, receiver, args in
            let v = try args.expect("index", min: 1, max: 1)[0]
            guard let i = try receiver.as(PyTuple.self)!.items.firstIndex(where: { try interp.equals($0, v) }) else {
                throw PyException.valueError("tuple.index(x): x not in tuple")
            }
            return .int(i)
        }
        Types.tuple.addMethod("count", signature: "(value, /)") { interp, receiver, args in
            let v = try args.expect("count", min: 1, max: 1)[0]
            return .int(try receiver.as(PyTuple.self)!.items.filter { try interp.equals($0, v) }.count)
        }
    }
}
