import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import SomaPlot
import SomaScript
@testable import SomaRuntime

/// soma.plot, tqdm, soma.History and soma.fit, driven by language programs; the displays the sink recorded are checked.
final class RichOutputTests: XCTestCase {
    /// Runs `source` in a fresh session whose sink behaves like a kernel's (`rich`) or a terminal's.
    func run(_ source: String, rich: Bool = true, file: StaticString = #filePath, line: UInt = #line) -> (BufferOutputSink, Interpreter) {
        let sink = BufferOutputSink(rendersRichDisplays: rich)
        let interp = Interpreter(output: sink)
        SomaRuntime.install(into: interp)
        do {
            _ = try interp.execute(source, cellName: "test")
        } catch {
            XCTFail(interp.formatError(error), file: file, line: line)
        }
        return (sink, interp)
    }

    /// The exception name and message `source` raises.
    func error(_ source: String) -> (String, String)? {
        let interp = Interpreter(output: BufferOutputSink())
        SomaRuntime.install(into: interp)
        do {
            _ = try interp.execute(source, cellName: "test")
            return nil
        } catch {
            return interp.errorNameAndMessage(error)
        }
    }

    func svg(_ text: String?, file: StaticString = #filePath, line: UInt = #line) throws -> XMLDocument {
        let text = try XCTUnwrap(text, "no image/svg+xml", file: file, line: line)
        let doc = try XMLDocument(xmlString: text, options: [])
        XCTAssertEqual(doc.rootElement()?.name, "svg", file: file, line: line)
        XCTAssertTrue(text.contains(" viewBox=\""), file: file, line: line)
        return doc
    }

    func count(_ doc: XMLDocument, _ cls: String) throws -> Int { try doc.nodes(forXPath: "//*[@class='\(cls)']").count }

    func testShowSendsTheFigureAsSVGAndStartsANewOne() throws {
        let (sink, _) = run("""
            import soma as torch
            from soma import plot as plt
            x = torch.linspace(-2, 2, 41)
            plt.figure(figsize=(5, 3))
            plt.plot(x, x ** 3, 'r--', label='cube')
            plt.plot(range(5), [0, 1, 4, 9, 16], 'o-', label='squares')
            plt.scatter([0, 1], [1, 0], label='points')
            plt.xlabel('x'); plt.ylabel('y'); plt.title('curves'); plt.legend(); plt.grid()
            plt.show()
            plt.show()
            plt.bar(['a', 'b', 'c'], torch.tensor([3, 1, 2]))
            plt.show()
            """)
        XCTAssertEqual(sink.displayLog.count, 2, "the second show() has no figure to show")
        let first = sink.displayLog[0].bundle
        XCTAssertEqual(first["text/plain"], "<Figure 500x300 with 1 Axes: 2 lines, 1 scatter series>")
        let doc = try svg(first["image/svg+xml"])
        XCTAssertEqual(try count(doc, "line"), 2)
        XCTAssertEqual(try count(doc, "scatter"), 1)
        XCTAssertEqual(try count(doc, "legend-entry"), 3)
        XCTAssertTrue(first["image/svg+xml"]!.contains("viewBox=\"0 0 500 300\""))
        let bars = try svg(sink.displayLog[1].bundle["image/svg+xml"])
        XCTAssertEqual(try bars.nodes(forXPath: "//*[@class='xtick']").compactMap { $0.stringValue }, ["a", "b", "c"])
    }

    func testSubplotsAxesIndexLikeNumPy() throws {
        let (sink, _) = run("""
            from soma import plot as plt
            fig, axes = plt.subplots(2, 3, figsize=(9, 5))
            print(axes.shape, len(axes), len(axes[0]))
            axes[0, 1].plot([1, 2, 3])
            axes[1][2].hist([1, 2, 2, 3, 3, 3], bins=3)
            axes[1, 0].imshow([[0, 1], [1, 0]], cmap='gray')
            axes[0][0].set_title('first')
            for ax in axes.flatten():
                ax.grid()
            fig, ax = plt.subplots()
            ax.plot([1, 2], [3, 4])
            fig, row = plt.subplots(1, 2)
            row[1].plot([1, 2])
            row[1].legend(['only'])
            print(type(ax).__name__, row.shape)
            fig
            """)
        XCTAssertEqual(sink.stdout, "(2, 3) 2 3\nAxes (2,)\n")
        XCTAssertTrue(sink.displayLog.isEmpty, "nothing is shown without show()")
        let (errSink, _) = run("""
            from soma import plot as plt
            fig, axes = plt.subplots(2, 2)
            axes[0, 0].plot([1, 2, 3])
            axes[1, 1].imshow([[0.0, 1.0]])
            display(fig)
            """)
        let doc = try svg(errSink.displays.first?["image/svg+xml"])
        XCTAssertEqual(try count(doc, "axes"), 4)
        XCTAssertEqual(try count(doc, "line"), 1)
        XCTAssertEqual(try count(doc, "image"), 1)
    }

    func testBadPlotInputIsAPythonError() {
        let prelude = "import soma as torch\nfrom soma import plot as plt\n"
        XCTAssertEqual(error(prelude + "plt.plot([1, 2, 3], [1, 2])")?.1, "x and y must have same first dimension, but have shapes (3,) and (2,)")
        XCTAssertEqual(error(prelude + "plt.plot([1, 2], 'q')")?.0, "ValueError")
        XCTAssertEqual(error(prelude + "plt.imshow(torch.zeros(3, 8, 8))")?.1,
                       "Invalid shape (3, 8, 8) for image data (channels first: use img.permute(1, 2, 0))")
        XCTAssertEqual(error(prelude + "plt.plot(torch.zeros(3, 4))")?.1, "y must be 1-D, got a tensor of shape [3, 4]")
        XCTAssertEqual(error(prelude + "plt.plot(['a', 'b'], [1, 2])")?.1, "x must be a sequence of numbers, found str")
        XCTAssertEqual(error(prelude + "plt.imshow([[1.0]], cmap='jet')")?.0, "ValueError")
        XCTAssertEqual(error(prelude + "plt.xscale('logit')")?.0, "ValueError")
        XCTAssertEqual(error(prelude + "fig, axes = plt.subplots(2, 2)\naxes[2, 0]")?.1, "index 2 is out of bounds for axis 0 with size 2")
        XCTAssertEqual(error(prelude + "plt.figure(figsize=(0, 3))")?.0, "ValueError")
        XCTAssertEqual(error(prelude + "plt.plot([1, 2])\nplt.legend(['a', 'b'])")?.1, "legend got 2 labels but the axes have 1 series")
        XCTAssertEqual(error(prelude + "plt.confusion_matrix([0, 1], [1, 5], classes=2)")?.0, "ValueError")
        XCTAssertEqual(error(prelude + "plt.plot(y=[1])")?.0, "TypeError")
    }

    func testSavefigWritesTheCurrentFigure() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("soma-\(UUID()).svg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (sink, _) = run("""
            from soma import plot as plt
            plt.plot([1, 10, 100], [1, 2, 3])
            plt.xscale('log')
            plt.savefig('\(path)')
            """, rich: false)
        XCTAssertTrue(sink.displayLog.isEmpty)
        let doc = try svg(try String(contentsOfFile: path, encoding: .utf8))
        XCTAssertEqual(try count(doc, "line"), 1)
    }

    func testImageGridAndConfusionMatrix() throws {
        let (sink, _) = run("""
            import soma as torch
            from soma import plot as plt
            torch.manual_seed(0)
            grey = torch.rand(6, 1, 8, 8)
            plt.image_grid(grey, labels=['a', 'b', 'c', 'd', 'e', 'f'], ncols=3, label_colors=['green'] * 5 + ['red'])
            plt.show()
            rgb = torch.rand(2, 3, 4, 4) * 2 - 1
            plt.image_grid(rgb, labels=['x', 'y'])
            plt.show()
            plt.confusion_matrix(torch.tensor([0, 1, 2, 2]), torch.tensor([0, 2, 2, 2]), classes=['cat', 'dog', 'emu'])
            plt.show()
            """)
        XCTAssertEqual(sink.displayLog.count, 3)
        let grid = try svg(sink.displays[0]["image/svg+xml"])
        XCTAssertEqual(try count(grid, "image"), 6)
        XCTAssertEqual(try count(grid, "axes"), 6)
        XCTAssertTrue(sink.displays[0]["image/svg+xml"]!.contains(">f</text>"))
        XCTAssertEqual(try count(svg(sink.displays[1]["image/svg+xml"]), "image"), 2)
        let cm = sink.displays[2]["image/svg+xml"]!
        _ = try svg(cm)
        XCTAssertTrue(cm.contains(">emu</text>") && cm.contains(">Predicted</text>"))
    }

    func testTqdmInAKernelSendsAtMostTenUpdatesASecond() throws {
        let start = Date()
        let (sink, _) = run("""
            from soma import tqdm
            total = 0
            bar = tqdm(range(50000), desc='steps')
            for i in bar:
                total += i
                if i % 1000 == 0:
                    bar.set_postfix(loss=1.0 / (i + 1))
            print(total, bar.n)
            """)
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(sink.stdout, "1249975000 50000\n")
        XCTAssertEqual(sink.stderr, "")
        let log = sink.displayLog
        XCTAssertEqual(Set(log.compactMap(\.displayID)).count, 1, "one display, updated in place")
        XCTAssertFalse(log[0].update)
        XCTAssertTrue(log.dropFirst().allSatisfy(\.update))
        XCTAssertLessThanOrEqual(log.count, Int(elapsed * 10) + 4, "\(log.count) messages in \(elapsed) s")
        let last = try XCTUnwrap(log.last?.bundle)
        XCTAssertTrue(last["text/plain"]!.hasPrefix("steps: 100%|██████████| 50000/50000 ["), last["text/plain"]!)
        XCTAssertTrue(last["text/plain"]!.contains("loss=2.04e-5]"), last["text/plain"]!)
        XCTAssertTrue(last["text/html"]!.contains("aria-valuenow=\"50000\""))
    }

    func testTqdmInATerminalDrawsACarriageReturnLine() {
        let (sink, _) = run("""
            from soma import tqdm
            with tqdm(total=4, desc='work', ascii=True) as bar:
                for i in range(4):
                    bar.update()
            for x in tqdm([1, 2], leave=False):
                pass
            for x in tqdm([1, 2], disable=True):
                pass
            """, rich: false)
        XCTAssertTrue(sink.displayLog.isEmpty)
        let lines = sink.stderr.components(separatedBy: "\n")
        XCTAssertTrue(lines[0].hasPrefix("\rwork:   0%|          | 0/4 ["), lines[0])
        XCTAssertTrue(lines[0].contains("\rwork: 100%|##########| 4/4 ["), lines[0])
        XCTAssertEqual(lines.count, 2, "the leave=False bar ends by clearing its line, not with a newline")
        XCTAssertTrue(lines[1].hasSuffix("\r") && lines[1].contains("2/2"), lines[1])
    }

    func testTrangeInitialPostfixStringAndWrite() throws {
        let (sink, _) = run("""
            from soma import tqdm, trange
            for i in trange(2, 8, 2, desc='even', ascii=True):
                tqdm.write(f'step {i}')
            bar = tqdm(total=10, initial=4, ascii=True)
            bar.set_postfix_str('lr=0.1 ')
            bar.update(6)
            bar.close()
            print(bar.n, len(trange(5)))
            """, rich: false)
        XCTAssertEqual(sink.stdout, "step 2\nstep 4\nstep 6\n10 5\n")
        let lines = sink.stderr.components(separatedBy: "\n")
        XCTAssertTrue(lines[0].hasPrefix("\reven:   0%|          | 0/3 ["), lines[0])
        XCTAssertTrue(lines[0].contains("| 3/3 ["), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("\r 40%|####      | 4/10 ["), lines[1])
        XCTAssertTrue(lines[1].contains("| 10/10 [") && lines[1].trimmingCharacters(in: .whitespaces).hasSuffix("it/s, lr=0.1]"), lines[1])
        XCTAssertEqual(error("from soma import tqdm\ntqdm(total=3, initial=-1)")?.1, "initial must be non-negative, got -1")
    }

    func testTqdmErrors() {
        XCTAssertEqual(error("from soma import tqdm\nfor x in tqdm(total=3):\n    pass")?.0, "TypeError")
        XCTAssertEqual(error("from soma import tqdm\ntqdm(total=-1)")?.0, "ValueError")
        XCTAssertEqual(error("from soma import tqdm\ntqdm([1], colour='red')")?.1, "tqdm.__init__() got an unexpected keyword argument 'colour'")
    }

    func testHistoryShowsATableAndAChart() throws {
        let (sink, _) = run("""
            import soma as torch
            h = torch.History()
            for epoch in range(1, 4):
                h.log(epoch=epoch, train_loss=1.0 / epoch, val_loss=1.5 / epoch, val_acc=torch.tensor(0.5 + epoch / 10))
            print(len(h), h.columns)
            print(h.best('val_acc')['epoch'], h.best('val_loss')['epoch'], h.best('val_acc', mode='min')['epoch'])
            print(h['epoch'], h[-1]['train_loss'])
            display(h)
            display(h.plot('val_acc'))
            """)
        XCTAssertEqual(sink.stdout, "3 ['epoch', 'train_loss', 'val_loss', 'val_acc']\n3 3 1\n[1, 2, 3] 0.3333333333333333\n")
        let b = try XCTUnwrap(sink.displays.first)
        XCTAssertEqual(b["text/plain"]?.components(separatedBy: "\n").first, "epoch  train_loss  val_loss  val_acc")
        XCTAssertTrue(b["text/html"]!.contains("<table") && b["text/html"]!.contains("<svg"))
        let chart = try svg(b["image/svg+xml"])
        XCTAssertEqual(try count(chart, "line"), 3, "train_loss and val_loss on one axes, val_acc on the other")
        XCTAssertEqual(try count(chart, "axes"), 2)
        XCTAssertEqual(try count(svg(sink.displays[1]["image/svg+xml"]), "line"), 1)
        XCTAssertEqual(error("import soma\nsoma.History().log(loss='x')")?.0, "TypeError")
        XCTAssertEqual(error("import soma\nh = soma.History()\nh.log(a=1)\nh.best('b')")?.0, "ValueError")
    }

    static let fitProgram = """
        import soma as torch
        import soma.nn as nn
        from soma.utils.data import DataLoader, TensorDataset
        torch.manual_seed(0)
        n = 512
        y = (torch.rand(n) > 0.5).long()
        x = torch.randn(n, 2) * 0.6 + y.float().unsqueeze(1) * 2.0
        train = DataLoader(TensorDataset(x[:384], y[:384]), batch_size=32, shuffle=True)
        val = DataLoader(TensorDataset(x[384:], y[384:]), batch_size=64)
        model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Dropout(0.1), nn.Linear(16, 2))
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
        history = torch.fit(model, train, nn.CrossEntropyLoss(), opt, epochs=4, val_loader=val, scheduler=sched)
        print(history.columns)
        print(len(history), model.training, opt.param_groups[0]['lr'])
        """

    func testFitTrainsAndShowsBarsAndATableUpdatedInPlace() throws {
        let (sink, interp) = run(Self.fitProgram)
        XCTAssertEqual(sink.stdout, "['epoch', 'train_loss', 'train_acc', 'val_loss', 'val_acc']\n4 False 0.025\n")
        let h = try XCTUnwrap(interp.globals["history"]?.as(HistoryModule.PyHistory.self)).history
        let loss = h.column("train_loss").compactMap { $0 }, acc = h.column("val_acc").compactMap { $0 }
        XCTAssertLessThan(loss.last!, loss.first!)
        XCTAssertGreaterThan(acc.last!, 0.9)
        XCTAssertTrue(acc.allSatisfy { (0...1).contains($0) })
        let log = sink.displayLog
        let ids = Array(Set(log.compactMap(\.displayID)))
        XCTAssertEqual(ids.count, 2, "one display for the epoch bars, one for the table")
        XCTAssertEqual(log.filter { !$0.update }.count, 2)
        let tables = log.filter { $0.bundle["text/html"]?.contains("<table") == true }
        XCTAssertEqual(tables.count, 4, "the table is shown after each epoch")
        XCTAssertEqual(try count(svg(tables.last!.bundle["image/svg+xml"]), "line"), 4)
        XCTAssertLessThanOrEqual(log.count, 4 * 12 + 4)
        let bars = log.last { $0.bundle["text/html"]?.contains("soma-fit") == true }!.bundle["text/plain"]!
        XCTAssertEqual(bars.components(separatedBy: "\n").count, 4, bars)
        XCTAssertTrue(bars.hasPrefix("Epoch 1/4: 100%|██████████| 12/12 ["), bars)
    }

    func testFitInATerminalPrintsOneLinePerEpoch() {
        let (sink, _) = run(Self.fitProgram, rich: false)
        XCTAssertTrue(sink.displayLog.isEmpty)
        let lines = sink.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("epoch ") }
        XCTAssertEqual(lines.count, 4)
        XCTAssertTrue(lines[0].hasPrefix("epoch 1/4: train_loss="), lines[0])
        XCTAssertTrue(sink.stderr.contains("\rEpoch 4/4: 100%"))
        XCTAssertEqual(error("import soma\nsoma.fit(None, [(1, 2, 3)], None, None)")?.0, "AttributeError")
        XCTAssertEqual(error("import soma\nimport soma.nn as nn\nm = nn.Linear(1, 1)\nsoma.fit(m, [], nn.MSELoss(), soma.optim.SGD(m.parameters(), lr=0.1), metrics=['f1'])")?.1,
                       "fit: unknown metric 'f1'; use 'accuracy' or a function f(outputs, targets)")
    }

    func testAFigureDrawnButNotShownAppearsAfterTheNotebookCell() throws {
        let (sink, interp) = run("""
            from soma import plot as plt
            plt.plot([1, 2, 3], [1, 4, 9])
            """)
        XCTAssertTrue(sink.displayLog.isEmpty, "nothing before the cell ends")
        try interp.runPostCellHooks()
        XCTAssertEqual(sink.displayLog.count, 1)
        _ = try svg(sink.displayLog[0].bundle["image/svg+xml"])
        try interp.runPostCellHooks()
        XCTAssertEqual(sink.displayLog.count, 1, "shown once, then a new figure starts")
        let (terminal, terminalInterp) = run("from soma import plot as plt\nplt.plot([1, 2], [3, 4])", rich: false)
        try terminalInterp.runPostCellHooks()
        XCTAssertTrue(terminal.displayLog.isEmpty, "outside a notebook, figures appear only on show()")
    }

    func testRcParamsFigsizeSizesFiguresMadeWithoutOne() throws {
        let (sink, _) = run("""
            from soma import plot as plt
            print(plt.rcParams['figure.figsize'])
            plt.rcParams['figure.figsize'] = [10, 4]
            plt.rcParams.update({'font.size': 20})
            plt.plot([1, 2], [3, 4]); plt.show()
            plt.rcParams['figure.figsize'] = (3, 3)
            fig, axes = plt.subplots(1, 2); axes[0].plot([1, 2], [3, 4]); plt.show()
            plt.figure(figsize=(8, 2)); plt.plot([1, 2], [3, 4]); plt.show()
            plt.rcParams['figure.figsize'] = 'large'
            plt.plot([1, 2], [3, 4]); plt.show()
            """)
        XCTAssertEqual(sink.stdout, "[6.4, 4.8]\n")
        let ratios = try sink.displays.map { bundle -> Double in
            let text = try XCTUnwrap(bundle["image/svg+xml"])
            _ = try svg(text)
            let box = try XCTUnwrap(text.range(of: #"viewBox="[^"]*""#, options: .regularExpression))
            let v = text[box].dropFirst(9).dropLast().split(separator: " ").compactMap { Double($0) }
            return v[2] / v[3]
        }
        XCTAssertEqual(ratios.count, 4)
        for (got, want) in zip(ratios, [10.0 / 4, 1, 4, 6.4 / 4.8]) { XCTAssertEqual(got, want, accuracy: 0.02) }
    }

    func testASmall2DTensorIsAlsoAnHTMLTable() throws {
        let (sink, interp) = run("")
        for (source, rows, cells) in [("torch.tensor([[1.5, -2.0], [0.25, 3.0]])", 2, ["1.5000", "-2.0000", "0.2500", "3.0000"]),
                                      ("torch.tensor([[1, 2, 3]])", 1, ["1", "2", "3"]),
                                      ("torch.tensor([[True], [False]])", 2, ["True", "False"]),
                                      ("torch.tensor([[1e-6, 1.0]])", 1, ["1.0000e-06", "1.0000e+00"])] {
            let bundle = try interp.mimeBundle(try XCTUnwrap(interp.execute("import soma as torch\n" + source, cellName: "t")))
            let doc = try XMLDocument(xmlString: try XCTUnwrap(bundle["text/html"], source), options: [])
            XCTAssertEqual(try doc.nodes(forXPath: "//tr").count, rows, source)
            XCTAssertEqual(try doc.nodes(forXPath: "//td").map { $0.stringValue ?? "" }, cells, source)
            XCTAssertEqual(bundle["text/plain"], try interp.repr(try XCTUnwrap(interp.execute(source, cellName: "t"))))
        }
        for source in ["torch.zeros(21, 2)", "torch.zeros(3)", "torch.zeros(2, 2, 2)", "torch.tensor(1.0)"] {
            let bundle = try interp.mimeBundle(try XCTUnwrap(interp.execute("import soma as torch\n" + source, cellName: "t")))
            XCTAssertNil(bundle["text/html"], source)
        }
        XCTAssertTrue(sink.displayLog.isEmpty)
    }

    func testClearOutputReachesTheSink() {
        let (sink, _) = run("clear_output(wait=True)\nclear_output()")
        XCTAssertEqual(sink.clearCount, 2)
    }
}
