/// Built-in functions over iterables: enumerate, zip, map, filter, sorted, reversed, min, max, sum, any, all.
extension Builtins {
    static func addSequenceFunctions(_ fn: Define) {
        fn("enumerate", "(iterable, start=0)") { interp, args in
            let b = try ParameterList("enumerate", ["iterable", "start"], defaults: ["start": .int(0)]).bind(args)
            let next = try interp.makeIterator(b[0])
            var i = try b[1].asInt()
            var result = ReusedTuple()
            return .object(PyIterator {
                guard let x = try next() else { return nil }
                defer { i += 1 }
                return result.make(.int(i), x)
            })
        }
        fn("zip", "(*iterables, strict=False)") { interp, args in
            let iters = try args.positional.map { try interp.makeIterator($0) }
            var result = ReusedTuple()
            return .object(PyIterator {
                if iters.isEmpty { return nil }
                var items: [Value] = []
                for it in iters {
                    guard let x = try it() else { return nil }
                    items.append(x)
                }
                return result.make(items)
            })
        }
        fn("map", "(function, iterable, /, *iterables)") { interp, args in
            guard args.positional.count >= 2 else { throw PyException.typeError("map() must have at least two arguments.") }
            let f = args.positional[0]
            let iters = try args.positional.dropFirst().map { try interp.makeIterator($0) }
            return .object(PyIterator {
                var items: [Value] = []
                for it in iters {
                    guard let x = try it() else { return nil }
                    items.append(x)
                }
                return try interp.call(f, items)
            })
        }
        fn("filter", "(function, iterable, /)") { interp, args in
            let a = try args.expect("filter", min: 2, max: 2)
            let next = try interp.makeIterator(a[1])
            return .object(PyIterator {
                while let x = try next() {
                    let keep: Value
                    if case .none = a[0] { keep = x } else { keep = try interp.call(a[0], [x]) }
                    if try interp.isTruthy(keep) { return x }
                }
                return nil
            })
        }
        fn("sorted", "(iterable, /, *, key=None, reverse=False)") { interp, args in
            guard args.positional.count == 1 else {
                throw PyException.typeError("sorted expected 1 argument, got \(args.positional.count)")
            }
            var items = try interp.iterate(args.positional[0])
            try interp.sort(&items, key: args.keyword("key") ?? .none, reverse: try interp.isTruthy(args.keyword("reverse") ?? .bool(false)))
            return .object(PyList(items))
        }
        fn("reversed", "(sequence, /)") { interp, args in
            let v = try args.expect("reversed", min: 1, max: 1)[0]
            if case .object(let o) = v, let m = o.pyType.lookup("__reversed__") { return try interp.call(m, [v]) }
            let items: [Value]
            switch v {
            case .str: items = try interp.iterate(v)
            case .object(let o) where o is PyList || o is PyTuple || o is PyRange: items = try interp.iterate(v)
            case .object(let o) where o.pyType.lookup("__getitem__") != nil && o.pyType.lookup("__len__") != nil:
                let n = try interp.length(v)
                items = try (0..<n).map { try interp.getItem(v, .int($0)) }
            default: throw PyException.typeError("'\(v.typeName)' object is not reversible")
            }
            var it = items.reversed().makeIterator()
            return .object(PyIterator { it.next() })
        }
        fn("min", "(iterable, *[, default=obj, key=func])") { interp, args in try extreme(interp, args, "min", wantMax: false) }
        fn("max", "(iterable, *[, default=obj, key=func])") { interp, args in try extreme(interp, args, "max", wantMax: true) }
        fn("sum", "(iterable, /, start=0)") { interp, args in
            let b = try ParameterList("sum", ["iterable", "start"], defaults: ["start": .int(0)]).bind(args)
            if case .str = b[1] { throw PyException.typeError("sum() can't sum strings [use ''.join(seq) instead]") }
            var total = b[1]
            let next = try interp.makeIterator(b[0])
            while let x = try next() { total = try interp.binary(.add, total, x) }
            return total
        }
        fn("any", "(iterable, /)") { interp, args in
            let next = try interp.makeIterator(try args.expect("any", min: 1, max: 1)[0])
            while let x = try next() { if try interp.isTruthy(x) { return .bool(true) } }
            return .bool(false)
        }
        fn("all", "(iterable, /)") { interp, args in
            let next = try interp.makeIterator(try args.expect("all", min: 1, max: 1)[0])
            while let x = try next() { if !(try interp.isTruthy(x)) { return .bool(false) } }
            return .bool(true)
        }
    }

    private static func extreme(_ interp: Interpreter, _ args: Arguments, _ name: String, wantMax: Bool) throws -> Value {
        for (k, _) in args.keywords where k != "key" && k != "default" {
            throw PyException.typeError("'\(k)' is an invalid keyword argument for \(name)()")
        }
        let key = args.keyword("key") ?? .none
        let items: [Value]
        if args.positional.count == 1 {
            items = try interp.iterate(args.positional[0])
        } else if args.positional.isEmpty {
            throw PyException.typeError("\(name) expected at least 1 argument, got 0")
        } else {
            if args.keyword("default") != nil {
                throw PyException.typeError("Cannot specify a default for \(name)() with multiple positional arguments")
            }
            items = args.positional
        }
        guard var best = items.first else {
            if let d = args.keyword("default") { return d }
            throw PyException.valueError("\(name)() arg is an empty sequence")
        }
        var bestKey = try key.isNone ? best : interp.call(key, [best])
        for x in items.dropFirst() {
            let k = try key.isNone ? x : interp.call(key, [x])
            if wantMax ? try interp.lessThan(bestKey, k) : try interp.lessThan(k, bestKey) { best = x; bestKey = k }
        }
        return best
    }
}


extension Interpreter {
    /// Stable sort with an optional key function, like `list.sort`.
    public func sort(_ items: inout [Value], key: Value, reverse: Bool) throws {
        if items.count < 2 { return }
        let keys: [Value]
        if case .object(let o) = key, let f = o as? PyFunction {  // a Soma key function: no argument array per call
            keys = try items.map { try callFunction(f, receiver: $0, [], []) }
        } else {
            keys = key.isNone ? items : try items.map { try call(key, [$0]) }
        }
        if let order = Interpreter.primitiveSortOrder(keys, reverse: reverse) {
            items = order.map { items[$0] }
            return
        }
        var keyed = Array(zip(keys, items))
        if reverse { keyed.reverse() }
        try mergeSort(&keyed)
        if reverse { keyed.reverse() }
        items = keyed.map(\.1)
    }

    private func mergeSort(_ a: inout [(Value, Value)]) throws {
        if a.count < 2 { return }
        if a.count <= 8 {
            for i in 1..<a.count {
                let x = a[i]
                var j = i - 1
                while j >= 0, try lessThan(x.0, a[j].0) { a[j + 1] = a[j]; j -= 1 }
                a[j + 1] = x
            }
            return
        }
        let mid = a.count / 2
        var left = Array(a[..<mid]), right = Array(a[mid...])
        try mergeSort(&left)
        try mergeSort(&right)
        var i = 0, j = 0, k = 0
        while i < left.count && j < right.count {
            if try lessThan(right[j].0, left[i].0) { a[k] = right[j]; j += 1 } else { a[k] = left[i]; i += 1 }
            k += 1
        }
        while i < left.count { a[k] = left[i]; i += 1; k += 1 }
        while j < right.count { a[k] = right[j]; j += 1; k += 1 }
    }
}

/// Sort keys that are all ints, all strs, or all tuples of one length whose columns are each all ints or all strs, as
/// one word per key and column that orders like the key: an int with its sign bit flipped, a str's first eight UTF-8
/// bytes read big-endian (equal words of strs are then told apart by their whole text).
private struct SortKeys {
    let width: Int
    /// Row-major: key i's column c at `i * width + c`.
    var words: [UInt64] = []
    /// The strs, at the same places (an empty text in int columns); empty when no column holds strs.
    var texts: [String] = []
    var isText: [Bool] = []
    /// Whether any column holds strs (`texts` is filled only then).
    private var hasText = false

    init?(_ keys: [Value]) {
        guard let first = keys.first else { return nil }
        let firstTuple = first.as(PyTuple.self)
        let columns = firstTuple?.items ?? [first]
        width = columns.count
        guard width > 0 else { return nil }
        for v in columns {
            switch v {
            case .int: isText.append(false)
            case .str: isText.append(true)
            default: return nil
            }
        }
        words.reserveCapacity(keys.count * width)
        hasText = isText.contains(true)
        if hasText { texts.reserveCapacity(keys.count * width) }
        for i in keys.indices {
            if firstTuple == nil {
                guard add(keys[i], column: 0) else { return nil }
                continue
            }
            // Each key tuple and its items read in place: a copy of the key, a cast or a copy of its items would each
            // take a reference (an atomic increment and decrement on a tuple that is often out of cache).
            guard let key = keys[i].unretainedObject, key._withUnsafeGuaranteedRef({ o -> Bool in
                guard o is PyTuple else { return false }
                let tuple = unsafeDowncast(o, to: PyTuple.self)
                guard tuple.items.count == width else { return false }
                for c in 0..<width { guard add(tuple.items[c], column: c) else { return false } }
                return true
            }) else { return nil }
        }
    }

    /// Appends the word (and text) of `v` in `column`; false when `v` is not of the column's kind.
    private mutating func add(_ v: Value, column: Int) -> Bool {
        switch v {
        case .int(let n) where !isText[column]:
            words.append(UInt64(bitPattern: Int64(n)) ^ (1 << 63))
            if hasText { texts.append("") }
        case .str(let s) where isText[column]:
            words.append(utf8Prefix(s))
            texts.append(s)
        default: return false
        }
        return true
    }

    /// Key positions in ascending order (descending with `reverse`); equal keys keep their order either way.
    func order(reverse: Bool) -> [Int] {
        var order = Array(0..<(words.count / width))
        let width = self.width
        words.withUnsafeBufferPointer { w in
            order.sort { i, j in
                let a = i * width, b = j * width
                for c in 0..<width where w[a + c] != w[b + c] || isText[c] {
                    if w[a + c] != w[b + c] { return (w[a + c] < w[b + c]) != reverse }
                    let r = codePointOrder(texts[a + c], texts[b + c])
                    if r != 0 { return (r < 0) != reverse }
                }
                return i < j
            }
        }
        return order
    }
}

extension Interpreter {
    /// The stable sorted order of `keys` (indices) when they are primitive (see `SortKeys`: a total order where
    /// Python's comparisons agree); nil otherwise. Ties keep their original order, with `reverse` too (as Python's).
    static func primitiveSortOrder(_ keys: [Value], reverse: Bool) -> [Int]? {
        SortKeys(keys)?.order(reverse: reverse)
    }
}
