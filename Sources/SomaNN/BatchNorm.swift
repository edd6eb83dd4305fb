import SomaTensor

/// Batch normalisation over the channel dimension with running statistics (`nn.BatchNorm1d`/`2d`):
/// training normalises with the batch's statistics and updates the running ones; eval uses the running ones.
public class BatchNorm: Module {
    public let numFeatures: Int, eps: Double, momentum: Double?, affine: Bool, trackRunningStats: Bool
    /// Dimensions of the input that `numFeatures` is not on (batch, and spatial for 2-D).
    let expectedDims: [Int]

    init(_ numFeatures: Int, eps: Double, momentum: Double?, affine: Bool, trackRunningStats: Bool, expectedDims: [Int]) throws {
        self.numFeatures = numFeatures
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.trackRunningStats = trackRunningStats
        self.expectedDims = expectedDims
        super.init()
        if affine {
            try registerParameter("weight", try Tensor.ones([numFeatures]))
            try registerParameter("bias", try Tensor.zeros([numFeatures]))
        }
        if trackRunningStats {
            registerBuffer("running_mean", try Tensor.zeros([numFeatures]))
            registerBuffer("running_var", try Tensor.ones([numFeatures]))
            registerBuffer("num_batches_tracked", try Tensor.zeros([], dtype: .int64))
        }
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        guard expectedDims.contains(input.dim) else {
            throw NNError(.value, "expected \(expectedDims.map { "\($0)D" }.joined(separator: " or ")) input (got \(input.dim)D input)")
        }
        guard input.shape[1] == numFeatures else {
            throw NNError(.runtime, "running_mean should contain \(input.shape[1]) elements not \(numFeatures)")
        }
        let reduce = [0] + Array(2..<input.dim)
        var shape = [Int](repeating: 1, count: input.dim)
        shape[1] = numFeatures
        let useBatch = training || !trackRunningStats
        let mean: Tensor, variance: Tensor
        if useBatch {
            let count = reduce.reduce(1) { $0 * input.shape[$1] }
            guard count > 1 else {
                throw NNError(.value, "Expected more than 1 value per channel when training, got input size torch.Size(\(Module.shapeText(input.shape)))")
            }
            mean = try input.mean(dims: reduce, keepdim: true)
            variance = try input.variance(dims: reduce, correction: 0, keepdim: true)
            if training && trackRunningStats, let rm = buffer("running_mean"), let rv = buffer("running_var"), let n = buffer("num_batches_tracked") {
                try GradMode.with(enabled: false) {
                    try n.add_(Tensor.scalar(.int(1)))
                    let tracked = try n.item().double
                    let m = momentum ?? 1 / tracked
                    let unbiased = try variance.detach().mul(Tensor.scalar(.double(Double(count) / Double(count - 1)))).reshape([numFeatures])
                    try rm.mul_(Tensor.scalar(.double(1 - m)))
                    try rm.add_(mean.detach().reshape([numFeatures]).mul(Tensor.scalar(.double(m))))
                    try rv.mul_(Tensor.scalar(.double(1 - m)))
                    try rv.add_(unbiased.mul(Tensor.scalar(.double(m))))
                }
            }
        } else {
            mean = try buffer("running_mean")!.reshape(shape)
            variance = try buffer("running_var")!.reshape(shape)
        }
        var y = try input.sub(mean).div(variance.add(Tensor.scalar(.double(eps))).sqrt())
        if affine { y = try y.mul(parameter("weight")!.reshape(shape)).add(parameter("bias")!.reshape(shape)) }
        return y.named("NativeBatchNormBackward0")
    }

    public override var optionalStateKeys: [String] { ["num_batches_tracked"] }

    public override func extraRepr() -> String {
        "\(numFeatures), eps=\(PyFormat.float(eps)), momentum=\(momentum.map(PyFormat.float) ?? "None"), affine=\(affine ? "True" : "False"), bias=\(affine ? "True" : "False"), track_running_stats=\(trackRunningStats ? "True" : "False")"
    }
}

/// Batch normalisation of `[N, C]` or `[N, C, L]` input.
public final class BatchNorm1d: BatchNorm {
    public init(_ numFeatures: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true, trackRunningStats: Bool = true) throws {
        try super.init(numFeatures, eps: eps, momentum: momentum, affine: affine, trackRunningStats: trackRunningStats, expectedDims: [2, 3])
    }
}

/// Batch normalisation of `[N, C, H, W]` input.
public final class BatchNorm2d: BatchNorm {
    public init(_ numFeatures: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true, trackRunningStats: Bool = true) throws {
        try super.init(numFeatures, eps: eps, momentum: momentum, affine: affine, trackRunningStats: trackRunningStats, expectedDims: [4])
    }
}

/// A lookup table of vectors indexed by int64 ids (`nn.Embedding`), initialised N(0, 1).
public final class Embedding: Module {
    public let numEmbeddings: Int, embeddingDim: Int, paddingIdx: Int?

    public init(_ numEmbeddings: Int, _ embeddingDim: Int, paddingIdx: Int? = nil) throws {
        self.numEmbeddings = numEmbeddings
        self.embeddingDim = embeddingDim
        if let p = paddingIdx, !(p >= -numEmbeddings && p < numEmbeddings) {
            throw NNError(.runtime, "Padding_idx must be within num_embeddings")
        }
        self.paddingIdx = paddingIdx.map { $0 < 0 ? $0 + numEmbeddings : $0 }
        super.init()
        let weight = try Tensor.randn([numEmbeddings, embeddingDim])
        if let p = self.paddingIdx { try weight.index([.int(p)]).fill(.int(0)) }
        try registerParameter("weight", weight)
    }

    public var weight: Tensor { parameter("weight")! }

    public override func forward(_ input: Tensor) throws -> Tensor {
        guard input.dtype == .int64 else {
            throw NNError(.runtime, "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.FloatTensor instead (while checking arguments for embedding)")
        }
        for v in input.doubles() where v < 0 || Int(v) >= numEmbeddings {
            throw NNError(.index, "index out of range in self")
        }
        let out = try weight.index([.tensor(input)])
        guard let p = paddingIdx, GradMode.records(weight) else { return out.named("EmbeddingBackward0") }
        // The padding row receives no gradient.
        let keep = try input.ne(Tensor.scalar(.int(p))).to(out.dtype).unsqueeze(-1)
        let frozen = try out.detach().mul(Tensor.scalar(.double(1)).sub(keep))
        return try out.mul(keep).add(frozen).named("EmbeddingBackward0")
    }

    public override func extraRepr() -> String { "\(numEmbeddings), \(embeddingDim)" + (paddingIdx.map { ", padding_idx=\($0)" } ?? "") }
}
