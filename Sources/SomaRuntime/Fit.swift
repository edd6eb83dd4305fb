import Foundation
import SomaPlot
import SomaScript
import SomaTensor

/// `soma.fit(model, train_loader, loss_fn, optimizer, epochs, val_loader=None, metrics=["accuracy"], scheduler=None)`:
/// the usual training loop with a progress bar per epoch and a History table and chart updated in place.
enum Fit {
    /// The epochs' progress bars as one output: finished bars stay, the running one moves. In a notebook one display
    /// updated in place, at most every 0.1 s and every tenth of the epoch, so a long fit sends few messages; in a
    /// terminal tqdm's carriage-return line on stderr.
    final class EpochBars {
        let sink: OutputSink
        let display: LiveDisplay?
        var finished: [ProgressBar] = []
        var current: ProgressBar?
        var lastDrawTime = 0.0
        var lastDrawN = 0

        init(_ interp: Interpreter) {
            sink = interp.output
            display = sink.rendersRichDisplays ? LiveDisplay(interp) : nil
        }

        func start(_ bar: ProgressBar) {
            current = bar
            draw()
        }

        func advance(loss: Double) {
            guard let bar = current else { return }
            bar.update(1)
            bar.setPostfix(numbers: [("loss", loss)])
            let now = ProgressBar.monotonic()
            let step = display == nil ? 1 : max(1, (bar.total ?? 0) / 10)
            if now - lastDrawTime >= 0.1 && bar.n - lastDrawN >= step { draw() }
        }

        func finish() {
            guard let bar = current else { return }
            bar.close()
            draw()
            if display == nil { sink.write("\n", to: .stderr) }
            finished.append(bar)
            current = nil
        }

        func draw() {
            lastDrawTime = ProgressBar.monotonic()
            lastDrawN = current?.n ?? 0
            guard let display else {
                if let bar = current { sink.write(bar.terminalLine(), to: .stderr) }
                return
            }
            let bars = finished + (current.map { [$0] } ?? [])
            display.show(MimeBundle([("text/plain", bars.map { $0.text() }.joined(separator: "\n")),
                                     ("text/html", "<div class=\"soma-fit\">" + bars.map(\.html).joined() + "</div>")]))
        }
    }

    /// A metric: accuracy, or a function `f(outputs, targets)` giving a number per batch.
    enum Metric {
        case accuracy(threshold: Double)
        case function(String, Value)

        var name: String {
            switch self {
            case .accuracy: return "acc"
            case .function(let n, _): return n
            }
        }
    }

    /// Sums over an epoch, weighted by batch size.
    struct Totals {
        var samples = 0
        var loss = 0.0
        var metrics: [Double]

        init(_ count: Int) { metrics = Array(repeating: 0, count: count) }

        func mean(_ v: Double) -> Double { samples > 0 ? v / Double(samples) : .nan }
    }

    static func tensor(_ v: Value, _ what: String) throws -> Tensor {
        guard let t = v.as(PyTensor.self)?.tensor else { throw PyException.typeError("fit: \(what) must be a tensor, got \(v.typeName)") }
        return t
    }

    /// How many of a batch's predictions are right: the arg-max class against integer or one-hot targets, or for a
    /// single output per sample, the output above `threshold` against a 0/1 target.
    static func correct(_ out: Tensor, _ y: Tensor, threshold: Double) throws -> Double {
        try GradMode.with(enabled: false) {
            if out.dim == 2 && out.shape[1] > 1 {
                let target = y.dim == 2 && y.shape == out.shape ? try y.argmax(dim: 1) : y
                return try out.argmax(dim: 1).eq(target.reshape([-1])).sum().item().double
            }
            let predicted = try out.reshape([-1]).gt(Tensor.scalar(.double(threshold)))
            let truth = try y.reshape([-1]).gt(Tensor.scalar(.double(0.5)))
            return try predicted.eq(truth).sum().item().double
        }
    }

    /// Runs one pass over `loader`; trains (backward and optimizer step per batch) when `optimizer` is given.
    static func epoch(_ interp: Interpreter, model: Value, loader: Value, lossFn: Value, optimizer: Value?, metrics: [Metric],
                      bars: EpochBars?) throws -> Totals {
        var totals = Totals(metrics.count)
        let next = try interp.makeIterator(loader)
        while let batch = try next() {
            guard let pair = batch.sequenceItems(), pair.count == 2 else {
                throw PyException.valueError("fit: each batch must be (inputs, targets), got \(batch.typeName)")
            }
            if let optimizer { _ = try interp.call(try interp.getAttribute(optimizer, "zero_grad")) }
            let out = try interp.call(model, [pair[0]])
            let loss = try interp.call(lossFn, [out, pair[1]])
            if let optimizer {
                _ = try interp.call(try interp.getAttribute(loss, "backward"))
                _ = try interp.call(try interp.getAttribute(optimizer, "step"))
            }
            let o = try tensor(out, "the model's output"), y = try tensor(pair[1], "the targets"), l = try tensor(loss, "the loss")
            guard l.numel == 1 else { throw PyException.valueError("fit: the loss must be a single number, got shape \(l.shape)") }
            let n = o.dim == 0 ? 1 : o.shape[0]
            totals.samples += n
            totals.loss += try l.item().double * Double(n)
            for (i, m) in metrics.enumerated() {
                switch m {
                case .accuracy(let threshold): totals.metrics[i] += try correct(o, y, threshold: threshold)
                case .function(_, let f):
                    let v = try GradMode.with(enabled: false) { try interp.call(f, [out, pair[1]]) }
                    totals.metrics[i] += try v.number("metric \(m.name)") * Double(n)
                }
            }
            bars?.advance(loss: totals.mean(totals.loss))
        }
        return totals
    }

    static func metrics(_ v: Value, _ lossFn: Value, _ interp: Interpreter) throws -> [Metric] {
        if v.isNone { return [] }
        return try interp.iterate(v).map { item in
            if case .str(let s) = item {
                guard s == "accuracy" || s == "acc" else {
                    throw PyException.valueError("fit: unknown metric '\(s)'; use 'accuracy' or a function f(outputs, targets)")
                }
                // Logits (BCEWithLogitsLoss) are right above 0, probabilities above 0.5.
                return .accuracy(threshold: lossFn.typeName == "BCEWithLogitsLoss" ? 0 : 0.5)
            }
            let name = (try? interp.getAttribute(item, "__name__")).flatMap { if case .str(let s) = $0 { return s } else { return nil } } ?? "metric"
            return .function(name, item)
        }
    }

    static func install(into m: PyModule) {
        m.def("fit", ["model", "train_loader", "loss_fn", "optimizer", "epochs", "val_loader", "metrics", "scheduler"],
              defaults: ["epochs": .int(1), "val_loader": .none, "metrics": .object(PyList([.str("accuracy")])), "scheduler": .none],
              doc: """
              fit(model, train_loader, loss_fn, optimizer, epochs=1, val_loader=None, metrics=["accuracy"], scheduler=None) -> History
              Trains for `epochs` (model.train(), zero_grad, forward, loss, backward, step per batch), then evaluates
              val_loader under no_grad in model.eval() mode, steps the scheduler once per epoch (ReduceLROnPlateau with the
              validation loss) and logs epoch, train_loss, train_acc, val_loss, val_acc. Shows a progress bar per epoch
              and the History, updated in place after each epoch; returns the History.
              """) { interp, a in
            let (model, train, lossFn, optimizer, valLoader, scheduler) = (a[0], a[1], a[2], a[3], a[5], a[7])
            let epochs = try a[4].integer("epochs")
            guard epochs >= 0 else { throw PyException.valueError("fit: epochs must be non-negative, got \(epochs)") }
            let metricList = try metrics(a[6], lossFn, interp)
            let result = HistoryModule.PyHistory(type: HistoryModule.historyType, hasDict: true)
            let history = result.history
            let bars = EpochBars(interp)
            let table = interp.output.rendersRichDisplays ? LiveDisplay(interp) : nil
            let batches = try? interp.length(train)
            for e in stride(from: 1, through: epochs, by: 1) {
                _ = try interp.call(try interp.getAttribute(model, "train"))
                bars.start(ProgressBar(total: batches, description: "Epoch \(e)/\(epochs)", unit: "batch"))
                let t = try epoch(interp, model: model, loader: train, lossFn: lossFn, optimizer: optimizer, metrics: metricList, bars: bars)
                bars.finish()
                var row: [(String, Double)] = [("epoch", Double(e)), ("train_loss", t.mean(t.loss))]
                row += zip(metricList, t.metrics).map { ("train_" + $0.name, t.mean($1)) }
                var valLoss: Double?
                if !valLoader.isNone {
                    _ = try interp.call(try interp.getAttribute(model, "eval"))
                    let v = try GradMode.with(enabled: false) {
                        try epoch(interp, model: model, loader: valLoader, lossFn: lossFn, optimizer: nil, metrics: metricList, bars: nil)
                    }
                    valLoss = v.mean(v.loss)
                    row.append(("val_loss", v.mean(v.loss)))
                    row += zip(metricList, v.metrics).map { ("val_" + $0.name, v.mean($1)) }
                }
                if !scheduler.isNone {
                    let step = try interp.getAttribute(scheduler, "step")
                    if scheduler.as(OptimModule.PyScheduler.self)?.plateau != nil {
                        _ = try interp.call(step, [.float(valLoss ?? t.mean(t.loss))])
                    } else {
                        _ = try interp.call(step)
                    }
                }
                history.log(row)
                if let table {
                    table.show(history.mimeBundle())
                } else {
                    let cells = row.dropFirst().map { "\($0.0)=\(String(format: "%.4f", $0.1))" }
                    interp.print("epoch \(e)/\(epochs): " + cells.joined(separator: "  ") + "\n")
                }
            }
            return .object(result)
        }
    }
}
