import SomaPlot
import SomaScript
import SomaTensor

/// Runs SomaPlot code and turns its errors into Python `ValueError`s.
func plotTry<T>(_ body: () throws -> T) throws -> T {
    do {
        return try pyTry(body)
    } catch let e as PlotError {
        throw PyException.valueError(e.message)
    }
}

/// `soma.plot` (`from soma import plot as plt`): pyplot's functions over SomaPlot. Each session has one current
/// figure; `show()` sends it to the output as SVG (text in a terminal) and the next drawing starts a new one.
enum PlotModule {
    // MARK: data from language values

    /// The numbers of a list, tuple, range or tensor for one series. A tensor may have any shape with at most one
    /// dimension longer than 1 (a column `(N, 1)` is read as N numbers); `flatten` accepts any shape (for `hist`).
    static func series(_ v: Value, _ interp: Interpreter, _ what: String, flatten: Bool = false) throws -> [Double] {
        if let t = v.as(PyTensor.self)?.tensor {
            guard flatten || t.shape.filter({ $0 > 1 }).count <= 1 else {
                throw PyException.valueError("\(what) must be 1-D, got a tensor of shape \(t.shape)")
            }
            return t.detach().doubles()
        }
        if let s = v.scalar { return [s.double] }
        if case .str = v { throw PyException.typeError("\(what) must be numbers (a list, range or tensor), not str") }
        return try interp.iterate(v).map { item in
            if let t = item.as(PyTensor.self)?.tensor, t.numel == 1 { return t.detach().doubles()[0] }
            guard let s = item.scalar else {
                throw PyException.typeError("\(what) must be a sequence of numbers, found \(item.typeName)")
            }
            return s.double
        }
    }

    /// Integer labels (class indices) from a list or tensor.
    static func labels(_ v: Value, _ interp: Interpreter, _ what: String) throws -> [Int] {
        try series(v, interp, what, flatten: true).map { d in
            guard d.isFinite, d == d.rounded() else { throw PyException.valueError("\(what) must hold integer class indices, found \(d)") }
            return Int(d)
        }
    }

    /// An image: grey rows × columns, or rows × columns × 3 (or 4) colour channels.
    enum ImageData {
        case gray([[Double]]), rgb([[[Double]]])
    }

    /// An image from a tensor or nested lists: (H, W) and (1, H, W) or (H, W, 1) are grey, (H, W, 3|4) colour.
    static func image(_ v: Value, _ what: String = "image") throws -> ImageData {
        let t = try tensorArgument(v, what).detach()
        let s = t.shape
        let values = t.doubles()
        switch s.count {
        case 2: return .gray(rows(values, s[0], s[1]))
        case 3 where s[0] == 1: return .gray(rows(values, s[1], s[2]))
        case 3 where s[2] == 1: return .gray(rows(values, s[0], s[1]))
        case 3 where s[2] == 3 || s[2] == 4:
            let c = s[2]
            return .rgb((0..<s[0]).map { r in (0..<s[1]).map { col in Array(values[((r * s[1] + col) * c)..<((r * s[1] + col) * c + 3)]) } })
        default:
            let hint = s.count == 3 && (s[0] == 3 || s[0] == 4) ? " (channels first: use img.permute(1, 2, 0))" : ""
            throw PyException.typeError("Invalid shape (\(s.map(String.init).joined(separator: ", "))) for image data\(hint)")
        }
    }

    static func rows(_ values: [Double], _ h: Int, _ w: Int) -> [[Double]] {
        (0..<h).map { Array(values[($0 * w)..<($0 * w + w)]) }
    }

    /// `figsize=(w, h)` in inches.
    static func figsize(_ v: Value) throws -> (Double, Double)? {
        if v.isNone { return nil }
        guard let items = v.sequenceItems(), items.count == 2 else { throw PyException.typeError("figsize must be a pair (width, height) in inches") }
        let w = try items[0].number("figsize"), h = try items[1].number("figsize")
        guard w > 0, h > 0, w <= 100, h <= 100 else { throw PyException.valueError("figsize must be positive and at most 100 inches, got (\(w), \(h))") }
        return (w, h)
    }

    static func optionalString(_ v: Value, _ what: String) throws -> String? {
        if v.isNone { return nil }
        guard case .str(let s) = v else { throw PyException.typeError("\(what) must be a str, not \(v.typeName)") }
        return s
    }

    static func optionalNumber(_ v: Value, _ what: String) throws -> Double? { v.isNone ? nil : try v.number(what) }

    /// `xlim(lo, hi)` or `xlim((lo, hi))` as a pair of optional bounds.
    static func limits(_ a: [Value], _ what: String) throws -> (Double?, Double?) {
        if a[1].isNone, let pair = a[0].sequenceItems() {
            guard pair.count == 2 else { throw PyException.valueError("\(what) takes (left, right), got \(pair.count) values") }
            return (try optionalNumber(pair[0], what), try optionalNumber(pair[1], what))
        }
        return (try optionalNumber(a[0], what), try optionalNumber(a[1], what))
    }

    // MARK: language objects

    /// A figure; displays as its SVG.
    final class PyFigure: PyObject {
        let figure: Figure
        init(_ figure: Figure) {
            self.figure = figure
            super.init(type: PlotModule.figureType)
        }
    }

    /// One set of axes, with the drawing methods of the module (`ax.plot`, `ax.set_title`, ...).
    final class PyAxes: PyObject {
        let axes: Axes
        init(_ axes: Axes) {
            self.axes = axes
            super.init(type: PlotModule.axesType)
        }
    }

    /// The axes `subplots` returns, indexable like NumPy's array of axes: `axes[0]`, `axes[0][1]`, `axes[0, 1]`.
    final class PyAxesArray: PyObject {
        let items: [Value]
        let rows: Int, cols: Int
        /// A 2-D grid when `cols > 0`, else a 1-D row.
        init(_ axes: [Axes], rows: Int, cols: Int) {
            self.rows = rows
            self.cols = cols
            if cols > 0 {
                items = (0..<rows).map { r in .object(PyAxesArray(Array(axes[(r * cols)..<(r * cols + cols)]), rows: cols, cols: 0)) }
            } else {
                items = axes.map { .object(PyAxes($0)) }
            }
            super.init(type: PlotModule.axesArrayType)
        }

        var flat: [Value] { cols > 0 ? items.flatMap { $0.as(PyAxesArray.self)!.items } : items }

        func item(_ i: Int) throws -> Value {
            let j = i < 0 ? i + items.count : i
            guard j >= 0, j < items.count else {
                throw PyException.make("IndexError", "index \(i) is out of bounds for axis 0 with size \(items.count)")
            }
            return items[j]
        }
    }

    static func mimeDict(_ b: MimeBundle) -> Value {
        let d = PyDict()
        for (k, v) in b.entries { try? d.set(.str(k), .str(v)) }
        return .object(d)
    }

    static let figureType: PyType = {
        let t = PyType.nativeClass("Figure", module: "soma.plot", doc: "A figure: a grid of axes drawn as one SVG.")
        func fig(_ v: Value) -> Figure { v.as(PyFigure.self)!.figure }
        t.def("_repr_mimebundle_", [], varArgs: true, varKeywords: true) { _, v, _ in mimeDict(fig(v).mimeBundle()) }
        t.def("__repr__") { _, v, _ in .str(fig(v).altText) }
        t.def("savefig", ["fname"], doc: "Writes the figure as an SVG file.") { _, v, a in
            try plotTry { try fig(v).savefig(try a[0].asString()) }
            return .none
        }
        t.def("suptitle", ["t"]) { _, v, a in fig(v).suptitle = try a[0].asString(); return .none }
        t.prop("axes") { v in .object(PyList(fig(v).axes.map { .object(PyAxes($0)) })) }
        t.def("gca") { _, v, _ in .object(PyAxes(fig(v).gca())) }
        return t
    }()

    static let axesType: PyType = {
        let t = PyType.nativeClass("Axes", module: "soma.plot", doc: "One set of axes of a figure.")
        for f in axesFunctions {
            let body = f.body
            t.def(f.name, f.positional, defaults: f.defaults, keywordOnly: f.keywordOnly, varArgs: f.varArgs, doc: f.doc) { interp, v, a in
                try plotTry { try body(interp, v.as(PyAxes.self)!.axes, a) }
            }
            // matplotlib's object API names the setters set_xlabel, set_title, ...
            if ["xlabel", "ylabel", "title", "xlim", "ylim", "xscale", "yscale", "xticks", "yticks"].contains(f.name) {
                t.dict["set_" + f.name] = t.dict[f.name]
            }
        }
        t.def("__repr__") { _, v, _ in
            let ax = v.as(PyAxes.self)!.axes
            return .str("<Axes" + (ax.titleText.map { ": " + $0 } ?? "") + ">")
        }
        return t
    }()

    static let axesArrayType: PyType = {
        let t = PyType.nativeClass("AxesArray", module: "soma.plot", doc: "The axes of subplots(rows, cols), indexable as a NumPy array.")
        func arr(_ v: Value) -> PyAxesArray { v.as(PyAxesArray.self)! }
        t.def("__getitem__", ["index"]) { _, v, a in
            let x = arr(v)
            if let idx = a[0].as(PyTuple.self)?.items {
                guard x.cols > 0, idx.count == 2 else {
                    throw PyException.make("IndexError", "too many indices for array: array is \(x.cols > 0 ? 2 : 1)-dimensional, but \(idx.count) were indexed")
                }
                return try x.item(try idx[0].integer("index")).as(PyAxesArray.self)!.item(try idx[1].integer("index"))
            }
            return try x.item(try a[0].integer("index"))
        }
        t.def("__len__") { _, v, _ in .int(arr(v).items.count) }
        t.def("__iter__") { _, v, _ in
            var it = arr(v).items.makeIterator()
            return .object(PyIterator { it.next() })
        }
        t.def("flatten") { _, v, _ in
            let flat = arr(v).flat.map { $0.as(PyAxes.self)!.axes }
            return .object(PyAxesArray(flat, rows: flat.count, cols: 0))
        }
        t.prop("flat") { v in .object(PyList(arr(v).flat)) }
        t.prop("shape") { v in
            let x = arr(v)
            return .object(PyTuple(x.cols > 0 ? [.int(x.rows), .int(x.cols)] : [.int(x.items.count)]))
        }
        t.def("__repr__") { _, v, _ in
            let x = arr(v)
            return .str("<AxesArray shape=(\(x.cols > 0 ? "\(x.rows), \(x.cols)" : "\(x.items.count),"))>")
        }
        return t
    }()

    // MARK: drawing functions shared by the module (on the current axes) and Axes objects

    struct AxesFunction {
        var name: String
        var positional: [String]
        var defaults: [String: Value] = [:]
        var keywordOnly: [String] = []
        var varArgs = false
        var doc: String
        var body: (Interpreter, Axes, [Value]) throws -> Value
    }

    static let lineKeywords = ["label", "color", "linewidth", "linestyle", "marker", "markersize"]

    static let axesFunctions: [AxesFunction] = [
        AxesFunction(name: "plot", positional: [], keywordOnly: lineKeywords, varArgs: true,
                     doc: "plot([x], y, [fmt], ..., label=, color=, linewidth=, linestyle=, marker=, markersize=): lines and/or markers; fmt like 'r--' or 'o-'.") { interp, ax, a in
            let args = a[0].sequenceItems()!
            guard !args.isEmpty else { throw PyException.typeError("plot() needs at least one data argument") }
            var i = 0
            while i < args.count {
                var x: [Double]?
                let y: [Double]
                if case .str = args[i] { throw PyException.valueError("plot(): a format string must follow the data it formats") }
                if i + 1 < args.count, !(isString(args[i + 1])) {
                    x = try series(args[i], interp, "x")
                    y = try series(args[i + 1], interp, "y")
                    i += 2
                } else {
                    y = try series(args[i], interp, "y")
                    i += 1
                }
                var fmt = ""
                if i < args.count, case .str(let f) = args[i] { fmt = f; i += 1 }
                try ax.plot(x ?? (0..<y.count).map(Double.init), y, fmt, label: try optionalString(a[1], "label"),
                            color: try optionalString(a[2], "color"), linewidth: try optionalNumber(a[3], "linewidth"),
                            linestyle: try optionalString(a[4], "linestyle"), marker: try optionalString(a[5], "marker"),
                            markersize: try optionalNumber(a[6], "markersize"))
            }
            return .none
        },
        AxesFunction(name: "scatter", positional: ["x", "y", "s", "c"], defaults: ["s": .none, "c": .none],
                     keywordOnly: ["marker", "cmap", "alpha", "label", "color"],
                     doc: "scatter(x, y, s=20, c=None, marker='o', cmap='viridis', alpha=1, label=None): points; c is a colour, a list of colours or numbers mapped through cmap.") { interp, ax, a in
            let x = try series(a[0], interp, "x"), y = try series(a[1], interp, "y")
            let s = try optionalNumber(a[2], "s") ?? 20
            let label = try optionalString(a[7], "label")
            let color = try optionalString(a[8], "color")
            if a[3].isNone || isString(a[3]) {
                try ax.scatter(x, y, s: s, color: try optionalString(a[3], "c") ?? color, marker: try optionalString(a[4], "marker") ?? "o",
                               alpha: try optionalNumber(a[6], "alpha") ?? 1, label: label)
            } else if let items = a[3].sequenceItems(), items.allSatisfy(isString) {
                try ax.scatter(x, y, s: s, colors: try items.map { try $0.asString() }, marker: try optionalString(a[4], "marker") ?? "o",
                               alpha: try optionalNumber(a[6], "alpha") ?? 1, label: label)
            } else {
                try ax.scatter(x, y, values: try series(a[3], interp, "c", flatten: true), cmap: try optionalString(a[5], "cmap") ?? "viridis",
                               s: s, label: label)
            }
            return .none
        },
        AxesFunction(name: "bar", positional: ["x", "height", "width", "bottom"], defaults: ["width": .float(0.8), "bottom": .int(0)],
                     keywordOnly: ["color", "label"],
                     doc: "bar(x, height, width=0.8, bottom=0, color=None, label=None): bars centred on x (numbers, or category names).") { interp, ax, a in
            let heights = try series(a[1], interp, "height")
            let width = try a[2].number("width")
            let color = try optionalString(a[4], "color"), label = try optionalString(a[5], "label")
            if let items = a[0].sequenceItems(), !items.isEmpty, items.allSatisfy(isString) {
                try ax.bar(categories: try items.map { try $0.asString() }, heights, width: width, color: color, label: label)
            } else {
                try ax.bar(try series(a[0], interp, "x"), heights, width: width, bottom: try a[3].number("bottom"), color: color, label: label)
            }
            return .none
        },
        AxesFunction(name: "hist", positional: ["x", "bins", "range", "density"], defaults: ["bins": .int(10), "range": .none, "density": .bool(false)],
                     keywordOnly: ["color", "label"],
                     doc: "hist(x, bins=10, range=None, density=False, color=None, label=None): a histogram; returns (counts, edges).") { interp, ax, a in
            let data = try series(a[0], interp, "x", flatten: true)
            let color = try optionalString(a[4], "color"), label = try optionalString(a[5], "label")
            let h: HistogramResult
            if case .int(let n) = a[1] {
                var range: (Double, Double)?
                if !a[2].isNone {
                    guard let r = a[2].sequenceItems(), r.count == 2 else { throw PyException.valueError("range must be a pair (lo, hi)") }
                    range = (try r[0].number("range"), try r[1].number("range"))
                }
                h = try ax.hist(data, bins: n, range: range, density: a[3].truthy, color: color, label: label)
            } else {
                h = try ax.hist(data, edges: try series(a[1], interp, "bins"), density: a[3].truthy, color: color, label: label)
            }
            return .object(PyTuple([.object(PyList(h.counts.map { .int($0) })), .object(PyList(h.edges.map { .float($0) }))]))
        },
        AxesFunction(name: "imshow", positional: ["X", "cmap"], defaults: ["cmap": .none], keywordOnly: ["vmin", "vmax"],
                     doc: "imshow(X, cmap=None, vmin=None, vmax=None): an image, grey (H, W) through cmap (default 'viridis'; 'gray') or colour (H, W, 3).") { _, ax, a in
            switch try image(a[0], "X") {
            case .gray(let m):
                try ax.imshow(m, cmap: try optionalString(a[1], "cmap") ?? "viridis", vmin: try optionalNumber(a[2], "vmin"),
                              vmax: try optionalNumber(a[3], "vmax"))
            case .rgb(let px):
                try ax.imshow(rgb: px.map { $0.map { $0.map { min(max($0, 0), 255) } } })
            }
            return .none
        },
        AxesFunction(name: "text", positional: ["x", "y", "s"], keywordOnly: ["color", "fontsize", "ha"],
                     doc: "text(x, y, s, color=None, fontsize=12, ha='left'): text at data coordinates.") { interp, ax, a in
            try ax.text(try a[0].number("x"), try a[1].number("y"), try interp.str(a[2]), color: try optionalString(a[3], "color"),
                        fontsize: try optionalNumber(a[4], "fontsize") ?? 12, ha: try optionalString(a[5], "ha") ?? "left")
            return .none
        },
        AxesFunction(name: "xlabel", positional: ["xlabel"], doc: "Labels the x axis.") { interp, ax, a in ax.xlabel(try interp.str(a[0])); return .none },
        AxesFunction(name: "ylabel", positional: ["ylabel"], doc: "Labels the y axis.") { interp, ax, a in ax.ylabel(try interp.str(a[0])); return .none },
        AxesFunction(name: "title", positional: ["label"], keywordOnly: ["fontsize", "color"], doc: "Titles the axes.") { interp, ax, a in
            ax.title(try interp.str(a[0]), fontsize: try optionalNumber(a[1], "fontsize"), color: try optionalString(a[2], "color"))
            return .none
        },
        AxesFunction(name: "legend", positional: ["labels"], defaults: ["labels": .none], keywordOnly: ["loc"],
                     doc: "legend(labels=None, loc='best'): a legend of the labelled series; labels names the series in drawing order.") { interp, ax, a in
            if !a[0].isNone {
                try ax.setLabels(try interp.iterate(a[0]).map { try interp.str($0) })
            }
            ax.legend(loc: try optionalString(a[1], "loc") ?? "best")
            return .none
        },
        AxesFunction(name: "grid", positional: ["visible"], defaults: ["visible": .bool(true)], doc: "Shows (or hides) grid lines.") { _, ax, a in
            ax.grid(a[0].isNone || a[0].truthy)
            return .none
        },
        AxesFunction(name: "xlim", positional: ["left", "right"], defaults: ["left": .none, "right": .none], doc: "Sets the x range.") { _, ax, a in
            let (lo, hi) = try limits(a, "xlim")
            ax.xlim(lo, hi)
            return .none
        },
        AxesFunction(name: "ylim", positional: ["bottom", "top"], defaults: ["bottom": .none, "top": .none], doc: "Sets the y range.") { _, ax, a in
            let (lo, hi) = try limits(a, "ylim")
            ax.ylim(lo, hi)
            return .none
        },
        AxesFunction(name: "xscale", positional: ["value"], doc: "xscale('linear' | 'log').") { _, ax, a in try ax.xscale(try a[0].asString()); return .none },
        AxesFunction(name: "yscale", positional: ["value"], doc: "yscale('linear' | 'log').") { _, ax, a in try ax.yscale(try a[0].asString()); return .none },
        AxesFunction(name: "axis", positional: ["option"], doc: "axis('off'), axis('on') or axis('equal').") { _, ax, a in ax.axis(try a[0].asString()); return .none },
        AxesFunction(name: "xticks", positional: ["ticks", "labels"], defaults: ["labels": .none], keywordOnly: ["rotation"],
                     doc: "xticks(ticks, labels=None, rotation=0): fixed tick positions and labels.") { interp, ax, a in
            ax.xticks(try series(a[0], interp, "ticks"), labels: try a[1].isNone ? nil : interp.iterate(a[1]).map { try interp.str($0) },
                      rotation: try optionalNumber(a[2], "rotation") ?? 0)
            return .none
        },
        AxesFunction(name: "yticks", positional: ["ticks", "labels"], defaults: ["labels": .none], doc: "yticks(ticks, labels=None).") { interp, ax, a in
            ax.yticks(try series(a[0], interp, "ticks"), labels: try a[1].isNone ? nil : interp.iterate(a[1]).map { try interp.str($0) })
            return .none
        },
    ]

    static func isString(_ v: Value) -> Bool { if case .str = v { return true } else { return false } }

    // MARK: the module

    static func build(_ interp: Interpreter) throws -> PyModule {
        let m = PyModule(name: "soma.plot")
        let state = PlotState()
        // pyplot's settings: `figure.figsize` sizes figures made without a size; the other keys are kept, not used.
        let rcParams = PyDict()
        try rcParams.set(.str("figure.figsize"), .object(PyList([.float(6.4), .float(4.8)])))
        try rcParams.set(.str("figure.dpi"), .float(100))
        try rcParams.set(.str("font.size"), .float(10))
        m["rcParams"] = .object(rcParams)
        state.defaultFigsize = {  // a value that is no valid size leaves matplotlib's default
            ((try? rcParams.get(.str("figure.figsize"))).flatMap { $0 }.flatMap { try? figsize($0) }) ?? (6.4, 4.8)
        }
        // As matplotlib's inline backend: in a notebook, a figure drawn but not shown appears when its cell ends.
        interp.addPostCellHook { interp in
            if interp.output.rendersRichDisplays, let b = state.show() { interp.output.display(b.dictionary, displayID: nil, update: false) }
        }
        m["Figure"] = .object(figureType)
        m["Axes"] = .object(axesType)
        for f in axesFunctions {
            let body = f.body
            m.def(f.name, f.positional, defaults: f.defaults, keywordOnly: f.keywordOnly, varArgs: f.varArgs, doc: f.doc) { interp, a in
                try plotTry { try body(interp, state.gca(), a) }
            }
        }
        m.def("figure", [], defaults: ["figsize": .none], keywordOnly: ["figsize"], doc: "Starts a new current figure; figsize=(w, h) in inches.") { _, a in
            .object(PyFigure(state.figure(figsize: try figsize(a[0]))))
        }
        m.def("gcf", doc: "The current figure.") { _, _ in .object(PyFigure(state.gcf())) }
        m.def("gca", doc: "The current figure's axes.") { _, _ in .object(PyAxes(state.gca())) }
        m.def("subplots", ["nrows", "ncols"], defaults: ["nrows": .int(1), "ncols": .int(1), "figsize": .none, "squeeze": .bool(true)],
              keywordOnly: ["figsize", "squeeze"],
              doc: "subplots(nrows=1, ncols=1, figsize=None) -> (fig, axes): a new figure with a grid of axes; axes is one Axes, a row, or a grid as matplotlib squeezes it.") { _, a in
            let r = try a[0].integer("nrows"), c = try a[1].integer("ncols")
            guard r >= 1, c >= 1, r * c <= 100 else { throw PyException.valueError("subplots needs 1 to 100 axes, got nrows=\(r), ncols=\(c)") }
            let (f, axes) = state.subplots(r, c, figsize: try figsize(a[2]))
            let squeeze = a[3].truthy
            let axesValue: Value
            if squeeze && r == 1 && c == 1 {
                axesValue = .object(PyAxes(axes[0]))
            } else if squeeze && (r == 1 || c == 1) {
                axesValue = .object(PyAxesArray(axes, rows: axes.count, cols: 0))
            } else {
                axesValue = .object(PyAxesArray(axes, rows: r, cols: c))
            }
            return .object(PyTuple([.object(PyFigure(f)), axesValue]))
        }
        m.def("suptitle", ["t"], doc: "A title above all axes of the current figure.") { _, a in
            state.gcf().suptitle = try a[0].asString()
            return .none
        }
        m.def("show", doc: "Shows the current figure (SVG in a notebook, a text description in a terminal); the next drawing starts a new figure.") { interp, _ in
            if let b = state.show() { interp.output.display(b.dictionary, displayID: nil, update: false) }
            return .none
        }
        m.def("savefig", ["fname"], doc: "Writes the current figure as an SVG file.") { _, a in
            try plotTry { try state.savefig(try a[0].asString()) }
            return .none
        }
        m.def("close", ["fig"], defaults: ["fig": .none], doc: "Forgets the current figure.") { _, _ in
            state.close()
            return .none
        }
        m.def("image_grid", ["images", "labels"], defaults: ["labels": .none, "ncols": .int(8), "cmap": .str("gray"), "label_colors": .none, "size": .float(1.2)],
              keywordOnly: ["ncols", "cmap", "label_colors", "size"],
              doc: "image_grid(images, labels=None, ncols=8, cmap='gray', label_colors=None, size=1.2): a grid of images with a label above each, as the current figure (returned). images is a batch tensor (N, H, W), (N, 1, H, W) or (N, 3, H, W), or a list of images; colour images outside 0..1 (normalised) are rescaled to it.") { interp, a in
            let fig = try imageGrid(a, interp)
            state.setCurrent(fig)
            return .object(PyFigure(fig))
        }
        m.def("confusion_matrix", ["y_true", "y_pred", "classes"], defaults: ["classes": .none, "normalize": .bool(false), "title": .str("Confusion matrix")],
              keywordOnly: ["normalize", "title"],
              doc: "confusion_matrix(y_true, y_pred, classes=None, normalize=False, title='Confusion matrix'): a heat map of true against predicted class counts, as the current figure (returned). classes is a list of class names or their number.") { interp, a in
            let truth = try labels(a[0], interp, "y_true"), predicted = try labels(a[1], interp, "y_pred")
            var names: [String]? = nil
            let n: Int
            if case .int(let k) = a[2] {
                n = k
            } else if !a[2].isNone {
                names = try interp.iterate(a[2]).map { try interp.str($0) }
                n = names!.count
            } else {
                n = (truth + predicted).max().map { $0 + 1 } ?? 0
            }
            guard n > 0 else { throw PyException.valueError("confusion_matrix needs at least one label") }
            let fig = try plotTry {
                try confusionMatrix(try confusionCounts(true: truth, predicted: predicted, classes: n), classNames: names,
                                    normalize: a[3].truthy, title: try optionalString(a[4], "title"))
            }
            state.setCurrent(fig)
            return .object(PyFigure(fig))
        }
        return m
    }

    /// The figure of `image_grid`'s arguments.
    static func imageGrid(_ a: [Value], _ interp: Interpreter) throws -> Figure {
        var images: [ImageData] = []
        if let t = a[0].as(PyTensor.self)?.tensor {
            guard t.dim == 3 || t.dim == 4 else { throw PyException.valueError("image_grid expects a batch (N, H, W) or (N, C, H, W), got shape \(t.shape)") }
            for i in 0..<t.shape[0] { images.append(try channelsFirstImage(try pyTry { try t.select(0, i) })) }
        } else {
            for item in try interp.iterate(a[0]) {
                if let t = item.as(PyTensor.self)?.tensor, t.dim == 3, t.shape[0] == 3 || t.shape[0] == 1 {
                    images.append(try channelsFirstImage(t))
                } else {
                    images.append(try image(item))
                }
            }
        }
        let labels: [String]? = a[1].isNone ? nil : try interp.iterate(a[1]).map { try interp.str($0) }
        let labelColors: [String]? = a[4].isNone ? nil : try interp.iterate(a[4]).map { try $0.asString() }
        let cols = try a[2].integer("ncols"), cmap = try a[3].asString(), size = try a[5].number("size")
        guard cols >= 1 else { throw PyException.valueError("ncols must be at least 1") }
        guard images.count <= 400 else { throw PyException.valueError("image_grid shows at most 400 images, got \(images.count)") }
        return try plotTry {
            if images.allSatisfy({ if case .gray = $0 { return true } else { return false } }) {
                return try SomaPlot.imageGrid(images: images.map { if case .gray(let m) = $0 { return m } else { return [] } }, labels: labels,
                                              cols: cols, cmap: cmap, labelColors: labelColors, cellSize: size)
            }
            let rgb: [[[[Double]]]] = images.map { im in
                switch im {
                case .gray(let m): return m.map { $0.map { [$0, $0, $0] } }
                case .rgb(let p): return p
                }
            }.map(unitRange)
            return try SomaPlot.imageGrid(rgbImages: rgb, labels: labels, cols: cols, labelColors: labelColors, cellSize: size)
        }
    }

    /// A (C, H, W) or (H, W) tensor as an image: one channel is grey, three are colour.
    static func channelsFirstImage(_ t: Tensor) throws -> ImageData {
        if t.dim == 3 && t.shape[0] == 3 { return try image(wrap(try pyTry { try t.permute([1, 2, 0]) })) }
        return try image(wrap(t))
    }

    /// Colour values rescaled to 0...1 when they fall outside it (normalised tensors), as make_grid(normalize=True).
    static func unitRange(_ p: [[[Double]]]) -> [[[Double]]] {
        let all = p.joined().joined()
        guard let lo = all.min(), let hi = all.max(), lo < 0 || hi > 1 else { return p }
        let span = hi > lo ? hi - lo : 1
        return p.map { $0.map { $0.map { ($0 - lo) / span } } }
    }
}
