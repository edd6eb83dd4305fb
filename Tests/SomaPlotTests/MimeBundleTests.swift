import XCTest
@testable import SomaPlot
final class MimeBundleTests: XCTestCase {
    func testPlainAlwaysPresent() { XCTAssertEqual(MimeBundle([("text/html", "<b>x</b>")]).mimeTypes, ["text/plain", "text/html"]) }
}

final class PlotStateTests: XCTestCase {
    func testShowStartsANewFigure() throws {
        let plt = PlotState()
        XCTAssertNil(plt.show())
        try plt.gca().plot([1, 2, 3], "o-")
        let b = try XCTUnwrap(plt.show())
        XCTAssertEqual(b.plain, "<Figure 640x480 with 1 Axes: 1 line>")
        XCTAssertNotNil(b["image/svg+xml"])
        XCTAssertNil(plt.current)
        let (_, axs) = plt.subplots(1, 2)
        XCTAssertEqual(axs.count, 2)
        XCTAssertTrue(plt.gcf().axes[1] === axs[1])
    }

    func testBundleOrderAndReplacement() {
        var b = MimeBundle(plain: "x")
        b["image/svg+xml"] = "<svg/>"
        b["text/html"] = "<b>x</b>"
        b["text/plain"] = "y"
        XCTAssertEqual(b.mimeTypes, ["text/plain", "image/svg+xml", "text/html"])
        XCTAssertEqual(b.dictionary["text/plain"], "y")
        b["text/plain"] = nil
        XCTAssertEqual(b.plain, "y", "text/plain cannot be removed")
    }
}
