import Foundation
import SomaTensor

/// How a loss combines per-element values: averaged, summed, or returned as they are.
public enum Reduction: String, Sendable {
    case mean, sum, none

    /// Parses PyTorch's `reduction=` string.
    public init(parsing s: String) throws {
        guard let r = Reduction(rawValue: s) else { throw NNError(.value, "\(s) is not a valid value for reduction") }
        self = r
    }

    func apply(_ t: Tensor) throws -> Tensor {
        switch self {
        case .mean: return try t.mean()
        case .sum: return try t.sum()
        case .none: return t
        }
    }
}

/// Base of the loss modules: a reduction and a two-argument forward.
open class Loss: Module {
    public let reduction: Reduction
    public init(reduction: Reduction = .mean) { self.reduction = reduction }

    /// The loss of `input` against `target`.
    open func forward(_ input: Tensor, _ target: Tensor) throws -> Tensor {
        throw NNError(.notImplemented, "Module [\(typeName)] is missing the required \"forward\" function")
    }

    /// Calls `forward(input, target)` (`criterion(output, labels)`).
    public func callAsFunction(_ input: Tensor, _ target: Tensor) throws -> Tensor { try forward(input, target) }
}

/// Mean squared error (`nn.MSELoss`).
public final class MSELoss: Loss {
    public override func forward(_ input: Tensor, _ target: Tensor) throws -> Tensor {
        try Functional.mseLoss(input, target, reduction: reduction)
    }
}

/// Mean absolute error (`nn.L1Loss`).
public final class L1Loss: Loss {
    public override func forward(_ input: Tensor, _ target: Tensor) throws -> Tensor {
        try Functional.l1Loss(input, target, reduction: reduction)
    }
}

/// Binary cross-entropy on probabilities, with logs clamped at -100 as PyTorch does (`nn.BCELoss`).
public final class BCELoss: Loss {
    public let weight: Tensor?
    public init(weight: Tensor? = nil, reduction: Reduction = .mean) {
        self.weight = weight
        super.init(reduction: reduction)
    }
    public override func forward(_ input: Tensor, _ target: Tensor) throws -> Tensor {
        try Functional.binaryCrossEntropy(input, target, weight: weight, reduction: reduction)
    }
}

/// Sigmoid plus binary cross-entropy in one numerically stable expression (`nn.BCEWithLogitsLoss`).
public final class BCEWithLogitsLoss: Loss {
    public let weight: Tensor?, posWeight: Tensor?
    public init(weight: Tensor? = nil, reduction: Reduction = .mean, posWeight: Tensor? = nil) {
        self.weight = weight
        self.posWeight = posWeight
        super.init(reduction: reduction)
    }
    public override func forward(_ input: Tensor, _ target: Tensor) throws -> Tensor {
        try Functional.binaryCrossEntropyWithLogits(input, target, weight: weight, posWeight: posWeight, reduction: reduction)
    }
}

/// Log-softmax plus negative log-likelihood, fused (`nn.CrossEntropyLoss`); targets are class
/// indices (int64) or class probabilities (float, same shape as the input).
public final class CrossEntropyLoss: Loss {
    public let weight: Tensor?, ignoreIndex: Int, labelSmoothing: Double
    public init(weight: Tensor? = nil, ignoreIndex: Int = -100, reduction: Reduction = .mean, labelSmoothing: Double = 0) {
        self.weight = weight
        self.ignoreIndex = ignoreIndex
        self.labelSmoothing = labelSmoothing
        super.init(reduction: reduction)
    }
    public override func forward(_ input: Tensor, _ target: Tensor) throws -> Tensor {
        try Functional.crossEntropy(input, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction,
                                    labelSmoothing: labelSmoothing)
    }
}

/// Negative log-likelihood of log-probabilities (`nn.NLLLoss`).
public final class NLLLoss: Loss {
    public let weight: Tensor?, ignoreIndex: Int
    public init(weight: Tensor? = nil, ignoreIndex: Int = -100, reduction: Reduction = .mean) {
        self.weight = weight
        self.ignoreIndex = ignoreIndex
        super.init(reduction: reduction)
    }
    public override func forward(_ input: Tensor, _ target: Tensor) throws -> Tensor {
        try Functional.nllLoss(input, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction)
    }
}

extension Functional {
    private static func sizeText(_ s: [Int]) -> String { "torch.Size([" + s.map(String.init).joined(separator: ", ") + "])" }

    /// Mean squared error.
    public static func mseLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) throws -> Tensor {
        let d = try input.sub(target)
        return try reduction.apply(d.mul(d)).named("MseLossBackward0")
    }

    /// Mean absolute error.
    public static func l1Loss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) throws -> Tensor {
        try reduction.apply(input.sub(target).abs())
    }

    /// Binary cross-entropy of probabilities `input` against `target`.
    public static func binaryCrossEntropy(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil, reduction: Reduction = .mean) throws -> Tensor {
        guard input.shape == target.shape else {
            throw NNError(.value,
                "Using a target size (\(sizeText(target.shape))) that is different to the input size (\(sizeText(input.shape))) is deprecated. Please ensure they have the same size.")
        }
        let values = input.doubles()
        if values.contains(where: { !($0 >= 0 && $0 <= 1) }) {
            throw NNError(.runtime, "all elements of input should be between 0 and 1")
        }
        var loss: Tensor
        if target.requiresGrad && GradMode.isEnabled {
            let one = Tensor.scalar(.double(1))
            let logP = try input.log().clamp(min: -100)
            let log1mP = try one.sub(input).log().clamp(min: -100)
            loss = try target.mul(logP).add(one.sub(target).mul(log1mP)).neg()
        } else {
            loss = try BinaryCrossEntropyKernel.elements(input, target)
        }
        if let weight { loss = try loss.mul(weight) }
        return try reduction.apply(loss).named("BinaryCrossEntropyBackward0")
    }

    /// Binary cross-entropy of logits: `max(x,0) - x·y + log(1 + e^-|x|)`, with optional positive-class weight.
    public static func binaryCrossEntropyWithLogits(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil,
                                                    posWeight: Tensor? = nil, reduction: Reduction = .mean) throws -> Tensor {
        guard input.shape == target.shape else {
            throw NNError(.value,
                "Target size (\(sizeText(target.shape))) must be the same as input size (\(sizeText(input.shape)))")
        }
        let one = Tensor.scalar(.double(1))
        // log(1 + e^-|x|) + max(-x, 0) = -log σ(x); written so that no exp overflows.
        let softplusNeg = try input.abs().neg().exp().add(one).log().add(input.neg().clamp(min: 0))
        var loss: Tensor
        if let posWeight {
            let logWeight = try posWeight.sub(one).mul(target).add(one)
            loss = try one.sub(target).mul(input).add(logWeight.mul(softplusNeg))
        } else {
            loss = try one.sub(target).mul(input).add(softplusNeg)
        }
        if let weight { loss = try loss.mul(weight) }
        return try reduction.apply(loss).named("BinaryCrossEntropyWithLogitsBackward0")
    }

    /// Negative log-likelihood of log-probabilities `input` (`[N, C]` or `[C]`) at class indices `target`.
    public static func nllLoss(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                               reduction: Reduction = .mean) throws -> Tensor {
        let (logp, labels, restore) = try flattenClasses(input, target)
        let classes = logp.shape[1]
        let (safe, _, weights) = try classWeights(labels, classes: classes, weight: weight, ignoreIndex: ignoreIndex, dtype: logp.dtype)
        let picked = try logp.gather(1, safe.unsqueeze(1)).squeeze(1)
        let losses = try picked.mul(weights).neg()
        switch reduction {
        case .none: return try restore(losses).named("NllLossBackward0")
        case .sum: return try losses.sum().named("NllLossBackward0")
        case .mean: return try losses.sum().div(weights.sum()).named("NllLossBackward0")
        }
    }

    /// Cross-entropy of logits `input` against class indices or class probabilities, fused with log-softmax.
    public static func crossEntropy(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                                    reduction: Reduction = .mean, labelSmoothing: Double = 0) throws -> Tensor {
        guard labelSmoothing >= 0 && labelSmoothing <= 1 else {
            throw NNError(.runtime, "label_smoothing must be between 0.0 and 1.0. Got: \(PyFormat.float(labelSmoothing))")
        }
        if target.dtype.isFloatingPoint && target.shape == input.shape {
            let logits2d = try classesLast(input), probs2d = try classesLast(target)
            let losses = try CrossEntropyKernel.rows(logits2d, .probabilities(probs2d.detach()), weight: weight, smoothing: labelSmoothing)
            // PyTorch computes this case from smaller ops; its last one names the node.
            switch reduction {
            case .none: return try losses.reshape(input.dim >= 2 ? [input.shape[0]] + Array(input.shape.dropFirst(2)) : []).named("NegBackward0")
            case .sum: return try losses.sum().named("NegBackward0")
            case .mean:
                return try losses.sum().div(Tensor.scalar(.double(Double(Swift.max(input.dim >= 2 ? losses.numel : 1, 1))))).named("DivBackward1")
            }
        }
        let (logits2d, labels, restore) = try flattenClasses(input, target)
        let losses = try CrossEntropyKernel.rows(logits2d, .indices(labels, ignoreIndex: ignoreIndex), weight: weight, smoothing: labelSmoothing)
        let node = labelSmoothing > 0 ? "AddBackward0" : "NllLossBackward0"
        switch reduction {
        case .none: return try restore(losses).named(node)
        case .sum: return try losses.sum().named(node)
        case .mean:
            let (_, _, weights) = try classWeights(labels, classes: logits2d.shape[1], weight: weight, ignoreIndex: ignoreIndex, dtype: logits2d.dtype)
            return try losses.sum().div(weights.sum()).named(node)
        }
    }

    /// `[N, C, d...]` with `[N, d...]` targets as `[N·d, C]` rows and flat labels, plus a function that
    /// gives per-row values back their `[N, d...]` shape. Checks PyTorch's shape and dtype rules.
    private static func flattenClasses(_ input: Tensor, _ target: Tensor) throws -> (Tensor, Tensor, (Tensor) throws -> Tensor) {
        guard input.dim >= 1 else { throw NNError(.value, "Expected 1 or more dimensions (got 0)") }
        if input.dim == 1 {
            guard target.dim == 0 else {
                throw NNError(.runtime, "0D or 1D target tensor expected, multi-target not supported")
            }
            try checkClassIndices(target)
            return (try input.unsqueeze(0), try target.reshape([1]), { try $0.reshape([]) })
        }
        guard target.dim == input.dim - 1 else {
            throw NNError(.runtime, input.dim == 2 ? "0D or 1D target tensor expected, multi-target not supported"
                                                    : "Expected target size \(Module.shapeText([input.shape[0]] + input.shape.dropFirst(2))), got \(Module.shapeText(target.shape))")
        }
        guard input.shape[0] == target.shape[0] else {
            throw NNError(.value, "Expected input batch_size (\(input.shape[0])) to match target batch_size (\(target.shape[0])).")
        }
        let spatial = Array(input.shape.dropFirst(2))
        guard Array(target.shape.dropFirst()) == spatial else {
            throw NNError(.runtime, "Expected target size \(Module.shapeText([input.shape[0]] + spatial)), got \(Module.shapeText(target.shape))")
        }
        try checkClassIndices(target)
        let shape = target.shape
        return (try classesLast(input), try target.reshape([-1]), { try $0.reshape(shape) })
    }

    private static func checkClassIndices(_ target: Tensor) throws {
        guard target.dtype == .int64 else {
            throw NNError(.runtime, "expected target dtype to be Long or Byte, but got \(target.dtype == .float64 ? "Double" : target.dtype == .bool ? "Bool" : "Float")")
        }
    }

    /// `[N, C, d...]` as `[N·d, C]`; `[C]` as `[1, C]`.
    private static func classesLast(_ t: Tensor) throws -> Tensor {
        if t.dim == 1 { return try t.unsqueeze(0) }
        if t.dim == 2 { return t }
        let order = [0] + Array(2..<t.dim) + [1]
        return try t.permute(order).reshape([-1, t.shape[1]])
    }

    /// Labels made safe for gathering, the valid-row mask, and each row's class weight (0 where ignored).
    private static func classWeights(_ labels: Tensor, classes: Int, weight: Tensor?, ignoreIndex: Int, dtype: DType) throws -> (Tensor, Tensor, Tensor) {
        let ignore = Tensor.scalar(.int(ignoreIndex))
        let valid = try labels.ne(ignore)
        let safe = try Tensor.where(valid, labels, Tensor.scalar(.int(0)))
        for v in try labels.index([.tensor(valid)]).doubles() where v < 0 || Int(v) >= classes {
            throw NNError(.index, "Target \(Int(v)) is out of bounds.")
        }
        if let weight {
            guard weight.shape == [classes] else {
                throw NNError(.runtime, "weight tensor should be defined either for all \(classes) classes or no classes but got weight tensor of shape: \(Module.shapeText(weight.shape))")
            }
        }
        let perRow = try weight.map { try $0.detach().to(dtype).index([.tensor(safe)]) } ?? Tensor.ones(labels.shape, dtype: dtype)
        return (safe, valid, try perRow.mul(valid.to(dtype)))
    }
}

/// Element-wise binary cross-entropy in one pass, with PyTorch's clamped logs and gradient
/// `g·(p - y) / max(p·(1-p), 1e-12)`.
enum BinaryCrossEntropyKernel {
    static func elements(_ input: Tensor, _ target: Tensor) throws -> Tensor {
        let p = try input.detach().contiguous(), y = try target.detach().to(p.dtype).contiguous()
        let out = try Tensor.empty(p.shape, dtype: p.dtype)
        if p.dtype == .float32 {
            forward(p.unsafeData(as: Float.self), y.unsafeData(as: Float.self), out.unsafeData(as: Float.self), p.numel)
        } else {
            forward(p.unsafeData(as: Double.self), y.unsafeData(as: Double.self), out.unsafeData(as: Double.self), p.numel)
        }
        if GradMode.records(input) {
            out.recorded("BinaryCrossEntropyBackward0", [input]) { g in
                let gc = try g.to(p.dtype).contiguous()
                let grad = try Tensor.empty(p.shape, dtype: p.dtype)
                if p.dtype == .float32 {
                    backward(p.unsafeData(as: Float.self), y.unsafeData(as: Float.self), gc.unsafeData(as: Float.self), grad.unsafeData(as: Float.self), p.numel)
                } else {
                    backward(p.unsafeData(as: Double.self), y.unsafeData(as: Double.self), gc.unsafeData(as: Double.self), grad.unsafeData(as: Double.self), p.numel)
                }
                return [grad]
            }
        }
        return out
    }

    private static func forward<T: Logarithm>(_ p: UnsafeMutablePointer<T>, _ y: UnsafeMutablePointer<T>, _ out: UnsafeMutablePointer<T>, _ n: Int) {
        for i in 0..<n {
            let logP = Swift.max(T.ln(p[i]), -100), log1mP = Swift.max(T.ln(1 - p[i]), -100)
            out[i] = -(y[i] * logP + (1 - y[i]) * log1mP)
        }
    }

    private static func backward<T: Logarithm>(_ p: UnsafeMutablePointer<T>, _ y: UnsafeMutablePointer<T>, _ g: UnsafeMutablePointer<T>,
                                               _ grad: UnsafeMutablePointer<T>, _ n: Int) {
        for i in 0..<n { grad[i] = g[i] * (p[i] - y[i]) / Swift.max((1 - p[i]) * p[i], 1e-12) }
    }
}

/// Float and Double with their natural logarithm, for loss kernels.
protocol Logarithm: BinaryFloatingPoint {
    static func ln(_ x: Self) -> Self
}

extension Float: Logarithm {
    static func ln(_ x: Float) -> Float { Foundation.logf(x) }
}

extension Double: Logarithm {
    static func ln(_ x: Double) -> Double { Foundation.log(x) }
}
