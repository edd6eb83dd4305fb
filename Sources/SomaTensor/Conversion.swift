/// A tensor's values as nested lists of Python numbers (`tolist()`).
public indirect enum NestedList: Equatable {
    case scalar(Scalar)
    case list([NestedList])
}

/// Conversions between dtypes and out to Python numbers.
extension Tensor {
    /// This tensor converted to `dtype` (`to`, `type`); `self` when already of that dtype.
    public func to(_ dtype: DType) throws -> Tensor {
        if dtype == self.dtype { return self }
        let out = try materialized(as: dtype)
        if GradMode.records(self) && dtype.isFloatingPoint {
            let from = self.dtype
            out.recorded("ToCopyBackward0", [self]) { g in [try g.materialized(as: from)] }
        }
        return out
    }

    /// Converted to float32 (`.float()`).
    public func float() throws -> Tensor { try to(.float32) }
    /// Converted to float64 (`.double()`).
    public func double() throws -> Tensor { try to(.float64) }
    /// Converted to int64 (`.long()`).
    public func long() throws -> Tensor { try to(.int64) }
    /// Converted to bool (`.bool()`).
    public func bool() throws -> Tensor { try to(.bool) }

    /// The single value of a one-element tensor (`item()`).
    public func item() throws -> Scalar {
        guard numel == 1 else {
            throw TensorError.runtime("a Tensor with \(numel) elements cannot be converted to Scalar")
        }
        return scalar(atStorageOffset: offset)
    }

    /// The values as nested lists (`tolist()`).
    public func tolist() -> NestedList {
        let offsets = elementOffsets()
        var i = 0
        func build(_ d: Int) -> NestedList {
            if d == dim {
                defer { i += 1 }
                return .scalar(scalar(atStorageOffset: offsets[i]))
            }
            return .list((0..<shape[d]).map { _ in build(d + 1) })
        }
        return build(0)
    }

    /// The values in row-major order as Doubles (tests and host code).
    public func doubles() -> [Double] { elementOffsets().map { scalar(atStorageOffset: $0).double } }

    /// Whether all values are within `atol + rtol * |other|` (`torch.allclose`).
    public func allclose(_ other: Tensor, rtol: Double = 1e-5, atol: Double = 1e-8, equalNan: Bool = false) throws -> Bool {
        let shape = try Shape.broadcast(self.shape, other.shape)
        let a = try expand(shape).detach().doubles(), b = try other.expand(shape).detach().doubles()
        for (x, y) in zip(a, b) {
            if x.isNaN || y.isNaN {
                if equalNan && x.isNaN && y.isNaN { continue }
                return false
            }
            if x == y { continue }
            if Swift.abs(x - y) > atol + rtol * Swift.abs(y) { return false }
        }
        return true
    }

    /// Whether both tensors have the same shape and values (`torch.equal`).
    public func equal(_ other: Tensor) -> Bool {
        shape == other.shape && doubles() == other.doubles()
    }
}
