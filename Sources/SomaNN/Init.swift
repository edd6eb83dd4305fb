import Foundation
import SomaTensor

/// `nn.init`: in-place initialisers with PyTorch's formulas (and its random draws).
public enum Init {
    /// `(fan_in, fan_out)` of a weight of at least two dimensions.
    public static func fans(_ t: Tensor) throws -> (fanIn: Int, fanOut: Int) {
        guard t.dim >= 2 else {
            throw NNError(.value, "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
        }
        let receptive = t.shape.dropFirst(2).reduce(1, *)
        return (t.shape[1] * receptive, t.shape[0] * receptive)
    }

    /// The recommended gain for a nonlinearity (`calculate_gain`).
    public static func gain(_ nonlinearity: String, param: Double? = nil) throws -> Double {
        switch nonlinearity {
        case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid":
            return 1
        case "tanh": return 5.0 / 3
        case "relu": return 2.0.squareRoot()
        case "leaky_relu":
            let slope = param ?? 0.01
            return (2.0 / (1 + slope * slope)).squareRoot()
        case "selu": return 3.0 / 4
        default: throw NNError(.value, "Unsupported nonlinearity \(nonlinearity)")
        }
    }

    private static func fan(_ t: Tensor, _ mode: String) throws -> Int {
        let (fanIn, fanOut) = try fans(t)
        switch mode {
        case "fan_in": return fanIn
        case "fan_out": return fanOut
        default: throw NNError(.value, "Mode \(mode) not supported, please use one of fan_in, fan_out")
        }
    }

    private static func noGrad(_ body: () throws -> Void) rethrows { try GradMode.with(enabled: false, body) }

    /// `kaiming_uniform_`: U(-b, b) with b = gain·√(3 / fan).
    public static func kaimingUniform(_ t: Tensor, a: Double = 0, mode: String = "fan_in", nonlinearity: String = "leaky_relu") throws {
        let std = try gain(nonlinearity, param: a) / Double(try fan(t, mode)).squareRoot()
        let bound = 3.0.squareRoot() * std
        try noGrad { try t.uniform(-bound, bound) }
    }

    /// `kaiming_normal_`: N(0, gain² / fan).
    public static func kaimingNormal(_ t: Tensor, a: Double = 0, mode: String = "fan_in", nonlinearity: String = "leaky_relu") throws {
        let std = try gain(nonlinearity, param: a) / Double(try fan(t, mode)).squareRoot()
        try noGrad { try t.normal(mean: 0, std: std) }
    }

    /// `xavier_uniform_`: U(-a, a) with a = gain·√(6 / (fan_in + fan_out)).
    public static func xavierUniform(_ t: Tensor, gain g: Double = 1) throws {
        let (fanIn, fanOut) = try fans(t)
        let std = g * (2.0 / Double(fanIn + fanOut)).squareRoot()
        let a = 3.0.squareRoot() * std
        try noGrad { try t.uniform(-a, a) }
    }

    /// `xavier_normal_`: N(0, gain² · 2 / (fan_in + fan_out)).
    public static func xavierNormal(_ t: Tensor, gain g: Double = 1) throws {
        let (fanIn, fanOut) = try fans(t)
        let std = g * (2.0 / Double(fanIn + fanOut)).squareRoot()
        try noGrad { try t.normal(mean: 0, std: std) }
    }

    /// `uniform_`: U(a, b).
    public static func uniform(_ t: Tensor, a: Double = 0, b: Double = 1) throws { try noGrad { try t.uniform(a, b) } }
    /// `normal_`: N(mean, std²).
    public static func normal(_ t: Tensor, mean: Double = 0, std: Double = 1) throws { try noGrad { try t.normal(mean: mean, std: std) } }
    /// `constant_`: every element `value`.
    public static func constant(_ t: Tensor, _ value: Double) throws { try noGrad { try t.fill(.double(value)) } }
    /// `zeros_`.
    public static func zeros(_ t: Tensor) throws { try constant(t, 0) }
    /// `ones_`.
    public static func ones(_ t: Tensor) throws { try constant(t, 1) }
}
