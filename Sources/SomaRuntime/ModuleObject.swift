import SomaNN
import SomaScript
import SomaTensor

/// A layer as a language value: wraps a SomaNN module. Instances of language subclasses
/// (`class Net(nn.Module)`) wrap a `ScriptModule` whose forward calls back into the language.
final class PyLayer: PyObject {
    var module: Module?

    /// The module, or the error PyTorch gives when `super().__init__()` was not called.
    func requireModule() throws -> Module {
        guard let module else { throw PyException.attributeError("cannot assign module before Module.__init__() call") }
        return module
    }
}

/// A module defined in the language: registration comes from attribute assignment, forward from the language.
final class ScriptModule: Module {
    weak var owner: PyLayer?
    unowned let interp: Interpreter
    let className: String

    init(owner: PyLayer, interp: Interpreter) {
        self.owner = owner
        self.interp = interp
        className = owner.pyType.name
        super.init()
    }

    override var typeName: String { className }

    override func forward(_ input: Tensor) throws -> Tensor {
        guard let owner else { throw NNError(.runtime, "module \(className) no longer exists") }
        let result = try interp.call(.object(owner), [wrap(input)])
        return try tensorOnly(result, "\(className).forward() result")
    }

    override func extraRepr() -> String {
        guard let owner, let m = owner.pyType.lookup("extra_repr"), case .str(let s)? = try? interp.call(m, [.object(owner)]) else { return "" }
        return s
    }
}

/// The language objects for Swift modules, so that the same module is always the same object.
enum LayerRegistry {
    nonisolated(unsafe) private static var objects: [ObjectIdentifier: WeakLayer] = [:]
    nonisolated(unsafe) static var types: [ObjectIdentifier: PyType] = [:]

    final class WeakLayer {
        weak var layer: PyLayer?
        init(_ l: PyLayer) { layer = l }
    }

    static func remember(_ layer: PyLayer, for module: Module) { objects[ObjectIdentifier(module)] = WeakLayer(layer) }

    /// The language object of `module`, made on first use with the class registered for its Swift type.
    static func value(_ module: Module) -> Value {
        if let layer = objects[ObjectIdentifier(module)]?.layer { return .object(layer) }
        let type = types[ObjectIdentifier(Swift.type(of: module))] ?? NNModuleTypes.module
        let layer = PyLayer(type: type, hasDict: true)
        layer.module = module
        remember(layer, for: module)
        return .object(layer)
    }
}

/// The `Parameter` class: a tensor that modules register when it is assigned as an attribute.
enum ParameterType {
    static let type: PyType = {
        let t = PyType.nativeClass("Parameter", module: "soma.nn", base: TensorType.type)
        t.fastBinary = TensorType.fastBinary
        t.def("__repr__") { _, v, _ in .str("Parameter containing:\n" + v.as(PyTensor.self)!.tensor.description) }
        return t
    }()

    /// Wraps a module's parameter as a `Parameter` value.
    static func wrap(_ t: Tensor) -> Value { .object(PyTensor(t, type: type)) }
}

/// `nn.Module` and the built-in layer classes.
enum NNModuleTypes {
    static func layer(_ v: Value) throws -> Module {
        guard let l = v.as(PyLayer.self) else { throw PyException.typeError("expected an nn.Module, got \(v.typeName)") }
        return try l.requireModule()
    }

    /// The base class `nn.Module`, subclassable from the language.
    static let module: PyType = {
        let t = PyType.nativeClass("Module", module: "soma.nn", doc: "Base class for all neural network modules.") { PyLayer(type: $0, hasDict: true) }
        t.def("__init__", [], varArgs: true, varKeywords: true) { interp, v, _ in
            let l = v.as(PyLayer.self)!
            if l.module == nil {
                let m = ScriptModule(owner: l, interp: interp)
                l.module = m
                LayerRegistry.remember(l, for: m)
            }
            return .none
        }
        t.def("__setattr__", ["name", "value"]) { interp, v, a in
            let l = v.as(PyLayer.self)!
            guard case .str(let name) = a[0] else { throw PyException.typeError("attribute name must be string") }
            let value = a[1]
            if let child = value.as(PyLayer.self) {
                try l.requireModule().registerModule(name, try child.requireModule())
            } else if let p = value.as(PyTensor.self), p.pyType.isSubtype(of: ParameterType.type) {
                try l.requireModule().registerParameter(name, p.tensor)
            } else if let m = l.module {
                if m.parameter(name) != nil || m.parameterSlots.contains(where: { $0.name == name }) {
                    guard value.isNone else {
                        throw PyException.typeError("cannot assign '\(value.typeName)' as parameter '\(name)' (torch.nn.Parameter or None expected)")
                    }
                    try m.registerParameter(name, nil)
                } else if m.buffer(name) != nil, let t = value.as(PyTensor.self) {
                    m.registerBuffer(name, t.tensor)
                } else if m.child(name) != nil {
                    m.unregister(name)
                }
            }
            l.attributes?[name] = value
            return .none
        }
        t.def("__getattr__", ["name"]) { _, v, a in
            let l = v.as(PyLayer.self)!
            guard case .str(let name) = a[0], let m = l.module else {
                throw PyException.attributeError("'\(v.typeName)' object has no attribute '\(a[0])'")
            }
            if let p = m.parameter(name) { return ParameterType.wrap(p) }
            if m.parameterSlots.contains(where: { $0.name == name }) { return .none }
            if let b = m.buffer(name) { return wrap(b) }
            if let c = m.child(name) { return LayerRegistry.value(c) }
            throw PyException.attributeError("'\(v.typeName)' object has no attribute '\(name)'")
        }
        // `model(x)` runs on every step of a training loop: the arguments go to `forward` as they came, with no
        // *args tuple or **kwargs dict in between.
        t.addMethod("__call__", signature: "(*args)") { interp, v, args in
            guard let forward = v.type.lookup("forward") else {
                throw PyException.make("NotImplementedError", "Module [\(v.typeName)] is missing the required \"forward\" function")
            }
            return try pyTry { try interp.callBound(forward, v, args.positional, args.keywords) }
        }
        t.addMethod("forward", signature: "(*args)") { _, v, args in
            if let k = args.keywords.first { throw PyException.typeError("forward() got an unexpected keyword argument '\(k.name)'") }
            let m = try layer(v)
            guard let x = args.positional.first else {
                throw PyException.make("NotImplementedError", "Module [\(v.typeName)] is missing the required \"forward\" function")
            }
            return try pyTry { wrap(try m.forward(try tensorArgument(x, "input"))) }
        }
        t.def("__repr__") { _, v, _ in .str(try layer(v).description) }
        t.prop("training") { .bool(try layer($0).training) }
        t.def("parameters", ["recurse"], defaults: ["recurse": .bool(true)]) { _, v, a in
            iterator(try layer(v).parameters(recurse: a[0].truthy).map(ParameterType.wrap))
        }
        t.def("named_parameters", ["prefix", "recurse"], defaults: ["prefix": .str(""), "recurse": .bool(true)]) { _, v, a in
            iterator(try layer(v).namedParameters(prefix: try a[0].asString(), recurse: a[1].truthy)
                .map { .object(PyTuple([.str($0.0), ParameterType.wrap($0.1)])) })
        }
        t.def("buffers") { _, v, _ in iterator(try layer(v).namedBuffers().map { wrap($0.1) }) }
        t.def("named_buffers") { _, v, _ in iterator(try layer(v).namedBuffers().map { .object(PyTuple([.str($0.0), wrap($0.1)])) }) }
        t.def("children") { _, v, _ in iterator(try layer(v).children().map(LayerRegistry.value)) }
        t.def("named_children") { _, v, _ in
            iterator(try layer(v).namedChildren().map { .object(PyTuple([.str($0.0), LayerRegistry.value($0.1)])) })
        }
        t.def("modules") { _, v, _ in iterator(try layer(v).modules().map(LayerRegistry.value)) }
        t.def("named_modules") { _, v, _ in
            iterator(try layer(v).namedModules().map { .object(PyTuple([.str($0.0), LayerRegistry.value($0.1)])) })
        }
        t.def("train", ["mode"], defaults: ["mode": .bool(true)]) { _, v, a in try layer(v).train(a[0].truthy); return v }
        t.def("eval") { _, v, _ in try layer(v).eval(); return v }
        t.def("zero_grad", ["set_to_none"], defaults: ["set_to_none": .bool(true)]) { _, v, a in
            try layer(v).zeroGrad(setToNone: a[0].truthy)
            return .none
        }
        t.def("requires_grad_", ["requires_grad"], defaults: ["requires_grad": .bool(true)]) { _, v, a in
            try layer(v).requiresGrad_(a[0].truthy)
            return v
        }
        t.def("to", [], varArgs: true, varKeywords: true) { _, v, a in
            for arg in a[0].sequenceItems()! {
                if let d = (try? dtypeArgument(arg)) ?? nil { try layer(v).to(d) } else { try checkDevice(arg) }
            }
            for e in a[1].as(PyDict.self)?.entries ?? [] {
                if case .str("dtype") = e.key, let d = try dtypeArgument(e.value) { try layer(v).to(d) }
                if case .str("device") = e.key { try checkDevice(e.value) }
            }
            return v
        }
        t.def("cpu") { _, v, _ in v }
        t.def("float") { _, v, _ in try layer(v).to(.float32); return v }
        t.def("double") { _, v, _ in try layer(v).to(.float64); return v }
        t.def("cuda", [], varArgs: true, varKeywords: true) { _, _, _ in
            throw PyException.runtimeError("Soma runs on the CPU only: CUDA is not available (torch.cuda.is_available() is False)")
        }
        t.def("state_dict") { _, v, _ in
            let d = PyDict()
            for (k, t) in try layer(v).stateDict() { try d.set(.str(k), wrap(t)) }
            return .object(d)
        }
        t.def("load_state_dict", ["state_dict", "strict"], defaults: ["strict": .bool(true)]) { _, v, a in
            guard let dict = a[0].as(PyDict.self) else { throw PyException.typeError("Expected state_dict to be dict-like, got \(a[0].typeName).") }
            let state = try dict.entries.map { (try $0.key.asString(), try tensorOnly($0.value, "state_dict value")) }
            let r = try layer(v).loadStateDict(state, strict: a[1].truthy)
            return .object(IncompatibleKeys(missing: r.missing, unexpected: r.unexpected))
        }
        t.def("add_module", ["name", "module"]) { _, v, a in
            try layer(v).registerModule(try a[0].asString(), a[1].isNone ? nil : try layer(a[1]))
            v.as(PyLayer.self)!.attributes?[try a[0].asString()] = a[1]
            return .none
        }
        t.def("register_buffer", ["name", "tensor"]) { _, v, a in
            try layer(v).registerBuffer(try a[0].asString(), a[1].isNone ? nil : try tensorOnly(a[1], "tensor"))
            return .none
        }
        t.def("register_parameter", ["name", "param"]) { _, v, a in
            try layer(v).registerParameter(try a[0].asString(), a[1].isNone ? nil : try tensorOnly(a[1], "param"))
            return .none
        }
        t.def("apply", ["fn"]) { interp, v, a in
            for m in try layer(v).modules().reversed() { _ = try interp.call(a[0], [LayerRegistry.value(m)]) }
            return v
        }
        return t
    }()

    /// An iterator over precomputed values (what `parameters()` and friends return).
    static func iterator(_ values: [Value]) -> Value {
        var rest = values[...]
        return .object(PyIterator { rest.isEmpty ? nil : rest.removeFirst() })
    }
}

/// What `load_state_dict` returns: `<All keys matched successfully>` or the keys that did not match.
final class IncompatibleKeys: PyObject {
    static let type: PyType = {
        let t = PyType.nativeClass("_IncompatibleKeys", module: "soma.nn.modules.module")
        t.def("__repr__") { _, v, _ in
            let k = v.as(IncompatibleKeys.self)!
            if k.missing.isEmpty && k.unexpected.isEmpty { return .str("<All keys matched successfully>") }
            func list(_ l: [String]) -> String { "[" + l.map { "'\($0)'" }.joined(separator: ", ") + "]" }
            return .str("_IncompatibleKeys(missing_keys=\(list(k.missing)), unexpected_keys=\(list(k.unexpected)))")
        }
        t.prop("missing_keys") { .object(PyList($0.as(IncompatibleKeys.self)!.missing.map { .str($0) })) }
        t.prop("unexpected_keys") { .object(PyList($0.as(IncompatibleKeys.self)!.unexpected.map { .str($0) })) }
        return t
    }()
    let missing: [String], unexpected: [String]
    init(missing: [String], unexpected: [String]) {
        self.missing = missing
        self.unexpected = unexpected
        super.init(type: IncompatibleKeys.type)
    }
}
