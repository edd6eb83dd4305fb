/// The arguments of a call: positional values and keyword pairs in call order.
public struct Arguments {
    public var positional: [Value]
    public var keywords: [(name: String, value: Value)]

    public init(_ positional: [Value] = [], keywords: [(name: String, value: Value)] = []) {
        self.positional = positional; self.keywords = keywords
    }
}

/// A function implemented in Swift, callable from Soma code.
public final class NativeFunction: PyObject {
    public let name: String
    /// The signature shown by `help` and inspect, e.g. `"(in_features, out_features, bias=True)"`.
    public let signature: String
    public let body: (Interpreter, Arguments) throws -> Value
    /// For methods: the same function taking the receiver apart from the other arguments, so that calls through an
    /// instance (`x.f(a)`, operators, `__call__`) build no argument array with the receiver in front.
    public var methodBody: ((Interpreter, Value, [Value], [(name: String, value: Value)]) throws -> Value)?
    /// For methods taking one or two positional arguments: the same method given the receiver and the arguments
    /// alone, so that `x.m(a)` and `x.m(a, b)` build no argument array.
    public internal(set) var shortMethod: ShortMethod?
    /// For functions of exactly one positional argument: the same function taking that argument alone, so that a call
    /// `f(x)` builds no argument array.
    public var oneArgument: ((Interpreter, Value) throws -> Value)?

    /// Creates a native function; `body` receives the interpreter (for call-backs) and the call's arguments.
    public init(_ name: String, signature: String = "(...)", doc: String? = nil,
                _ body: @escaping (Interpreter, Arguments) throws -> Value) {
        self.name = name; self.signature = signature; self.body = body
        super.init(type: Types.builtinFunction)
        self.doc = doc
    }

    /// The docstring.
    public var doc: String?
}

/// The compiled form of a def, lambda, comprehension or class body.
final class CodeObject {
    let scope: ScopeNode
    let name: String
    let filename: String
    let slotCount: Int
    let positionalNames: [String]
    let keywordOnlyNames: [String]
    let hasVarArgs: Bool
    let hasVarKeywords: Bool
    /// (slot, cell index) of parameters that live in cells.
    let cellParameters: [(Int, Int)]
    let ownCellCount: Int
    /// Only positional parameters (no `*args`, keyword-only or `**kwargs`): positional calls bind slot by slot.
    let isSimple: Bool
    let body: StmtCode
    /// The first of the cleared frames left by calls that finished (linked through `Frame.nextSpare`), taken by the
    /// next calls (saves two allocations per call, recursion included). Only for code without cells of its own and
    /// not a generator; an interpreter runs on one thread at a time. The list holds one reference to each of its
    /// frames, managed by hand so that taking and leaving a frame costs no reference counting.
    var spareFrame: Unmanaged<Frame>?
    /// The number of positional parameters.
    let positionalCount: Int
    /// True when frames of this code may be recycled.
    let recyclesFrames: Bool
    /// True when a call may put its first argument in the frame without a reference of the frame's own (see
    /// `Frame.borrowFirstArgument`): frames are recycled (never kept past the call) and the code never rebinds its
    /// first parameter.
    let borrowsFirstArgument: Bool
    let isGenerator: Bool

    init(scope: ScopeNode, filename: String, body: @escaping StmtCode) {
        self.scope = scope
        self.body = body
        name = scope.name
        self.filename = filename
        slotCount = scope.symbols.slotCount
        positionalNames = scope.params.positional.map(\.name)
        positionalCount = positionalNames.count
        keywordOnlyNames = scope.params.keywordOnly.map(\.name)
        hasVarArgs = scope.params.varArgs != nil
        hasVarKeywords = scope.params.varKeywords != nil
        cellParameters = scope.params.allNames.enumerated().compactMap { i, n in
            scope.symbols.cellIndex[n].map { (i, $0) }
        }
        ownCellCount = scope.symbols.ownCells.count
        isSimple = !hasVarArgs && !hasVarKeywords && keywordOnlyNames.isEmpty
        isGenerator = scope.isGenerator
        recyclesFrames = ownCellCount == 0 && cellParameters.isEmpty && !scope.isGenerator
        borrowsFirstArgument = recyclesFrames && positionalCount > 0 && !scope.symbols.rebound.contains(positionalNames[0])
    }

    deinit {
        var next = spareFrame
        while let frame = next {
            next = frame.takeUnretainedValue().nextSpare
            frame.release()
        }
    }


    /// The signature text, e.g. `(a, b=2, *args, c, **kw)`.
    var signature: String {
        var parts = positionalNames
        if hasVarArgs { parts.append("*" + scope.params.varArgs!) } else if !keywordOnlyNames.isEmpty { parts.append("*") }
        parts += keywordOnlyNames
        if hasVarKeywords { parts.append("**" + scope.params.varKeywords!) }
        return "(" + parts.joined(separator: ", ") + ")"
    }
}

/// A function defined in Soma code.
public final class PyFunction: PyObject {
    let code: CodeObject
    let globals: Globals
    let closure: [Cell]
    var defaults: [Value] { didSet { updateArity() } }
    /// A positional call with `minDirect...maxDirect` arguments binds them slot by slot (maxDirect is -1 when the
    /// function takes `*args`, keyword-only arguments or `**kwargs`).
    private(set) var minDirect = 0, maxDirect = -1
    var keywordDefaults: [String: Value]
    /// The class that defines the function as a method (for zero-argument `super()`).
    var definingClass: PyType?
    var qualname: String { didSet { parameters.functionName = qualname } }
    /// The parameter list with this function's defaults, for argument binding.
    var parameters: ParameterList

    init(code: CodeObject, globals: Globals, closure: [Cell], defaults: [Value], keywordDefaults: [String: Value], qualname: String) {
        self.code = code; self.globals = globals; self.closure = closure
        self.defaults = defaults; self.keywordDefaults = keywordDefaults; self.qualname = qualname
        parameters = ParameterList(functionName: qualname, positional: code.positionalNames, positionalDefaults: defaults,
                                   keywordOnly: code.keywordOnlyNames, keywordDefaults: keywordDefaults,
                                   varArgs: code.hasVarArgs, varKeywords: code.hasVarKeywords)
        super.init(type: Types.function, hasDict: true)
        updateArity()
    }

    private func updateArity() {
        let n = code.positionalNames.count
        minDirect = n - defaults.count
        maxDirect = code.isSimple ? n : -1
    }

    /// True when a positional call with `n` arguments binds them slot by slot.
    @inline(__always) func bindsDirectly(_ n: Int) -> Bool { n <= maxDirect && n >= minDirect }

    public var name: String { code.name }
}

/// A function bound to the object it was looked up on.
public final class PyBoundMethod: PyObject {
    public let receiver: Value
    public let function: Value
    public init(receiver: Value, function: Value) {
        self.receiver = receiver; self.function = function
        super.init(type: Types.method)
    }
}

/// A `@property`, or a native attribute with a getter and an optional setter.
public final class PyProperty: PyObject {
    public let getter: Value?
    public let setter: Value?
    public init(getter: Value?, setter: Value? = nil) {
        self.getter = getter; self.setter = setter
        super.init(type: Types.property)
    }
}

/// `@staticmethod` and `@classmethod` wrappers.
final class PyMethodWrapper: PyObject {
    let function: Value
    init(_ function: Value, isClassMethod: Bool) {
        self.function = function
        super.init(type: isClassMethod ? Types.classMethod : Types.staticMethod)
    }
    var isClassMethod: Bool { pyType === Types.classMethod }
}

/// The result of `super()`: attribute lookup starting after `startAfter` in the receiver's class chain.
final class PySuper: PyObject {
    let startAfter: PyType
    let receiver: Value
    init(startAfter: PyType, receiver: Value) {
        self.startAfter = startAfter; self.receiver = receiver
        super.init(type: Types.superType)
    }
}

/// A simple iterator over a Swift closure (list_iterator, map, zip, ...).
public final class PyIterator: PyObject {
    let nextValue: () throws -> Value?
    /// Creates an iterator; `next` returns nil when exhausted.
    public init(_ next: @escaping () throws -> Value?) {
        nextValue = next
        super.init(type: Types.iterator)
    }
}

/// A native method's form for calls with one or two positional arguments (see `PyType.addShortForm`); a class, so
/// that call sites run it through an unretained reference.
public final class ShortMethod {
    /// The numbers of arguments `run` takes.
    let arity: ClosedRange<Int>
    /// The method given the receiver and its arguments (the second nil when one is given).
    let run: (Interpreter, Value, Value, Value?) throws -> Value

    init(arity: ClosedRange<Int>, _ run: @escaping (Interpreter, Value, Value, Value?) throws -> Value) {
        self.arity = arity
        self.run = run
    }
}
