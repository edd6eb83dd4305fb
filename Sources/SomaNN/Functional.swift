import SomaTensor

/// `torch.nn.functional`: the stateless forms of layers and losses.
public enum Functional {
    /// `x W^T + b`.
    public static func linear(_ x: Tensor, _ weight: Tensor, _ bias: Tensor? = nil) throws -> Tensor {
        guard x.dim > 0, let inner = x.shape.last, inner == weight.shape[1] else {
            let rows = x.numel / Swift.max(x.shape.last ?? 1, 1)
            throw NNError(.runtime,
                "mat1 and mat2 shapes cannot be multiplied (\(rows)x\(x.shape.last ?? 0) and \(weight.shape[1])x\(weight.shape[0]))")
        }
        if x.dim == 2, let bias { return try Tensor.addmm(bias, x, weight.t()) }
        let y = try x.matmul(weight.t())
        return try bias.map { try y.add($0) } ?? y
    }

    /// max(x, 0).
    public static func relu(_ x: Tensor) throws -> Tensor { try x.relu() }
    /// Leaky ReLU with `negativeSlope`.
    public static func leakyRelu(_ x: Tensor, negativeSlope: Double = 0.01) throws -> Tensor { try x.leakyRelu(negativeSlope) }
    /// Logistic sigmoid.
    public static func sigmoid(_ x: Tensor) throws -> Tensor { try x.sigmoid() }
    /// Hyperbolic tangent.
    public static func tanh(_ x: Tensor) throws -> Tensor { try x.tanh() }
    /// Exact GELU.
    public static func gelu(_ x: Tensor) throws -> Tensor { try x.gelu() }
    /// Softmax along `dim`.
    public static func softmax(_ x: Tensor, dim: Int) throws -> Tensor { try x.softmax(dim: dim) }
    /// Log-softmax along `dim`.
    public static func logSoftmax(_ x: Tensor, dim: Int) throws -> Tensor { try x.logSoftmax(dim: dim) }
    /// One-hot encoding of class indices.
    public static func oneHot(_ x: Tensor, numClasses: Int = -1) throws -> Tensor { try x.oneHot(numClasses: numClasses) }
}

extension Functional {
    /// Inverted dropout: during training, zero each element with probability `p` and scale the rest by 1/(1-p).
    public static func dropout(_ x: Tensor, p: Double = 0.5, training: Bool = true) throws -> Tensor {
        guard p >= 0 && p <= 1 else {
            throw NNError(.value, "dropout probability has to be between 0 and 1, but got \(PyFormat.float(p))")
        }
        guard training && p > 0 else { return x }
        if p == 1 { return try x.mul(Tensor.scalar(.double(0))) }
        let keep = try Tensor.rand(x.shape, dtype: x.dtype.isFloatingPoint ? x.dtype : .float32)
        let mask = try keep.ge(Tensor.scalar(.double(p))).to(x.dtype).mul(Tensor.scalar(.double(1 / (1 - p))))
        return try x.mul(mask)
    }
}
