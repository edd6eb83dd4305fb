import SomaTensor

/// Stochastic gradient descent with momentum, dampening, Nesterov momentum and weight decay (`optim.SGD`),
/// step for step PyTorch's update rule.
public final class SGD: Optimizer {
    public init(groups: [(params: [Tensor], options: [String: HyperParameter])], lr: Double = 0.001, momentum: Double = 0,
                dampening: Double = 0, weightDecay: Double = 0, nesterov: Bool = false, maximize: Bool = false) throws {
        try OptimizerChecks.learningRate(lr)
        try OptimizerChecks.momentum(momentum)
        try OptimizerChecks.weightDecay(weightDecay)
        if nesterov && (momentum <= 0 || dampening != 0) {
            throw NNError(.value, "Nesterov momentum requires a momentum and zero dampening")
        }
        try super.init(groups: groups, defaults: [
            ("lr", .number(lr)), ("momentum", .number(momentum)), ("dampening", .number(dampening)),
            ("weight_decay", .number(weightDecay)), ("nesterov", .flag(nesterov)), ("maximize", .flag(maximize)),
            ("foreach", .none), ("differentiable", .flag(false)), ("fused", .none),
        ])
    }

    public convenience init(_ params: [Tensor], lr: Double = 0.001, momentum: Double = 0, dampening: Double = 0,
                            weightDecay: Double = 0, nesterov: Bool = false, maximize: Bool = false) throws {
        try self.init(groups: [(params, [:])], lr: lr, momentum: momentum, dampening: dampening, weightDecay: weightDecay,
                      nesterov: nesterov, maximize: maximize)
    }

    public override func update(_ param: Tensor, grad: Tensor, group: ParamGroup, state: ParamState) throws {
        let momentum = group.number("momentum")
        let first = state.buffers["momentum_buffer"] == nil
        let buf = momentum != 0 ? try buffer("momentum_buffer", state, like: param) : nil
        let h = Hyper(lr: group.number("lr"), momentum: momentum, dampening: group.number("dampening"),
                      weightDecay: group.number("weight_decay"), nesterov: group.flag("nesterov"), maximize: group.flag("maximize"), first: first)
        if param.dtype == .float32 {
            SGD.run(Float.self, param, grad, buf, h)
        } else {
            SGD.run(Double.self, param, grad, buf, h)
        }
    }

    struct Hyper { let lr, momentum, dampening, weightDecay: Double; let nesterov, maximize, first: Bool }

    /// One pass over the parameter. The tutorials' cases (no weight decay, plain momentum after the first step) call
    /// `pass` with constant flags, which lets its loop vectorise; other combinations run it with the flags read per element.
    private static func run<T: BinaryFloatingPoint>(_: T.Type, _ param: Tensor, _ grad: Tensor, _ buf: Tensor?, _ h: Hyper) {
        let n = param.numel, p = param.unsafeData(as: T.self), g = grad.unsafeData(as: T.self), b = buf?.unsafeData(as: T.self)
        let decays = h.weightDecay != 0
        switch (b, decays, h.first, h.nesterov) {
        case (nil, false, _, _): pass(n, p, g, nil, h, decays: false, first: false, nesterov: false)
        case (let b?, false, false, false): pass(n, p, g, b, h, decays: false, first: false, nesterov: false)
        default: pass(n, p, g, b, h, decays: decays, first: h.first, nesterov: h.nesterov)
        }
    }

    /// PyTorch's rule for one parameter: d = ±g (+ wd·p); with momentum b = d on the first step, else m·b + (1 − dampening)·d,
    /// and d = b (or d + m·b with Nesterov); then p −= lr·d.
    @inline(__always)
    private static func pass<T: BinaryFloatingPoint>(_ n: Int, _ p: UnsafeMutablePointer<T>, _ g: UnsafeMutablePointer<T>,
                                                    _ b: UnsafeMutablePointer<T>?, _ h: Hyper, decays: Bool, first: Bool, nesterov: Bool) {
        let lr = T(h.lr), m = T(h.momentum), keep = T(1 - h.dampening), wd = T(h.weightDecay), sign: T = h.maximize ? -1 : 1
        guard let b else {
            for i in 0..<n { p[i] -= lr * (decays ? sign * g[i] + wd * p[i] : sign * g[i]) }
            return
        }
        for i in 0..<n {
            let d = decays ? sign * g[i] + wd * p[i] : sign * g[i]
            let v = first ? d : b[i] * m + keep * d
            b[i] = v
            p[i] -= lr * (nesterov ? d + m * v : v)
        }
    }
}
