/// Reductions over all elements or given dims, with `keepdim` and gradients.
extension Tensor {
    /// The gradient `g` of a reduction over `dims`, reshaped to broadcast back over the input.
    private func expandReduced(_ g: Tensor, _ dims: [Int], keepdim: Bool) throws -> Tensor {
        var r = g
        if !keepdim { for d in dims { r = try r.unsqueeze(d) } }
        return try r.expand(shape)
    }

    /// Sum over `dims` (all when nil).
    public func sum(dims: [Int]? = nil, keepdim: Bool = false, dtype: DType? = nil) throws -> Tensor {
        let ds = try Reduction.normalizeDims(dims, dim)
        let out = try Reduction.run(.sum, self, dims: ds, keepdim: keepdim, dtype: dtype).0
        if GradMode.records(self) {
            let x = self
            out.recorded("SumBackward\(dims == nil ? 0 : 1)", [x]) { g in [try x.expandReduced(g, ds, keepdim: keepdim)] }
        }
        return out
    }

    /// Mean over `dims` (all when nil); floating inputs only, as in PyTorch.
    public func mean(dims: [Int]? = nil, keepdim: Bool = false) throws -> Tensor {
        guard dtype.isFloatingPoint else {
            throw TensorError.runtime(
                "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: \(dtype.shortName)")
        }
        let ds = try Reduction.normalizeDims(dims, dim)
        let count = ds.reduce(1) { $0 * shape[$1] }
        let total = try Reduction.run(.sum, self, dims: ds, keepdim: keepdim).0
        let out = try Elementwise.binary(.div, total, Tensor.scalar(.double(Double(count))), dtype: dtype)
        if GradMode.records(self) {
            let x = self
            out.recorded("MeanBackward\(dims == nil ? 0 : 1)", [x]) { g in
                [try x.expandReduced(g.div(Tensor.scalar(.double(Double(count)))), ds, keepdim: keepdim)]
            }
        }
        return out
    }

    /// Product over all elements, or along `dim`.
    public func prod(dim d: Int? = nil, keepdim: Bool = false) throws -> Tensor {
        let ds = try Reduction.normalizeDims(d.map { [$0] }, dim)
        let out = try Reduction.run(.prod, self, dims: ds, keepdim: keepdim).0
        if GradMode.records(self) {
            let x = self
            out.recorded("ProdBackward\(d == nil ? 0 : 1)", [x], saving: [x]) { g in
                // Product of all other elements; exact also when x holds zeros.
                let others = try x.productOfOthers(ds)
                return [try x.expandReduced(g, ds, keepdim: keepdim).mul(others)]
            }
        }
        return out
    }

    /// For each element, the product of the other elements in its reduction group.
    private func productOfOthers(_ ds: [Int]) throws -> Tensor {
        let flat = try (ds.count == dim ? reshape([1, numel]) : movedToEnd(ds))
        let rows = flat.shape[0], n = flat.shape[1]
        let src = try flat.materialized(as: .float64), out = try Tensor.empty([rows, n], dtype: .float64)
        let ps = src.pointer(Double.self), po = out.pointer(Double.self)
        for r in 0..<rows {
            var prefix = 1.0
            for i in 0..<n { po[r * n + i] = prefix; prefix *= ps[r * n + i] }
            var suffix = 1.0
            for i in stride(from: n - 1, through: 0, by: -1) { po[r * n + i] *= suffix; suffix *= ps[r * n + i] }
        }
        let kept = (0..<dim).filter { !ds.contains($0) }
        let permuted = try out.materialized(as: dtype).reshape(kept.map { shape[$0] } + ds.map { shape[$0] })
        var inverse = [Int](repeating: 0, count: dim)
        for (i, d) in (kept + ds).enumerated() { inverse[d] = i }
        return try permuted.permute(inverse)
    }

    /// This tensor as a 2-D `[kept, reduced]` matrix with `ds` moved last.
    private func movedToEnd(_ ds: [Int]) throws -> Tensor {
        let kept = (0..<dim).filter { !ds.contains($0) }
        let rows = kept.reduce(1) { $0 * shape[$1] }
        return try permute(kept + ds).reshape([rows, numel / Swift.max(rows, 1)])
    }

    /// Largest element (gradient split evenly among ties).
    public func max() throws -> Tensor { try extremum(.max, "MaxBackward1") }
    /// Smallest element (gradient split evenly among ties).
    public func min() throws -> Tensor { try extremum(.min, "MinBackward1") }

    private func extremum(_ kind: ReduceKind, _ name: String) throws -> Tensor {
        let out = try Reduction.run(kind, self, dims: Array(0..<dim), keepdim: false).0
        if GradMode.records(self) {
            let x = self, y = out.detach()
            out.recorded(name, [x], saving: [x, out]) { g in
                let hit = try x.eq(y).materialized(as: g.dtype)
                return [try hit.mul(g.div(hit.sum()))]
            }
        }
        return out
    }

    /// Largest values along `dim` and their indices (`torch.max(x, dim)`).
    public func max(dim d: Int, keepdim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        try extremum(.max, dim: d, keepdim: keepdim, "MaxBackward0")
    }

    /// Smallest values along `dim` and their indices (`torch.min(x, dim)`).
    public func min(dim d: Int, keepdim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        try extremum(.min, dim: d, keepdim: keepdim, "MinBackward0")
    }

    private func extremum(_ kind: ReduceKind, dim d: Int, keepdim: Bool, _ name: String) throws -> (values: Tensor, indices: Tensor) {
        let at = try Shape.normalize(d, dim)
        let (values, indices) = try Reduction.run(kind, self, dims: dim == 0 ? [] : [at], keepdim: keepdim)
        if GradMode.records(self) {
            let x = self
            values.recorded(name, [x]) { g in
                let gk = keepdim || x.dim == 0 ? g : try g.unsqueeze(at)
                let ik = keepdim || x.dim == 0 ? indices! : try indices!.unsqueeze(at)
                return [try Tensor.zeros(x.shape, dtype: g.dtype).scatter(at, ik, gk)]
            }
        }
        return (values, indices!)
    }

    /// Index of the largest element, flattened or along `dim`.
    public func argmax(dim d: Int? = nil, keepdim: Bool = false) throws -> Tensor { try argExtremum(.argmax, d, keepdim) }
    /// Index of the smallest element, flattened or along `dim`.
    public func argmin(dim d: Int? = nil, keepdim: Bool = false) throws -> Tensor { try argExtremum(.argmin, d, keepdim) }

    private func argExtremum(_ kind: ReduceKind, _ d: Int?, _ keepdim: Bool) throws -> Tensor {
        guard let d else {
            let r = try Reduction.run(kind, try reshape([-1]), dims: [0], keepdim: false).0
            return keepdim ? try r.reshape([Int](repeating: 1, count: dim)) : r
        }
        let at = try Shape.normalize(d, dim)
        return try Reduction.run(kind, self, dims: dim == 0 ? [] : [at], keepdim: keepdim).0
    }

    /// Variance with Bessel's correction by default (`correction` 1, as PyTorch's `unbiased=True`).
    public func variance(dims: [Int]? = nil, correction: Int = 1, keepdim: Bool = false) throws -> Tensor {
        try unnamedVariance(dims, correction, keepdim).named("VarBackward0")
    }

    /// Standard deviation (square root of `variance`).
    public func std(dims: [Int]? = nil, correction: Int = 1, keepdim: Bool = false) throws -> Tensor {
        try unnamedVariance(dims, correction, keepdim).sqrt().named("StdBackward0")
    }

    private func unnamedVariance(_ dims: [Int]?, _ correction: Int, _ keepdim: Bool) throws -> Tensor {
        let ds = try Reduction.normalizeDims(dims, dim)
        let count = ds.reduce(1) { $0 * shape[$1] }
        let centered = try sub(mean(dims: ds, keepdim: true))
        let squares = try centered.mul(centered).sum(dims: ds, keepdim: keepdim)
        return try squares.div(Tensor.scalar(.double(Double(Swift.max(count - correction, 0)))))
    }
}
