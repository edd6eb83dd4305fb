import Foundation

/// Axis scale.
public enum AxisScale: String, Sendable { case linear, log }

struct LineArtist {
    var x: [Double], y: [Double]
    var color: RGBColor, linestyle: String, marker: String
    var linewidth: Double, markersize: Double
    var label: String?
}

struct ScatterArtist {
    var x: [Double], y: [Double]
    var colors: [RGBColor]  // one, or one per point
    var radius: Double, marker: String, alpha: Double
    var label: String?
}

struct BarArtist {
    var left: [Double], width: [Double], bottom: [Double], height: [Double]
    var color: RGBColor, label: String?, kind: String  // "bar" or "hist"
}

struct ImageArtist {
    var width: Int, height: Int
    var pixels: [RGBColor]  // row-major, row 0 at the top
    var values: [Double]?  // the scalar values of a colour-mapped image
}

struct TextArtist {
    var x: Double, y: Double, text: String, color: RGBColor, size: Double, anchor: String
}

enum Artist {
    case line(LineArtist), scatter(ScatterArtist), bars(BarArtist), image(ImageArtist), text(TextArtist)
}

/// One set of axes in a figure, with pyplot's methods.
public final class Axes {
    var artists: [Artist] = []
    var colorIndex = 0
    public var titleText: String?
    /// Title font size in pixels and colour (image grids use small, coloured titles).
    public var titleSize: Double = 14
    public var titleColor: RGBColor = RGBColor(hex: 0x222222)
    public var xlabelText: String?
    public var ylabelText: String?
    var legendLoc: String?
    var gridOn = false
    var xlimits: (Double?, Double?) = (nil, nil)
    var ylimits: (Double?, Double?) = (nil, nil)
    public var xScale: AxisScale = .linear
    public var yScale: AxisScale = .linear
    var axisOn = true
    var xTickOverride: (values: [Double], labels: [String])?
    var yTickOverride: (values: [Double], labels: [String])?
    var xTickRotation: Double = 0
    /// Only whole numbers as x ticks (epochs, steps), like matplotlib's `MaxNLocator(integer=True)`.
    public var xIntegerTicks = false
    var invertY = false
    var equalAspect = false
    var cellText: [(x: Double, y: Double, text: String, color: RGBColor)] = []

    public init() {}

    func nextColor() -> RGBColor {
        let c = RGBColor.cycle[colorIndex % RGBColor.cycle.count]
        colorIndex += 1
        return c
    }

    func resolveColor(_ spec: String?) throws -> RGBColor? {
        guard let s = spec else { return nil }
        guard let c = RGBColor(spec: s) else { throw PlotError("'\(s)' is not a valid color value.") }
        return c
    }

    /// `plot(x, y, fmt)`: a line and/or markers; `fmt` is a matplotlib format string such as `"r--"` or `"o-"`.
    public func plot(_ x: [Double], _ y: [Double], _ fmt: String = "", label: String? = nil, color: String? = nil,
                     linewidth: Double? = nil, linestyle: String? = nil, marker: String? = nil, markersize: Double? = nil) throws {
        guard x.count == y.count else {
            throw PlotError("x and y must have same first dimension, but have shapes (\(x.count),) and (\(y.count),)")
        }
        var spec = try FormatSpec(parsing: fmt)
        if let ls = linestyle {
            let map = ["solid": "-", "dashed": "--", "dotted": ":", "dashdot": "-.", "none": "None", "": "None", " ": "None"]
            spec.linestyle = map[ls.lowercased()] ?? ls
        }
        if let m = marker { spec.marker = m.isEmpty ? "None" : m }
        let c = try resolveColor(color) ?? spec.color ?? nextColor()
        artists.append(.line(LineArtist(x: x, y: y, color: c, linestyle: spec.linestyle, marker: spec.marker,
                                        linewidth: linewidth ?? 2, markersize: markersize ?? 8, label: label)))
    }

    /// `plot(y, fmt)`: y against 0, 1, 2, ...
    public func plot(_ y: [Double], _ fmt: String = "", label: String? = nil, color: String? = nil) throws {
        try plot((0..<y.count).map(Double.init), y, fmt, label: label, color: color)
    }

    /// `scatter(x, y, s=, c=, marker=)`: `s` is the marker area in points² (matplotlib's default 20).
    public func scatter(_ x: [Double], _ y: [Double], s: Double = 20, color: String? = nil, colors: [String]? = nil,
                        marker: String = "o", alpha: Double = 1, label: String? = nil) throws {
        guard x.count == y.count else { throw PlotError("x and y must be the same size") }
        var cs: [RGBColor]
        if let list = colors {
            guard list.count == x.count || list.count == 1 else { throw PlotError("'c' argument has \(list.count) elements, which is inconsistent with 'x' and 'y' with size \(x.count).") }
            cs = try list.map { try resolveColor($0)! }
        } else {
            cs = [try resolveColor(color) ?? nextColor()]
        }
        if cs.isEmpty { cs = [nextColor()] }
        artists.append(.scatter(ScatterArtist(x: x, y: y, colors: cs, radius: max(1, s.squareRoot() * 100 / 72 / 2),
                                              marker: marker, alpha: alpha, label: label)))
    }

    /// Scatter points coloured by value through a colour map.
    public func scatter(_ x: [Double], _ y: [Double], values: [Double], cmap: String = "viridis", s: Double = 20, label: String? = nil) throws {
        guard values.count == x.count else { throw PlotError("'c' argument has \(values.count) elements, which is inconsistent with 'x' and 'y' with size \(x.count).") }
        guard let map = Colormap(name: cmap) else { throw PlotError("'\(cmap)' is not a valid value for cmap; supported values are 'gray', 'gray_r', 'viridis', 'Blues'") }
        let f = values.filter { $0.isFinite }
        let lo = f.min() ?? 0, hi = f.max() ?? 1
        let cs = values.map { map.color(hi > lo ? ($0 - lo) / (hi - lo) : 0.5) }
        artists.append(.scatter(ScatterArtist(x: x, y: y, colors: cs, radius: max(1, s.squareRoot() * 100 / 72 / 2),
                                              marker: "o", alpha: 1, label: label)))
    }

    /// `bar(x, height, width=0.8, bottom=0)`: bars centred on `x`.
    public func bar(_ x: [Double], _ height: [Double], width: Double = 0.8, bottom: Double = 0, color: String? = nil, label: String? = nil) throws {
        guard x.count == height.count else { throw PlotError("shape mismatch: objects cannot be broadcast to a single shape") }
        let c = try resolveColor(color) ?? nextColor()
        artists.append(.bars(BarArtist(left: x.map { $0 - width / 2 }, width: Array(repeating: width, count: x.count),
                                       bottom: Array(repeating: bottom, count: x.count), height: height, color: c, label: label, kind: "bar")))
    }

    /// `bar(["a", "b"], heights)`: categorical bars at 0, 1, ... with the categories as tick labels.
    public func bar(categories: [String], _ height: [Double], width: Double = 0.8, color: String? = nil, label: String? = nil) throws {
        try bar((0..<categories.count).map(Double.init), height, width: width, color: color, label: label)
        xTickOverride = ((0..<categories.count).map(Double.init), categories)
    }

    /// `hist(data, bins=10)`: NumPy's bins and counts drawn as adjacent bars; returns them.
    @discardableResult
    public func hist(_ data: [Double], bins: Int = 10, range: (Double, Double)? = nil, density: Bool = false,
                     color: String? = nil, label: String? = nil) throws -> HistogramResult {
        let h = try histogram(data, bins: bins, range: range)
        try addHist(h, density: density, color: color, label: label)
        return h
    }

    /// `hist(data, bins=[edges])`.
    @discardableResult
    public func hist(_ data: [Double], edges: [Double], density: Bool = false, color: String? = nil, label: String? = nil) throws -> HistogramResult {
        let h = try histogram(data, edges: edges)
        try addHist(h, density: density, color: color, label: label)
        return h
    }

    func addHist(_ h: HistogramResult, density: Bool, color: String?, label: String?) throws {
        let total = Double(h.counts.reduce(0, +))
        let widths = (0..<h.counts.count).map { h.edges[$0 + 1] - h.edges[$0] }
        let heights = (0..<h.counts.count).map { i -> Double in
            density ? (total > 0 && widths[i] > 0 ? Double(h.counts[i]) / total / widths[i] : 0) : Double(h.counts[i])
        }
        let c = try resolveColor(color) ?? nextColor()
        artists.append(.bars(BarArtist(left: Array(h.edges.dropLast()), width: widths, bottom: Array(repeating: 0, count: widths.count),
                                       height: heights, color: c, label: label, kind: "hist")))
    }

    /// `imshow(matrix, cmap=)`: a grey-level or colour-mapped image, row 0 at the top; `vmin`/`vmax` default to the data's range.
    public func imshow(_ values: [[Double]], cmap: String = "viridis", vmin: Double? = nil, vmax: Double? = nil) throws {
        let h = values.count, w = values.first?.count ?? 0
        guard h > 0, w > 0, values.allSatisfy({ $0.count == w }) else { throw PlotError("Invalid shape for image data: rows must be non-empty and of equal length") }
        guard let map = Colormap(name: cmap) else { throw PlotError("'\(cmap)' is not a valid value for cmap; supported values are 'gray', 'gray_r', 'viridis', 'Blues'") }
        let flat = values.flatMap { $0 }
        let finite = flat.filter { $0.isFinite }
        let lo = vmin ?? finite.min() ?? 0, hi = vmax ?? finite.max() ?? 1
        let pixels = flat.map { v -> RGBColor in
            if !v.isFinite { return RGBColor(1, 1, 1) }
            return map.color(hi > lo ? (v - lo) / (hi - lo) : 0)
        }
        addImage(ImageArtist(width: w, height: h, pixels: pixels, values: flat))
    }

    /// `imshow(rgb)`: rows × columns × 3 channels in 0...1 (values above 1 are read as 0...255).
    public func imshow(rgb: [[[Double]]]) throws {
        let h = rgb.count, w = rgb.first?.count ?? 0
        guard h > 0, w > 0, rgb.allSatisfy({ $0.count == w && $0.allSatisfy { $0.count == 3 || $0.count == 4 } }) else {
            throw PlotError("Invalid shape for image data: expected rows × columns × 3")
        }
        let scale = rgb.joined().joined().contains { $0 > 1 } ? 1.0 / 255 : 1
        let pixels = rgb.joined().map { p in RGBColor(p[0] * scale, p[1] * scale, p[2] * scale) }
        addImage(ImageArtist(width: w, height: h, pixels: Array(pixels), values: nil))
    }

    func addImage(_ im: ImageArtist) {
        artists.append(.image(im))
        invertY = true
        equalAspect = true
    }

    /// `text(x, y, s)` at data coordinates.
    public func text(_ x: Double, _ y: Double, _ s: String, color: String? = nil, fontsize: Double = 12, ha: String = "left") throws {
        let anchor = ["left": "start", "center": "middle", "right": "end"][ha] ?? "start"
        artists.append(.text(TextArtist(x: x, y: y, text: s, color: try resolveColor(color) ?? RGBColor(0, 0, 0), size: fontsize, anchor: anchor)))
    }

    public func xlabel(_ s: String) { xlabelText = s }
    public func ylabel(_ s: String) { ylabelText = s }
    public func title(_ s: String, fontsize: Double? = nil, color: String? = nil) {
        titleText = s
        if let f = fontsize { titleSize = f }
        if let c = color, let rgb = RGBColor(spec: c) { titleColor = rgb }
    }
    /// Names the series in drawing order, as `legend(["train", "val"])` does; extra names are an error.
    public func setLabels(_ labels: [String]) throws {
        let series = artists.indices.filter { i in
            switch artists[i] {
            case .line, .scatter, .bars: return true
            case .image, .text: return false
            }
        }
        guard labels.count <= series.count else {
            throw PlotError("legend got \(labels.count) labels but the axes have \(series.count) series")
        }
        for (i, label) in zip(series, labels) {
            switch artists[i] {
            case .line(var a): a.label = label; artists[i] = .line(a)
            case .scatter(var a): a.label = label; artists[i] = .scatter(a)
            case .bars(var a): a.label = label; artists[i] = .bars(a)
            case .image, .text: break
            }
        }
    }

    /// Shows a legend of the labelled series; `loc` is `"best"` (the corner covering the least data) or a matplotlib location.
    public func legend(loc: String = "best") { legendLoc = loc }
    public func grid(_ on: Bool = true) { gridOn = on }
    public func xlim(_ lo: Double?, _ hi: Double?) { xlimits = (lo, hi) }
    public func ylim(_ lo: Double?, _ hi: Double?) { ylimits = (lo, hi) }
    public func xscale(_ s: String) throws {
        guard let v = AxisScale(rawValue: s) else { throw PlotError("'\(s)' is not a valid value for scale; supported values are 'linear', 'log'") }
        xScale = v
    }
    public func yscale(_ s: String) throws {
        guard let v = AxisScale(rawValue: s) else { throw PlotError("'\(s)' is not a valid value for scale; supported values are 'linear', 'log'") }
        yScale = v
    }
    /// `axis("off")` hides ticks, labels and frame; `axis("on")` shows them; `axis("equal")` keeps unit aspect.
    public func axis(_ mode: String) {
        switch mode {
        case "off": axisOn = false
        case "on": axisOn = true
        case "equal", "scaled", "image": equalAspect = true
        default: break
        }
    }
    /// Fixed tick positions, labelled by `labels` or by the numbers with as many decimals as their spacing needs.
    public func xticks(_ values: [Double], labels: [String]? = nil, rotation: Double = 0) {
        xTickOverride = (values, labels ?? Axes.defaultLabels(values))
        xTickRotation = rotation
    }
    public func yticks(_ values: [Double], labels: [String]? = nil) {
        yTickOverride = (values, labels ?? Axes.defaultLabels(values))
    }

    static func defaultLabels(_ values: [Double]) -> [String] {
        let sorted = values.filter { $0.isFinite }.sorted()
        let gaps = zip(sorted.dropFirst(), sorted).map { $0 - $1 }.filter { $0 > 0 }
        return Ticks.labels(values, step: gaps.min() ?? 1)
    }

    /// Counts of what these axes draw, for alt text and tests.
    public var seriesSummary: [String: Int] {
        var d: [String: Int] = [:]
        for a in artists {
            switch a {
            case .line: d["lines", default: 0] += 1
            case .scatter: d["scatter", default: 0] += 1
            case .bars(let b): d[b.kind == "hist" ? "histograms" : "bar series", default: 0] += 1
            case .image: d["images", default: 0] += 1
            case .text: d["texts", default: 0] += 1
            }
        }
        return d
    }
}

/// A figure: a grid of axes rendered as one SVG.
public final class Figure: MimeRenderable {
    public var width: Double
    public var height: Double
    public private(set) var axes: [Axes]
    public private(set) var rows = 1
    public private(set) var cols = 1
    public var suptitle: String?

    /// `figure(figsize=(w, h))` in inches at 100 pixels per inch, as matplotlib's default 6.4 × 4.8 gives 640 × 480.
    public init(figsize: (Double, Double) = (6.4, 4.8)) {
        width = max(1, figsize.0 * 100); height = max(1, figsize.1 * 100)
        axes = [Axes()]
    }

    /// The current (first) axes.
    public func gca() -> Axes { axes[0] }

    /// Replaces the axes by a `rows × cols` grid, returned row by row.
    @discardableResult
    public func subplots(_ rows: Int, _ cols: Int) -> [Axes] {
        self.rows = max(1, rows); self.cols = max(1, cols)
        axes = (0..<(self.rows * self.cols)).map { _ in Axes() }
        return axes
    }

    /// The axes at row `r`, column `c` of the grid.
    public func axes(_ r: Int, _ c: Int) -> Axes { axes[r * cols + c] }

    public func mimeBundle() -> MimeBundle {
        let r = render()
        return MimeBundle([("text/plain", r.alt), ("image/svg+xml", r.svg)])
    }

    /// The SVG document.
    public func svg() -> String { render().svg }

    /// A short description (`<Figure 640x480 with 1 Axes: 2 lines>`), used as text/plain and as the SVG's title.
    public var altText: String { render().alt }

    /// Writes the SVG to `path`.
    public func savefig(_ path: String) throws {
        try svg().write(toFile: path, atomically: true, encoding: .utf8)
    }
}

/// `plt.subplots(rows, cols, figsize=)`.
public func subplots(_ rows: Int = 1, _ cols: Int = 1, figsize: (Double, Double)? = nil) -> (Figure, [Axes]) {
    let f = Figure(figsize: figsize ?? (6.4 * (cols > 1 ? min(2, Double(cols) * 0.75) : 1), 4.8 * (rows > 1 ? min(2, Double(rows) * 0.75) : 1)))
    let a = f.subplots(rows, cols)
    return (f, a)
}
