import Foundation

extension Tensor {
    /// A Python number wrapped as a 0-dim tensor (lowest priority in type promotion).
    public static func scalar(_ value: Scalar) -> Tensor {
        let t = try! Tensor.empty([], dtype: value.dtype)
        switch value {
        case .bool(let b): t.pointer(Bool.self).pointee = b
        case .int(let i): t.pointer(Int64.self).pointee = Int64(i)
        case .double(let d): t.pointer(Double.self).pointee = d
        }
        t.isWrappedNumber = true
        return t
    }

    /// The dtype `torch.tensor` infers for these numbers: bool, else int64, else float32.
    public static func inferredDType(_ values: [Scalar]) -> DType {
        var dtype = DType.bool
        for v in values {
            switch v {
            case .bool: break
            case .int: if dtype == .bool { dtype = .int64 }
            case .double: return .float32
            }
        }
        return values.isEmpty ? .float32 : dtype
    }

    /// A tensor of `shape` holding `values` in row-major order (`torch.tensor`).
    public static func make(_ values: [Scalar], shape: [Int], dtype: DType? = nil) throws -> Tensor {
        let dtype = dtype ?? inferredDType(values)
        let t = try Tensor.empty(shape, dtype: dtype)
        guard t.numel == values.count else {
            throw TensorError.value("expected \(t.numel) values for shape \(Shape.format(shape)), got \(values.count)")
        }
        switch dtype {
        case .bool: let p = t.pointer(Bool.self); for (i, v) in values.enumerated() { p[i] = v.double != 0 }
        case .int64: let p = t.pointer(Int64.self); for (i, v) in values.enumerated() { p[i] = v.int64 }
        case .float32: let p = t.pointer(Float.self); for (i, v) in values.enumerated() { p[i] = Float(v.double) }
        case .float64: let p = t.pointer(Double.self); for (i, v) in values.enumerated() { p[i] = v.double }
        }
        return t
    }

    /// A tensor from nested lists of numbers (`torch.tensor([[1, 2], [3, 4]])`), with PyTorch's errors for ragged input.
    public static func make(_ nested: NestedList, dtype: DType? = nil) throws -> Tensor {
        var shape: [Int] = []
        var probe = nested
        while case .list(let items) = probe {
            shape.append(items.count)
            guard let first = items.first else { break }
            probe = first
        }
        var values: [Scalar] = []
        values.reserveCapacity(Shape.numel(shape))
        func walk(_ node: NestedList, _ depth: Int) throws {
            switch node {
            case .scalar(let v):
                guard depth == shape.count else { throw TensorError.type("not a sequence") }
                values.append(v)
            case .list(let items):
                guard depth < shape.count else { throw TensorError.type("not a sequence") }
                guard items.count == shape[depth] else {
                    throw TensorError.value("expected sequence of length \(shape[depth]) at dim \(depth) (got \(items.count))")
                }
                for item in items { try walk(item, depth + 1) }
            }
        }
        try walk(nested, 0)
        return try make(values, shape: shape, dtype: dtype)
    }

    /// A float tensor from Swift numbers, shaped `shape` (a 1-D tensor when omitted).
    public static func make(_ values: [Double], shape: [Int]? = nil, dtype: DType = .float32) throws -> Tensor {
        try make(values.map { .double($0) }, shape: shape ?? [values.count], dtype: dtype)
    }

    /// A 2-D float tensor from rows.
    public static func make(rows: [[Double]], dtype: DType = .float32) throws -> Tensor {
        let cols = rows.first?.count ?? 0
        guard rows.allSatisfy({ $0.count == cols }) else {
            throw TensorError.value("expected sequence of length \(cols) at dim 1 (got \(rows.first { $0.count != cols }!.count))")
        }
        return try make(rows.flatMap { $0 }, shape: [rows.count, cols], dtype: dtype)
    }

    /// A tensor filled with `value` (`torch.full`).
    public static func full(_ shape: [Int], _ value: Scalar, dtype: DType? = nil) throws -> Tensor {
        let dtype = dtype ?? (value.dtype == .float64 ? .float32 : value.dtype)
        let t = try Tensor.empty(shape, dtype: dtype)
        try t.fill(value)
        return t
    }

    /// Zeros (`torch.zeros`).
    public static func zeros(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        let n = try Shape.checkedNumel(shape)
        let storage = try Storage(zeroedByteCount: n * dtype.itemSize)
        return Tensor(storage: storage, shape: shape, strides: Shape.contiguousStrides(shape), offset: 0, dtype: dtype)
    }

    /// Ones (`torch.ones`).
    public static func ones(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        try full(shape, .int(1), dtype: dtype)
    }

    /// Values from `start` up to (not including) `end` by `step` (`torch.arange`); int64 when all are integers.
    public static func arange(_ start: Scalar, _ end: Scalar, _ step: Scalar = .int(1), dtype: DType? = nil) throws -> Tensor {
        let allInt = [start, end, step].allSatisfy { if case .double = $0 { return false } else { return true } }
        let dtype = dtype ?? (allInt ? .int64 : .float32)
        let s = step.double
        guard s != 0 else { throw TensorError.runtime("step must be nonzero") }
        guard (s > 0 && end.double >= start.double) || (s < 0 && end.double <= start.double) else {
            throw TensorError.runtime("upper bound and larger bound inconsistent with step sign")
        }
        let count: Int
        if allInt {
            let span = end.int64 - start.int64, by = step.int64
            count = Int((span + by - (by > 0 ? 1 : -1)) / by)
        } else {
            count = Int(((end.double - start.double) / s).rounded(.up))
        }
        let t = try Tensor.empty([Swift.max(count, 0)], dtype: dtype)
        for i in 0..<Swift.max(count, 0) {
            let value: Scalar = allInt ? .int(Int(start.int64 + Int64(i) * step.int64)) : .double(start.double + Double(i) * s)
            t.write(value, at: i)
        }
        return t
    }

    /// `steps` evenly spaced values from `start` to `end` inclusive (`torch.linspace`).
    public static func linspace(_ start: Double, _ end: Double, steps: Int, dtype: DType = .float32) throws -> Tensor {
        guard steps >= 0 else { throw TensorError.runtime("number of steps must be non-negative") }
        let t = try Tensor.empty([steps], dtype: dtype)
        let step = steps > 1 ? (end - start) / Double(steps - 1) : 0
        let half = steps / 2
        for i in 0..<steps {
            // PyTorch fills the second half backwards from `end` so both ends are exact.
            let v = i < half ? start + step * Double(i) : end - step * Double(steps - 1 - i)
            t.write(.double(v), at: i)
        }
        return t
    }

    /// The identity matrix (`torch.eye`).
    public static func eye(_ n: Int, _ m: Int? = nil, dtype: DType = .float32) throws -> Tensor {
        let cols = m ?? n
        let t = try zeros([n, cols], dtype: dtype)
        for i in 0..<Swift.min(n, cols) { t.write(.int(1), at: i * cols + i) }
        return t
    }

    /// Uniform samples in [0, 1) (`torch.rand`).
    public static func rand(_ shape: [Int], dtype: DType = .float32, generator: Generator = .global) throws -> Tensor {
        let t = try Tensor.empty(shape, dtype: dtype)
        try t.uniform(0, 1, generator: generator)
        return t
    }

    /// Standard normal samples (`torch.randn`).
    public static func randn(_ shape: [Int], dtype: DType = .float32, generator: Generator = .global) throws -> Tensor {
        let t = try Tensor.empty(shape, dtype: dtype)
        try t.normal(mean: 0, std: 1, generator: generator)
        return t
    }

    /// Integers drawn uniformly from [low, high) (`torch.randint`).
    public static func randint(_ low: Int, _ high: Int, _ shape: [Int], dtype: DType = .int64, generator: Generator = .global) throws -> Tensor {
        guard high > low else {
            throw TensorError.runtime("random_ expects 'from' to be less than 'to', but got from=\(low) >= to=\(high)")
        }
        let t = try Tensor.empty(shape, dtype: dtype)
        let range = UInt64(high - low)
        for i in 0..<t.numel { t.write(.int(Int(generator.below(range)) + low), at: i) }
        return t
    }

    /// A random permutation of 0..<n (`torch.randperm`), drawn as PyTorch's CPU kernel does.
    public static func randperm(_ n: Int, dtype: DType = .int64, generator: Generator = .global) throws -> Tensor {
        guard n >= 0 else { throw TensorError.runtime("n must be non-negative, got\(n)") }
        var perm = (0..<n).map { Int64($0) }
        if n > 1 {
            for i in 0..<(n - 1) {
                let z = Int(n < (1 << 24) ? UInt64(generator.next32()) % UInt64(n - i) : generator.next64() % UInt64(n - i))
                perm.swapAt(i, z + i)
            }
        }
        return try make(perm.map { .int(Int($0)) }, shape: [n], dtype: dtype)
    }

    /// Fills in place with uniform samples in [from, to) (`uniform_`).
    public func uniform(_ from: Double, _ to: Double, generator: Generator = .global) throws {
        let dst = try contiguousData()
        switch dtype {
        case .float32: generator.fillUniform(dst.pointer(Float.self), numel, from, to)
        case .float64: generator.fillUniform(dst.pointer(Double.self), numel, from, to)
        default: throw TensorError.runtime("\"check_uniform_bounds\" not implemented for '\(dtype.shortName)'")
        }
        if dst !== self { Copy.run(from: dst, into: self) }
        storage.bumpVersion()
    }

    /// Fills in place with normal samples (`normal_`).
    public func normal(mean: Double, std: Double, generator: Generator = .global) throws {
        let dst = try contiguousData()
        switch dtype {
        case .float32: generator.fillNormal(dst.pointer(Float.self), numel, mean: mean, std: std)
        case .float64: generator.fillNormal(dst.pointer(Double.self), numel, mean: mean, std: std)
        default: throw TensorError.runtime("\"normal_kernel_cpu\" not implemented for '\(dtype.shortName)'")
        }
        if dst !== self { Copy.run(from: dst, into: self) }
        storage.bumpVersion()
    }

    /// A tensor of zeros with this tensor's shape and dtype.
    public func zerosLike(dtype: DType? = nil) throws -> Tensor { try Tensor.zeros(shape, dtype: dtype ?? self.dtype) }
    /// A tensor of ones with this tensor's shape and dtype.
    public func onesLike(dtype: DType? = nil) throws -> Tensor { try Tensor.ones(shape, dtype: dtype ?? self.dtype) }
    /// A tensor filled with `value`, with this tensor's shape and dtype.
    public func fullLike(_ value: Scalar, dtype: DType? = nil) throws -> Tensor { try Tensor.full(shape, value, dtype: dtype ?? self.dtype) }
    /// Uniform samples with this tensor's shape.
    public func randLike() throws -> Tensor { try Tensor.rand(shape, dtype: dtype) }
    /// Normal samples with this tensor's shape.
    public func randnLike() throws -> Tensor { try Tensor.randn(shape, dtype: dtype) }

    /// Writes one element of a contiguous tensor (creation helpers only).
    func write(_ v: Scalar, at i: Int) {
        switch dtype {
        case .bool: pointer(Bool.self)[i] = v.double != 0
        case .int64: pointer(Int64.self)[i] = v.int64
        case .float32: pointer(Float.self)[i] = Float(v.double)
        case .float64: pointer(Double.self)[i] = v.double
        }
    }
}

extension Scalar {
    /// The value as an int64, truncating floats toward zero.
    var int64: Int64 {
        switch self {
        case .bool(let b): return b ? 1 : 0
        case .int(let i): return Int64(i)
        case .double(let d): return Int64(fromDouble: d)
        }
    }
}

extension DType {
    /// PyTorch's C++ type name used in "not implemented for" messages.
    var shortName: String {
        switch self {
        case .bool: return "Bool"
        case .int64: return "Long"
        case .float32: return "Float"
        case .float64: return "Double"
        }
    }
}
