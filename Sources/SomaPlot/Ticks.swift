import Foundation

/// Tick selection: Heckbert's "nice numbers" (steps of 1, 2 or 5 times a power of ten).
public enum Ticks {
    /// Heckbert's nicenum: a 1-2-5 number near `x`, rounded or taken as the ceiling.
    public static func niceNumber(_ x: Double, round: Bool) -> Double {
        guard x > 0, x.isFinite else { return 1 }
        let e = floor(log10(x))
        let f = x / pow(10, e)
        let nf: Double
        if round { nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10 } else { nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10 }
        return nf * pow(10, e)
    }

    /// The step for about `count` ticks over `lo...hi`: the nice number nearest to the range over `count - 1`.
    /// (Heckbert first rounds the range itself up to a nice number; skipping that keeps 2 as a step for ranges like 0...12.)
    public static func step(_ lo: Double, _ hi: Double, count: Int) -> Double {
        niceNumber((hi - lo) / Double(max(1, count - 1)), round: true)
    }

    /// Multiples of a nice step that lie within `lo...hi` (at least two whenever the range is not empty).
    public static func linear(_ lo: Double, _ hi: Double, count: Int = 6) -> (values: [Double], step: Double) {
        guard lo.isFinite, hi.isFinite, hi > lo else { return ([lo.isFinite ? lo : 0], 1) }
        var d = step(lo, hi, count: count)
        var values = multiples(lo, hi, d)
        var guardCount = 0
        while values.count < 2 && guardCount < 8 {  // a nice step that skipped the range: go one size smaller
            d = niceNumber(d / 2.01, round: true)
            values = multiples(lo, hi, d)
            guardCount += 1
        }
        return (values, d)
    }

    /// The 1-2-5 number after `d` (1 → 2 → 5 → 10).
    public static func nextStep(_ d: Double) -> Double {
        let e = floor(log10(d) + 1e-9)
        let f = d / pow(10, e)
        return (f < 1.5 ? 2 : f < 3 ? 5 : 10) * pow(10, e)
    }

    static func multiples(_ lo: Double, _ hi: Double, _ d: Double) -> [Double] {
        let eps = d * 1e-9
        let first = ceil((lo - eps) / d), last = floor((hi + eps) / d)
        guard last >= first, last - first < 1000 else { return [] }
        var out: [Double] = []
        var k = first
        while k <= last {
            var v = k * d
            if abs(v) < d * 1e-9 { v = 0 }
            out.append(v)
            k += 1
        }
        return out
    }

    /// Decades (and 2×, 5× within them when the range spans fewer than three decades) within `lo...hi`, both > 0.
    public static func log(_ lo: Double, _ hi: Double) -> [Double] {
        guard lo > 0, hi > lo, lo.isFinite, hi.isFinite else { return [] }
        let e0 = Int(floor(log10(lo))), e1 = Int(ceil(log10(hi)))
        let span = e1 - e0
        let stride = max(1, Int((Double(span) / 12).rounded(.up)))
        var out: [Double] = []
        for e in e0...e1 {
            let base = pow(10, Double(e))
            if span <= 3 {
                for m in [1.0, 2, 5] where base * m >= lo * (1 - 1e-12) && base * m <= hi * (1 + 1e-12) { out.append(base * m) }
            } else if (e - e0) % stride == 0, base >= lo * (1 - 1e-12), base <= hi * (1 + 1e-12) {
                out.append(base)
            }
        }
        return out
    }

    /// Labels for linear ticks: as many decimals as the step needs; scientific notation for very large or small values.
    public static func labels(_ values: [Double], step: Double) -> [String] {
        let maxAbs = values.map { abs($0) }.max() ?? 0
        if maxAbs >= 1e6 || (maxAbs > 0 && maxAbs < 1e-3) {
            let digits = max(0, min(8, Int(floor(log10(maxAbs))) - Int(floor(log10(step)))))
            return values.map { scientific($0, digits: digits) }
        }
        let decimals = max(0, min(12, Int(-floor(log10(step) + 1e-9))))
        return values.map { v in
            let s = String(format: "%.\(decimals)f", v)
            return s.hasPrefix("-") && Double(s) == 0 ? String(s.dropFirst()) : s
        }
    }

    /// `2.5e-9`, `1e12`: mantissa without trailing zeros, exponent without padding.
    public static func scientific(_ v: Double, digits: Int) -> String {
        if v == 0 { return "0" }
        let s = String(format: "%.\(digits)e", v)
        guard let ePos = s.firstIndex(of: "e") else { return s }
        var mant = String(s[..<ePos])
        if mant.contains(".") {
            while mant.hasSuffix("0") { mant.removeLast() }
            if mant.hasSuffix(".") { mant.removeLast() }
        }
        let exp = Int(s[s.index(after: ePos)...]) ?? 0
        return "\(mant)e\(exp)"
    }

    /// Labels for log ticks: `0.01`, `1`, `100`, or `1e-5`, `1e6` beyond four decades from 1.
    public static func logLabels(_ values: [Double]) -> [String] {
        values.map { v in
            let e = log10(v)
            if e >= -4 && e < 5 {
                let decimals = max(0, Int(-floor(e + 1e-9)))
                return String(format: "%.\(decimals)f", v)
            }
            return scientific(v, digits: 0)
        }
    }

    /// Expands an empty or single-valued range so that it can be drawn (like matplotlib's `nonsingular`).
    public static func nonsingular(_ lo: Double, _ hi: Double) -> (Double, Double) {
        if !lo.isFinite || !hi.isFinite { return (-0.05, 0.05) }
        if hi - lo <= max(abs(lo), abs(hi)) * 1e-12 {
            if lo == 0 && hi == 0 { return (-0.05, 0.05) }
            let d = abs(lo) * 0.05
            return (lo - d, hi + d)
        }
        return (lo, hi)
    }
}
