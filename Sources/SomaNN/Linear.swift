import Foundation
import SomaTensor

/// `y = x W^T + b` (`nn.Linear`), initialised as PyTorch does: Kaiming-uniform weight, uniform bias.
public final class Linear: Module {
    public let inFeatures: Int
    public let outFeatures: Int

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, dtype: DType = .float32) throws {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        super.init()
        let weight = try Tensor.empty([outFeatures, inFeatures], dtype: dtype)
        try Init.kaimingUniform(weight, a: 5.0.squareRoot())
        try registerParameter("weight", weight)
        if bias {
            let b = try Tensor.empty([outFeatures], dtype: dtype)
            let bound = inFeatures > 0 ? 1 / Double(inFeatures).squareRoot() : 0
            try b.uniform(-bound, bound)
            try registerParameter("bias", b)
        } else {
            try registerParameter("bias", nil)
        }
    }

    /// The weight matrix, `[out_features, in_features]`.
    public var weight: Tensor { parameter("weight")! }
    /// The bias vector, or nil when created with `bias: false`.
    public var bias: Tensor? { parameter("bias") }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try Functional.linear(input, weight, bias)
    }

    public override func extraRepr() -> String {
        "in_features=\(inFeatures), out_features=\(outFeatures), bias=\(bias != nil ? "True" : "False")"
    }
}
