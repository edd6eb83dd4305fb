#if canImport(FoundationXML)
import FoundationXML
#endif
import Foundation
import XCTest
@testable import SomaPlot

final class HelperTests: XCTestCase {
    func digit(_ k: Int) -> [[Double]] {
        (0..<28).map { r in (0..<28).map { c in Double((r * k + c * 3) % 17) / 16 } }
    }

    func testImageGridWithLabels() throws {
        let images = (0..<10).map(digit)
        let labels = ["T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Boot"]
        let fig = try imageGrid(images: images, labels: labels, cols: 4, labelColors: Array(repeating: "green", count: 9) + ["red"])
        let doc = try parseSVG(fig.svg())
        XCTAssertEqual(try count(doc, "axes"), 12, "3 rows of 4")
        XCTAssertEqual(try doc.nodes(forXPath: "//*[local-name()='image']").count, 10, "28×28 images go inline as PNG")
        XCTAssertEqual(try nodes(doc, "title").compactMap { $0.stringValue }, labels)
        XCTAssertEqual(try count(doc, "xtick"), 0, "no axes decorations")
        XCTAssertEqual(attr(try nodes(doc, "title").last, "fill"), "#ff0000")
        XCTAssertEqual(fig.altText, "<Figure 480x425 with 12 Axes: 10 images>".replacingOccurrences(of: "425", with: String(Int((3 * (1.2 + 0.22) * 100).rounded()))))
        XCTAssertThrowsError(try imageGrid(images: images, labels: ["a"]))
        let rgb = try imageGrid(rgbImages: [[[[1, 0, 0], [0, 0, 1]]]], labels: ["x"])
        XCTAssertEqual(try count(try parseSVG(rgb.svg()), "image"), 1)
    }

    func testConfusionMatrix() throws {
        let m = try confusionCounts(true: [0, 0, 1, 1, 2, 2, 2], predicted: [0, 1, 1, 1, 2, 0, 2], classes: 3)
        XCTAssertEqual(m, [[1, 1, 0], [0, 2, 0], [1, 0, 2]])
        let fig = try confusionMatrix(m, classNames: ["cat", "dog", "bird"])
        let doc = try parseSVG(fig.svg())
        let cells = try nodes(doc, "cell-text").compactMap { $0.stringValue }
        XCTAssertEqual(cells, ["1", "1", "0", "0", "2", "0", "1", "0", "2"])
        XCTAssertEqual(try tickLabels(doc, "xtick"), ["cat", "dog", "bird"])
        XCTAssertEqual(try tickLabels(doc, "ytick"), ["cat", "dog", "bird"])
        XCTAssertEqual(try nodes(doc, "xlabel").first?.stringValue, "Predicted")
        XCTAssertEqual(try doc.nodes(forXPath: "//*[@class='image']/*[local-name()='rect']").count, 8, "equal neighbours share one rect")
        // The darkest cells (the maximum, 2) carry white text.
        let twos = try nodes(doc, "cell-text").filter { $0.stringValue == "2" }
        XCTAssertTrue(twos.allSatisfy { attr($0, "fill") == "#ffffff" })
        let norm = try confusionMatrix(m, normalize: true)
        XCTAssertEqual(try nodes(try parseSVG(norm.svg()), "cell-text").first?.stringValue, "0.50")
        XCTAssertThrowsError(try confusionMatrix([[1, 2]]))
    }

    /// Writes sample SVGs when SOMA_PLOT_DEMO names a folder (to look at them).
    func testWriteDemos() throws {
        guard let dir = ProcessInfo.processInfo.environment["SOMA_PLOT_DEMO"] else { return }
        let x = (0..<200).map { -2.0 + 4.0 * Double($0) / 199 }
        let (fig, axs) = subplots(2, 2)
        try axs[0].plot(x, x.map { $0 * $0 * $0 + $0 * $0 - $0 - 1 }, "k-", label: "true")
        try axs[0].plot(x, x.map { 1.1 * $0 * $0 * $0 + 0.7 * $0 * $0 - $0 - 0.5 }, "r--", label: "prediction")
        let sx: [Double] = stride(from: -2.0, to: 2, by: 0.25).map { $0 }
        let sy: [Double] = sx.map { (v: Double) -> Double in v * v * v + v * v - v - 1 + sin(v * 7) }
        try axs[0].scatter(sx, sy, label: "samples")
        axs[0].legend(); axs[0].grid(); axs[0].title("y = x³ + x² − x − 1"); axs[0].xlabel("x"); axs[0].ylabel("y")
        let noise: [Double] = (0..<1000).map { (i: Int) -> Double in
            let u: Double = sin(Double(i) * 12.9898) * 43758.5453
            return u - u.rounded(.down) + sin(Double(i) * 0.37)
        }
        try axs[1].hist(noise, bins: 30)
        axs[1].title("hist")
        try axs[2].bar(categories: ["cat", "dog", "bird", "fish"], [3, 5, -2, 4], label: "counts")
        try axs[2].plot([1e-9, 2e-9], "o")
        try axs[3].plot([1, 10, 100, 1000, 10000], [1, 0.1, 0.05, 0.01, 0.004], "s-", label: "loss")
        try axs[3].xscale("log"); try axs[3].yscale("log"); axs[3].legend(); axs[3].grid()
        try fig.savefig(dir + "/subplots.svg")
        let h = History()
        for e in 1...12 { h.log([("epoch", Double(e)), ("train_loss", 1 / Double(e)), ("val_loss", 1.2 / Double(e) + 0.05), ("val_acc", 1 - 0.5 / Double(e))]) }
        try h.mimeBundle()["image/svg+xml"]!.write(toFile: dir + "/history.svg", atomically: true, encoding: .utf8)
        try (h.mimeBundle()["text/html"]! + "\n<pre>" + h.text + "</pre>").write(toFile: dir + "/history.html", atomically: true, encoding: .utf8)
        let names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
        let m = (0..<10).map { r in (0..<10).map { c in r == c ? 80 + r * 3 : (r * 7 + c * 3) % 9 } }
        try confusionMatrix(m, classNames: names).savefig(dir + "/confusion.svg")
        try imageGrid(images: (0..<16).map(digit), labels: (0..<16).map { names[$0 % 10] }, cols: 8).savefig(dir + "/grid.svg")
        let bar = ProgressBar(total: 1000, description: "Epoch 1")
        bar.update(450); bar.setPostfix(numbers: [("loss", 0.1234)])
        try bar.html.write(toFile: dir + "/progress.html", atomically: true, encoding: .utf8)
    }
}
