import XCTest
@testable import SomaPlot
final class MimeBundleTests: XCTestCase {
    func testPlainAlwaysPresent() { XCTAssertEqual(MimeBundle([("text/html", "<b>x</b>")]).mimeTypes, ["text/plain", "text/html"]) }
}
