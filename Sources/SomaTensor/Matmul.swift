import COpenBLAS

/// Matrix products through OpenBLAS, reading transposed operands through GEMM's transpose flags.
extension Tensor {
    /// How BLAS can read a 2-D tensor in place: transposed or not, and its leading dimension.
    private var blasLayout: (transposed: Bool, ld: Int)? {
        let r = shape[0], c = shape[1], s0 = strides[0], s1 = strides[1]
        if (c == 1 || s1 == 1) && (r == 1 || s0 >= Swift.max(1, c)) { return (false, r == 1 ? Swift.max(1, c) : s0) }
        if (r == 1 || s0 == 1) && (c == 1 || s1 >= Swift.max(1, r)) { return (true, c == 1 ? Swift.max(1, r) : s1) }
        return nil
    }

    /// Whether this 2-D tensor is the transpose of a contiguous matrix.
    var isTransposedContiguous: Bool {
        dim == 2 && shape[0] > 1 && shape[1] > 1 && strides[0] == 1 && strides[1] == shape[0]
    }

    /// `a @ b` for 2-D tensors of the same dtype, written into a new contiguous tensor (no autograd).
    static func gemm(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        let m = a.shape[0], k = a.shape[1], n = b.shape[1]
        let out = try Tensor.empty([m, n], dtype: a.dtype)
        try gemm(a, b, into: out, m: m, k: k, n: n)
        return out
    }

    /// Writes `a @ b` into the contiguous `out`, or adds it to `out` when `accumulate`.
    private static func gemm(_ a: Tensor, _ b: Tensor, into out: Tensor, m: Int, k: Int, n: Int, accumulate: Bool = false) throws {
        if m == 0 || n == 0 { return }
        if k == 0 {
            if !accumulate { memsetZero(out) }
            return
        }
        switch a.dtype {
        case .float32, .float64:
            let la = a.blasLayout, lb = b.blasLayout
            let a = la == nil ? try a.materialized() : a
            let b = lb == nil ? try b.materialized() : b
            let (ta, lda) = la ?? (false, k), (tb, ldb) = lb ?? (false, n)
            let size = a.dtype.itemSize
            withExtendedLifetime((a, b, out)) {
                BLASProduct(transA: ta, transB: tb, m: m, n: n, k: k,
                            a: UnsafeRawPointer(a.storage.bytes + a.offset * size), lda: lda,
                            b: UnsafeRawPointer(b.storage.bytes + b.offset * size), ldb: ldb,
                            c: out.storage.bytes + out.offset * size, ldc: n, beta: accumulate ? 1 : 0, double: a.dtype == .float64).run()
            }
        case .int64:
            let a = try a.materialized(), b = try b.materialized()
            let pa = a.pointer(Int64.self), pb = b.pointer(Int64.self), po = out.pointer(Int64.self)
            if !accumulate { for i in 0..<(m * n) { po[i] = 0 } }
            for i in 0..<m {
                for p in 0..<k {
                    let v = pa[i * k + p]
                    for j in 0..<n { po[i * n + j] = po[i * n + j] &+ v &* pb[p * n + j] }
                }
            }
        case .bool:
            throw TensorError.runtime("\"addmm_impl_cpu_\" not implemented for 'Bool'")
        }
    }

    private static func memsetZero(_ t: Tensor) {
        t.storage.bytes.advanced(by: t.offset * t.dtype.itemSize).initializeMemory(as: UInt8.self, repeating: 0, count: t.numel * t.dtype.itemSize)
    }

    func checkSameDtype(_ other: Tensor) throws {
        guard dtype == other.dtype else {
            throw TensorError.runtime(
                "expected m1 and m2 to have the same dtype, but got: \(dtype.cName) != \(other.dtype.cName)")
        }
    }

    /// Matrix product of two 2-D tensors (`mm`).
    public func mm(_ other: Tensor) throws -> Tensor {
        guard dim == 2 else { throw TensorError.runtime("self must be a matrix") }
        guard other.dim == 2 else { throw TensorError.runtime("mat2 must be a matrix") }
        guard shape[1] == other.shape[0] else {
            throw TensorError.runtime(
                "mat1 and mat2 shapes cannot be multiplied (\(shape[0])x\(shape[1]) and \(other.shape[0])x\(other.shape[1]))")
        }
        try checkSameDtype(other)
        let out = try Tensor.gemm(self, other)
        if GradMode.records(self, other) {
            let a = self, b = other
            out.recorded("MmBackward0", [a, b], saving: [a, b]) { g in
                [a.requiresGrad ? try Tensor.product(g, b.t(), like: a) : nil,
                 b.requiresGrad ? try Tensor.product(a.t(), g, like: b) : nil]
            }
        }
        return out
    }

    /// `bias + a @ b` for 2-D `a`, `b` and a bias broadcastable to the product, in one GEMM (`torch.addmm`).
    public static func addmm(_ bias: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard a.dim == 2 && b.dim == 2 else { return try bias.add(a.matmul(b)) }
        guard a.shape[1] == b.shape[0] else {
            throw TensorError.runtime(
                "mat1 and mat2 shapes cannot be multiplied (\(a.shape[0])x\(a.shape[1]) and \(b.shape[0])x\(b.shape[1]))")
        }
        try a.checkSameDtype(b)
        let m = a.shape[0], k = a.shape[1], n = b.shape[1]
        guard bias.dtype == a.dtype, try Shape.broadcast(bias.shape, [m, n]) == [m, n], a.dtype.isFloatingPoint, k > 0 else {
            return try bias.add(a.mm(b))
        }
        let out = try Tensor.empty([m, n], dtype: a.dtype)
        Copy.run(from: bias, into: out)
        try gemm(a, b, into: out, m: m, k: k, n: n, accumulate: true)
        if GradMode.records([bias, a, b]) {
            out.recorded("AddmmBackward0", [bias, a, b], saving: [a, b]) { g in
                [bias.requiresGrad ? try g.sumToShape(bias.shape) : nil,
                 a.requiresGrad ? try product(g, b.t(), like: a) : nil,
                 b.requiresGrad ? try product(a.t(), g, like: b) : nil]
            }
        }
        return out
    }

    /// `l @ r` produced in `operand`'s layout, so a transposed weight (`x @ w.t()`) gets a gradient
    /// that is contiguous once transposed back: no strided copy later.
    private static func product(_ l: Tensor, _ r: Tensor, like operand: Tensor) throws -> Tensor {
        operand.isTransposedContiguous ? try gemm(r.t(), l.t()).t() : try gemm(l, r)
    }

    /// Batched matrix product of 3-D tensors (`bmm`).
    public func bmm(_ other: Tensor) throws -> Tensor {
        guard dim == 3 else { throw TensorError.runtime("batch1 must be a 3D tensor") }
        guard other.dim == 3 else { throw TensorError.runtime("batch2 must be a 3D tensor") }
        guard other.shape[0] == shape[0] && other.shape[1] == shape[2] else {
            throw TensorError.runtime(
                "Expected size for first two dimensions of batch2 tensor to be: [\(shape[0]), \(shape[2])] but got: [\(other.shape[0]), \(other.shape[1])].")
        }
        try checkSameDtype(other)
        let out = try Tensor.batchedGemm(self, other)
        if GradMode.records(self, other) {
            let a = self, b = other
            out.recorded("BmmBackward0", [a, b], saving: [a, b]) { g in
                [a.requiresGrad ? try Tensor.batchedGemm(g, b.transpose(1, 2)) : nil,
                 b.requiresGrad ? try Tensor.batchedGemm(a.transpose(1, 2), g) : nil]
            }
        }
        return out
    }

    private static func batchedGemm(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        let batch = a.shape[0], m = a.shape[1], k = a.shape[2], n = b.shape[2]
        let out = try Tensor.empty([batch, m, n], dtype: a.dtype)
        if try splitAcrossItems(a, b, into: out) { return out }
        for i in 0..<batch {
            let o = out.alias(shape: [m, n], strides: [n, 1], offset: i * m * n)
            try gemm(a.alias(shape: [m, k], strides: [a.strides[1], a.strides[2]], offset: a.offset + i * a.strides[0]),
                     b.alias(shape: [k, n], strides: [b.strides[1], b.strides[2]], offset: b.offset + i * b.strides[0]),
                     into: o, m: m, k: k, n: n)
        }
        return out
    }

    /// Runs a batch of small products (each below `BLASProduct.splitThreshold`, together above it) in two halves of the
    /// batch on two threads, when every item's operands are BLAS layouts (nothing to copy); false when it did not.
    private static func splitAcrossItems(_ a: Tensor, _ b: Tensor, into out: Tensor) throws -> Bool {
        let batch = a.shape[0], m = a.shape[1], k = a.shape[2], n = b.shape[2]
        guard batch >= 2, m > 0, n > 0, k > 0, a.dtype == .float32 || a.dtype == .float64, let helper = HelperThread.shared,
              m * n * k < BLASProduct.splitThreshold, batch * m * n * k >= BLASProduct.splitThreshold,
              let (ta, lda) = a.alias(shape: [m, k], strides: [a.strides[1], a.strides[2]], offset: a.offset).blasLayout,
              let (tb, ldb) = b.alias(shape: [k, n], strides: [b.strides[1], b.strides[2]], offset: b.offset).blasLayout else { return false }
        let size = a.dtype.itemSize, double = a.dtype == .float64
        let pa = UnsafeRawPointer(a.storage.bytes), pb = UnsafeRawPointer(b.storage.bytes), pc = out.storage.bytes
        let (sa, sb, oa, ob) = (a.strides[0], b.strides[0], a.offset, b.offset)
        BLASThreads.set(1)
        withExtendedLifetime((a, b, out)) {
            helper.split(batch) { items in
                for i in items {
                    BLASProduct(transA: ta, transB: tb, m: m, n: n, k: k, a: pa + (oa + i * sa) * size, lda: lda,
                                b: pb + (ob + i * sb) * size, ldb: ldb, c: pc + i * m * n * size, ldc: n, beta: 0, double: double).runHere()
                }
            }
        }
        return true
    }

    /// NumPy-style matrix product (`@`): dot, matrix-vector, matrix-matrix, or broadcast batches.
    public func matmul(_ other: Tensor) throws -> Tensor {
        guard dim > 0 && other.dim > 0 else {
            throw TensorError.runtime("both arguments to matmul need to be at least 1D, but they are \(dim)D and \(other.dim)D")
        }
        switch (dim, other.dim) {
        case (1, 1):
            guard shape[0] == other.shape[0] else {
                throw TensorError.runtime(
                    "inconsistent tensor size, expected tensor [\(shape[0])] and src [\(other.shape[0])] to have the same number of elements, but got \(shape[0]) and \(other.shape[0]) elements respectively")
            }
            return try unsqueeze(0).mm(other.unsqueeze(1)).reshape([]).named("DotBackward0")
        case (2, 1):
            guard shape[1] == other.shape[0] else {
                throw TensorError.runtime("size mismatch, got input (\(shape[0])), mat (\(shape[0])x\(shape[1])), vec (\(other.shape[0]))")
            }
            return try mm(other.unsqueeze(1)).squeeze(1).named("MvBackward0")
        case (1, 2):
            guard shape[0] == other.shape[0] else {
                throw TensorError.runtime(
                    "mat1 and mat2 shapes cannot be multiplied (1x\(shape[0]) and \(other.shape[0])x\(other.shape[1]))")
            }
            return try unsqueeze(0).mm(other).squeeze(0)
        case (2, 2):
            return try mm(other)
        default:
            let a = dim == 1 ? try unsqueeze(0) : self
            let b = other.dim == 1 ? try other.unsqueeze(1) : other
            let m = a.shape[a.dim - 2], k = a.shape[a.dim - 1], k2 = b.shape[b.dim - 2], n = b.shape[b.dim - 1]
            guard k == k2 else {
                throw TensorError.runtime(
                    "Expected size for first two dimensions of batch2 tensor to be: [\(Shape.numel(Array(a.shape.dropLast(2)))), \(k)] but got: [\(Shape.numel(Array(b.shape.dropLast(2)))), \(k2)].")
            }
            let batch = try Shape.broadcast(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2)))
            let count = Shape.numel(batch)
            let a3 = try a.expand(batch + [m, k]).reshape([count, m, k])
            let b3 = try b.expand(batch + [k, n]).reshape([count, k, n])
            var out = try a3.bmm(b3).reshape(batch + [m, n])
            if dim == 1 { out = try out.squeeze(-2) }
            if other.dim == 1 { out = try out.squeeze(-1) }
            return out
        }
    }
}

extension DType {
    /// The C type name PyTorch uses in dtype mismatch messages.
    var cName: String {
        switch self {
        case .bool: return "bool"
        case .int64: return "long int"
        case .float32: return "float"
        case .float64: return "double"
        }
    }
}
