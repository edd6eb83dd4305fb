import Foundation

/// PyTorch's text form of tensors (`print(t)`, `repr(t)`), with its defaults:
/// precision 4, threshold 1000 elements, 3 edge items, line width 80.
enum TensorFormat {
    static let precision = 4, threshold = 1000, edgeItems = 3, lineWidth = 80

    /// Formats element values with a common width, choosing fixed, integer or scientific notation.
    struct Formatter {
        let floating: Bool
        var intMode = true, sciMode = false, maxWidth = 1

        init(_ values: [Scalar], floating: Bool) {
            self.floating = floating
            if !floating {
                for v in values { maxWidth = Swift.max(maxWidth, Formatter.plain(v).count) }
                return
            }
            let finite = values.map(\.double).filter { $0.isFinite && $0 != 0 }
            guard !finite.isEmpty else { return }
            let mags = finite.map(Swift.abs)
            let lo = mags.min()!, hi = mags.max()!
            intMode = finite.allSatisfy { $0 == $0.rounded(.up) }
            if intMode {
                if hi / lo > 1000 || hi > 1e8 {
                    sciMode = true
                    for v in finite { maxWidth = Swift.max(maxWidth, Formatter.sci(v).count) }
                } else {
                    for v in finite { maxWidth = Swift.max(maxWidth, String(format: "%.0f", v).count + 1) }
                }
            } else if hi / lo > 1000 || hi > 1e8 || lo < 1e-4 {
                sciMode = true
                for v in finite { maxWidth = Swift.max(maxWidth, Formatter.sci(v).count) }
            } else {
                for v in finite { maxWidth = Swift.max(maxWidth, String(format: "%.\(precision)f", v).count) }
            }
        }

        static func sci(_ v: Double) -> String { String(format: "%.\(precision)e", v) }

        static func plain(_ v: Scalar) -> String {
            switch v {
            case .bool(let b): return b ? "True" : "False"
            case .int(let i): return String(i)
            case .double(let d): return String(d)
            }
        }

        func format(_ v: Scalar) -> String {
            var s: String
            if floating {
                let d = v.double
                if d.isNaN { s = "nan" } else if d.isInfinite { s = d < 0 ? "-inf" : "inf" } else if sciMode {
                    s = Formatter.sci(d)
                } else if intMode {
                    s = String(format: "%.0f", d) + "."
                } else {
                    s = String(format: "%.\(precision)f", d)
                }
            } else {
                s = Formatter.plain(v)
            }
            return String(repeating: " ", count: Swift.max(0, maxWidth - s.count)) + s
        }

        var width: Int { maxWidth }
    }

    /// The complete `tensor(...)` text of `t`.
    static func describe(_ t: Tensor) -> String {
        let prefix = "tensor("
        let indent = prefix.count
        var suffixes: [String] = []
        let body: String
        if t.numel == 0 {
            if t.dim != 1 { suffixes.append("size=(" + t.shape.map(String.init).joined(separator: ", ") + (t.dim == 1 ? ",)" : ")")) }
            if t.dtype != .float32 { suffixes.append("dtype=\(t.dtype)") }
            body = "[]"
        } else {
            if t.dtype == .float64 { suffixes.append("dtype=\(t.dtype)") }
            let summarize = t.numel > threshold
            let sample = summarize ? summarized(t) : t.elementOffsets().map { t.scalar(atStorageOffset: $0) }
            let formatter = Formatter(sample, floating: t.dtype.isFloatingPoint)
            body = render(t, depth: 0, base: t.offset, indent: indent, summarize: summarize, formatter)
        }
        if let fn = t.gradFn {
            suffixes.append("grad_fn=<\(fn.name)>")
        } else if t.requiresGrad {
            suffixes.append("requires_grad=True")
        }
        return addSuffixes(prefix + body, suffixes, indent: indent)
    }

    private static func addSuffixes(_ text: String, _ suffixes: [String], indent: Int) -> String {
        var out = text
        // As PyTorch counts it: len(text) - text.rfind('\n') + 1.
        let lastNewline = text.lastIndex(of: "\n").map { text.distance(from: text.startIndex, to: $0) } ?? -1
        var lastLine = text.count - lastNewline + 1
        for s in suffixes {
            if lastLine + s.count + 2 > lineWidth {
                out += ",\n" + String(repeating: " ", count: indent) + s
                lastLine = indent + s.count
            } else {
                out += ", " + s
                lastLine += s.count + 2
            }
        }
        return out + ")"
    }

    /// The values the formatter sizes itself on when printing a summary: only the edges are shown.
    private static func summarized(_ t: Tensor) -> [Scalar] {
        func collect(_ base: Int, _ d: Int) -> [Scalar] {
            if d == t.dim { return [t.scalar(atStorageOffset: base)] }
            let n = t.shape[d]
            let rows = n > 2 * edgeItems ? Array(0..<edgeItems) + Array((n - edgeItems)..<n) : Array(0..<n)
            return rows.flatMap { collect(base + $0 * t.strides[d], d + 1) }
        }
        return collect(t.offset, 0)
    }

    private static func render(_ t: Tensor, depth d: Int, base: Int, indent: Int, summarize: Bool, _ f: Formatter) -> String {
        if t.dim == 0 { return f.format(t.scalar(atStorageOffset: base)) }
        let n = t.shape[d]
        let stride = t.strides[d]
        if d == t.dim - 1 {
            let elementLength = f.width + 2
            let perLine = Swift.max(1, (lineWidth - indent) / elementLength)
            var items: [String]
            if summarize && n > 2 * edgeItems {
                items = (0..<edgeItems).map { f.format(t.scalar(atStorageOffset: base + $0 * stride)) } + [" ..."]
                    + ((n - edgeItems)..<n).map { f.format(t.scalar(atStorageOffset: base + $0 * stride)) }
            } else {
                items = (0..<n).map { f.format(t.scalar(atStorageOffset: base + $0 * stride)) }
            }
            var lines: [String] = []
            var i = 0
            while i < items.count {
                lines.append(items[i..<Swift.min(i + perLine, items.count)].joined(separator: ", "))
                i += perLine
            }
            return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
        }
        var slices: [String]
        let sub = { (i: Int) in render(t, depth: d + 1, base: base + i * stride, indent: indent + 1, summarize: summarize, f) }
        if summarize && n > 2 * edgeItems {
            slices = (0..<edgeItems).map(sub) + ["..."] + ((n - edgeItems)..<n).map(sub)
        } else {
            slices = (0..<n).map(sub)
        }
        let separator = "," + String(repeating: "\n", count: t.dim - d - 1) + String(repeating: " ", count: indent + 1)
        return "[" + slices.joined(separator: separator) + "]"
    }
}

extension Tensor: CustomStringConvertible {
    /// PyTorch's text form, e.g. `tensor([[0.1000, 0.2000]], requires_grad=True)`.
    public var description: String { TensorFormat.describe(self) }
}
