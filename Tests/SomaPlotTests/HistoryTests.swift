#if canImport(FoundationXML)
import FoundationXML
#endif
import Foundation
import XCTest
@testable import SomaPlot

final class HistoryTests: XCTestCase {
    func sample() -> History {
        let h = History()
        h.log(["epoch": 1, "train_loss": 0.9, "val_loss": 1.0, "val_acc": 0.61])
        h.log(["epoch": 2, "train_loss": 0.5, "val_loss": 0.7, "val_acc": 0.75])
        h.log(["epoch": 3, "train_loss": 0.31, "val_loss": 0.72, "val_acc": 0.805])
        return h
    }

    func testTextTable() {
        XCTAssertEqual(sample().text, """
        epoch  train_loss  val_loss  val_acc
            1      0.9000    1.0000   0.6100
            2      0.5000    0.7000   0.7500
            3      0.3100    0.7200   0.8050
        """)
    }

    func testColumnsInInsertionOrderAndMissingCells() {
        let h = History()
        h.log([("step", 1), ("loss", 2.5)])
        h.log([("step", 2), ("lr", 0.01), ("loss", 1.25)])
        XCTAssertEqual(h.columns, ["step", "loss", "lr"])
        XCTAssertEqual(h.column("lr"), [nil, 0.01])
        XCTAssertEqual(h.text.split(separator: "\n")[1], "   1  2.5000        ")
    }

    func testBest() throws {
        let h = sample()
        XCTAssertEqual(try h.best("val_acc")?.index, 2)
        XCTAssertEqual(try h.best("val_loss")?.index, 1)
        XCTAssertEqual(try h.best("val_loss", mode: .max)?.index, 0)
        XCTAssertEqual(try h.best("val_loss")?.values.first?.0, "epoch")
        XCTAssertThrowsError(try h.best("nope"))
    }

    func testBundleAndChart() throws {
        let b = sample().mimeBundle()
        XCTAssertEqual(b.mimeTypes, ["text/plain", "text/html", "image/svg+xml"])
        let html = try XMLDocument(xmlString: b["text/html"]!, options: [])
        XCTAssertEqual(try html.nodes(forXPath: "//th").count, 4)
        XCTAssertEqual(try html.nodes(forXPath: "//tr").count, 4)
        XCTAssertEqual(try html.nodes(forXPath: "//*[local-name()='svg']").count, 1, "the HTML shows the chart beside the table")
        let doc = try parseSVG(b["image/svg+xml"]!)
        XCTAssertEqual(try count(doc, "axes"), 2, "losses and accuracy on separate axes")
        XCTAssertEqual(try count(doc, "line"), 3)
        XCTAssertEqual(try count(doc, "legend-entry"), 3)
        XCTAssertEqual(try tickLabels(doc, "xtick").prefix(5).compactMap(Double.init).filter { $0 == $0.rounded() }.count, 5)
        let one = try parseSVG(try sample().plot("train_loss", "val_loss").svg())
        XCTAssertEqual(try count(one, "axes"), 1)
        XCTAssertEqual(try count(one, "line"), 2)
        XCTAssertThrowsError(try sample().plot("missing"))
    }
}
