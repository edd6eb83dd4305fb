import Foundation

/// Copying and converting elements between tensors of any layout and dtype.
enum Copy {
    /// Writes `src` (broadcast to `dst.shape`) into `dst`, converting the dtype.
    static func run(from src: Tensor, into dst: Tensor) {
        let srcStrides = Shape.broadcastStrides(src, to: dst.shape)
        if src.dtype == dst.dtype {
            switch src.dtype.itemSize {
            case 1: same(UInt8.self, src, srcStrides, dst)
            case 4: same(UInt32.self, src, srcStrides, dst)
            default: same(UInt64.self, src, srcStrides, dst)
            }
            return
        }
        switch src.dtype {
        case .bool: convert(Bool.self, src, srcStrides, dst)
        case .int64: convert(Int64.self, src, srcStrides, dst)
        case .float32: convert(Float.self, src, srcStrides, dst)
        case .float64: convert(Double.self, src, srcStrides, dst)
        }
    }

    private static func same<T>(_: T.Type, _ src: Tensor, _ srcStrides: [Int], _ dst: Tensor) {
        let ps = src.pointer(T.self), pd = dst.pointer(T.self)
        StridedLoop.forEachRun(shape: dst.shape, strides: [dst.strides, srcStrides]) { off, inner, n in
            let d = pd + off[0], s = ps + off[1]
            let sd = inner[0], ss = inner[1]
            if sd == 1 && ss == 1 {
                d.update(from: s, count: n)
            } else if ss == 0 {
                let v = s.pointee
                for i in 0..<n { d[i * sd] = v }
            } else {
                for i in 0..<n { d[i * sd] = s[i * ss] }
            }
        }
    }

    private static func convert<S: Element>(_: S.Type, _ src: Tensor, _ srcStrides: [Int], _ dst: Tensor) {
        switch dst.dtype {
        case .bool: convert(S.self, Bool.self, src, srcStrides, dst)
        case .int64: convert(S.self, Int64.self, src, srcStrides, dst)
        case .float32: convert(S.self, Float.self, src, srcStrides, dst)
        case .float64: convert(S.self, Double.self, src, srcStrides, dst)
        }
    }

    private static func convert<S: Element, D: Element>(
        _: S.Type, _: D.Type, _ src: Tensor, _ srcStrides: [Int], _ dst: Tensor
    ) {
        let ps = src.pointer(S.self), pd = dst.pointer(D.self)
        StridedLoop.forEachRun(shape: dst.shape, strides: [dst.strides, srcStrides]) { off, inner, n in
            let d = pd + off[0], s = ps + off[1]
            let sd = inner[0], ss = inner[1]
            for i in 0..<n { d[i * sd] = D(fromDouble: s[i * ss].asDouble) }
        }
    }
}

extension Tensor {
    /// A contiguous copy of this tensor's elements (no autograd history), optionally converted.
    func materialized(as dtype: DType? = nil) throws -> Tensor {
        let out = try Tensor.empty(shape, dtype: dtype ?? self.dtype)
        Copy.run(from: self, into: out)
        return out
    }

    /// This tensor's elements as a contiguous tensor of `dtype`, sharing storage when nothing changes.
    func contiguousData(as dtype: DType? = nil) throws -> Tensor {
        if isContiguous && (dtype == nil || dtype == self.dtype) { return self }
        return try materialized(as: dtype)
    }

    /// Reads the element at storage offset `o` as a Python number.
    func scalar(atStorageOffset o: Int) -> Scalar {
        let raw = storage.bytes
        switch dtype {
        case .bool: return .bool(raw.assumingMemoryBound(to: Bool.self)[o])
        case .int64: return .int(Int(raw.assumingMemoryBound(to: Int64.self)[o]))
        case .float32: return .double(Double(raw.assumingMemoryBound(to: Float.self)[o]))
        case .float64: return .double(raw.assumingMemoryBound(to: Double.self)[o])
        }
    }

    /// Storage offsets of every element in row-major order (for printing and `tolist`, not hot paths).
    func elementOffsets() -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(numel)
        StridedLoop.forEachRun(shape: shape, strides: [strides]) { off, inner, n in
            for i in 0..<n { result.append(offset + off[0] + i * inner[0]) }
        }
        return result
    }
}
