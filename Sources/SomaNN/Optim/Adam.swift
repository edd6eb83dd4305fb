import Foundation
import SomaTensor

/// Adam (`optim.Adam`) and, with decoupled weight decay, AdamW (`optim.AdamW`), with optional AMSGrad;
/// step for step PyTorch's update rule.
public class Adam: Optimizer {
    let decoupledWeightDecay: Bool

    init(groups: [(params: [Tensor], options: [String: HyperParameter])], lr: Double, betas: (Double, Double), eps: Double,
         weightDecay: Double, amsgrad: Bool, maximize: Bool, decoupled: Bool) throws {
        try OptimizerChecks.learningRate(lr)
        try OptimizerChecks.epsilon(eps)
        try OptimizerChecks.betas(betas)
        try OptimizerChecks.weightDecay(weightDecay)
        decoupledWeightDecay = decoupled
        try super.init(groups: groups, defaults: [
            ("lr", .number(lr)), ("betas", .pair(betas.0, betas.1)), ("eps", .number(eps)), ("weight_decay", .number(weightDecay)),
            ("amsgrad", .flag(amsgrad)), ("maximize", .flag(maximize)), ("foreach", .none), ("capturable", .flag(false)),
            ("differentiable", .flag(false)), ("fused", .none), ("decoupled_weight_decay", .flag(decoupled)),
        ])
    }

    public convenience init(groups: [(params: [Tensor], options: [String: HyperParameter])], lr: Double = 0.001,
                            betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8, weightDecay: Double = 0,
                            amsgrad: Bool = false, maximize: Bool = false) throws {
        try self.init(groups: groups, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad, maximize: maximize, decoupled: false)
    }

    public convenience init(_ params: [Tensor], lr: Double = 0.001, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                            weightDecay: Double = 0, amsgrad: Bool = false, maximize: Bool = false) throws {
        try self.init(groups: [(params, [:])], lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad,
                      maximize: maximize, decoupled: false)
    }

    public override func update(_ param: Tensor, grad: Tensor, group: ParamGroup, state: ParamState) throws {
        guard case .pair(let b1, let b2)? = group["betas"] else { throw NNError(.type, "betas must be a pair of numbers") }
        let amsgrad = group.flag("amsgrad")
        let m = try buffer("exp_avg", state, like: param), v = try buffer("exp_avg_sq", state, like: param)
        let vmax = amsgrad ? try buffer("max_exp_avg_sq", state, like: param) : nil
        let step = Double(state.step)
        let h = Hyper(lr: group.number("lr"), beta1: b1, beta2: b2, eps: group.number("eps"), weightDecay: group.number("weight_decay"),
                      decoupled: decoupledWeightDecay, maximize: group.flag("maximize"),
                      stepSize: group.number("lr") / (1 - Foundation.pow(b1, step)), correction2Sqrt: (1 - Foundation.pow(b2, step)).squareRoot())
        if param.dtype == .float32 {
            Adam.run(Float.self, param, grad, m, v, vmax, h)
        } else {
            Adam.run(Double.self, param, grad, m, v, vmax, h)
        }
    }

    struct Hyper {
        let lr, beta1, beta2, eps, weightDecay: Double
        let decoupled, maximize: Bool
        let stepSize, correction2Sqrt: Double
    }

    /// One pass over the parameter. Without weight decay and amsgrad (the tutorials' case) `pass` runs with constant
    /// flags, which lets its loop vectorise; other combinations run it with the flags read per element.
    private static func run<T: TensorFloat>(_: T.Type, _ param: Tensor, _ grad: Tensor, _ mT: Tensor, _ vT: Tensor, _ vmaxT: Tensor?, _ h: Hyper) {
        let p = param.unsafeData(as: T.self), g = grad.unsafeData(as: T.self)
        let m = mT.unsafeData(as: T.self), v = vT.unsafeData(as: T.self), vmax = vmaxT?.unsafeData(as: T.self)
        if vmax == nil && h.weightDecay == 0 {
            pass(param.numel, p, g, m, v, nil, h, decays: false)
        } else {
            pass(param.numel, p, g, m, v, vmax, h, decays: h.weightDecay != 0)
        }
    }

    /// PyTorch's rule for one parameter: g = ±g (+ wd·p, or p *= 1 − lr·wd when decoupled); m += (1 − β1)(g − m);
    /// v = β2·v + (1 − β2)·g²; p −= lr/(1 − β1^t) · m / (√max(v) / √(1 − β2^t) + eps).
    @inline(__always)
    private static func pass<T: TensorFloat>(_ n: Int, _ p: UnsafeMutablePointer<T>, _ g: UnsafeMutablePointer<T>, _ m: UnsafeMutablePointer<T>,
                                                    _ v: UnsafeMutablePointer<T>, _ vmax: UnsafeMutablePointer<T>?, _ h: Hyper, decays: Bool) {
        let b1Weight = T(1 - h.beta1), b2 = T(h.beta2), b2Weight = T(1 - h.beta2), wd = T(h.weightDecay), sign: T = h.maximize ? -1 : 1
        let decay = T(1 - h.lr * h.weightDecay), eps = T(h.eps), stepSize = T(h.stepSize), c2 = T(h.correction2Sqrt)
        let decoupled = h.decoupled
        for i in 0..<n {
            var gi = sign * g[i]
            if decays {
                if decoupled { p[i] *= decay } else { gi += wd * p[i] }
            }
            m[i] += b1Weight * (gi - m[i])
            v[i] = v[i] * b2 + b2Weight * gi * gi
            var second = v[i]
            if let vmax {
                if v[i] > vmax[i] { vmax[i] = v[i] }
                second = vmax[i]
            }
            let denom = T.sqrt(second) / c2 + eps
            p[i] -= stepSize * (m[i] / denom)
        }
    }
}

/// Adam with decoupled weight decay (`optim.AdamW`, weight decay 0.01 by default).
public final class AdamW: Adam {
    public convenience init(groups: [(params: [Tensor], options: [String: HyperParameter])], lr: Double = 0.001,
                            betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8, weightDecay: Double = 0.01,
                            amsgrad: Bool = false, maximize: Bool = false) throws {
        try self.init(groups: groups, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad, maximize: maximize, decoupled: true)
    }

    public convenience init(_ params: [Tensor], lr: Double = 0.001, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                            weightDecay: Double = 0.01, amsgrad: Bool = false, maximize: Bool = false) throws {
        try self.init(groups: [(params, [:])], lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad,
                      maximize: maximize, decoupled: true)
    }
}
