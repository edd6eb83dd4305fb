import SomaNN
import SomaScript
import SomaTensor

/// The `soma` module (`import soma as torch`): tensor creation and math, autograd switches, seeding,
/// dtypes, checkpoints, and the CPU-only device boilerplate tutorials use.
enum TorchModule {
    /// `requires_grad=` and `dtype=` applied to a freshly created tensor.
    static func finish(_ t: Tensor, requiresGrad: Value) throws -> Value {
        if requiresGrad.truthy { try t.requiresGrad() }
        return wrap(t)
    }

    static let creationKeywords = ["dtype", "device", "requires_grad"]
    static let creationDefaults: [String: Value] = ["dtype": .none, "device": .none, "requires_grad": .bool(false)]

    static func build(_ interp: Interpreter) throws -> PyModule {
        let m = PyModule(name: "soma")
        m["Tensor"] = .object(TensorType.type)
        m["Size"] = .object(PySize.type)
        m["dtype"] = .object(PyDType.type)
        for (name, d) in [("float32", DType.float32), ("float", .float32), ("float64", .float64), ("double", .float64),
                          ("int64", .int64), ("long", .int64), ("bool", .bool)] {
            m[name] = .object(PyDType.all[d]!)
        }
        m["__version__"] = .str("2.13.0+soma")
        addCreation(m)
        addMath(m)
        addAutograd(m)
        m["History"] = .object(HistoryModule.historyType)
        ProgressModule.install(into: m)
        Fit.install(into: m)
        m.def("device", ["type"]) { _, a in
            try checkDevice(a[0])
            guard case .str(let s) = a[0] else { return a[0] }
            return .object(PyDevice(s))
        }
        m.def("manual_seed", ["seed"]) { _, a in
            let seed = try a[0].integer("seed")
            manualSeed(UInt64(bitPattern: Int64(seed)))
            return .none
        }
        m.def("initial_seed") { _, _ in .int(Int(truncatingIfNeeded: Generator.global.initialSeed)) }
        m.def("is_tensor", ["obj"]) { _, a in .bool(a[0].as(PyTensor.self) != nil) }
        m.def("numel", ["input"]) { _, a in .int(try tensorOnly(a[0], "input").numel) }
        m.def("save", ["obj", "f"]) { interp, a in
            guard case .str(let path) = a[1] else { throw PyException.typeError("save: f must be a file path (str)") }
            try Checkpoints.save(a[0], to: path, interp)
            return .none
        }
        m.def("load", ["f"], defaults: ["map_location": .none, "weights_only": .none], keywordOnly: ["map_location", "weights_only"]) { interp, a in
            guard case .str(let path) = a[0] else { throw PyException.typeError("load: f must be a file path (str)") }
            return try Checkpoints.load(path, interp)
        }
        return m
    }

    private static func addCreation(_ m: PyModule) {
        m.def("tensor", ["data"], defaults: creationDefaults, keywordOnly: creationKeywords) { _, a in
            try checkDevice(a[2])
            let t = try Tensor.make(try nested(a[0]), dtype: try dtypeArgument(a[1]))
            return try finish(t, requiresGrad: a[3])
        }
        for (name, dtype) in [("FloatTensor", DType.float32), ("LongTensor", .int64), ("DoubleTensor", .float64), ("BoolTensor", .bool),
                              ("as_tensor", .float32)] {
            m.def(name, [], varArgs: true) { _, a in
                let items = a[0].sequenceItems()!
                if items.count == 1, items[0].sequenceItems() != nil || items[0].as(PyTensor.self) != nil {
                    return wrap(try Tensor.make(try nested(items[0]), dtype: name == "as_tensor" ? nil : dtype))
                }
                return wrap(try Tensor.zeros(try shapeArgument(items), dtype: dtype))
            }
        }
        for (name, fill) in [("zeros", Scalar.int(0)), ("ones", .int(1))] {
            m.def(name, [], defaults: creationDefaults, keywordOnly: creationKeywords, varArgs: true) { _, a in
                try checkDevice(a[2])
                let t = try Tensor.full(try shapeArgument(a[0].sequenceItems()!), fill, dtype: try dtypeArgument(a[1]) ?? .float32)
                return try finish(t, requiresGrad: a[3])
            }
            m.def(name + "_like", ["input"], defaults: creationDefaults, keywordOnly: creationKeywords) { _, a in
                let x = try tensorOnly(a[0], "input")
                return try finish(try x.fullLike(fill, dtype: try dtypeArgument(a[1])), requiresGrad: a[3])
            }
        }
        m.def("empty", [], defaults: creationDefaults, keywordOnly: creationKeywords, varArgs: true) { _, a in
            try finish(try Tensor.zeros(try shapeArgument(a[0].sequenceItems()!), dtype: try dtypeArgument(a[1]) ?? .float32), requiresGrad: a[3])
        }
        m.def("full", ["size", "fill_value"], defaults: creationDefaults, keywordOnly: creationKeywords) { _, a in
            guard let value = a[1].scalar else { throw PyException.typeError("full(): fill_value must be a number") }
            return try finish(try Tensor.full(try shapeArgument([a[0]]), value, dtype: try dtypeArgument(a[2])), requiresGrad: a[4])
        }
        m.def("full_like", ["input", "fill_value"], defaults: creationDefaults, keywordOnly: creationKeywords) { _, a in
            guard let value = a[1].scalar else { throw PyException.typeError("full_like(): fill_value must be a number") }
            return try finish(try tensorOnly(a[0], "input").fullLike(value, dtype: try dtypeArgument(a[2])), requiresGrad: a[4])
        }
        m.def("arange", ["start", "end", "step"], defaults: ["end": .none, "step": .int(1)].merging(creationDefaults) { $1 },
              keywordOnly: creationKeywords) { _, a in
            guard let first = a[0].scalar, let step = a[2].scalar else { throw PyException.typeError("arange() expects numbers") }
            let (start, end) = a[1].isNone ? (Scalar.int(0), first) : (first, try a[1].scalar ?? { throw PyException.typeError("arange() expects numbers") }())
            return try finish(try Tensor.arange(start, end, step, dtype: try dtypeArgument(a[3])), requiresGrad: a[5])
        }
        m.def("linspace", ["start", "end", "steps"], defaults: creationDefaults, keywordOnly: creationKeywords) { _, a in
            try finish(try Tensor.linspace(try a[0].number("start"), try a[1].number("end"), steps: try a[2].integer("steps"),
                                           dtype: try dtypeArgument(a[3]) ?? .float32), requiresGrad: a[5])
        }
        m.def("eye", ["n", "m"], defaults: ["m": .none].merging(creationDefaults) { $1 }, keywordOnly: creationKeywords) { _, a in
            try finish(try Tensor.eye(try a[0].integer("n"), try a[1].optionalInteger("m"), dtype: try dtypeArgument(a[2]) ?? .float32),
                       requiresGrad: a[4])
        }
        for (name, normal) in [("rand", false), ("randn", true)] {
            m.def(name, [], defaults: creationDefaults.merging(["generator": .none]) { $1 }, keywordOnly: creationKeywords + ["generator"],
                  varArgs: true) { _, a in
                let shape = try shapeArgument(a[0].sequenceItems()!), dtype = try dtypeArgument(a[1]) ?? .float32
                let g = a[4].as(PyGenerator.self)?.generator ?? .global
                let t = normal ? try Tensor.randn(shape, dtype: dtype, generator: g) : try Tensor.rand(shape, dtype: dtype, generator: g)
                return try finish(t, requiresGrad: a[3])
            }
            m.def(name + "_like", ["input"], defaults: creationDefaults, keywordOnly: creationKeywords) { _, a in
                let x = try tensorOnly(a[0], "input"), dtype = try dtypeArgument(a[1]) ?? x.dtype
                return try finish(normal ? try Tensor.randn(x.shape, dtype: dtype) : try Tensor.rand(x.shape, dtype: dtype), requiresGrad: a[3])
            }
        }
        m.def("randint", ["low", "high", "size"], defaults: ["size": .none, "dtype": .none, "device": .none, "generator": .none],
              keywordOnly: ["dtype", "device", "generator"]) { _, a in
            // randint(high, size) or randint(low, high, size)
            let (low, high, size) = a[2].isNone ? (0, try a[0].integer("high"), a[1]) : (try a[0].integer("low"), try a[1].integer("high"), a[2])
            let g = a[5].as(PyGenerator.self)?.generator ?? .global
            return wrap(try Tensor.randint(low, high, try shapeArgument([size]), dtype: try dtypeArgument(a[3]) ?? .int64, generator: g))
        }
        m.def("randperm", ["n"], defaults: ["dtype": .none, "device": .none, "generator": .none], keywordOnly: ["dtype", "device", "generator"]) { _, a in
            let g = a[3].as(PyGenerator.self)?.generator ?? .global
            return wrap(try Tensor.randperm(try a[0].integer("n"), dtype: try dtypeArgument(a[1]) ?? .int64, generator: g))
        }
        m["Generator"] = .object(PyGenerator.type)
    }

    private static func addMath(_ m: PyModule) {
        let unary: [(String, (Tensor) throws -> Tensor)] = [
            ("exp", { try $0.exp() }), ("log", { try $0.log() }), ("sqrt", { try $0.sqrt() }), ("abs", { try $0.abs() }),
            ("sin", { try $0.sin() }), ("cos", { try $0.cos() }), ("tanh", { try $0.tanh() }), ("sigmoid", { try $0.sigmoid() }),
            ("relu", { try $0.relu() }), ("neg", { try $0.neg() }), ("sign", { try $0.sign() }), ("floor", { try $0.floor() }),
            ("ceil", { try $0.ceil() }), ("round", { try $0.round() }), ("t", { try $0.t() }), ("clone", { try $0.clone() }),
            ("nonzero", { try $0.nonzero() }), ("logical_not", { try $0.logicalNot() }),
        ]
        for (name, op) in unary { m.def(name, ["input"]) { _, a in wrap(try op(try tensorOnly(a[0], argument(name, "input", 1)))) } }
        let binary: [(String, (Tensor, Tensor) throws -> Tensor)] = [
            ("add", { try $0.add($1) }), ("sub", { try $0.sub($1) }), ("mul", { try $0.mul($1) }), ("div", { try $0.div($1) }),
            ("pow", { try $0.pow($1) }), ("matmul", { try $0.matmul($1) }), ("mm", { try $0.mm($1) }), ("bmm", { try $0.bmm($1) }),
            ("eq", { try $0.eq($1) }), ("ne", { try $0.ne($1) }), ("lt", { try $0.lt($1) }), ("le", { try $0.le($1) }),
            ("gt", { try $0.gt($1) }), ("ge", { try $0.ge($1) }), ("maximum", { try $0.maximum($1) }), ("minimum", { try $0.minimum($1) }),
            ("remainder", { try $0.remainder($1) }), ("floor_divide", { try $0.floorDivide($1) }),
            ("logical_and", { try $0.logicalAnd($1) }), ("logical_or", { try $0.logicalOr($1) }), ("logical_xor", { try $0.logicalXor($1) }),
        ]
        // Arithmetic and comparisons take Python numbers too; the matrix products, maximum/minimum and logical ops only tensors.
        let tensorsOnly: Set = ["matmul", "mm", "bmm", "maximum", "minimum", "logical_and", "logical_or", "logical_xor"]
        for (name, op) in binary {
            let convert = tensorsOnly.contains(name) ? tensorOnly : tensorOrNumber
            m.def(name, ["input", "other"]) { _, a in
                wrap(try op(try convert(a[0], argument(name, "input", 1)), try convert(a[1], argument(name, "other", 2))))
            }
        }
        m.def("addmm", ["input", "mat1", "mat2"]) { _, a in
            wrap(try Tensor.addmm(try tensorArgument(a[0]), try tensorOnly(a[1], "mat1"), try tensorOnly(a[2], "mat2")))
        }
        m.def("where", ["condition", "input", "other"]) { _, a in
            wrap(try Tensor.where(try tensorOnly(a[0], "condition"), try tensorArgument(a[1]), try tensorArgument(a[2])))
        }
        m.def("clamp", ["input", "min", "max"], defaults: ["min": .none, "max": .none]) { _, a in
            wrap(try tensorOnly(a[0], "input").clamp(min: a[1].isNone ? nil : try a[1].number("min"), max: a[2].isNone ? nil : try a[2].number("max")))
        }
        m.def("cat", ["tensors", "dim"], defaults: ["dim": .int(0)]) { _, a in
            wrap(try Tensor.cat(try tensorList(a[0], "cat"), dim: try a[1].integer("dim")))
        }
        m.def("stack", ["tensors", "dim"], defaults: ["dim": .int(0)]) { _, a in
            wrap(try Tensor.stack(try tensorList(a[0], "stack"), dim: try a[1].integer("dim")))
        }
        m.def("split", ["tensor", "split_size_or_sections", "dim"], defaults: ["dim": .int(0)]) { _, a in
            try TensorType.split(try tensorOnly(a[0], argument("split", "tensor", 1)), a[1], dim: a[2])
        }
        m.def("chunk", ["input", "chunks", "dim"], defaults: ["dim": .int(0)]) { _, a in
            try TensorType.chunk(try tensorOnly(a[0], argument("chunk", "input", 1)), a[1], dim: a[2])
        }
        m.def("softmax", ["input", "dim"]) { _, a in wrap(try tensorOnly(a[0], "input").softmax(dim: try a[1].integer("dim"))) }
        m.def("log_softmax", ["input", "dim"]) { _, a in wrap(try tensorOnly(a[0], "input").logSoftmax(dim: try a[1].integer("dim"))) }
        m.def("flatten", ["input", "start_dim", "end_dim"], defaults: ["start_dim": .int(0), "end_dim": .int(-1)]) { _, a in
            wrap(try tensorOnly(a[0], "input").flatten(try a[1].integer("start_dim"), try a[2].integer("end_dim")))
        }
        m.def("reshape", ["input", "shape"]) { _, a in wrap(try tensorOnly(a[0], "input").reshape(try shapeArgument([a[1]]))) }
        m.def("transpose", ["input", "dim0", "dim1"]) { _, a in
            wrap(try tensorOnly(a[0], "input").transpose(try a[1].integer("dim0"), try a[2].integer("dim1")))
        }
        m.def("unsqueeze", ["input", "dim"]) { _, a in wrap(try tensorOnly(a[0], "input").unsqueeze(try a[1].integer("dim"))) }
        m.def("squeeze", ["input", "dim"], defaults: ["dim": .none]) { _, a in
            wrap(try tensorOnly(a[0], "input").squeeze(try a[1].optionalInteger("dim")))
        }
        for (name, isMax) in [("max", true), ("min", false)] {
            m.def(name, ["input", "dim", "keepdim"], defaults: ["dim": .none, "keepdim": .bool(false)]) { _, a in
                try TensorType.extremum(try tensorOnly(a[0], "input"), a[1], a[2], isMax: isMax)
            }
        }
        for (name, isMax) in [("argmax", true), ("argmin", false)] {
            m.def(name, ["input", "dim", "keepdim"], defaults: ["dim": .none, "keepdim": .bool(false)]) { _, a in
                let x = try tensorOnly(a[0], "input"), d = try a[1].optionalInteger("dim")
                return wrap(isMax ? try x.argmax(dim: d, keepdim: a[2].truthy) : try x.argmin(dim: d, keepdim: a[2].truthy))
            }
        }
        m.def("sum", ["input", "dim", "keepdim"], defaults: ["dim": .none, "keepdim": .bool(false)]) { _, a in
            wrap(try tensorOnly(a[0], "input").sum(dims: try dimsArgument(a[1]), keepdim: a[2].truthy))
        }
        m.def("mean", ["input", "dim", "keepdim"], defaults: ["dim": .none, "keepdim": .bool(false)]) { _, a in
            wrap(try tensorOnly(a[0], "input").mean(dims: try dimsArgument(a[1]), keepdim: a[2].truthy))
        }
        m.def("allclose", ["input", "other", "rtol", "atol"], defaults: ["rtol": .float(1e-5), "atol": .float(1e-8)]) { _, a in
            .bool(try tensorOnly(a[0], "input").allclose(try tensorArgument(a[1]), rtol: try a[2].number("rtol"), atol: try a[3].number("atol")))
        }
        m.def("equal", ["input", "other"]) { _, a in .bool(try tensorOnly(a[0], "input").equal(try tensorArgument(a[1]))) }
    }

    /// A list or tuple of tensors.
    static func tensorList(_ v: Value, _ op: String) throws -> [Tensor] {
        guard let items = v.sequenceItems() else {
            throw PyException.typeError("\(op)(): argument 'tensors' must be tuple of Tensors, not \(v.typeName)")
        }
        return try items.map { try tensorOnly($0, "\(op)() element") }
    }

    private static func addAutograd(_ m: PyModule) {
        m["no_grad"] = .object(GradModeContext.type(name: "no_grad", enabled: false))
        m["enable_grad"] = .object(GradModeContext.type(name: "enable_grad", enabled: true))
        m.def("set_grad_enabled", ["mode"]) { _, a in
            GradMode.set(a[0].truthy)
            return .none
        }
        m.def("is_grad_enabled") { _, _ in .bool(GradMode.isEnabled) }
    }
}

/// `torch.no_grad()` / `torch.enable_grad()`: context managers that switch gradient recording.
enum GradModeContext {
    final class State: PyObject {
        var previous: [Bool] = []
    }

    static func type(name: String, enabled: Bool) -> PyType {
        let t = PyType.nativeClass(name, module: "soma") { State(type: $0) }
        t.def("__init__") { _, _, _ in .none }
        t.def("__enter__") { _, v, _ in
            v.as(State.self)!.previous.append(GradMode.set(enabled))
            return .none
        }
        t.def("__exit__", [], varArgs: true) { _, v, _ in
            if let p = v.as(State.self)!.previous.popLast() { GradMode.set(p) }
            return .bool(false)
        }
        return t
    }
}

/// `torch.Generator()`: an independent seeded random stream.
final class PyGenerator: PyObject {
    static let type: PyType = {
        let t = PyType.nativeClass("Generator", module: "soma") { PyGenerator(type: $0) }
        t.def("__init__", ["device"], defaults: ["device": .str("cpu")]) { _, _, a in
            try checkDevice(a[0])
            return .none
        }
        t.def("manual_seed", ["seed"]) { _, v, a in
            v.as(PyGenerator.self)!.generator.manualSeed(UInt64(bitPattern: Int64(try a[0].integer("seed"))))
            return v
        }
        t.def("initial_seed") { _, v, _ in .int(Int(truncatingIfNeeded: v.as(PyGenerator.self)!.generator.initialSeed)) }
        return t
    }()
    let generator = Generator(seed: 67_280_421_310_721)
}
