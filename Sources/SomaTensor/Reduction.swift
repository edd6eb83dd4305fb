/// The reduction kinds computed by one kernel over (outer, reduced, inner) blocks.
enum ReduceKind { case sum, prod, max, min, argmax, argmin }

/// Reduction kernels: the input is viewed as `outer × reduced × inner` and reduced in one pass.
enum Reduction {
    /// Sorted, de-duplicated, non-negative dims; all dims when `dims` is nil or empty.
    static func normalizeDims(_ dims: [Int]?, _ ndim: Int) throws -> [Int] {
        guard let dims, !dims.isEmpty else { return Array(0..<ndim) }
        var seen = Set<Int>()
        for d in dims {
            let n = try Shape.normalize(d, ndim)
            guard seen.insert(n).inserted else {
                throw TensorError.runtime("dim \(n) appears multiple times in the list of dims")
            }
        }
        return seen.sorted()
    }

    /// Shape after reducing `dims`.
    static func reducedShape(_ shape: [Int], _ dims: [Int], keepdim: Bool) -> [Int] {
        var out: [Int] = []
        for (i, s) in shape.enumerated() {
            if dims.contains(i) {
                if keepdim { out.append(1) }
            } else {
                out.append(s)
            }
        }
        return out
    }

    /// Reduces `x` over `dims` (already normalised); returns values, and indices for arg kinds and max/min.
    static func run(_ kind: ReduceKind, _ x: Tensor, dims: [Int], keepdim: Bool, dtype: DType? = nil) throws -> (Tensor, Tensor?) {
        let computeType: DType
        switch kind {
        case .sum, .prod: computeType = dtype ?? (x.dtype.isFloatingPoint ? x.dtype : .int64)
        default: computeType = x.dtype == .bool ? .int64 : x.dtype
        }
        let outShape = reducedShape(x.shape, dims, keepdim: keepdim)
        if x.numel == 0 && kind != .sum && kind != .prod {
            throw TensorError.index(
                "\(kind == .argmax || kind == .argmin ? "arg" : "")\(kind): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.")
        }
        // Bring reduced dims into one contiguous block.
        var src = x
        var outer = 1, reduced = 1, inner = 1
        let isBlock = dims.isEmpty || dims.last! - dims.first! + 1 == dims.count
        if !isBlock {
            let kept = (0..<x.dim).filter { !dims.contains($0) }
            src = try x.permute(kept + dims)
            for d in kept { outer *= x.shape[d] }
            for d in dims { reduced *= x.shape[d] }
        } else {
            for (i, s) in x.shape.enumerated() {
                if dims.contains(i) { reduced *= s } else if i < (dims.first ?? 0) { outer *= s } else { inner *= s }
            }
        }
        src = try src.contiguousData(as: computeType)
        let values = try Tensor.empty(outShape, dtype: computeType)
        let wantsIndex = kind != .sum && kind != .prod
        let indices = wantsIndex ? try Tensor.empty(outShape, dtype: .int64) : nil
        let ip = indices?.pointer(Int64.self)
        switch computeType {
        case .float32: kernel(Float.self, kind, src, values, ip, outer, reduced, inner)
        case .float64: kernel(Double.self, kind, src, values, ip, outer, reduced, inner)
        default: kernel(Int64.self, kind, src, values, ip, outer, reduced, inner)
        }
        if kind == .argmax || kind == .argmin { return (indices!, nil) }
        return (values, indices)
    }

    private static func kernel<T: NumericElement>(
        _: T.Type, _ kind: ReduceKind, _ src: Tensor, _ values: Tensor, _ ip: UnsafeMutablePointer<Int64>?,
        _ outer: Int, _ reduced: Int, _ inner: Int
    ) {
        let ps = src.pointer(T.self), po = values.pointer(T.self)
        switch kind {
        case .sum:
            if inner == 1 {
                for o in 0..<outer { po[o] = rowSum(ps + o * reduced, reduced) }
            } else {
                for o in 0..<outer {
                    let dst = po + o * inner
                    let base = ps + o * reduced * inner
                    for i in 0..<inner { dst[i] = base[i] }
                    if reduced == 0 { for i in 0..<inner { dst[i] = T.zero } }
                    for r in 1..<max(reduced, 1) {
                        let row = base + r * inner
                        for i in 0..<inner { dst[i] = T.add(dst[i], row[i]) }
                    }
                }
            }
        case .prod:
            for o in 0..<outer {
                for i in 0..<inner {
                    var acc = T.one
                    for r in 0..<reduced { acc = T.mul(acc, ps[(o * reduced + r) * inner + i]) }
                    po[o * inner + i] = acc
                }
            }
        case .max, .argmax, .min, .argmin:
            let wantMax = kind == .max || kind == .argmax
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = ps + o * reduced * inner + i
                    var best = base[0], at = 0
                    if best == best {
                        for r in 1..<max(reduced, 1) {
                            let v = base[r * inner]
                            if v != v { best = v; at = r; break }
                            if wantMax ? v > best : v < best { best = v; at = r }
                        }
                    }
                    po[o * inner + i] = best
                    ip?[o * inner + i] = Int64(at)
                }
            }
        }
    }

    /// Sum of a contiguous run with eight partial accumulators (vectorisable, and more accurate).
    @inline(__always)
    private static func rowSum<T: NumericElement>(_ p: UnsafeMutablePointer<T>, _ n: Int) -> T {
        var acc = (T.zero, T.zero, T.zero, T.zero, T.zero, T.zero, T.zero, T.zero)
        var i = 0
        while i + 8 <= n {
            acc.0 = T.add(acc.0, p[i]); acc.1 = T.add(acc.1, p[i + 1])
            acc.2 = T.add(acc.2, p[i + 2]); acc.3 = T.add(acc.3, p[i + 3])
            acc.4 = T.add(acc.4, p[i + 4]); acc.5 = T.add(acc.5, p[i + 5])
            acc.6 = T.add(acc.6, p[i + 6]); acc.7 = T.add(acc.7, p[i + 7])
            i += 8
        }
        var total = T.add(T.add(T.add(acc.0, acc.1), T.add(acc.2, acc.3)), T.add(T.add(acc.4, acc.5), T.add(acc.6, acc.7)))
        while i < n {
            total = T.add(total, p[i])
            i += 1
        }
        return total
    }

    /// Number of true elements of a bool tensor.
    static func count(_ mask: Tensor) throws -> Int {
        let m = try mask.contiguousData(as: .bool)
        let p = m.pointer(Bool.self)
        var c = 0
        for i in 0..<m.numel where p[i] { c += 1 }
        return c
    }
}
