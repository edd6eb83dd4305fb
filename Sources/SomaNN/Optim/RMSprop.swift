import SomaTensor

/// RMSprop with optional momentum and centring (`optim.RMSprop`), step for step PyTorch's update rule.
public final class RMSprop: Optimizer {
    public init(groups: [(params: [Tensor], options: [String: HyperParameter])], lr: Double = 0.01, alpha: Double = 0.99,
                eps: Double = 1e-8, weightDecay: Double = 0, momentum: Double = 0, centered: Bool = false, maximize: Bool = false) throws {
        try OptimizerChecks.learningRate(lr)
        try OptimizerChecks.epsilon(eps)
        try OptimizerChecks.momentum(momentum)
        try OptimizerChecks.weightDecay(weightDecay)
        guard alpha >= 0 else { throw NNError(.value, "Invalid alpha value: \(PyFormat.float(alpha))") }
        try super.init(groups: groups, defaults: [
            ("lr", .number(lr)), ("momentum", .number(momentum)), ("alpha", .number(alpha)), ("eps", .number(eps)),
            ("centered", .flag(centered)), ("weight_decay", .number(weightDecay)), ("capturable", .flag(false)), ("foreach", .none),
            ("maximize", .flag(maximize)), ("differentiable", .flag(false)),
        ])
    }

    public convenience init(_ params: [Tensor], lr: Double = 0.01, alpha: Double = 0.99, eps: Double = 1e-8, weightDecay: Double = 0,
                            momentum: Double = 0, centered: Bool = false, maximize: Bool = false) throws {
        try self.init(groups: [(params, [:])], lr: lr, alpha: alpha, eps: eps, weightDecay: weightDecay, momentum: momentum,
                      centered: centered, maximize: maximize)
    }

    public override func update(_ param: Tensor, grad: Tensor, group: ParamGroup, state: ParamState) throws {
        let square = try buffer("square_avg", state, like: param)
        let momentum = group.number("momentum"), centered = group.flag("centered")
        let buf = momentum > 0 ? try buffer("momentum_buffer", state, like: param) : nil
        let avg = centered ? try buffer("grad_avg", state, like: param) : nil
        let h = Hyper(lr: group.number("lr"), alpha: group.number("alpha"), eps: group.number("eps"), weightDecay: group.number("weight_decay"),
                      momentum: momentum, maximize: group.flag("maximize"))
        if param.dtype == .float32 {
            RMSprop.run(Float.self, param, grad, square, buf, avg, h)
        } else {
            RMSprop.run(Double.self, param, grad, square, buf, avg, h)
        }
    }

    struct Hyper { let lr, alpha, eps, weightDecay, momentum: Double; let maximize: Bool }

    /// One pass over the parameter. With the defaults (no weight decay, momentum or centring) `pass` runs with
    /// constant flags, which lets its loop vectorise; other combinations run it with the flags read per element.
    private static func run<T: TensorFloat>(_: T.Type, _ param: Tensor, _ grad: Tensor, _ squareT: Tensor, _ bufT: Tensor?,
                                                    _ avgT: Tensor?, _ h: Hyper) {
        let p = param.unsafeData(as: T.self), g = grad.unsafeData(as: T.self), sq = squareT.unsafeData(as: T.self)
        let buf = bufT?.unsafeData(as: T.self), avg = avgT?.unsafeData(as: T.self)
        if buf == nil && avg == nil && h.weightDecay == 0 {
            pass(param.numel, p, g, sq, nil, nil, h, decays: false)
        } else {
            pass(param.numel, p, g, sq, buf, avg, h, decays: h.weightDecay != 0)
        }
    }

    /// PyTorch's rule for one parameter: g = ±g (+ wd·p); sq = α·sq + (1 − α)·g²; denominator √sq (centred: √(sq − avg²),
    /// avg the running mean of g) + eps; p −= lr·g/denominator, or through a momentum buffer b = m·b + g/denominator.
    @inline(__always)
    private static func pass<T: TensorFloat>(_ n: Int, _ p: UnsafeMutablePointer<T>, _ g: UnsafeMutablePointer<T>, _ sq: UnsafeMutablePointer<T>,
                                                    _ buf: UnsafeMutablePointer<T>?, _ avg: UnsafeMutablePointer<T>?, _ h: Hyper, decays: Bool) {
        let alpha = T(h.alpha), rest = T(1 - h.alpha), eps = T(h.eps), wd = T(h.weightDecay), lr = T(h.lr), mom = T(h.momentum)
        let sign: T = h.maximize ? -1 : 1
        for i in 0..<n {
            var gi = sign * g[i]
            if decays { gi += wd * p[i] }
            sq[i] = sq[i] * alpha + rest * gi * gi
            var denom: T
            if let avg {
                avg[i] += rest * (gi - avg[i])
                denom = T.sqrt(sq[i] - avg[i] * avg[i])
            } else {
                denom = T.sqrt(sq[i])
            }
            denom += eps
            if let buf {
                buf[i] = buf[i] * mom + gi / denom
                p[i] -= lr * buf[i]
            } else {
                p[i] -= lr * (gi / denom)
            }
        }
    }
}

/// Adagrad with learning-rate decay (`optim.Adagrad`), step for step PyTorch's update rule.
public final class Adagrad: Optimizer {
    public init(groups: [(params: [Tensor], options: [String: HyperParameter])], lr: Double = 0.01, lrDecay: Double = 0,
                weightDecay: Double = 0, initialAccumulatorValue: Double = 0, eps: Double = 1e-10, maximize: Bool = false) throws {
        try OptimizerChecks.learningRate(lr)
        try OptimizerChecks.epsilon(eps)
        try OptimizerChecks.weightDecay(weightDecay)
        guard lrDecay >= 0 else { throw NNError(.value, "Invalid lr_decay value: \(PyFormat.float(lrDecay))") }
        guard initialAccumulatorValue >= 0 else {
            throw NNError(.value, "Invalid initial_accumulator_value value: \(PyFormat.float(initialAccumulatorValue))")
        }
        try super.init(groups: groups, defaults: [
            ("lr", .number(lr)), ("lr_decay", .number(lrDecay)), ("eps", .number(eps)), ("weight_decay", .number(weightDecay)),
            ("initial_accumulator_value", .number(initialAccumulatorValue)), ("foreach", .none), ("maximize", .flag(maximize)),
            ("differentiable", .flag(false)), ("fused", .none),
        ])
    }

    public convenience init(_ params: [Tensor], lr: Double = 0.01, lrDecay: Double = 0, weightDecay: Double = 0,
                            initialAccumulatorValue: Double = 0, eps: Double = 1e-10, maximize: Bool = false) throws {
        try self.init(groups: [(params, [:])], lr: lr, lrDecay: lrDecay, weightDecay: weightDecay,
                      initialAccumulatorValue: initialAccumulatorValue, eps: eps, maximize: maximize)
    }

    public override func update(_ param: Tensor, grad: Tensor, group: ParamGroup, state: ParamState) throws {
        let initial = group.number("initial_accumulator_value")
        let sum = try buffer("sum", state, like: param) { try $0.fill(.double(initial)) }
        let clr = group.number("lr") / (1 + Double(state.step - 1) * group.number("lr_decay"))
        let h = (clr: clr, eps: group.number("eps"), wd: group.number("weight_decay"), maximize: group.flag("maximize"))
        if param.dtype == .float32 {
            Adagrad.run(Float.self, param, grad, sum, h)
        } else {
            Adagrad.run(Double.self, param, grad, sum, h)
        }
    }

    private static func run<T: TensorFloat>(_: T.Type, _ param: Tensor, _ grad: Tensor, _ sumT: Tensor,
                                                    _ h: (clr: Double, eps: Double, wd: Double, maximize: Bool)) {
        let p = param.unsafeData(as: T.self), g = grad.unsafeData(as: T.self), s = sumT.unsafeData(as: T.self)
        let clr = T(h.clr), eps = T(h.eps), wd = T(h.wd), sign: T = h.maximize ? -1 : 1
        if h.wd == 0 {
            for i in 0..<param.numel {
                let gi = sign * g[i]
                s[i] += gi * gi
                p[i] -= clr * (gi / (T.sqrt(s[i]) + eps))
            }
            return
        }
        for i in 0..<param.numel {
            let gi = sign * g[i] + wd * p[i]
            s[i] += gi * gi
            p[i] -= clr * (gi / (T.sqrt(s[i]) + eps))
        }
    }
}
