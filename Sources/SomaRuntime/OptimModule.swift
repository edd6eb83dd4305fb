import SomaNN
import SomaScript
import SomaTensor

/// `soma.optim` and `soma.optim.lr_scheduler`.
enum OptimModule {
    final class PyOptimizer: PyObject {
        var optimizer: Optimizer?
        func require() throws -> Optimizer {
            guard let optimizer else { throw PyException.runtimeError("optimizer is not initialised") }
            return optimizer
        }
    }

    /// `optimizer.param_groups[i]`: a live view whose `['lr'] = x` changes the optimizer.
    final class PyParamGroup: PyObject {
        static let type: PyType = {
            let t = PyType.nativeClass("param_group", module: "soma.optim")
            t.def("__getitem__", ["key"]) { _, v, a in
                let g = v.as(PyParamGroup.self)!.group, key = try a[0].asString()
                if key == "params" { return .object(PyList(g.params.map(ParameterType.wrap))) }
                guard let h = g[key] else { throw PyException.keyError(a[0]) }
                return value(h)
            }
            t.def("__setitem__", ["key", "value"]) { _, v, a in
                let g = v.as(PyParamGroup.self)!.group, key = try a[0].asString()
                if key == "params" {
                    g.params = try (a[1].sequenceItems() ?? []).map { try tensorOnly($0, "param") }
                } else {
                    g[key] = try hyper(a[1])
                }
                return .none
            }
            t.def("__contains__", ["key"]) { _, v, a in
                let key = try a[0].asString()
                return .bool(key == "params" || v.as(PyParamGroup.self)!.group[key] != nil)
            }
            t.def("get", ["key", "default"], defaults: ["default": .none]) { _, v, a in
                v.as(PyParamGroup.self)!.group[try a[0].asString()].map(value) ?? a[1]
            }
            t.def("keys") { _, v, _ in .object(PyList([.str("params")] + v.as(PyParamGroup.self)!.group.options.map { .str($0.key) })) }
            t.def("__repr__") { interp, v, _ in
                let g = v.as(PyParamGroup.self)!.group
                let items = try g.options.map { "'\($0.key)': " + (try interp.repr(value($0.value))) }
                let params = try interp.repr(.object(PyList(g.params.map(ParameterType.wrap))))
                return .str("{'params': \(params), " + items.joined(separator: ", ") + "}")
            }
            return t
        }()
        let group: ParamGroup
        init(_ g: ParamGroup) {
            group = g
            super.init(type: PyParamGroup.type)
        }
    }

    static func value(_ h: HyperParameter) -> Value {
        switch h {
        case .number(let d): return .float(d)
        case .integer(let i): return .int(i)
        case .flag(let b): return .bool(b)
        case .pair(let a, let b): return .object(PyTuple([.float(a), .float(b)]))
        case .none: return .none
        }
    }

    static func hyper(_ v: Value) throws -> HyperParameter {
        switch v {
        case .bool(let b): return .flag(b)
        case .int(let i): return .integer(i)
        case .float(let d): return .number(d)
        case .none: return .none
        default:
            if let items = v.sequenceItems(), items.count == 2 { return .pair(try items[0].number("value"), try items[1].number("value")) }
            if let t = v.as(PyTensor.self)?.tensor, t.numel == 1 { return .number(try pyTry { try t.item().double }) }
            throw PyException.typeError("optimizer options must be numbers, bools or pairs, not \(v.typeName)")
        }
    }

    /// The `params` argument: an iterable of tensors, or of dicts with a 'params' entry and overrides.
    static func groups(_ v: Value, _ interp: Interpreter) throws -> [(params: [Tensor], options: [String: HyperParameter])] {
        let items = try interp.iterate(v)
        if let first = items.first, first.as(PyDict.self) != nil {
            return try items.map { item in
                guard let d = item.as(PyDict.self) else { throw PyException.typeError("param groups must all be dicts") }
                var params: [Tensor] = [], options: [String: HyperParameter] = [:]
                for (k, value) in d.entries {
                    let key = try k.asString()
                    if key == "params" {
                        params = try (value.as(PyTensor.self).map { [$0.tensor] } ?? interp.iterate(value).map { try tensorOnly($0, "param") })
                    } else {
                        options[key] = try hyper(value)
                    }
                }
                return (params, options)
            }
        }
        return [(try items.map { try tensorOnly($0, "optimizer parameter") }, [:])]
    }

    static func optimizerType(_ name: String, _ params: [String], defaults: [String: Value],
                              _ make: @escaping ([(params: [Tensor], options: [String: HyperParameter])], [Value]) throws -> Optimizer) -> PyType {
        let t = PyType.nativeClass(name, module: "soma.optim", base: base) { PyOptimizer(type: $0, hasDict: true) }
        t.def("__init__", ["params"] + params, defaults: defaults) { interp, v, a in
            let specs = try groups(a[0], interp), options = Array(a.dropFirst())
            let o = try make(specs, options)
            // Numbers given as ints stay ints in param_groups, as PyTorch keeps the objects it was given.
            for (key, given) in zip(params, options) {
                guard case .int(let n) = given else { continue }
                o.setIntegerDefault(key, n)
                for (g, spec) in zip(o.paramGroups, specs) where spec.options[key] == nil && g[key]?.number == Double(n) { g[key] = .integer(n) }
            }
            v.as(PyOptimizer.self)!.optimizer = o
            return .none
        }
        return t
    }

    static let base: PyType = {
        let t = PyType.nativeClass("Optimizer", module: "soma.optim") { PyOptimizer(type: $0, hasDict: true) }
        func opt(_ v: Value) throws -> Optimizer { try v.as(PyOptimizer.self)!.require() }
        t.def("zero_grad", ["set_to_none"], defaults: ["set_to_none": .bool(true)]) { _, v, a in
            try opt(v).zeroGrad(setToNone: a[0].truthy)
            return .none
        }
        t.def("step", ["closure"], defaults: ["closure": .none]) { interp, v, a in
            var loss: Value = .none
            if !a[0].isNone { loss = try GradMode.with(enabled: true) { try interp.call(a[0]) } }
            try opt(v).step()
            return loss
        }
        t.prop("param_groups") { v in .object(PyList(try opt(v).paramGroups.map { .object(PyParamGroup($0)) })) }
        t.def("add_param_group", ["param_group"]) { interp, v, a in
            for g in try groups(.object(PyList([a[0]])), interp) { try opt(v).addParamGroup(g.params, options: g.options) }
            return .none
        }
        t.def("state_dict") { _, v, _ in
            let o = try opt(v), s = o.stateDict()
            let state = PyDict()
            for (i, entry) in s.state.sorted(by: { $0.key < $1.key }) {
                let d = PyDict()
                // PyTorch's SGD keeps no step count; the others keep it as a float tensor.
                if !(o is SGD) { try d.set(.str("step"), wrap(try Tensor.full([], .double(Double(entry.step)), dtype: .float32))) }
                for (k, t) in entry.buffers.sorted(by: { $0.key < $1.key }) { try d.set(.str(k), wrap(t)) }
                try state.set(.int(i), .object(d))
            }
            let groups = try s.groups.map { g -> Value in
                let d = PyDict()
                for (k, h) in g.options { try d.set(.str(k), value(h)) }
                try d.set(.str("params"), .object(PyList(g.params.map { .int($0) })))
                return .object(d)
            }
            let out = PyDict()
            try out.set(.str("state"), .object(state))
            try out.set(.str("param_groups"), .object(PyList(groups)))
            return .object(out)
        }
        t.def("load_state_dict", ["state_dict"]) { _, v, a in
            guard let d = a[0].as(PyDict.self), let state = try d.get(.str("state"))?.as(PyDict.self),
                  let groups = try d.get(.str("param_groups"))?.sequenceItems() else {
                throw PyException.valueError("optimizer state_dict must have 'state' and 'param_groups'")
            }
            var entries: [Int: (step: Int, buffers: [String: Tensor])] = [:]
            for (k, e) in state.entries {
                guard let fields = e.as(PyDict.self) else { continue }
                var step = 0, buffers: [String: Tensor] = [:]
                for (name, value) in fields.entries {
                    let key = try name.asString()
                    if key == "step" { step = Int(try value.number("step")) } else { buffers[key] = try tensorOnly(value, key) }
                }
                entries[try k.integer("state index")] = (step, buffers)
            }
            let parsed = try groups.map { g -> (options: [(key: String, value: HyperParameter)], params: [Int]) in
                guard let gd = g.as(PyDict.self) else { throw PyException.valueError("param_groups entries must be dicts") }
                var options: [(key: String, value: HyperParameter)] = [], params: [Int] = []
                for (k, value) in gd.entries {
                    let key = try k.asString()
                    if key == "params" { params = try (value.sequenceItems() ?? []).map { try $0.integer("param index") } } else {
                        options.append((key, try hyper(value)))
                    }
                }
                return (options, params)
            }
            try opt(v).loadStateDict(OptimizerState(state: entries, groups: parsed))
            return .none
        }
        t.def("__repr__") { interp, v, _ in
            let o = try opt(v)
            var lines = ["\(v.typeName) ("]
            for (i, g) in o.paramGroups.enumerated() {
                lines.append("Parameter Group \(i)")
                for (k, h) in g.options.sorted(by: { $0.key < $1.key }) { lines.append("    \(k): \(try interp.repr(value(h)))") }
            }
            return .str((lines + [")"]).joined(separator: "\n"))
        }
        return t
    }()

    static func build(_ interp: Interpreter) throws -> PyModule {
        let m = PyModule(name: "soma.optim")
        m["Optimizer"] = .object(base)
        let flag = Value.bool(false)
        let types: [PyType] = [
            optimizerType("SGD", ["lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize"],
                          defaults: ["lr": .float(0.001), "momentum": .int(0), "dampening": .int(0), "weight_decay": .int(0), "nesterov": flag,
                                     "maximize": flag]) { g, a in
                try SGD(groups: g, lr: try a[0].number("lr"), momentum: try a[1].number("momentum"), dampening: try a[2].number("dampening"),
                        weightDecay: try a[3].number("weight_decay"), nesterov: a[4].truthy, maximize: a[5].truthy)
            },
            optimizerType("Adam", ["lr", "betas", "eps", "weight_decay", "amsgrad", "maximize"],
                          defaults: ["lr": .float(0.001), "betas": .object(PyTuple([.float(0.9), .float(0.999)])), "eps": .float(1e-8),
                                     "weight_decay": .int(0), "amsgrad": flag, "maximize": flag]) { g, a in
                let betas = try hyper(a[1])
                guard case .pair(let b1, let b2) = betas else { throw PyException.typeError("betas must be a pair of numbers") }
                return try Adam(groups: g, lr: try a[0].number("lr"), betas: (b1, b2), eps: try a[2].number("eps"),
                                weightDecay: try a[3].number("weight_decay"), amsgrad: a[4].truthy, maximize: a[5].truthy)
            },
            optimizerType("AdamW", ["lr", "betas", "eps", "weight_decay", "amsgrad", "maximize"],
                          defaults: ["lr": .float(0.001), "betas": .object(PyTuple([.float(0.9), .float(0.999)])), "eps": .float(1e-8),
                                     "weight_decay": .float(0.01), "amsgrad": flag, "maximize": flag]) { g, a in
                let betas = try hyper(a[1])
                guard case .pair(let b1, let b2) = betas else { throw PyException.typeError("betas must be a pair of numbers") }
                return try AdamW(groups: g, lr: try a[0].number("lr"), betas: (b1, b2), eps: try a[2].number("eps"),
                                 weightDecay: try a[3].number("weight_decay"), amsgrad: a[4].truthy, maximize: a[5].truthy)
            },
            optimizerType("RMSprop", ["lr", "alpha", "eps", "weight_decay", "momentum", "centered", "maximize"],
                          defaults: ["lr": .float(0.01), "alpha": .float(0.99), "eps": .float(1e-8), "weight_decay": .int(0), "momentum": .int(0),
                                     "centered": flag, "maximize": flag]) { g, a in
                try RMSprop(groups: g, lr: try a[0].number("lr"), alpha: try a[1].number("alpha"), eps: try a[2].number("eps"),
                            weightDecay: try a[3].number("weight_decay"), momentum: try a[4].number("momentum"), centered: a[5].truthy,
                            maximize: a[6].truthy)
            },
            optimizerType("Adagrad", ["lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps", "maximize"],
                          defaults: ["lr": .float(0.01), "lr_decay": .int(0), "weight_decay": .int(0), "initial_accumulator_value": .int(0),
                                     "eps": .float(1e-10), "maximize": flag]) { g, a in
                try Adagrad(groups: g, lr: try a[0].number("lr"), lrDecay: try a[1].number("lr_decay"), weightDecay: try a[2].number("weight_decay"),
                            initialAccumulatorValue: try a[3].number("initial_accumulator_value"), eps: try a[4].number("eps"), maximize: a[5].truthy)
            },
        ]
        for t in types { m[t.name] = .object(t) }
        return m
    }

    // MARK: schedules

    final class PyScheduler: PyObject {
        var scheduler: LRScheduler?
        var plateau: ReduceLROnPlateau?
    }

    static func optimizer(_ v: Value) throws -> Optimizer {
        guard let o = v.as(PyOptimizer.self) else { throw PyException.typeError("\(v.typeName) is not an Optimizer") }
        return try o.require()
    }

    static func schedulerType(_ name: String, _ params: [String], defaults: [String: Value],
                              _ make: @escaping (Interpreter, Optimizer, [Value]) throws -> LRScheduler) -> PyType {
        let t = PyType.nativeClass(name, module: "soma.optim.lr_scheduler", base: schedulerBase) { PyScheduler(type: $0, hasDict: true) }
        t.def("__init__", ["optimizer"] + params, defaults: defaults) { interp, v, a in
            v.as(PyScheduler.self)!.scheduler = try make(interp, try optimizer(a[0]), Array(a.dropFirst()))
            return .none
        }
        return t
    }

    static let schedulerBase: PyType = {
        let t = PyType.nativeClass("LRScheduler", module: "soma.optim.lr_scheduler") { PyScheduler(type: $0, hasDict: true) }
        t.def("step", ["metrics"], defaults: ["metrics": .none]) { _, v, a in
            let s = v.as(PyScheduler.self)!
            if let p = s.plateau {
                p.step(try a[0].number("metrics"))
            } else {
                try s.scheduler?.step()
            }
            return .none
        }
        t.def("get_last_lr") { _, v, _ in
            let s = v.as(PyScheduler.self)!
            return .object(PyList((s.plateau?.lastLR() ?? s.scheduler?.lastLR() ?? []).map { .float($0) }))
        }
        t.prop("last_epoch") { v in
            let s = v.as(PyScheduler.self)!
            return .int(s.plateau?.lastEpoch ?? s.scheduler?.lastEpoch ?? 0)
        }
        return t
    }()

    static func buildSchedulers(_ interp: Interpreter) throws -> PyModule {
        let m = PyModule(name: "soma.optim.lr_scheduler")
        m["LRScheduler"] = .object(schedulerBase)
        let types: [PyType] = [
            schedulerType("StepLR", ["step_size", "gamma"], defaults: ["gamma": .float(0.1)]) { _, o, a in
                try StepLR(o, stepSize: try a[0].integer("step_size"), gamma: try a[1].number("gamma"))
            },
            schedulerType("MultiStepLR", ["milestones", "gamma"], defaults: ["gamma": .float(0.1)]) { interp, o, a in
                try MultiStepLR(o, milestones: try interp.iterate(a[0]).map { try $0.integer("milestone") }, gamma: try a[1].number("gamma"))
            },
            schedulerType("ExponentialLR", ["gamma"], defaults: [:]) { _, o, a in try ExponentialLR(o, gamma: try a[0].number("gamma")) },
            schedulerType("CosineAnnealingLR", ["T_max", "eta_min"], defaults: ["eta_min": .float(0)]) { _, o, a in
                try CosineAnnealingLR(o, tMax: try a[0].integer("T_max"), etaMin: try a[1].number("eta_min"))
            },
            schedulerType("LambdaLR", ["lr_lambda"], defaults: [:]) { interp, o, a in
                let fns = a[0].sequenceItems() ?? [a[0]]
                return try LambdaLR(o, lrLambda: fns.map { f in { epoch in try interp.call(f, [.int(epoch)]).number("lr_lambda result") } })
            },
        ]
        for t in types { m[t.name] = .object(t) }
        let plateau = PyType.nativeClass("ReduceLROnPlateau", module: "soma.optim.lr_scheduler", base: schedulerBase) {
            PyScheduler(type: $0, hasDict: true)
        }
        plateau.def("__init__", ["optimizer", "mode", "factor", "patience", "threshold", "threshold_mode", "cooldown", "min_lr", "eps"],
                    defaults: ["mode": .str("min"), "factor": .float(0.1), "patience": .int(10), "threshold": .float(1e-4),
                               "threshold_mode": .str("rel"), "cooldown": .int(0), "min_lr": .int(0), "eps": .float(1e-8)]) { _, v, a in
            let minLR = try (a[7].sequenceItems() ?? [a[7]]).map { try $0.number("min_lr") }
            v.as(PyScheduler.self)!.plateau = try ReduceLROnPlateau(
                try optimizer(a[0]), mode: try a[1].asString(), factor: try a[2].number("factor"), patience: try a[3].integer("patience"),
                threshold: try a[4].number("threshold"), thresholdMode: try a[5].asString(), cooldown: try a[6].integer("cooldown"),
                minLR: minLR, eps: try a[8].number("eps"))
            return .none
        }
        m["ReduceLROnPlateau"] = .object(plateau)
        return m
    }
}
