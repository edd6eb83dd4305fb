import SomaPlot
import SomaScript
import SomaTensor

/// `soma.History`: a training history that shows as a loss table (text and HTML) and an SVG chart of its curves.
enum HistoryModule {
    final class PyHistory: PyObject {
        var history = History()
    }

    /// A logged value: a number or a one-element tensor; None leaves the cell empty.
    static func number(_ v: Value, _ key: String) throws -> Double? {
        if v.isNone { return nil }
        if let s = v.scalar { return s.double }
        if let t = v.as(PyTensor.self)?.tensor, t.numel == 1 { return try pyTry { try t.item().double } }
        throw PyException.typeError("History.log: \(key) must be a number or a one-element tensor, not \(v.typeName)")
    }

    /// A column's value as the language sees it: an int in a column of whole numbers (epochs), else a float.
    static func cell(_ h: History, _ column: String, _ v: Double?) -> Value {
        guard let v else { return .none }
        let whole = h.column(column).allSatisfy { $0.map { $0.isFinite && $0 == $0.rounded() && Swift.abs($0) < 1e15 } ?? true }
        return whole ? .int(Int(v)) : .float(v)
    }

    static func row(_ h: History, _ i: Int) -> Value {
        let d = PyDict()
        for c in h.columns { if let v = h.rows[i][c] { try? d.set(.str(c), cell(h, c, v)) } }
        return .object(d)
    }

    static let historyType: PyType = {
        let t = PyType.nativeClass("History", module: "soma", doc: """
            History(): rows of named numbers, e.g. history.log(epoch=1, train_loss=0.5, val_acc=0.8).
            Displays as an aligned text table, an HTML table and an SVG chart of its columns against the first.
            """) { PyHistory(type: $0, hasDict: true) }
        func h(_ v: Value) -> History { v.as(PyHistory.self)!.history }
        t.def("log", [], varKeywords: true, doc: "log(**row): appends a row; new columns are added in the order given.") { _, v, a in
            let entries = a[0].as(PyDict.self)!.entries
            guard !entries.isEmpty else { throw PyException.typeError("History.log() needs keyword arguments, e.g. log(epoch=1, loss=0.5)") }
            var values: [(String, Double)] = []
            for (k, x) in entries {
                let key = try k.asString()
                if let d = try number(x, key) { values.append((key, d)) }
            }
            h(v).log(values)
            return .none
        }
        t.def("best", ["column", "mode"], defaults: ["mode": .none],
              doc: "best(column, mode=None): the row (a dict) where column is best; mode 'max' for accuracy-like names, 'min' otherwise.") { _, v, a in
            let column = try a[0].asString()
            var mode: History.Mode? = nil
            if !a[1].isNone {
                guard let m = History.Mode(rawValue: try a[1].asString()) else { throw PyException.valueError("mode must be 'min' or 'max'") }
                mode = m
            }
            guard let best = try plotTry({ try h(v).best(column, mode: mode) }) else { return .none }
            return row(h(v), best.index)
        }
        t.def("plot", [], varArgs: true, doc: "plot(*columns): a figure of the columns (default: all but the first) against the first.") { interp, v, a in
            let names = try a[0].sequenceItems()!.map { try interp.str($0) }
            return .object(PlotModule.PyFigure(try plotTry { try h(v).plot(names) }))
        }
        t.prop("columns") { v in .object(PyList(h(v).columns.map { .str($0) })) }
        t.prop("rows") { v in .object(PyList(h(v).rows.indices.map { row(h(v), $0) })) }
        t.def("__len__") { _, v, _ in .int(h(v).count) }
        t.def("__getitem__", ["key"], doc: "history['val_acc'] is a column as a list; history[-1] a row as a dict.") { _, v, a in
            let hist = h(v)
            if case .str(let c) = a[0] {
                guard hist.columns.contains(c) else { throw PyException.make("KeyError", "'\(c)'") }
                return .object(PyList(hist.column(c).map { cell(hist, c, $0) }))
            }
            let i = try a[0].integer("index")
            let j = i < 0 ? i + hist.count : i
            guard j >= 0, j < hist.count else { throw PyException.make("IndexError", "history index out of range") }
            return row(hist, j)
        }
        t.def("_repr_mimebundle_", [], varArgs: true, varKeywords: true) { _, v, _ in PlotModule.mimeDict(h(v).mimeBundle()) }
        t.def("__repr__") { _, v, _ in .str(h(v).text) }
        return t
    }()
}
