/// Binds call arguments to a parameter list with Python's rules and TypeError messages.
public struct ParameterList {
    public var functionName: String
    public var positional: [String]
    /// Default values of the last `positionalDefaults.count` positional parameters.
    public var positionalDefaults: [Value]
    public var keywordOnly: [String]
    public var keywordDefaults: [String: Value]
    public var varArgs: Bool
    public var varKeywords: Bool

    /// Describes a native function's parameters; `defaults` maps parameter names to default values.
    public init(_ functionName: String, _ positional: [String], defaults: [String: Value] = [:],
                keywordOnly: [String] = [], varArgs: Bool = false, varKeywords: Bool = false) {
        self.functionName = functionName
        self.positional = positional
        var pd: [Value] = []
        var seen = false
        for p in positional {
            if let d = defaults[p] { pd.append(d); seen = true } else { precondition(!seen, "non-default parameter after default"); }
        }
        positionalDefaults = pd
        self.keywordOnly = keywordOnly
        keywordDefaults = defaults.filter { keywordOnly.contains($0.key) }
        self.varArgs = varArgs
        self.varKeywords = varKeywords
    }

    init(functionName: String, positional: [String], positionalDefaults: [Value], keywordOnly: [String],
         keywordDefaults: [String: Value], varArgs: Bool, varKeywords: Bool) {
        self.functionName = functionName; self.positional = positional; self.positionalDefaults = positionalDefaults
        self.keywordOnly = keywordOnly; self.keywordDefaults = keywordDefaults; self.varArgs = varArgs; self.varKeywords = varKeywords
    }

    /// Slot layout: positional, then `*args` (a tuple), then keyword-only, then `**kwargs` (a dict).
    public var slotCount: Int { positional.count + (varArgs ? 1 : 0) + keywordOnly.count + (varKeywords ? 1 : 0) }

    /// Binds the arguments, returning one value per slot.
    public func bind(_ args: Arguments) throws -> [Value] {
        if args.keywords.isEmpty, let values = bindPositional(args.positional) { return values }
        var out = [Value?](repeating: nil, count: slotCount)
        try bind(args.positional, args.keywords) { out[$0] = $1 }
        return out.map { $0! }
    }

    /// The slot values of a call with positional arguments only that needs no `**kwargs` dict or error message: the
    /// arguments, the `*args` tuple, then defaults. Nil when the general binder must run.
    @inline(__always) func bindPositional(_ args: [Value]) -> [Value]? {
        let np = positional.count
        let firstDefault = np - positionalDefaults.count
        guard !varKeywords, args.count >= firstDefault, varArgs || args.count <= np else { return nil }
        if args.count == np && !varArgs && keywordOnly.isEmpty { return args }
        var out: [Value] = []
        out.reserveCapacity(slotCount)
        if args.count <= np {
            out.append(contentsOf: args)
            for i in args.count..<np { out.append(positionalDefaults[i - firstDefault]) }
            if varArgs { out.append(.object(PyTuple([]))) }
        } else {
            out.append(contentsOf: args[..<np])
            out.append(.object(PyTuple(Array(args[np...]))))
        }
        for name in keywordOnly {
            guard let d = keywordDefaults[name] else { return nil }
            out.append(d)
        }
        return out
    }

    private static func list(_ names: [String]) -> String {
        let q = names.map { "'\($0)'" }
        switch q.count {
        case 1: return q[0]
        case 2: return "\(q[0]) and \(q[1])"
        default: return q.dropLast().joined(separator: ", ") + ", and " + q.last!
        }
    }

    /// Binds arguments, storing each slot's value through `store`.
    func bind(_ args: [Value], _ keywords: [(name: String, value: Value)], store: (Int, Value) -> Void) throws {
        let np = positional.count
        var filled = [Bool](repeating: false, count: slotCount)
        for i in 0..<min(args.count, np) { store(i, args[i]); filled[i] = true }
        if args.count > np {
            if varArgs {
                store(np, .object(PyTuple(Array(args[np...]))))
            } else {
                let minCount = np - positionalDefaults.count
                let takes = minCount == np ? "\(np) positional argument\(np == 1 ? "" : "s")" : "from \(minCount) to \(np) positional arguments"
                let given = args.count
                throw PyException.typeError("\(functionName)() takes \(takes) but \(given) \(given == 1 ? "was" : "were") given")
            }
        } else if varArgs {
            store(np, .object(PyTuple([])))
        }
        let kwBase = np + (varArgs ? 1 : 0)
        var extra: PyDict?
        if varKeywords { extra = PyDict() }
        for (name, value) in keywords {
            if let i = positional.firstIndex(of: name) {
                if filled[i] { throw PyException.typeError("\(functionName)() got multiple values for argument '\(name)'") }
                store(i, value); filled[i] = true
            } else if let k = keywordOnly.firstIndex(of: name) {
                if filled[kwBase + k] { throw PyException.typeError("\(functionName)() got multiple values for argument '\(name)'") }
                store(kwBase + k, value); filled[kwBase + k] = true
            } else if let d = extra {
                if try d.get(.str(name)) != nil { throw PyException.typeError("\(functionName)() got multiple values for keyword argument '\(name)'") }
                try d.set(.str(name), value)
            } else {
                throw PyException.typeError("\(functionName)() got an unexpected keyword argument '\(name)'")
            }
        }
        var missing: [String] = []
        let firstDefault = np - positionalDefaults.count
        for i in 0..<np where !filled[i] {
            if i >= firstDefault { store(i, positionalDefaults[i - firstDefault]) } else { missing.append(positional[i]) }
        }
        if !missing.isEmpty {
            throw PyException.typeError("\(functionName)() missing \(missing.count) required positional argument\(missing.count == 1 ? "" : "s"): \(ParameterList.list(missing))")
        }
        for (k, name) in keywordOnly.enumerated() where !filled[kwBase + k] {
            if let d = keywordDefaults[name] { store(kwBase + k, d) } else { missing.append(name) }
        }
        if !missing.isEmpty {
            throw PyException.typeError("\(functionName)() missing \(missing.count) required keyword-only argument\(missing.count == 1 ? "" : "s"): \(ParameterList.list(missing))")
        }
        if let d = extra { store(slotCount - 1, .object(d)) }
    }
}
