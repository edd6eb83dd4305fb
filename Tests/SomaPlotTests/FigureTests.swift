#if canImport(FoundationXML)
import FoundationXML
#endif
import Foundation
import XCTest
@testable import SomaPlot

final class FigureTests: XCTestCase {
    func numbers(_ labels: [String]) -> [Double] { labels.compactMap { Double($0) } }

    func testLinesTicksLegend() throws {
        let fig = Figure()
        let ax = fig.gca()
        let x = (0..<50).map { Double($0) / 10 }
        try ax.plot(x, x.map { $0 * $0 }, "r--", label: "x²")
        try ax.plot(x, x.map { 3 * $0 }, "o-", label: "3x")
        try ax.plot(x, x.map { 10 - $0 }, "g:")
        ax.xlabel("x"); ax.ylabel("y <&> \"quoted\""); ax.title("Curves"); ax.legend(); ax.grid()
        let b = fig.mimeBundle()
        XCTAssertEqual(b.mimeTypes, ["text/plain", "image/svg+xml"])
        XCTAssertEqual(b.plain, "<Figure 640x480 with 1 Axes: 3 lines>")
        let doc = try parseSVG(b["image/svg+xml"]!)
        XCTAssertEqual(try count(doc, "line"), 3)
        XCTAssertEqual(try count(doc, "markers"), 1)
        XCTAssertEqual(try count(doc, "marker"), 50)
        XCTAssertEqual(try count(doc, "legend"), 1)
        XCTAssertEqual(try count(doc, "legend-entry"), 2, "the unlabelled line has no entry")
        let xt = numbers(try tickLabels(doc, "xtick")), yt = numbers(try tickLabels(doc, "ytick"))
        XCTAssertEqual(xt, [0, 1, 2, 3, 4, 5])
        XCTAssertGreaterThanOrEqual(yt.count, 4)
        XCTAssertEqual(try nodes(doc, "ylabel").first?.stringValue, "y <&> \"quoted\"")
        let dashed = try doc.nodes(forXPath: "//*[@class='line' and @stroke-dasharray]")
        XCTAssertEqual(dashed.count, 2)
    }

    func testLegendAvoidsData() throws {
        // Data fills the upper right: the legend must go elsewhere.
        let fig = Figure()
        let x = (0..<100).map { Double($0) / 99 }
        try fig.gca().plot(x, x.map { $0 * $0 * $0 }, label: "cubic")
        try fig.gca().scatter(x.map { 0.7 + 0.3 * $0 }, x.map { 0.7 + 0.3 * $0.squareRoot() }, label: "cloud")
        fig.gca().legend()
        let doc = try parseSVG(fig.svg())
        let loc = attr(try nodes(doc, "legend").first, "data-loc")
        XCTAssertEqual(loc, "upper left")
        XCTAssertEqual(try count(doc, "point"), 100)
    }

    func testNonFiniteSkippedWithNote() throws {
        let fig = Figure()
        try fig.gca().plot([0, 1, 2, 3, 4], [1, .nan, 3, .infinity, 5], "o-")
        XCTAssertEqual(fig.altText, "<Figure 640x480 with 1 Axes: 1 lines; 2 non-finite values skipped>".replacingOccurrences(of: "1 lines", with: "1 line"))
        let doc = try parseSVG(fig.svg())
        XCTAssertEqual(try count(doc, "marker"), 3)
        let d = attr(try nodes(doc, "line").first, "d") ?? ""
        XCTAssertEqual(d.filter { $0 == "M" }.count, 3, "the line breaks at each gap")
        XCTAssertTrue(try doc.nodes(forXPath: "//*[local-name()='title']").first?.stringValue?.contains("skipped") ?? false)
    }

    func testAwkwardRangesProduceNiceLabels() throws {
        let cases: [[Double]] = [[-7, -3, -0.5], [1e-9, 2e-9, 3.5e-9], [0, 4e11, 1e12], [42], [3, 3, 3, 3]]
        for ys in cases {
            let fig = Figure()
            try fig.gca().plot(ys, "o")
            let doc = try parseSVG(fig.svg())
            let labels = try tickLabels(doc, "ytick")
            XCTAssertGreaterThanOrEqual(labels.count, 2, "\(ys)")
            XCTAssertEqual(Set(labels).count, labels.count, "distinct labels for \(ys): \(labels)")
            let vals = labels.compactMap(Double.init)
            XCTAssertEqual(vals.count, labels.count, "parsable labels \(labels)")
            XCTAssertEqual(vals, vals.sorted(), "\(labels)")
        }
    }

    func testTickLabelsDoNotOverlap() throws {
        let fig = Figure(figsize: (2.5, 2))
        try fig.gca().plot([123456789, 987654321], [0, 1])
        let doc = try parseSVG(fig.svg())
        let xs = try nodes(doc, "xtick").compactMap { n -> (Double, String)? in
            guard let t = (n as? XMLElement)?.children?.first(where: { $0.localName == "text" }), let x = attr(t, "x") else { return nil }
            return (Double(x)!, t.stringValue ?? "")
        }
        XCTAssertGreaterThanOrEqual(xs.count, 2)
        for (a, b) in zip(xs, xs.dropFirst()) {
            XCTAssertGreaterThan(b.0 - a.0, (textWidth(a.1, size: 11) + textWidth(b.1, size: 11)) / 2, "\(a.1) and \(b.1) overlap")
        }
    }

    func testLogScale() throws {
        let fig = Figure()
        let ax = fig.gca()
        try ax.plot([1, 2, 3, 4, 5], [1e-3, 1e-1, 10, 1e3, 0], "o-")
        try ax.yscale("log")
        let doc = try parseSVG(fig.svg())
        XCTAssertEqual(try tickLabels(doc, "ytick"), ["0.001", "0.01", "0.1", "1", "10", "100", "1000"])
        XCTAssertTrue(fig.altText.contains("1 non-finite value skipped"))
        XCTAssertThrowsError(try ax.xscale("symlog"))
    }

    func testLimitsScatterBarHistText() throws {
        let fig = Figure()
        let axs = fig.subplots(2, 2)
        try axs[0].scatter([1, 2, 3], [3, 1, 2], label: "pts")
        axs[0].xlim(0, 10); axs[0].ylim(-1, 1)
        try axs[0].text(0.5, 0.5, "note")
        try axs[1].bar(categories: ["cat", "dog", "bird"], [3, 5, 2])
        let h = try axs[2].hist([1, 2, 2, 3, 3, 3, 4, 4, 4, 4], bins: 4, label: "h")
        XCTAssertEqual(h.counts, [1, 2, 3, 4])
        axs[2].legend()
        try axs[3].bar([1, 2], [-1, 2])
        let doc = try parseSVG(fig.svg())
        XCTAssertEqual(fig.altText, "<Figure 640x480 with 4 Axes: 1 scatter series, 2 bar series, 1 histogram, 1 text>")
        XCTAssertEqual(try count(doc, "axes"), 4)
        XCTAssertEqual(try count(doc, "point"), 3)
        XCTAssertEqual(try count(doc, "bar"), 3 + 4 + 2)
        XCTAssertEqual(try count(doc, "legend-entry"), 1)
        XCTAssertEqual(try count(doc, "text"), 1)
        let allX = try tickLabels(doc, "xtick")
        let first = allX.prefix { Double($0) != nil }.compactMap(Double.init)
        XCTAssertEqual(first.first, 0, "xlim 0...10: \(allX)"); XCTAssertEqual(first.last, 10, "xlim 0...10: \(allX)")
        XCTAssertTrue(allX.contains("dog"))
    }

    func testImshowSmallAsRects() throws {
        let fig = Figure()
        try fig.gca().imshow([[0, 1, 2], [3, 4, 5]], cmap: "gray")
        try fig.gca().imshow(rgb: [[[1, 0, 0], [0, 1, 0]], [[0, 0, 1], [1, 1, 1]]])
        let doc = try parseSVG(fig.svg())
        XCTAssertEqual(try count(doc, "image"), 2)
        let rects = try doc.nodes(forXPath: "//*[@class='image']/*[local-name()='rect']")
        XCTAssertEqual(rects.count, 6 + 4)
        let fills = rects.compactMap { attr($0, "fill") }
        XCTAssertEqual(fills.first, "#000000"); XCTAssertEqual(fills[5], "#ffffff")
        XCTAssertEqual(Array(fills.suffix(4)), ["#ff0000", "#00ff00", "#0000ff", "#ffffff"])
        XCTAssertThrowsError(try fig.gca().imshow([[1, 2], [3]]))
        XCTAssertThrowsError(try fig.gca().imshow([[1]], cmap: "jet"))
    }

    func testUniqueClipIDsAcrossFigures() throws {
        let a = Figure(), b = Figure()
        let ida = try nodes(try parseSVG(a.svg()), "data").first.flatMap { attr($0, "clip-path") }
        let idb = try nodes(try parseSVG(b.svg()), "data").first.flatMap { attr($0, "clip-path") }
        XCTAssertNotNil(ida); XCTAssertNotEqual(ida, idb)
    }

    func testEscapingAndSavefig() throws {
        let fig = Figure(figsize: (3, 2))
        fig.gca().title("a < b & \u{1} c")
        try fig.gca().plot([1, 2], [1, 2], label: "<tag>")
        fig.gca().legend()
        _ = try parseSVG(fig.svg())
        let path = NSTemporaryDirectory() + "soma-plot-test-\(getpid()).svg"
        try fig.savefig(path)
        _ = try parseSVG(try String(contentsOfFile: path, encoding: .utf8))
        try? FileManager.default.removeItem(atPath: path)
        XCTAssertThrowsError(try fig.gca().plot([1, 2, 3], [1, 2]))
        XCTAssertThrowsError(try fig.gca().plot([1], [1], "zz"))
    }
}

final class DegenerateInputTests: XCTestCase {
    func testEverythingStillParses() throws {
        let setups: [(String, (Axes) throws -> Void)] = [
            ("all NaN", { try $0.plot([.nan, .nan], [.nan, .infinity]) }),
            ("empty", { try $0.plot([], []) }),
            ("log of non-positive", { a in try a.plot([1, 2], [-1, 0]); try a.yscale("log") }),
            ("reversed limits", { a in try a.plot([0, 1, 2], [2, 1, 0]); a.xlim(2, 0) }),
            ("huge and tiny together", { try $0.scatter([1e-300, 1e300], [-1e300, 1e300]) }),
            ("constant series", { try $0.plot([1, 2, 3, 4], [7, 7, 7, 7], "o-") }),
            ("single point", { try $0.plot([3], [1e12], "x") }),
            ("hist of one value", { try $0.hist([2, 2, 2], bins: 5) }),
            ("negative bars", { try $0.bar([0, 1], [-3, -1e-9]) }),
            ("big line", { a in let x = (0..<100_000).map(Double.init); try a.plot(x, x.map { sin($0 / 1000) }) }),
        ]
        for (name, setup) in setups {
            let fig = Figure()
            try setup(fig.gca())
            fig.gca().legend()
            let doc = try parseSVG(fig.svg())
            let labels = try tickLabels(doc, "xtick") + tickLabels(doc, "ytick")
            XCTAssertGreaterThanOrEqual(labels.count, 4, name)
            XCTAssertFalse(labels.contains { $0.contains("nan") || $0.contains("inf") }, "\(name): \(labels)")
            XCTAssertFalse(fig.svg().contains("NaN"), name)
        }
    }
}
