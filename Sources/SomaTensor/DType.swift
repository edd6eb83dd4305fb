/// The element types a tensor can hold, ordered by promotion rank.
public enum DType: Int, Sendable, CaseIterable, CustomStringConvertible {
    case bool = 0, int64 = 1, float32 = 2, float64 = 3

    /// Bytes per element.
    public var itemSize: Int {
        switch self {
        case .bool: return 1
        case .int64, .float64: return 8
        case .float32: return 4
        }
    }

    /// Whether values are floating point (and may require gradients).
    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    /// Promotion category: boolean < integral < floating.
    var category: Int {
        switch self {
        case .bool: return 0
        case .int64: return 1
        case .float32, .float64: return 2
        }
    }

    /// PyTorch's spelling, e.g. `torch.float32`.
    public var description: String {
        switch self {
        case .bool: return "torch.bool"
        case .int64: return "torch.int64"
        case .float32: return "torch.float32"
        case .float64: return "torch.float64"
        }
    }

    /// The dtype both operands convert to (`torch.promote_types`).
    public static func promote(_ a: DType, _ b: DType) -> DType { a.rawValue >= b.rawValue ? a : b }

    /// The dtype of an operation over `operands`, following PyTorch's three tiers:
    /// dimensioned tensors, zero-dim tensors, then wrapped Python numbers; a lower tier only
    /// wins when its category (bool < int < float) is higher.
    public static func resultType(_ operands: [Tensor]) -> DType {
        var tiers = PromotionTiers()
        for t in operands { tiers.add(t) }
        return tiers.result
    }

    /// `resultType([a, b])` without an array (the binary operators' case).
    public static func resultType(_ a: Tensor, _ b: Tensor) -> DType {
        var tiers = PromotionTiers()
        tiers.add(a)
        tiers.add(b)
        return tiers.result
    }

    /// The operands' dtypes promoted within each of PyTorch's three tiers.
    private struct PromotionTiers {
        var dimensioned: DType?, zeroDim: DType?, wrapped: DType?

        mutating func add(_ t: Tensor) {
            if t.isWrappedNumber {
                let d: DType = t.dtype == .float64 ? .float32 : t.dtype
                wrapped = wrapped.map { promote($0, d) } ?? d
            } else if t.dim == 0 {
                zeroDim = zeroDim.map { promote($0, t.dtype) } ?? t.dtype
            } else {
                dimensioned = dimensioned.map { promote($0, t.dtype) } ?? t.dtype
            }
        }

        var result: DType { combine(dimensioned, zeroDim, wrapped) }
    }

    /// Dimensioned operands decide; zero-dim tensors, then wrapped numbers, only raise the category.
    private static func combine(_ dimensioned: DType?, _ zeroDim: DType?, _ wrapped: DType?) -> DType {
        var result = dimensioned
        func raise(_ lower: DType?) {
            guard let l = lower else { return }
            if let r = result {
                if l.category > r.category { result = promote(r, l) }
            } else {
                result = l
            }
        }
        raise(zeroDim)
        raise(wrapped)
        return result ?? .float32
    }
}
