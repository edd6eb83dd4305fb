import Foundation
import XCTest
import SomaTensor
@testable import SomaNN

/// An image folder generated at test time with libpng and libjpeg-turbo.
final class DataImageFolderTests: XCTestCase {
    func makeFolder() throws -> String {
        let root = NSTemporaryDirectory() + "soma-images-\(UUID().uuidString)"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: root) }
        for c in ["dog", "cat", "bird"] {
            try FileManager.default.createDirectory(atPath: root + "/" + c, withIntermediateDirectories: true)
        }
        // cat: a 4x3 RGB PNG and a grey PNG; dog: a JPEG; bird: an RGBA PNG; plus a stray text file.
        let rgb = try Image(width: 4, height: 3, channels: 3, pixels: (0..<36).map { UInt8($0 * 7) })
        try rgb.save(root + "/cat/b.png")
        try Image(width: 2, height: 2, channels: 1, pixels: [0, 85, 170, 255]).save(root + "/cat/a.png")
        let flat = try Image(width: 16, height: 8, channels: 3, pixels: [UInt8](repeating: 0, count: 16 * 8 * 3).enumerated().map { i, _ in
            [200, 100, 50][i % 3]
        })
        try flat.save(root + "/dog/x.jpg")
        try Image(width: 1, height: 1, channels: 4, pixels: [9, 8, 7, 128]).save(root + "/bird/p.png")
        _ = FileManager.default.createFile(atPath: root + "/bird/notes.txt", contents: Data("hi".utf8))
        return root
    }

    func testClassesSamplesAndDecoding() throws {
        let root = try makeFolder()
        let ds = try ImageFolder(root: root)
        XCTAssertEqual(ds.classes, ["bird", "cat", "dog"])
        XCTAssertEqual(ds.classToIdx, ["bird": 0, "cat": 1, "dog": 2])
        XCTAssertEqual(ds.samples.map { ($0.path as NSString).lastPathComponent }, ["p.png", "a.png", "b.png", "x.jpg"])
        XCTAssertEqual(ds.targets, [0, 1, 1, 2])
        XCTAssertEqual(ds.count, 4)
        // Everything comes back RGB, as torchvision's loader converts it.
        guard case .tuple(let s0) = try ds.item(at: 0), case .image(let bird) = s0[0] else { return XCTFail() }
        XCTAssertEqual(bird.pixels, [9, 8, 7])
        guard case .tuple(let s1) = try ds.item(at: 1), case .image(let grey) = s1[0] else { return XCTFail() }
        XCTAssertEqual(grey.pixels, [0, 0, 0, 85, 85, 85, 170, 170, 170, 255, 255, 255])
        guard case .tuple(let s2) = try ds.item(at: 2), case .image(let png) = s2[0] else { return XCTFail() }
        XCTAssertEqual(png.pixels, (0..<36).map { UInt8($0 * 7) })
        guard case .tuple(let s3) = try ds.item(at: 3), case .image(let jpg) = s3[0] else { return XCTFail() }
        XCTAssertEqual([jpg.width, jpg.height, jpg.channels], [16, 8, 3])
        // A flat colour survives JPEG within a couple of levels.
        for i in 0..<jpg.pixels.count { XCTAssertEqual(Double(jpg.pixels[i]), Double([200, 100, 50][i % 3]), accuracy: 3) }
    }

    func testBatchesWithTransforms() throws {
        let root = try makeFolder()
        let ds = try ImageFolder(root: root, transform: Compose([try Resize([4, 4]), ToTensor()]))
        var shapes: [[Int]] = [], labels: [Int] = []
        for b in try DataLoader(ds, batchSize: 3) {
            guard case .tuple(let p) = b else { return XCTFail() }
            shapes.append(p[0].tensor!.shape)
            labels += ints(p[1].tensor!)
        }
        XCTAssertEqual(shapes, [[3, 3, 4, 4], [1, 3, 4, 4]])
        XCTAssertEqual(labels, [0, 1, 1, 2])
        // Without ToTensor the loader explains what is missing.
        let it = try DataLoader(try ImageFolder(root: root), batchSize: 2).makeIterator()
        XCTAssertThrowsError(try it.nextBatch()) { e in
            XCTAssertTrue(((e as? NNError)?.message ?? "").contains("ToTensor"))
        }
    }

    func testBadImageFilesNameTheFile() throws {
        let root = try makeFolder()
        let png = try Data(contentsOf: URL(fileURLWithPath: root + "/cat/b.png"))
        _ = FileManager.default.createFile(atPath: root + "/cat/b.png", contents: png.prefix(png.count - 20))
        let jpg = try Data(contentsOf: URL(fileURLWithPath: root + "/dog/x.jpg"))
        _ = FileManager.default.createFile(atPath: root + "/dog/x.jpg", contents: jpg.prefix(40))
        _ = FileManager.default.createFile(atPath: root + "/bird/p.png", contents: Data("not an image".utf8))
        let ds = try ImageFolder(root: root)
        for (i, name) in [(0, "bird/p.png"), (2, "cat/b.png"), (3, "dog/x.jpg")] {
            XCTAssertThrowsError(try ds.item(at: i)) { e in
                let m = (e as? NNError)?.message ?? ""
                XCTAssertTrue(m.contains(root + "/" + name), m)
            }
        }
    }

    func testEmptyClassAndMissingRoot() throws {
        let root = try makeFolder()
        try FileManager.default.createDirectory(atPath: root + "/empty", withIntermediateDirectories: true)
        XCTAssertThrowsError(try ImageFolder(root: root)) { e in
            XCTAssertTrue(((e as? NNError)?.message ?? "").contains("Found no valid file for the classes empty"))
        }
        XCTAssertThrowsError(try ImageFolder(root: root + "/nope"))
    }
}
