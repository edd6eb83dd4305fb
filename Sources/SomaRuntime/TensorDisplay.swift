import SomaScript
import SomaTensor

/// A small 2-D tensor in a notebook: an HTML table next to its PyTorch-style text.
extension TensorType {
    /// Tables up to this many rows and columns; larger tensors show only their text form.
    static let htmlTableLimit = 20

    static func addDisplay(_ t: PyType) {
        t.def("_repr_html_") { _, v, _ in
            let x = tensor(v).detach()
            guard x.shape.count == 2, x.shape[0] <= htmlTableLimit, x.shape[1] <= htmlTableLimit, x.numel > 0 else { return .none }
            return .str(htmlTable(x))
        }
    }

    /// The table: one row per tensor row, numbers right-aligned, dtype and shape in the caption.
    static func htmlTable(_ x: Tensor) -> String {
        let values = x.doubles()
        let cols = x.shape[1]
        let format = cellFormat(x.dtype, values)
        var html = "<table class=\"soma-tensor\" style=\"font-family:monospace;border-collapse:collapse\">"
        html += "<caption style=\"caption-side:bottom;font-size:11px\">\(x.dtype), shape \(x.shape[0])×\(cols)</caption><tbody>"
        for r in 0..<x.shape[0] {
            html += "<tr>"
            for c in 0..<cols {
                html += "<td style=\"text-align:right;padding:1px 8px\">\(format(values[r * cols + c]))</td>"
            }
            html += "</tr>"
        }
        return html + "</tbody></table>"
    }

    /// Cell text as PyTorch prints elements: True/False, integers, 4 decimals, or scientific for very large or small values.
    static func cellFormat(_ dtype: DType, _ values: [Double]) -> (Double) -> String {
        if dtype == .bool { return { $0 != 0 ? "True" : "False" } }
        if !dtype.isFloatingPoint { return { String(Int64($0)) } }
        let finite = values.filter { $0.isFinite }.map(abs)
        let largest = finite.max() ?? 0, smallest = finite.filter { $0 > 0 }.min() ?? 0
        let scientific = largest >= 1e8 || (smallest > 0 && smallest < 1e-4) || (smallest > 0 && largest / smallest > 1000)
        return { v in
            if v.isNaN { return "nan" }
            if v.isInfinite { return v > 0 ? "inf" : "-inf" }
            return String(format: scientific ? "%.4e" : "%.4f", v)
        }
    }
}
