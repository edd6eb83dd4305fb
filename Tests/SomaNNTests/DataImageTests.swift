import Foundation
import XCTest
import SomaTensor
@testable import SomaNN

/// PNG and JPEG coding through libpng and libjpeg-turbo.
final class DataImageTests: XCTestCase {
    func gradient(_ w: Int, _ h: Int, _ c: Int) throws -> Image {
        var px = [UInt8](repeating: 0, count: w * h * c)
        for y in 0..<h { for x in 0..<w { for k in 0..<c { px[(y * w + x) * c + k] = UInt8((x * 3 + y * 2 + k * 40) % 256) } } }
        return try Image(width: w, height: h, channels: c, pixels: px)
    }

    func testPNGIsLosslessForEveryChannelCount() throws {
        for c in [1, 3, 4] {
            let img = try gradient(9, 5, c)
            let back = try Image.decode(try img.pngData(), name: "mem.png")
            XCTAssertEqual([back.width, back.height, back.channels], [9, 5, c])
            XCTAssertEqual(back.pixels, img.pixels)
        }
    }

    func testJPEGGreyAndColourStayClose() throws {
        for c in [1, 3] {
            let img = try gradient(32, 16, c)
            let back = try Image.decode(try img.jpegData(quality: 100), name: "mem.jpg")
            XCTAssertEqual([back.width, back.height, back.channels], [32, 16, c])
            let worst = zip(back.pixels, img.pixels).map { abs(Int($0) - Int($1)) }.max()!
            XCTAssertLessThanOrEqual(worst, 8, "channels \(c)")
        }
    }

    func testTruncatedJPEGScanIsAnError() throws {
        let data = try gradient(64, 64, 3).jpegData()
        XCTAssertThrowsError(try Image.decode(data.prefix(data.count * 2 / 3), name: "cut.jpg")) { e in
            let m = (e as? NNError)?.message ?? ""
            XCTAssertTrue(m.hasPrefix("cannot decode JPEG image 'cut.jpg'"), m)
        }
    }

    func testUnknownBytesAndBadSizes() throws {
        XCTAssertThrowsError(try Image.decode(Data("GIF89a".utf8), name: "x.gif")) { e in
            XCTAssertTrue(((e as? NNError)?.message ?? "").contains("cannot identify image file 'x.gif'"))
        }
        XCTAssertThrowsError(try Image(width: 2, height: 2, channels: 3, pixels: [1, 2, 3]))
        XCTAssertThrowsError(try Image(width: 1, height: 1, channels: 2, pixels: [1, 2]))
    }
}

/// Files written by PIL, decoded here and compared with PIL's `convert("RGB")`.
final class DataImagePILTests: XCTestCase {
    func testDecodingMatchesPIL() throws {
        let url = Bundle.module.url(forResource: "data_pil_decode", withExtension: "json", subdirectory: "Data")!
        let ref = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let files = ref["files"] as! [[String: Any]]
        XCTAssertEqual(files.count, 8)
        for f in files {
            let name = f["name"] as! String
            let img = try Image.decode(Data(base64Encoded: f["base64"] as! String)!, name: name).rgb()
            XCTAssertEqual([img.width, img.height], [(f["width"] as! NSNumber).intValue, (f["height"] as! NSNumber).intValue], name)
            XCTAssertEqual(img.pixels.map(Int.init), DataReference.ints(f["rgb"]!), name)
        }
    }
}
