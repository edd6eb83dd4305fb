import Foundation

/// Bin counts and edges, computed as `numpy.histogram` does.
public struct HistogramResult: Equatable, Sendable {
    public var counts: [Int]
    public var edges: [Double]
    /// Values left out because they were NaN or infinite.
    public var skipped: Int
}

/// `numpy.histogram(data, bins, range)`: `bins + 1` edges from `numpy.linspace(lo, hi, bins + 1)`, where an empty
/// range becomes `lo - 0.5 ... hi + 0.5`; every bin is half-open except the last, which includes its right edge.
/// Non-finite values are skipped (NumPy would refuse them) and counted in `skipped`.
public func histogram(_ data: [Double], bins: Int = 10, range: (Double, Double)? = nil) throws -> HistogramResult {
    guard bins >= 1 else { throw PlotError("`bins` must be positive, when an integer") }
    let finite = data.filter { $0.isFinite }
    var lo: Double, hi: Double
    if let r = range {
        guard r.0 <= r.1 else { throw PlotError("max must be larger than min in range parameter.") }
        guard r.0.isFinite, r.1.isFinite else { throw PlotError("supplied range of [\(r.0), \(r.1)] is not finite") }
        (lo, hi) = r
    } else if finite.isEmpty {
        (lo, hi) = (0, 1)
    } else {
        lo = finite.min()!; hi = finite.max()!
    }
    if lo == hi { lo -= 0.5; hi += 0.5 }
    // numpy.linspace: start + i * step, the last edge exactly `stop`.
    let step = (hi - lo) / Double(bins)
    var edges = (0...bins).map { Double($0) * step + lo }
    edges[bins] = hi
    var counts = [Int](repeating: 0, count: bins)
    let norm = hi - lo
    for v in finite where v >= lo && v <= hi {
        var i = Int((v - lo) / norm * Double(bins))
        if i == bins { i -= 1 }
        if v < edges[i] { i -= 1 }
        if i != bins - 1 && v >= edges[i + 1] { i += 1 }
        counts[i] += 1
    }
    return HistogramResult(counts: counts, edges: edges, skipped: data.count - finite.count)
}

/// `numpy.histogram(data, bins=edges)` with explicit, increasing edges.
public func histogram(_ data: [Double], edges: [Double]) throws -> HistogramResult {
    guard edges.count >= 2 else { throw PlotError("bins must have at least two edges") }
    for i in 1..<edges.count where !(edges[i] >= edges[i - 1]) { throw PlotError("bins must increase monotonically, when an array") }
    let finite = data.filter { $0.isFinite }
    var counts = [Int](repeating: 0, count: edges.count - 1)
    for v in finite where v >= edges[0] && v <= edges[edges.count - 1] {
        // searchsorted(edges, v, 'right') - 1, with the last edge closed.
        var a = 0, b = edges.count
        while a < b { let m = (a + b) / 2; if edges[m] <= v { a = m + 1 } else { b = m } }
        counts[min(a - 1, counts.count - 1)] += 1
    }
    return HistogramResult(counts: counts, edges: edges, skipped: data.count - finite.count)
}
