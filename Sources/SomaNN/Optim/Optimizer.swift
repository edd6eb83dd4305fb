import SomaTensor

/// A hyper-parameter value as PyTorch's `param_groups` dictionaries hold it.
public enum HyperParameter: Equatable, Sendable {
    /// `integer` is a number given as a Python int (`momentum=0`), kept so that it prints as PyTorch prints it.
    case number(Double), integer(Int), flag(Bool), pair(Double, Double), none

    /// The value as a number (flags as 0/1).
    public var number: Double? {
        switch self {
        case .number(let d): return d
        case .integer(let i): return Double(i)
        case .flag(let b): return b ? 1 : 0
        default: return nil
        }
    }
}

/// One parameter group: its tensors and their hyper-parameters (`optimizer.param_groups[i]`), which
/// user code may read and change between steps (`g['lr'] = 0.01`).
public final class ParamGroup {
    public var params: [Tensor]
    /// Hyper-parameters in PyTorch's key order.
    public private(set) var options: [(key: String, value: HyperParameter)]

    init(params: [Tensor], options: [(String, HyperParameter)]) {
        self.params = params
        self.options = options.map { (key: $0.0, value: $0.1) }
    }

    /// Reads or sets a hyper-parameter; setting an unknown key adds it.
    public subscript(key: String) -> HyperParameter? {
        get { options.first { $0.key == key }?.value }
        set {
            if let i = options.firstIndex(where: { $0.key == key }) {
                if let newValue { options[i].value = newValue } else { options.remove(at: i) }
            } else if let newValue {
                options.append((key, newValue))
            }
        }
    }

    /// A numeric hyper-parameter (0 when absent).
    func number(_ key: String) -> Double { self[key]?.number ?? 0 }
    /// A flag hyper-parameter (false when absent).
    func flag(_ key: String) -> Bool { self[key] == .flag(true) }
}

/// Per-parameter optimizer state: named buffers and the step count.
public final class ParamState {
    public var buffers: [String: Tensor] = [:]
    public var step = 0
}

/// An optimizer's saved state (`state_dict()`): per-parameter buffers by parameter index, and the
/// groups' hyper-parameters with the indices of their parameters.
public struct OptimizerState {
    public var state: [Int: (step: Int, buffers: [String: Tensor])]
    public var groups: [(options: [(key: String, value: HyperParameter)], params: [Int])]

    public init(state: [Int: (step: Int, buffers: [String: Tensor])], groups: [(options: [(key: String, value: HyperParameter)], params: [Int])]) {
        self.state = state
        self.groups = groups
    }
}

/// Base of the optimizers: parameter groups with defaults, per-parameter state, `zero_grad`, state dicts.
/// Subclasses implement `update(_:group:state:)` as one fused pass over a parameter's memory.
open class Optimizer {
    public private(set) var paramGroups: [ParamGroup] = []
    /// Defaults for every group, in PyTorch's key order.
    public private(set) var defaults: [(String, HyperParameter)]
    private var states: [ObjectIdentifier: ParamState] = [:]

    /// An optimizer over groups of parameters, each with optional overrides of `defaults`.
    public init(groups: [(params: [Tensor], options: [String: HyperParameter])], defaults: [(String, HyperParameter)]) throws {
        self.defaults = defaults
        guard !groups.isEmpty, groups.contains(where: { !$0.params.isEmpty }) || groups.count > 1 else {
            throw NNError(.value, "optimizer got an empty parameter list")
        }
        for g in groups { try addParamGroup(g.params, options: g.options) }
    }

    /// An optimizer over one group of parameters.
    /// Replaces the default of `key` with the same number as a Python int (`momentum=0` given as an int), for
    /// groups added later; groups already made are the caller's to update.
    public func setIntegerDefault(_ key: String, _ value: Int) {
        guard let i = defaults.firstIndex(where: { $0.0 == key }), defaults[i].1.number == Double(value) else { return }
        defaults[i].1 = .integer(value)
    }

    public convenience init(_ params: [Tensor], defaults: [(String, HyperParameter)]) throws {
        try self.init(groups: [(params, [:])], defaults: defaults)
    }

    /// Adds a group; missing hyper-parameters take the defaults (`add_param_group`).
    public func addParamGroup(_ params: [Tensor], options: [String: HyperParameter] = [:]) throws {
        for p in params where !p.isLeaf { throw NNError(.value, "can't optimize a non-leaf Tensor") }
        let existing = Set(paramGroups.flatMap { $0.params.map(ObjectIdentifier.init) })
        if params.contains(where: { existing.contains(ObjectIdentifier($0)) }) {
            throw NNError(.value, "some parameters appear in more than one parameter group")
        }
        var merged = defaults.map { ($0.0, options[$0.0] ?? $0.1) }
        for (k, v) in options where !defaults.contains(where: { $0.0 == k }) { merged.append((k, v)) }
        paramGroups.append(ParamGroup(params: params, options: merged))
    }

    /// The state kept for parameter `p`.
    public func state(for p: Tensor) -> ParamState {
        if let s = states[ObjectIdentifier(p)] { return s }
        let s = ParamState()
        states[ObjectIdentifier(p)] = s
        return s
    }

    /// Clears the gradients of every parameter: drops them (default) or zeroes them.
    public func zeroGrad(setToNone: Bool = true) throws {
        for g in paramGroups {
            for p in g.params {
                if setToNone { p.grad = nil } else if let grad = p.grad { try GradMode.with(enabled: false) { try grad.zero_() } }
            }
        }
    }

    /// Updates every parameter that has a gradient.
    public func step() throws {
        try GradMode.with(enabled: false) {
            for g in paramGroups {
                for p in g.params {
                    guard let grad = p.grad else { continue }
                    guard grad.shape == p.shape else {
                        throw NNError(.runtime, "gradient of shape \(Module.shapeText(grad.shape)) does not match parameter of shape \(Module.shapeText(p.shape))")
                    }
                    let s = state(for: p)
                    s.step += 1
                    let contiguousGrad = try grad.to(p.dtype).contiguous()
                    guard p.isContiguous else {
                        throw NNError(.runtime, "Soma optimizers update contiguous parameters only")
                    }
                    try update(p, grad: contiguousGrad, group: g, state: s)
                    p.markModified()
                }
            }
        }
    }

    /// Applies one update to `param` from its gradient (both contiguous, same dtype).
    open func update(_ param: Tensor, grad: Tensor, group: ParamGroup, state: ParamState) throws {
        throw NNError(.notImplemented, "\(type(of: self)) does not implement step()")
    }

    /// A buffer of the parameter's shape, created zeroed (or by `initial`) on first use.
    func buffer(_ name: String, _ state: ParamState, like p: Tensor, initial: ((Tensor) throws -> Void)? = nil) throws -> Tensor {
        if let b = state.buffers[name] { return b }
        let b = try Tensor.zeros(p.shape, dtype: p.dtype)
        try initial?(b)
        state.buffers[name] = b
        return b
    }

    // MARK: state dict

    /// Buffers by parameter index and groups' hyper-parameters (`state_dict()`).
    public func stateDict() -> OptimizerState {
        var index = 0
        var state: [Int: (step: Int, buffers: [String: Tensor])] = [:]
        var groups: [(options: [(key: String, value: HyperParameter)], params: [Int])] = []
        for g in paramGroups {
            var ids: [Int] = []
            for p in g.params {
                if let s = states[ObjectIdentifier(p)] { state[index] = (s.step, s.buffers.mapValues { $0.detach() }) }
                ids.append(index)
                index += 1
            }
            groups.append((g.options, ids))
        }
        return OptimizerState(state: state, groups: groups)
    }

    /// Restores hyper-parameters and per-parameter buffers saved by `stateDict()` (`load_state_dict`).
    public func loadStateDict(_ saved: OptimizerState) throws {
        guard saved.groups.count == paramGroups.count else {
            throw NNError(.value, "loaded state dict has a different number of parameter groups")
        }
        for (g, s) in zip(paramGroups, saved.groups) where g.params.count != s.params.count {
            throw NNError(.value, "loaded state dict contains a parameter group that doesn't match the size of optimizer's group")
        }
        var byIndex: [Int: Tensor] = [:]
        for (g, s) in zip(paramGroups, saved.groups) {
            for (p, i) in zip(g.params, s.params) { byIndex[i] = p }
            for (k, v) in s.options { g[k] = v }
        }
        states = [:]
        for (i, entry) in saved.state {
            guard let p = byIndex[i] else { continue }
            let st = ParamState()
            st.step = entry.step
            st.buffers = try entry.buffers.mapValues { try $0.to(p.dtype).contiguous().materializedCopy() }
            states[ObjectIdentifier(p)] = st
        }
    }
}

extension Tensor {
    /// A copy with its own storage (no autograd history).
    func materializedCopy() throws -> Tensor { try GradMode.with(enabled: false) { try detach().clone() } }
}

/// Checks PyTorch's constructor argument rules for optimizers.
enum OptimizerChecks {
    static func learningRate(_ lr: Double) throws {
        guard lr >= 0 else { throw NNError(.value, "Invalid learning rate: \(PyFormat.float(lr))") }
    }
    static func epsilon(_ eps: Double) throws {
        guard eps >= 0 else { throw NNError(.value, "Invalid epsilon value: \(PyFormat.float(eps))") }
    }
    static func weightDecay(_ wd: Double) throws {
        guard wd >= 0 else { throw NNError(.value, "Invalid weight_decay value: \(PyFormat.float(wd))") }
    }
    static func momentum(_ m: Double) throws {
        guard m >= 0 else { throw NNError(.value, "Invalid momentum value: \(PyFormat.float(m))") }
    }
    static func betas(_ b: (Double, Double)) throws {
        guard b.0 >= 0 && b.0 < 1 else { throw NNError(.value, "Invalid beta parameter at index 0: \(PyFormat.float(b.0))") }
        guard b.1 >= 0 && b.1 < 1 else { throw NNError(.value, "Invalid beta parameter at index 1: \(PyFormat.float(b.1))") }
    }
}
