import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import SomaPlot

/// Parses an SVG (failing the test when it is not well-formed XML) for XPath queries.
func parseSVG(_ svg: String, file: StaticString = #filePath, line: UInt = #line) throws -> XMLDocument {
    let doc = try XMLDocument(xmlString: svg, options: [])
    let root = try XCTUnwrap(doc.rootElement(), file: file, line: line)
    XCTAssertEqual(root.localName ?? root.name, "svg", file: file, line: line)
    XCTAssertNotNil(attr(root, "viewBox"), file: file, line: line)
    XCTAssertFalse(svg.contains("<script"), file: file, line: line)
    XCTAssertFalse(svg.contains("http://") && svg.replacingOccurrences(of: "http://www.w3.org/", with: "").contains("http://"), file: file, line: line)
    return doc
}

/// Elements with the class `cls`.
func nodes(_ doc: XMLDocument, _ cls: String) throws -> [XMLNode] {
    try doc.nodes(forXPath: "//*[@class='\(cls)']")
}

func count(_ doc: XMLDocument, _ cls: String) throws -> Int { try nodes(doc, cls).count }

/// The texts of tick labels of an axis ("xtick" or "ytick"), in document order.
func tickLabels(_ doc: XMLDocument, _ cls: String) throws -> [String] {
    try doc.nodes(forXPath: "//*[@class='\(cls)']").compactMap { n in
        (n as? XMLElement)?.children?.first { $0.localName == "text" || $0.name == "text" }?.stringValue
    }
}

struct Reference: Decodable {
    struct Hist: Decodable { var name: String; var data: [Double]; var bins: Int; var range: [Double]?; var counts: [Int]; var edges: [Double] }
    struct Explicit: Decodable { var edges: [Double]; var data: [Double]; var counts: [Int] }
    struct MeterArgs: Decodable {
        var n: Int; var total: Int?; var elapsed: Double; var prefix: String?; var postfix: String?
        var ncols: Int?; var ascii: Bool?; var rate: Double?; var unit: String?
    }
    struct Meter: Decodable { var args: MeterArgs; var line: String }
    struct Num: Decodable { var value: Double; var isInt: Bool; var text: String }
    struct Interval: Decodable { var t: Double; var text: String }
    var histograms: [Hist]
    var explicit_histograms: [Explicit]
    var meters: [Meter]
    var numbers: [Num]
    var intervals: [Interval]

    static func load() throws -> Reference {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "reference", withExtension: "json", subdirectory: "Data"))
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }
}

/// Inflates a zlib stream made of stored deflate blocks, checking its Adler-32.
func inflateStored(_ z: [UInt8]) throws -> [UInt8] {
    XCTAssertEqual(z[0] & 0x0f, 8)
    XCTAssertEqual((UInt16(z[0]) << 8 | UInt16(z[1])) % 31, 0)
    var i = 2, out = [UInt8]()
    while true {
        let header = z[i]; i += 1
        XCTAssertEqual((header >> 1) & 3, 0, "only stored blocks expected")
        let len = Int(z[i]) | Int(z[i + 1]) << 8, nlen = Int(z[i + 2]) | Int(z[i + 3]) << 8
        XCTAssertEqual(len ^ 0xffff, nlen)
        i += 4
        out += z[i..<(i + len)]; i += len
        if header & 1 == 1 { break }
    }
    let adler = UInt32(z[i]) << 24 | UInt32(z[i + 1]) << 16 | UInt32(z[i + 2]) << 8 | UInt32(z[i + 3])
    XCTAssertEqual(adler, PNG.adler32(out))
    return out
}

/// Decodes a PNG written by `PNG.encode` (8-bit, filter 0): width, height, channels, pixels; checks every chunk's CRC.
func decodePNG(_ png: [UInt8]) throws -> (Int, Int, Int, [UInt8]) {
    XCTAssertEqual(Array(png[0..<8]), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    var i = 8, w = 0, h = 0, ch = 0, idat = [UInt8]()
    func be(_ k: Int) -> Int { Int(png[k]) << 24 | Int(png[k + 1]) << 16 | Int(png[k + 2]) << 8 | Int(png[k + 3]) }
    while i < png.count {
        let len = be(i)
        let type = String(decoding: png[(i + 4)..<(i + 8)], as: UTF8.self)
        let data = Array(png[(i + 8)..<(i + 8 + len)])
        XCTAssertEqual(UInt32(be(i + 8 + len)), PNG.crc32(Array(png[(i + 4)..<(i + 8 + len)])), "CRC of \(type)")
        if type == "IHDR" { w = be(i + 8); h = be(i + 12); ch = data[9] == 2 ? 3 : 1; XCTAssertEqual(data[8], 8) }
        if type == "IDAT" { idat += data }
        i += 12 + len
    }
    let raw = try inflateStored(idat)
    var px = [UInt8]()
    for r in 0..<h {
        let stride: Int = w * ch + 1
        let start: Int = r * stride
        XCTAssertEqual(raw[start], 0)
        px.append(contentsOf: raw[(start + 1)..<(start + stride)])
    }
    return (w, h, ch, px)
}

/// An attribute's value (FoundationXML on Linux does not find attributes by name on elements in a default namespace).
func attr(_ n: XMLNode?, _ name: String) -> String? {
    (n as? XMLElement)?.attributes?.first { ($0.localName ?? $0.name) == name || $0.name == name }?.stringValue
}
