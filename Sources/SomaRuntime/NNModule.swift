import SomaNN
import SomaScript
import SomaTensor

/// `soma.nn`: the module base class, layers, containers, losses and `Parameter`.
enum NNModule {
    /// A built-in layer class: `make` builds the Swift module from the bound constructor arguments;
    /// with `anyArguments`, the constructor accepts and ignores any arguments (`nn.Identity(54, unused=1)`).
    static func layerType(_ name: String, _ params: [String] = [], defaults: [String: Value] = [:], anyArguments: Bool = false,
                          swiftType: Module.Type, _ make: @escaping ([Value]) throws -> Module) -> PyType {
        let t = PyType.nativeClass(name, module: "soma.nn", base: NNModuleTypes.module) { PyLayer(type: $0, hasDict: true) }
        t.def("__init__", params, defaults: defaults, varArgs: anyArguments, varKeywords: anyArguments) { _, v, a in
            let l = v.as(PyLayer.self)!
            let m = try make(a)
            l.module = m
            LayerRegistry.remember(l, for: m)
            return .none
        }
        LayerRegistry.types[ObjectIdentifier(swiftType)] = t
        return t
    }

    /// A loss class: `forward(input, target)`.
    static func lossType(_ name: String, _ params: [String], defaults: [String: Value], swiftType: Module.Type,
                         _ make: @escaping ([Value]) throws -> Loss) -> PyType {
        let t = layerType(name, params, defaults: defaults, swiftType: swiftType, make)
        t.def("forward", ["input", "target"]) { _, v, a in
            guard let loss = try NNModuleTypes.layer(v) as? Loss else { throw PyException.typeError("not a loss module") }
            return wrap(try loss(try tensorOnly(a[0], "input"), try tensorArgument(a[1], "target")))
        }
        return t
    }

    static func reduction(_ v: Value) throws -> Reduction { try pyTry { try Reduction(parsing: try v.asString()) } }
    static func optionalTensor(_ v: Value) throws -> Tensor? { v.isNone ? nil : try tensorOnly(v, "weight") }

    /// An int or a pair of ints (`kernel_size=3` or `(3, 5)`).
    static func pair(_ v: Value, _ what: String) throws -> (Int, Int) {
        if let items = v.sequenceItems() {
            guard items.count == 2 else { throw PyException.valueError("\(what) must be an int or a pair of ints") }
            return (try items[0].integer(what), try items[1].integer(what))
        }
        let n = try v.integer(what)
        return (n, n)
    }

    static func build(_ interp: Interpreter) throws -> PyModule {
        let m = PyModule(name: "soma.nn")
        m["Module"] = .object(NNModuleTypes.module)
        m["Parameter"] = .object(ParameterType.type)
        ParameterType.type.dict["__new__"] = nil
        m.def("Parameter", ["data", "requires_grad"], defaults: ["data": .none, "requires_grad": .bool(true)]) { _, a in
            let t = a[0].isNone ? try Tensor.zeros([0]) : try tensorOnly(a[0], "data").detach()
            if a[1].truthy { try t.requiresGrad() }
            return ParameterType.wrap(t)
        }
        let b = Value.bool(true)
        let layers: [PyType] = [
            layerType("Linear", ["in_features", "out_features", "bias"], defaults: ["bias": b], swiftType: Linear.self) {
                try Linear(try $0[0].integer("in_features"), try $0[1].integer("out_features"), bias: $0[2].truthy)
            },
            layerType("ReLU", ["inplace"], defaults: ["inplace": .bool(false)], swiftType: ReLU.self) { ReLU(inplace: $0[0].truthy) },
            layerType("LeakyReLU", ["negative_slope", "inplace"], defaults: ["negative_slope": .float(0.01), "inplace": .bool(false)],
                      swiftType: LeakyReLU.self) { LeakyReLU(negativeSlope: try $0[0].number("negative_slope"), inplace: $0[1].truthy) },
            layerType("Sigmoid", swiftType: Sigmoid.self) { _ in Sigmoid() },
            layerType("Tanh", swiftType: Tanh.self) { _ in Tanh() },
            layerType("GELU", ["approximate"], defaults: ["approximate": .str("none")], swiftType: GELU.self) { _ in GELU() },
            layerType("Softmax", ["dim"], defaults: ["dim": .none], swiftType: Softmax.self) { Softmax(dim: try $0[0].optionalInteger("dim")) },
            layerType("LogSoftmax", ["dim"], defaults: ["dim": .none], swiftType: LogSoftmax.self) { LogSoftmax(dim: try $0[0].optionalInteger("dim")) },
            layerType("Identity", anyArguments: true, swiftType: Identity.self) { _ in Identity() },
            layerType("Flatten", ["start_dim", "end_dim"], defaults: ["start_dim": .int(1), "end_dim": .int(-1)], swiftType: Flatten.self) {
                Flatten(startDim: try $0[0].integer("start_dim"), endDim: try $0[1].integer("end_dim"))
            },
            layerType("Dropout", ["p", "inplace"], defaults: ["p": .float(0.5), "inplace": .bool(false)], swiftType: Dropout.self) {
                try Dropout(p: try $0[0].number("p"), inplace: $0[1].truthy)
            },
            layerType("Conv2d", ["in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias"],
                      defaults: ["stride": .int(1), "padding": .int(0), "dilation": .int(1), "groups": .int(1), "bias": b], swiftType: Conv2d.self) {
                try Conv2d(try $0[0].integer("in_channels"), try $0[1].integer("out_channels"), kernelSize: try pair($0[2], "kernel_size"),
                           stride: try pair($0[3], "stride"), padding: try pair($0[4], "padding"), dilation: try pair($0[5], "dilation"),
                           groups: try $0[6].integer("groups"), bias: $0[7].truthy)
            },
            layerType("MaxPool2d", ["kernel_size", "stride", "padding"], defaults: ["stride": .none, "padding": .int(0)], swiftType: MaxPool2d.self) {
                if $0[0].sequenceItems() == nil && ($0[1].isNone || $0[1].sequenceItems() == nil) && $0[2].sequenceItems() == nil {
                    return try MaxPool2d(kernelSize: try $0[0].integer("kernel_size"), stride: try $0[1].optionalInteger("stride"),
                                         padding: try $0[2].integer("padding"))
                }
                return try MaxPool2d(kernelSize: try pair($0[0], "kernel_size"), stride: $0[1].isNone ? nil : try pair($0[1], "stride"),
                                     padding: try pair($0[2], "padding"))
            },
            layerType("BatchNorm1d", ["num_features", "eps", "momentum", "affine", "track_running_stats"],
                      defaults: ["eps": .float(1e-5), "momentum": .float(0.1), "affine": b, "track_running_stats": b], swiftType: BatchNorm1d.self) {
                try BatchNorm1d(try $0[0].integer("num_features"), eps: try $0[1].number("eps"), momentum: $0[2].isNone ? nil : try $0[2].number("momentum"),
                                affine: $0[3].truthy, trackRunningStats: $0[4].truthy)
            },
            layerType("BatchNorm2d", ["num_features", "eps", "momentum", "affine", "track_running_stats"],
                      defaults: ["eps": .float(1e-5), "momentum": .float(0.1), "affine": b, "track_running_stats": b], swiftType: BatchNorm2d.self) {
                try BatchNorm2d(try $0[0].integer("num_features"), eps: try $0[1].number("eps"), momentum: $0[2].isNone ? nil : try $0[2].number("momentum"),
                                affine: $0[3].truthy, trackRunningStats: $0[4].truthy)
            },
            layerType("Embedding", ["num_embeddings", "embedding_dim", "padding_idx"], defaults: ["padding_idx": .none], swiftType: Embedding.self) {
                try Embedding(try $0[0].integer("num_embeddings"), try $0[1].integer("embedding_dim"), paddingIdx: try $0[2].optionalInteger("padding_idx"))
            },
            lossType("MSELoss", ["size_average", "reduce", "reduction"], defaults: ["size_average": .none, "reduce": .none, "reduction": .str("mean")],
                     swiftType: MSELoss.self) { MSELoss(reduction: try reduction($0[2])) },
            lossType("L1Loss", ["size_average", "reduce", "reduction"], defaults: ["size_average": .none, "reduce": .none, "reduction": .str("mean")],
                     swiftType: L1Loss.self) { L1Loss(reduction: try reduction($0[2])) },
            lossType("BCELoss", ["weight", "size_average", "reduce", "reduction"],
                     defaults: ["weight": .none, "size_average": .none, "reduce": .none, "reduction": .str("mean")], swiftType: BCELoss.self) {
                BCELoss(weight: try optionalTensor($0[0]), reduction: try reduction($0[3]))
            },
            lossType("BCEWithLogitsLoss", ["weight", "size_average", "reduce", "reduction", "pos_weight"],
                     defaults: ["weight": .none, "size_average": .none, "reduce": .none, "reduction": .str("mean"), "pos_weight": .none],
                     swiftType: BCEWithLogitsLoss.self) {
                BCEWithLogitsLoss(weight: try optionalTensor($0[0]), reduction: try reduction($0[3]), posWeight: try optionalTensor($0[4]))
            },
            lossType("CrossEntropyLoss", ["weight", "size_average", "ignore_index", "reduce", "reduction", "label_smoothing"],
                     defaults: ["weight": .none, "size_average": .none, "ignore_index": .int(-100), "reduce": .none, "reduction": .str("mean"),
                                "label_smoothing": .float(0)], swiftType: CrossEntropyLoss.self) {
                CrossEntropyLoss(weight: try optionalTensor($0[0]), ignoreIndex: try $0[2].integer("ignore_index"), reduction: try reduction($0[4]),
                                 labelSmoothing: try $0[5].number("label_smoothing"))
            },
            lossType("NLLLoss", ["weight", "size_average", "ignore_index", "reduce", "reduction"],
                     defaults: ["weight": .none, "size_average": .none, "ignore_index": .int(-100), "reduce": .none, "reduction": .str("mean")],
                     swiftType: NLLLoss.self) {
                NLLLoss(weight: try optionalTensor($0[0]), ignoreIndex: try $0[2].integer("ignore_index"), reduction: try reduction($0[4]))
            },
        ]
        for t in layers { m[t.name] = .object(t) }
        m["Sequential"] = .object(Containers.sequential)
        m["ModuleList"] = .object(Containers.moduleList)
        return m
    }
}

/// `nn.Sequential` and `nn.ModuleList`: indexable containers of modules.
enum Containers {
    static func modules(_ values: [Value]) throws -> [Module] { try values.map(NNModuleTypes.layer) }

    static let sequential: PyType = {
        let t = PyType.nativeClass("Sequential", module: "soma.nn", base: NNModuleTypes.module) { PyLayer(type: $0, hasDict: true) }
        LayerRegistry.types[ObjectIdentifier(Sequential.self)] = t
        t.def("__init__", [], varArgs: true) { _, v, a in
            let args = a[0].sequenceItems()!
            let l = v.as(PyLayer.self)!
            let seq: Sequential
            if args.count == 1, let dict = args[0].as(PyDict.self) {
                seq = Sequential(named: try dict.entries.map { (try $0.key.asString(), try NNModuleTypes.layer($0.value)) })
            } else {
                seq = Sequential(try modules(args))
            }
            l.module = seq
            LayerRegistry.remember(l, for: seq)
            return .none
        }
        t.def("__getitem__", ["index"]) { _, v, a in
            let seq = try NNModuleTypes.layer(v) as! Sequential
            if let s = a[0].as(PySlice.self) {
                let r = try s.indices(seq.count)
                guard r.step == 1 else { throw PyException.valueError("Sequential slices with a step are not supported in Soma") }
                let part = seq.slice(r.start..<max(r.start, r.stop))
                return LayerRegistry.value(part)
            }
            return LayerRegistry.value(try seq.layer(at: try a[0].integer("index")))
        }
        t.def("__len__") { _, v, _ in .int((try NNModuleTypes.layer(v) as! Sequential).count) }
        t.def("__iter__") { _, v, _ in NNModuleTypes.iterator(try NNModuleTypes.layer(v).children().map(LayerRegistry.value)) }
        t.def("append", ["module"]) { _, v, a in
            (try NNModuleTypes.layer(v) as! Sequential).append(try NNModuleTypes.layer(a[0]))
            return v
        }
        return t
    }()

    static let moduleList: PyType = {
        let t = PyType.nativeClass("ModuleList", module: "soma.nn", base: NNModuleTypes.module) { PyLayer(type: $0, hasDict: true) }
        LayerRegistry.types[ObjectIdentifier(ModuleList.self)] = t
        t.def("__init__", ["modules"], defaults: ["modules": .none]) { interp, v, a in
            let l = v.as(PyLayer.self)!
            let list = ModuleList(a[0].isNone ? [] : try modules(try interp.iterate(a[0])))
            l.module = list
            LayerRegistry.remember(l, for: list)
            return .none
        }
        t.def("__getitem__", ["index"]) { _, v, a in
            LayerRegistry.value(try (try NNModuleTypes.layer(v) as! ModuleList).module(at: try a[0].integer("index")))
        }
        t.def("__len__") { _, v, _ in .int((try NNModuleTypes.layer(v) as! ModuleList).count) }
        t.def("__iter__") { _, v, _ in NNModuleTypes.iterator(try NNModuleTypes.layer(v).children().map(LayerRegistry.value)) }
        t.def("append", ["module"]) { _, v, a in
            (try NNModuleTypes.layer(v) as! ModuleList).append(try NNModuleTypes.layer(a[0]))
            return v
        }
        t.def("extend", ["modules"]) { interp, v, a in
            for m in try modules(try interp.iterate(a[0])) { (try NNModuleTypes.layer(v) as! ModuleList).append(m) }
            return v
        }
        return t
    }()
}
