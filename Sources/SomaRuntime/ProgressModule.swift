import SomaPlot
import SomaScript

/// One output that is shown once and then replaced in place: the first `show` is a display, later ones are
/// updates of the same display id.
final class LiveDisplay {
    let sink: OutputSink
    let id: String
    private(set) var shown = false

    init(_ interp: Interpreter) {
        sink = interp.output
        id = interp.newDisplayID()
    }

    func show(_ bundle: MimeBundle) {
        sink.display(bundle.dictionary, displayID: id, update: shown)
        shown = true
    }
}

/// A progress bar drawn where the program's output goes. Where the sink renders rich displays (a kernel): an HTML
/// bar with a text fallback, replaced in place at most once per `minInterval` (and always at the end). Elsewhere
/// (a terminal): tqdm's carriage-return line on stderr, as often.
final class LiveProgress {
    let bar: ProgressBar
    let sink: OutputSink
    let display: LiveDisplay?
    let ncols: Int?, ascii: Bool

    init(_ bar: ProgressBar, _ interp: Interpreter, ncols: Int? = nil, ascii: Bool = false) {
        self.bar = bar
        sink = interp.output
        display = sink.rendersRichDisplays ? LiveDisplay(interp) : nil
        self.ncols = ncols
        self.ascii = ascii
        draw()
    }

    func draw() {
        if let display {
            display.show(bar.mimeBundle())
        } else {
            sink.write(bar.terminalLine(ncols: ncols, ascii: ascii), to: .stderr)
        }
    }

    /// Advances by `k`, redrawing when the throttle allows.
    func update(_ k: Int) { if bar.update(k) { draw() } }

    /// Redraws after a description or postfix change when the throttle allows.
    func refresh() { if bar.shouldRefresh() { draw() } }

    /// Draws the final state (or removes the bar when it should not be left); closing twice does nothing.
    func close() {
        guard !bar.closed else { return }
        bar.close()
        if display != nil || bar.leave {
            draw()
            if display == nil { sink.write("\n", to: .stderr) }
        } else {
            sink.write("\r" + String(repeating: " ", count: bar.text(ncols: ncols, ascii: ascii).count) + "\r", to: .stderr)
        }
    }
}

/// `from soma import tqdm`: tqdm's progress bar over an iterable or updated by hand.
enum ProgressModule {
    final class PyTqdm: PyObject {
        var iterable: Value = .none
        var live: LiveProgress?
        var disabled = false

        func progress() throws -> LiveProgress? {
            if disabled { return nil }
            guard let live else { throw PyException.runtimeError("tqdm is not initialised (call tqdm.__init__)") }
            return live
        }
    }

    /// A postfix value as tqdm shows it: numbers through `format_num`, strings as they are, others as `str()`.
    static func postfixText(_ v: Value, _ interp: Interpreter) throws -> String {
        switch v {
        case .int(let i): return ProgressBar.formatNumber(i)
        case .float(let d): return ProgressBar.formatNumber(d)
        case .str(let s): return s
        default:
            if let t = v.as(PyTensor.self)?.tensor, t.numel == 1 { return ProgressBar.formatNumber(try t.item().double) }
            return try interp.str(v)
        }
    }

    private static let writeSignature = Signature("write", ["s", "file", "end"], defaults: ["file": .none, "end": .str("\n")])

    /// Puts `tqdm` and `trange` into the `soma` module.
    static func install(into m: PyModule) {
        m["tqdm"] = .object(tqdmType)
        m.def("trange", [], varArgs: true, varKeywords: true,
              doc: "trange(*args, **kwargs): tqdm(range(*args), **kwargs).") { interp, a in
            let range = try interp.call(.object(Types.range), a[0].as(PyTuple.self)!.items)
            let keywords = try a[1].as(PyDict.self)!.entries.map { (name: try $0.key.asString(), value: $0.value) }
            return try interp.call(.object(tqdmType), [range], keywords: keywords)
        }
    }

    static let tqdmType: PyType = {
        let t = PyType.nativeClass("tqdm", module: "soma", doc: """
            tqdm(iterable=None, desc=None, total=None, leave=True, ncols=None, mininterval=0.1, ascii=False, disable=False, unit='it', initial=0)
            A progress bar: iterate over it, or call update(n). In a notebook an HTML bar updated in place at most ten
            times a second; in a terminal a carriage-return line on stderr.
            """) { PyTqdm(type: $0, hasDict: true) }
        func q(_ v: Value) -> PyTqdm { v.as(PyTqdm.self)! }
        t.def("__init__", ["iterable", "desc", "total", "leave", "ncols", "mininterval", "ascii", "disable", "unit", "initial"],
              defaults: ["iterable": .none, "desc": .none, "total": .none, "leave": .bool(true), "ncols": .none, "mininterval": .float(0.1),
                         "ascii": .bool(false), "disable": .bool(false), "unit": .str("it"), "initial": .int(0)]) { interp, v, a in
            let bar = q(v)
            bar.iterable = a[0]
            bar.disabled = a[7].truthy
            var total = try a[2].isNone ? nil : a[2].integer("total")
            if total == nil, !a[0].isNone { total = try? interp.length(a[0]) }
            if let n = total, n < 0 { throw PyException.valueError("total must be non-negative, got \(n)") }
            let interval = try a[5].number("mininterval")
            guard interval >= 0 else { throw PyException.valueError("mininterval must be non-negative, got \(interval)") }
            let ncols = try a[4].optionalInteger("ncols")
            guard !bar.disabled else { return .none }
            let desc = try a[1].isNone ? "" : interp.str(a[1])
            let initial = try a[9].integer("initial")
            guard initial >= 0 else { throw PyException.valueError("initial must be non-negative, got \(initial)") }
            bar.live = LiveProgress(ProgressBar(total: total, description: desc, leave: a[3].truthy, unit: try a[8].asString(),
                                                initial: initial, minInterval: interval),
                                    interp, ncols: ncols, ascii: a[6].truthy)
            return .none
        }
        t.def("__iter__") { interp, v, _ in
            let bar = q(v)
            guard !bar.iterable.isNone else { throw PyException.typeError("'tqdm' object is not iterable: it was made without an iterable") }
            let next = try interp.makeIterator(bar.iterable)
            var started = false
            return .object(PyIterator {
                if started { try bar.progress()?.update(1) }
                started = true
                if let x = try next() { return x }
                try bar.progress()?.close()
                return nil
            })
        }
        t.def("update", ["n"], defaults: ["n": .int(1)], doc: "Advances the bar by n.") { _, v, a in
            try q(v).progress()?.update(try a[0].integer("n"))
            return .none
        }
        t.def("close", doc: "Shows the final state (or removes the bar when leave=False).") { _, v, _ in
            try q(v).progress()?.close()
            return .none
        }
        t.def("refresh", doc: "Redraws the bar (at most ten times a second in a notebook).") { _, v, _ in
            try q(v).progress()?.refresh()
            return .none
        }
        t.def("set_description", ["desc", "refresh"], defaults: ["desc": .none, "refresh": .bool(true)], doc: "Sets the text before the bar.") { interp, v, a in
            guard let live = try q(v).progress() else { return .none }
            live.bar.setDescription(try a[0].isNone ? "" : interp.str(a[0]))
            if a[1].truthy { live.refresh() }
            return .none
        }
        t.def("set_postfix", ["ordered_dict", "refresh"], defaults: ["ordered_dict": .none, "refresh": .bool(true)], varKeywords: true,
              doc: "set_postfix(loss=0.1, acc=0.9): key=value items after the rate; numbers shortened as tqdm does, keywords sorted.") { interp, v, a in
            guard let live = try q(v).progress() else { return .none }
            var items: [(String, String)] = []
            if let d = a[0].as(PyDict.self) {
                for (k, x) in d.entries { items.append((try interp.str(k), try postfixText(x, interp))) }
            } else if !a[0].isNone {
                throw PyException.typeError("set_postfix: ordered_dict must be a dict, not \(a[0].typeName)")
            }
            let kwargs = try a[2].as(PyDict.self)!.entries.map { (try $0.key.asString(), $0.value) }.sorted { $0.0 < $1.0 }
            for (k, x) in kwargs { items.append((k, try postfixText(x, interp))) }
            live.bar.setPostfix(items)
            if a[1].truthy { live.refresh() }
            return .none
        }
        t.def("set_postfix_str", ["s", "refresh"], defaults: ["s": .str(""), "refresh": .bool(true)],
              doc: "Shows s as it is after the rate.") { interp, v, a in
            guard let live = try q(v).progress() else { return .none }
            let text = try interp.str(a[0])
            live.bar.setPostfix(text.isEmpty ? [] : [("", text)])
            if a[1].truthy { live.refresh() }
            return .none
        }
        t.addStaticMethod("write", signature: "(s, file=None, end='\\n')",
                          doc: "Prints s (then end) without breaking the bars: to stdout, or to file when given.") { interp, args in
            let a = try writeSignature.bind(args)
            let text = try interp.str(a[0]) + interp.str(a[2])
            if a[1].isNone {
                interp.output.write(text, to: .stdout)
            } else {
                _ = try interp.call(try interp.getAttribute(a[1], "write"), [.str(text)])
            }
            return .none
        }
        t.def("__enter__") { _, v, _ in v }
        t.def("__exit__", [], varArgs: true) { _, v, _ in
            try q(v).progress()?.close()
            return .bool(false)
        }
        t.def("__len__") { interp, v, _ in
            if let total = try q(v).progress()?.bar.total { return .int(total) }
            return .int(try interp.length(q(v).iterable))
        }
        t.prop("n") { v in .int(try q(v).progress()?.bar.n ?? 0) }
        t.prop("total") { v in try q(v).progress()?.bar.total.map { .int($0) } ?? .none }
        t.prop("desc") { v in .str(try q(v).progress()?.bar.description ?? "") }
        t.def("__repr__") { _, v, _ in .str(try q(v).progress()?.bar.text() ?? "tqdm(disable=True)") }
        return t
    }()
}
