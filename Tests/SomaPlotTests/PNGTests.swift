#if canImport(FoundationXML)
import FoundationXML
#endif
import Foundation
import XCTest
@testable import SomaPlot

final class PNGTests: XCTestCase {
    func testChecksums() {
        XCTAssertEqual(PNG.crc32(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(PNG.adler32(Array("Wikipedia".utf8)), 0x11E6_0398)
    }

    func testRoundTripRGBAndGrey() throws {
        let w = 37, h = 23
        var rgb = [UInt8]()
        for y in 0..<h { for x in 0..<w { rgb += [UInt8(x * 7 & 255), UInt8(y * 11 & 255), UInt8((x ^ y) & 255)] } }
        let (dw, dh, ch, px) = try decodePNG(PNG.encodeRGB(width: w, height: h, pixels: rgb))
        XCTAssertEqual([dw, dh, ch], [w, h, 3])
        XCTAssertEqual(px, rgb)
        let grey = (0..<(300 * 300)).map { UInt8($0 % 251) }  // > 64 KiB: several stored blocks
        let g = try decodePNG(PNG.encode(width: 300, height: 300, channels: 1, pixels: grey))
        XCTAssertEqual(g.3, grey)
    }

    func testLargeImageIsInlinedAsPNG() throws {
        let img = (0..<40).map { r in (0..<50).map { c in Double(r * c) } }
        let fig = Figure()
        try fig.gca().imshow(img, cmap: "gray")
        let svg = fig.svg()
        let doc = try parseSVG(svg)
        let images = try doc.nodes(forXPath: "//*[local-name()='image']")
        XCTAssertEqual(images.count, 1)
        let href = try XCTUnwrap((images[0] as? XMLElement)?.attributes?.first { ($0.localName ?? $0.name) == "href" || $0.name == "xlink:href" }?.stringValue)
        XCTAssertTrue(href.hasPrefix("data:image/png;base64,"))
        let png = [UInt8](try XCTUnwrap(Data(base64Encoded: String(href.dropFirst("data:image/png;base64,".count)))))
        let (w, h, ch, px) = try decodePNG(png)
        XCTAssertEqual([w, h, ch], [50, 40, 3])
        // gray colour map from min 0 to max 39*49: pixel (r, c) has level r*c/1911.
        for (r, c) in [(0, 0), (39, 49), (10, 20), (25, 3)] {
            let expected = UInt8((Double(r * c) / 1911 * 255).rounded())
            XCTAssertEqual(px[(r * 50 + c) * 3], expected)
        }
    }
}
