/// Numerically stable softmax and log-softmax along a dimension, fused into one kernel each.
extension Tensor {
    /// `exp(x - max) / sum(exp(x - max))` along `dim`.
    public func softmax(dim d: Int) throws -> Tensor {
        let at = try Shape.normalize(d, dim)
        let out = try softmaxKernel(at, log: false)
        if GradMode.records(self) {
            let y = out.detach()
            out.recorded("SoftmaxBackward0", [self], saving: [out]) { g in
                let dot = try g.mul(y).sum(dims: [at], keepdim: true)
                return [try y.mul(g.sub(dot))]
            }
        }
        return out
    }

    /// `x - max - log(sum(exp(x - max)))` along `dim`.
    public func logSoftmax(dim d: Int) throws -> Tensor {
        let at = try Shape.normalize(d, dim)
        let out = try softmaxKernel(at, log: true)
        if GradMode.records(self) {
            let y = out.detach()
            out.recorded("LogSoftmaxBackward0", [self], saving: [out]) { g in
                [try g.sub(y.exp().mul(g.sum(dims: [at], keepdim: true)))]
            }
        }
        return out
    }

    private func softmaxKernel(_ at: Int, log: Bool) throws -> Tensor {
        let src = try contiguousData(as: dtype.isFloatingPoint ? dtype : .float32)
        let out = try Tensor.empty(shape, dtype: src.dtype)
        let n = dim == 0 ? 1 : shape[at]
        let inner = dim == 0 ? 1 : Shape.numel(Array(shape[(at + 1)...]))
        let outer = dim == 0 ? 1 : Shape.numel(Array(shape[..<at]))
        if src.dtype == .float32 {
            Tensor.softmaxRows(src.pointer(Float.self), out.pointer(Float.self), outer, n, inner, log)
        } else {
            Tensor.softmaxRows(src.pointer(Double.self), out.pointer(Double.self), outer, n, inner, log)
        }
        return out
    }

    private static func softmaxRows<T: FloatElement>(
        _ x: UnsafeMutablePointer<T>, _ y: UnsafeMutablePointer<T>, _ outer: Int, _ n: Int, _ inner: Int, _ log: Bool
    ) {
        guard n > 0 else { return }
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * n * inner + i
                var m = x[base]
                for r in 1..<n { let v = x[base + r * inner]; if v > m || v != v { m = v } }
                var total = T.zero
                for r in 0..<n {
                    let e = T.exp(x[base + r * inner] - m)
                    total += e
                    if !log { y[base + r * inner] = e }
                }
                if log {
                    let lse = m + T.log(total)
                    for r in 0..<n { y[base + r * inner] = x[base + r * inner] - lse }
                } else {
                    let inv = 1 / total
                    for r in 0..<n { y[base + r * inner] *= inv }
                }
            }
        }
    }
}
