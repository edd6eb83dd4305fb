import Foundation
import XCTest
import SomaTensor
@testable import SomaNN

/// Fashion-MNIST from Debian's files, checked against an independent gzip + numpy reader.
final class DataMNISTTests: XCTestCase {
    static let root = "/usr/share/datasets/fashion-mnist"

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: Self.root + "/train-labels-idx1-ubyte.gz"),
                          "dataset-fashion-mnist is not installed")
    }

    func check(_ ds: FashionMNIST, _ split: String) throws {
        let ref = DataReference.object("fashion_mnist", split) as! [String: Any]
        let n = (ref["count"] as! NSNumber).intValue
        XCTAssertEqual(ds.count, n)
        XCTAssertEqual(ds.targets.shape, [n])
        XCTAssertEqual(ds.targets.dtype, .int64)
        XCTAssertEqual(ints(try ds.targets.slice(0, start: 0, end: 20)), DataReference.ints(ref["first_labels"]!))
        var counts = [Int](repeating: 0, count: 10)
        var weighted = 0
        let t = ds.targets.unsafeData(as: Int64.self)
        for i in 0..<n {
            counts[Int(t[i])] += 1
            weighted = (weighted + Int(t[i]) * i) % 1_000_000_007
        }
        XCTAssertEqual(counts, DataReference.ints(ref["label_counts"]!))
        XCTAssertEqual(weighted, (ref["label_weighted_sum"] as! NSNumber).intValue)
        XCTAssertEqual(ds.pixels.reduce(0) { $0 + Int($1) }, (ref["pixel_sum"] as! NSNumber).intValue)
        let img = ds.image(at: 0)
        XCTAssertEqual([img.height, img.width, img.channels], [28, 28, 1])
        XCTAssertEqual(img.pixels[14 * 28..<15 * 28].map(Int.init), DataReference.ints(ref["image0_row14"]!))
        XCTAssertEqual(ds.image(at: n - 1).pixels.reduce(0) { $0 + Int($1) }, (ref["last_image_sum"] as! NSNumber).intValue)
    }

    func testTrainAndTestMatchIndependentReader() throws {
        let train = try FashionMNIST()
        try check(train, "train")
        try check(try FashionMNIST(root: Self.root, train: false), "test")
        XCTAssertEqual(train.classes.first, "T-shirt/top")
        XCTAssertEqual(train.classes.count, 10)
        XCTAssertEqual(train.classToIdx["Ankle boot"], 9)
    }

    func testDataTensorAndItem() throws {
        let ds = try FashionMNIST(train: false)
        XCTAssertEqual(try ds.data.shape, [10000, 28, 28])
        XCTAssertEqual(try ds.data.dtype, .int64)
        let ref = DataReference.object("fashion_mnist", "test") as! [String: Any]
        XCTAssertEqual(ints(try ds.data.select(0, 0).select(0, 14)), DataReference.ints(ref["image0_row14"]!))
        guard case .tuple(let s) = try ds.item(at: 0), case .image(let img) = s[0], case .int(let label) = s[1] else {
            return XCTFail("item is not (Image, int)")
        }
        XCTAssertEqual(img.mode, "L")
        XCTAssertEqual(label, DataReference.ints(ref["first_labels"]!)[0])
    }

    func testNormalizedBatchesEqualPerSampleTransforms() throws {
        let tf = Compose([ToTensor(), try Normalize(mean: [0.5], std: [0.5])])
        let ds = try FashionMNIST(train: false, transform: tf)
        let ref = DataReference.object("fashion_mnist", "test") as! [String: Any]
        // Per sample: the generic transform path.
        guard case .tuple(let s) = try ds.item(at: 0) else { return XCTFail() }
        let x0 = s[0].tensor!
        XCTAssertEqual(x0.shape, [1, 28, 28])
        let row = try x0.select(0, 0).select(0, 14).doubles()
        for (a, b) in zip(row, DataReference.doubles(ref["image0_normalized_row14"]!)) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        // Fast batch path equals collating the per-sample results exactly.
        let idx = [0, 17, 9999, 3]
        guard case .tuple(let fast)? = try ds.batch(at: idx),
              case .tuple(let slow) = try defaultCollate(try idx.map { try ds.item(at: $0) }) else { return XCTFail() }
        XCTAssertEqual(fast[0].tensor!.shape, [4, 1, 28, 28])
        XCTAssertTrue(fast[0].tensor!.equal(slow[0].tensor!))
        XCTAssertTrue(fast[1].tensor!.equal(slow[1].tensor!))
    }

    func testShuffledEpochOrderAndSpeed() throws {
        let ds = try FashionMNIST(transform: Compose([ToTensor(), try Normalize(mean: [0.2860], std: [0.3530])]))
        manualSeed(0)
        let loader = try DataLoader(ds, batchSize: 64, shuffle: true)
        XCTAssertEqual(try loader.count, 938)
        let start = Date()
        var batches = 0, samples = 0
        var firstLabels: [Int] = []
        for b in loader {
            guard case .tuple(let p) = b else { return XCTFail() }
            if batches == 0 { firstLabels = ints(p[1].tensor!) }
            batches += 1
            samples += p[0].tensor!.shape[0]
        }
        let seconds = Date().timeIntervalSince(start)
        print("Fashion-MNIST epoch of 938 batches of 64: \(String(format: "%.3f", seconds)) s")
        XCTAssertEqual(batches, 938)
        XCTAssertEqual(samples, 60000)
        XCTAssertEqual(firstLabels, DataReference.ints(DataReference.object("fashion_shuffled_first_batch_labels")))
    }

    func testGzipMembersGrowthAndCorruption() throws {
        let gz = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.root + "/t10k-labels-idx1-ubyte.gz")))
        let one = try gz.withUnsafeBufferPointer { try FileBytes.gunzip($0, name: "one.gz") }
        XCTAssertEqual(one.count, 8 + 10000)
        XCTAssertEqual(Array(one[0..<4]), [0, 0, 8, 1])
        // Two members back to back: the trailer's size is only the last member's, so the
        // output has to grow.
        let two = try (gz + gz).withUnsafeBufferPointer { try FileBytes.gunzip($0, name: "two.gz") }
        XCTAssertEqual(two, one + one)
        var bad = gz
        for i in 40..<60 { bad[i] ^= 0xA5 }
        XCTAssertThrowsError(try bad.withUnsafeBufferPointer { try FileBytes.gunzip($0, name: "bad.gz") }) { e in
            let m = (e as? NNError)?.message ?? ""
            XCTAssertTrue(m.contains("'bad.gz' is a corrupt gzip file") || m.contains("'bad.gz' is truncated"), m)
        }
    }

    func testTextFormLikeTorchvision() throws {
        let ds = try FashionMNIST(train: false, transform: Compose([ToTensor(), try Normalize(mean: [0.5], std: [0.5])]))
        XCTAssertEqual(ds.description, """
            Dataset FashionMNIST
                Number of datapoints: 10000
                Root location: /usr/share/datasets/fashion-mnist
                Split: Test
                StandardTransform
            Transform: Compose(
                           ToTensor()
                           Normalize(mean=[0.5], std=[0.5])
                       )
            """)
        XCTAssertEqual(try FashionMNIST(train: false).description, """
            Dataset FashionMNIST
                Number of datapoints: 10000
                Root location: /usr/share/datasets/fashion-mnist
                Split: Test
            """)
    }

    func testMissingFilesSayHowToGetThem() throws {
        XCTAssertThrowsError(try FashionMNIST(root: "/nonexistent/fmnist")) { e in
            let m = (e as? NNError)?.message ?? ""
            XCTAssertTrue(m.contains("/nonexistent/fmnist/train-images-idx3-ubyte"), m)
            XCTAssertTrue(m.contains("apt-get install dataset-fashion-mnist"), m)
        }
    }

    func tempDir() throws -> String {
        let d = NSTemporaryDirectory() + "soma-idx-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: d) }
        return d
    }

    /// Writes a small MNIST-format pair of plain IDX files.
    func writeIDX(_ dir: String, images: [UInt8]? = nil, labels: [UInt8]? = nil, n: Int = 2) {
        var img: [UInt8] = [0, 0, 8, 3, 0, 0, 0, UInt8(n), 0, 0, 0, 2, 0, 0, 0, 3]
        img += (0..<(n * 6)).map { UInt8($0 * 10) }
        _ = FileManager.default.createFile(atPath: dir + "/train-images-idx3-ubyte", contents: Data(images ?? img))
        let lab: [UInt8] = [0, 0, 8, 1, 0, 0, 0, UInt8(n)] + (0..<n).map { UInt8($0 + 3) }
        _ = FileManager.default.createFile(atPath: dir + "/train-labels-idx1-ubyte", contents: Data(labels ?? lab))
    }

    func testPlainIDXFilesAndMNISTClasses() throws {
        let dir = try tempDir()
        writeIDX(dir)
        let ds = try MNIST(root: dir)
        XCTAssertEqual(ds.count, 2)
        XCTAssertEqual(try ds.data.shape, [2, 2, 3])
        XCTAssertEqual(ints(try ds.data), (0..<12).map { $0 * 10 })
        XCTAssertEqual(ints(ds.targets), [3, 4])
        XCTAssertEqual(ds.classes[0], "0 - zero")
    }

    func testCorruptAndTruncatedFilesNameTheFile() throws {
        let dir = try tempDir()
        writeIDX(dir, images: [0, 0, 9, 3, 0, 0, 0, 2])
        XCTAssertThrowsError(try MNIST(root: dir)) { e in
            let m = (e as? NNError)?.message ?? ""
            XCTAssertTrue(m.contains(dir + "/train-images-idx3-ubyte") && m.contains("magic number 0x00000903"), m)
        }
        writeIDX(dir, images: [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3])
        XCTAssertThrowsError(try MNIST(root: dir)) { e in
            let m = (e as? NNError)?.message ?? ""
            XCTAssertTrue(m.contains("train-images-idx3-ubyte' is truncated") && m.contains("12 bytes of data, the file has 3"), m)
        }
        // A truncated gzip file.
        try FileManager.default.removeItem(atPath: dir + "/train-images-idx3-ubyte")
        let gz = try Data(contentsOf: URL(fileURLWithPath: Self.root + "/t10k-labels-idx1-ubyte.gz"))
        _ = FileManager.default.createFile(atPath: dir + "/train-images-idx3-ubyte.gz", contents: gz.prefix(gz.count / 2))
        XCTAssertThrowsError(try MNIST(root: dir)) { e in
            let m = (e as? NNError)?.message ?? ""
            XCTAssertTrue(m.contains("train-images-idx3-ubyte.gz' is truncated"), m)
        }
        _ = FileManager.default.createFile(atPath: dir + "/train-images-idx3-ubyte.gz", contents: Data([1, 2, 3, 4]))
        XCTAssertThrowsError(try MNIST(root: dir)) { e in
            XCTAssertTrue(((e as? NNError)?.message ?? "").contains("is not a gzip file"))
        }
    }
}
