import SomaNN
import SomaScript
import SomaTensor

/// Runs tensor-world code and turns its errors into the Python exceptions they name.
@inline(__always)
func pyTry<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as TensorError {
        throw PyException.make(e.kind == .zeroDivision ? "RuntimeError" : e.kind.rawValue, e.message)
    }
}

/// A native callable's parameter list, bound with Python's rules and messages.
struct Signature {
    let parameters: ParameterList

    init(_ name: String, _ positional: [String], defaults: [String: Value] = [:], keywordOnly: [String] = [],
         varArgs: Bool = false, varKeywords: Bool = false) {
        // Keyword-only parameters without an explicit default are optional and default to None.
        var all = defaults
        for k in keywordOnly where all[k] == nil { all[k] = Value.none }
        parameters = ParameterList(name, positional, defaults: all, keywordOnly: keywordOnly, varArgs: varArgs, varKeywords: varKeywords)
    }

    /// One value per parameter (then `*args` as a tuple, keyword-only ones, `**kwargs` as a dict).
    func bind(_ args: Arguments) throws -> [Value] { try parameters.bind(args) }

    /// The text shown by `help` and inspect, e.g. `(input, dim=None)`.
    var text: String {
        var parts = parameters.positional
        if parameters.varArgs { parts.insert("*" + (parameters.positional.isEmpty ? "args" : "size"), at: parameters.positional.count) }
        return "(" + parts.joined(separator: ", ") + ")"
    }
}

extension PyModule {
    /// Adds a function whose arguments are bound to `signature`; tensor errors become Python exceptions.
    @discardableResult
    func def(_ name: String, _ positional: [String] = [], defaults: [String: Value] = [:], keywordOnly: [String] = [],
             varArgs: Bool = false, varKeywords: Bool = false, doc: String? = nil,
             _ body: @escaping (Interpreter, [Value]) throws -> Value) -> NativeFunction {
        let sig = Signature(name, positional, defaults: defaults, keywordOnly: keywordOnly, varArgs: varArgs, varKeywords: varKeywords)
        return addFunction(name, signature: sig.text, doc: doc) { interp, args in
            let values = try sig.bind(args)
            return try pyTry { try body(interp, values) }
        }
    }
}

extension PyType {
    /// Adds a method whose arguments (after `self`) are bound to `signature`; tensor errors become Python exceptions.
    @discardableResult
    func def(_ name: String, _ positional: [String] = [], defaults: [String: Value] = [:], keywordOnly: [String] = [],
             varArgs: Bool = false, varKeywords: Bool = false, doc: String? = nil,
             _ body: @escaping (Interpreter, Value, [Value]) throws -> Value) -> NativeFunction {
        // Errors name a constructor by its qualified name (`Linear.__init__() got an unexpected keyword argument`), as CPython does.
        let sig = Signature(name == "__init__" ? "\(self.name).__init__" : name, positional, defaults: defaults, keywordOnly: keywordOnly, varArgs: varArgs, varKeywords: varKeywords)
        return addMethod(name, signature: sig.text, doc: doc) { interp, receiver, args in
            let values = try sig.bind(args)
            return try pyTry { try body(interp, receiver, values) }
        }
    }

    /// Adds a read-only (or read-write) attribute; tensor errors become Python exceptions.
    func prop(_ name: String, doc: String? = nil, get: @escaping (Value) throws -> Value, set: ((Value, Value) throws -> Void)? = nil) {
        addProperty(name, doc: doc, get: { _, v in try pyTry { try get(v) } },
                    set: set.map { s in { _, v, new in try pyTry { try s(v, new) } } })
    }
}

// MARK: conversions

extension Value {
    /// A Python number as a tensor scalar, or nil.
    var scalar: Scalar? {
        switch self {
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let d): return .double(d)
        default: return nil
        }
    }

    /// A number as Double, for hyper-parameters.
    func number(_ what: String) throws -> Double {
        if let s = scalar { return s.double }
        if let t = self.as(PyTensor.self)?.tensor, t.numel == 1 { return try t.item().double }
        throw PyException.typeError("\(what) must be a number, not \(typeName)")
    }

    /// An int, accepting one-element integer tensors.
    func integer(_ what: String) throws -> Int {
        switch self {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default:
            if let t = self.as(PyTensor.self)?.tensor, t.numel == 1, !t.dtype.isFloatingPoint, case .int(let i) = try t.item() { return i }
            throw PyException.typeError("\(what) must be int, not \(typeName)")
        }
    }

    /// An optional int (None gives nil).
    func optionalInteger(_ what: String) throws -> Int? { isNone ? nil : try integer(what) }

    /// A Python bool (truthiness of plain values).
    var truthy: Bool {
        switch self {
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let d): return d != 0
        case .none: return false
        default: return true
        }
    }

    /// The items of a list, tuple or Size.
    func sequenceItems() -> [Value]? {
        if let l = self.as(PyList.self) { return l.items }
        if let t = self.as(PyTuple.self) { return t.items }
        if let s = self.as(PySize.self) { return s.dims.map { .int($0) } }
        return nil
    }
}

/// Wraps a tensor as a language value.
func wrap(_ t: Tensor) -> Value { .object(PyTensor(t)) }

/// Wraps an optional tensor (nil becomes None).
func wrap(_ t: Tensor?) -> Value { t.map(wrap) ?? .none }

/// The tensor behind a value: tensors as they are, numbers as wrapped scalars, lists as new tensors.
func tensorArgument(_ v: Value, _ what: String = "argument") throws -> Tensor {
    if let t = v.as(PyTensor.self) { return t.tensor }
    if let s = v.scalar { return Tensor.scalar(s) }
    if v.sequenceItems() != nil { return try pyTry { try Tensor.make(try nested(v)) } }
    throw PyException.typeError("\(what) must be Tensor, not \(v.typeName)")
}

/// A tensor or a Python number (as PyTorch's `Scalar` overloads take it), but not a list.
func tensorOrNumber(_ v: Value, _ what: String) throws -> Tensor {
    if let s = v.scalar { return Tensor.scalar(s) }
    return try tensorOnly(v, what)
}

/// How PyTorch names an argument in a type error: `exp(): argument 'input' (position 1)`.
func argument(_ function: String, _ name: String, _ position: Int) -> String {
    "\(function)(): argument '\(name)' (position \(position))"
}

/// A strict tensor argument (no numbers or lists).
func tensorOnly(_ v: Value, _ what: String) throws -> Tensor {
    if let t = v.as(PyTensor.self) { return t.tensor }
    throw PyException.typeError("\(what) must be Tensor, not \(v.typeName)")
}

/// Nested lists/tuples of numbers (or tensors) as a NestedList.
func nested(_ v: Value) throws -> NestedList {
    if let s = v.scalar { return .scalar(s) }
    if let t = v.as(PyTensor.self)?.tensor { return t.tolist() }
    if let items = v.sequenceItems() { return .list(try items.map(nested)) }
    throw PyException.typeError("new(): invalid data type '\(v.typeName)'")
}

/// A nested list as language values (for `tolist()`).
func unnest(_ n: NestedList) -> Value {
    switch n {
    case .scalar(let s): return scalarValue(s)
    case .list(let items): return .object(PyList(items.map(unnest)))
    }
}

/// A tensor scalar as a Python number.
func scalarValue(_ s: Scalar) -> Value {
    switch s {
    case .bool(let b): return .bool(b)
    case .int(let i): return .int(i)
    case .double(let d): return .float(d)
    }
}

/// A shape given as separate ints, one list/tuple/Size, or nothing.
func shapeArgument(_ values: [Value]) throws -> [Int] {
    if values.count == 1, let items = values[0].sequenceItems() { return try items.map { try $0.integer("size") } }
    return try values.map { try $0.integer("size") }
}

/// A dim argument: an int or a tuple/list of ints; None gives nil.
func dimsArgument(_ v: Value) throws -> [Int]? {
    if v.isNone { return nil }
    if let items = v.sequenceItems() { return try items.map { try $0.integer("dim") } }
    return [try v.integer("dim")]
}

/// The dtype named by a `torch.float32`-style object, a Python type (`float`, `int`, `bool`) or None.
func dtypeArgument(_ v: Value) throws -> DType? {
    if v.isNone { return nil }
    if let d = v.as(PyDType.self) { return d.dtype }
    if let t = v.as(PyType.self) {
        switch t.name {
        case "float": return .float32
        case "int": return .int64
        case "bool": return .bool
        default: break
        }
    }
    throw PyException.typeError("dtype must be torch.dtype, not \(v.typeName)")
}

/// Checks a `device=` argument: only the CPU exists.
func checkDevice(_ v: Value) throws {
    if v.isNone { return }
    let name: String
    if case .str(let s) = v { name = s } else if let d = v.as(PyDevice.self) { name = d.name } else {
        throw PyException.typeError("device must be a string or torch.device, not \(v.typeName)")
    }
    guard name == "cpu" || name.hasPrefix("cpu:") else {
        throw PyException.runtimeError("Soma runs on the CPU only: device '\(name)' is not available (torch.cuda.is_available() is False)")
    }
}

// MARK: small value types

/// `torch.float32` and friends.
final class PyDType: PyObject {
    static let type: PyType = {
        let t = PyType.nativeClass("dtype", module: "soma")
        t.def("__repr__") { _, v, _ in .str(v.as(PyDType.self)!.dtype.description) }
        t.def("__eq__", ["other"]) { _, v, a in .bool(a[0].as(PyDType.self)?.dtype == v.as(PyDType.self)!.dtype) }
        t.def("__hash__") { _, v, _ in .int(v.as(PyDType.self)!.dtype.rawValue) }
        t.prop("is_floating_point") { .bool($0.as(PyDType.self)!.dtype.isFloatingPoint) }
        return t
    }()
    let dtype: DType
    init(_ d: DType) {
        dtype = d
        super.init(type: PyDType.type)
    }
    static let all: [DType: PyDType] = Dictionary(uniqueKeysWithValues: DType.allCases.map { ($0, PyDType($0)) })
}

/// `torch.device("cpu")`.
final class PyDevice: PyObject {
    static let type: PyType = {
        let t = PyType.nativeClass("device", module: "soma")
        t.def("__repr__") { _, v, _ in .str("device(type='\(v.as(PyDevice.self)!.name)')") }
        t.def("__str__") { _, v, _ in .str(v.as(PyDevice.self)!.name) }
        t.def("__eq__", ["other"]) { _, v, a in
            let other: String? = a[0].as(PyDevice.self)?.name ?? { if case .str(let s) = a[0] { return s } else { return nil } }()
            return .bool(other == v.as(PyDevice.self)!.name)
        }
        t.prop("type") { .str($0.as(PyDevice.self)!.name) }
        return t
    }()
    let name: String
    init(_ name: String) {
        self.name = name
        super.init(type: PyDevice.type)
    }
}

/// `torch.Size`: a tuple of dimensions that prints as `torch.Size([2, 3])`.
final class PySize: PyObject {
    static let type: PyType = {
        let t = PyType.nativeClass("Size", module: "soma")
        t.def("__repr__") { _, v, _ in .str("torch.Size([" + v.as(PySize.self)!.dims.map(String.init).joined(separator: ", ") + "])") }
        t.def("__len__") { _, v, _ in .int(v.as(PySize.self)!.dims.count) }
        t.def("__getitem__", ["index"]) { interp, v, a in
            let items: Value = .object(PyTuple(v.as(PySize.self)!.dims.map { .int($0) }))
            let r = try interp.getItem(items, a[0])
            if let tuple = r.as(PyTuple.self) { return .object(PySize(try tuple.items.map { try $0.integer("size") })) }
            return r
        }
        t.def("__iter__") { _, v, _ in
            var rest = v.as(PySize.self)!.dims[...]
            return .object(PyIterator { rest.isEmpty ? nil : .int(rest.removeFirst()) })
        }
        t.def("__eq__", ["other"]) { _, v, a in
            guard let other = a[0].sequenceItems() else { return .bool(false) }
            return .bool(other.map { try? $0.integer("size") } == v.as(PySize.self)!.dims.map { $0 })
        }
        t.def("__hash__") { _, v, _ in .int(v.as(PySize.self)!.dims.hashValue) }
        t.def("numel") { _, v, _ in .int(v.as(PySize.self)!.dims.reduce(1, *)) }
        return t
    }()
    let dims: [Int]
    init(_ dims: [Int]) {
        self.dims = dims
        super.init(type: PySize.type)
    }
}
