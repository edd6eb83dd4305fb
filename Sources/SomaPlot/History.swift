import Foundation

/// A training history: rows of named numbers, columns in the order they first appeared.
/// Shows as an aligned text table, an HTML table and an SVG chart of its columns against the first.
public final class History: MimeRenderable {
    public private(set) var columns: [String] = []
    public private(set) var rows: [[String: Double]] = []

    public enum Mode: String, Sendable { case min, max }

    public init() {}

    /// Appends a row; new column names are added in the order given.
    public func log(_ values: [(String, Double)]) {
        var row: [String: Double] = [:]
        for (k, v) in values {
            if !columns.contains(k) { columns.append(k) }
            row[k] = v
        }
        rows.append(row)
    }

    /// `history.log(["epoch": 1, "train_loss": 0.5])`, keeping the literal's order.
    public func log(_ values: KeyValuePairs<String, Double>) { log(values.map { ($0.key, $0.value) }) }

    /// A column's values, `nil` where a row did not log it.
    public func column(_ name: String) -> [Double?] { rows.map { $0[name] } }

    public var count: Int { rows.count }

    /// The row where `column` is best: `mode` defaults to max for names with "acc", "f1", "precision",
    /// "recall", "auc" or "score", min otherwise. Returns the row index and its values in column order.
    public func best(_ column: String, mode: Mode? = nil) throws -> (index: Int, values: [(String, Double)])? {
        guard columns.contains(column) else { throw PlotError("History has no column '\(column)'; columns are \(columns.joined(separator: ", "))") }
        let m = mode ?? History.defaultMode(column)
        var bestIndex: Int? = nil
        for (i, r) in rows.enumerated() {
            guard let v = r[column], !v.isNaN else { continue }
            if let b = bestIndex, let bv = rows[b][column] {
                if m == .min ? v < bv : v > bv { bestIndex = i }
            } else { bestIndex = i }
        }
        guard let i = bestIndex else { return nil }
        return (i, columns.compactMap { c in rows[i][c].map { (c, $0) } })
    }

    static func defaultMode(_ column: String) -> Mode {
        let l = column.lowercased()
        return ["acc", "f1", "precision", "recall", "auc", "score"].contains { l.contains($0) } ? .max : .min
    }

    func isIntegral(_ c: String) -> Bool {
        rows.allSatisfy { r in r[c].map { $0.isFinite && $0 == $0.rounded() && abs($0) < 1e15 } ?? true }
    }

    func format(_ v: Double?, integral: Bool) -> String {
        guard let v = v else { return "" }
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if integral { return String(Int(v)) }
        let a = abs(v)
        if a != 0 && (a < 1e-3 || a >= 1e6) { return String(format: "%.3e", v) }
        return String(format: "%.4f", v)
    }

    /// The cells as text, column by column.
    func cells() -> [[String]] {
        let integral = columns.map(isIntegral)
        return rows.map { r in columns.enumerated().map { format(r[$0.element], integral: integral[$0.offset]) } }
    }

    /// An aligned table: names right-aligned over right-aligned numbers, two spaces apart.
    public var text: String {
        if columns.isEmpty { return "History (empty)" }
        let body = cells()
        let widths = columns.enumerated().map { i, c in max(c.count, body.map { $0[i].count }.max() ?? 0) }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { String(repeating: " ", count: $1 - $0.count) + $0 }.joined(separator: "  ")
        }
        return ([line(columns)] + body.map(line)).joined(separator: "\n")
    }

    public var html: String {
        var h = "<table class=\"soma-history\" style=\"border-collapse:collapse;font-variant-numeric:tabular-nums\">\n<thead><tr>"
        for c in columns { h += "<th style=\"text-align:right;padding:2px 10px;border-bottom:1px solid #999\">\(xmlEscape(c))</th>" }
        h += "</tr></thead>\n<tbody>\n"
        let bestRows: [String: Int] = Dictionary(uniqueKeysWithValues: columns.dropFirst().compactMap { c in
            ((try? best(c)) ?? nil).map { (c, $0.index) }
        })
        for (i, r) in cells().enumerated() {
            h += "<tr>"
            for (j, v) in r.enumerated() {
                let isBest = rows.count > 1 && bestRows[columns[j]] == i
                h += "<td style=\"text-align:right;padding:2px 10px\(isBest ? ";font-weight:bold" : "")\">\(xmlEscape(v))</td>"
            }
            h += "</tr>\n"
        }
        return h + "</tbody>\n</table>"
    }

    /// A chart of `columns` (default: every column but the first) against the first column. Loss-like and
    /// other columns (accuracy) go to two side-by-side axes when both are present, since their scales differ.
    public func plot(_ names: [String] = []) throws -> Figure {
        for n in names where !columns.contains(n) { throw PlotError("History has no column '\(n)'; columns are \(columns.joined(separator: ", "))") }
        let xName = columns.first ?? "step"
        let ys = names.isEmpty ? Array(columns.dropFirst()) : names
        let losses = ys.filter { History.defaultMode($0) == .min }, others = ys.filter { History.defaultMode($0) == .max }
        let groups = (!losses.isEmpty && !others.isEmpty) ? [losses, others] : [ys]
        let fig = Figure(figsize: groups.count == 2 ? (9.6, 4) : (6.4, 4))
        let axes = fig.subplots(1, groups.count)
        let x = column(xName).map { $0 ?? .nan }
        var colorIndex = 0
        for (g, ax) in zip(groups, axes) {
            for n in g {
                ax.colorIndex = colorIndex
                colorIndex += 1
                try ax.plot(x, column(n).map { $0 ?? .nan }, rows.count <= 30 ? "o-" : "-", label: n, markersize: 5)
            }
            ax.xlabel(xName)
            ax.xIntegerTicks = isIntegral(xName)
            ax.grid()
            if !g.isEmpty { ax.legend() }
            if groups.count == 2 { ax.title(g == losses ? "loss" : "metrics") }
        }
        return fig
    }

    public func plot(_ names: String...) throws -> Figure { try plot(names) }

    /// Text table, HTML and SVG chart. Front ends show only their richest type (JupyterLab and nbconvert prefer
    /// text/html), so the HTML holds the chart too, beside the table.
    public func mimeBundle() -> MimeBundle {
        var b = MimeBundle([("text/plain", text), ("text/html", html)])
        if rows.count >= 1 && columns.count >= 2, let fig = try? plot() {
            let svg = fig.svg()
            b["text/html"] = "<div class=\"soma-history-view\" style=\"display:flex;flex-wrap:wrap;align-items:flex-start;gap:16px\">"
                + html + "<div>" + svg + "</div></div>"
            b["image/svg+xml"] = svg
        }
        return b
    }
}
