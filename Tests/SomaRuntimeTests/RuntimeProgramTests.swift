import Foundation
import XCTest
import SomaScript
import SomaNN
@testable import SomaRuntime

/// The tutorials' programs (imports changed to Soma's) against the output CPython with PyTorch printed
/// for the same programs (`Programs/*.expected`, made by `generate_expected.py`): text equal, numbers
/// equal to 1e-4 relative.
final class RuntimeProgramTests: XCTestCase {
    static let programs = Bundle.module.url(forResource: "Programs", withExtension: nil)!

    func run(_ source: String, file: String, argv: [String] = [""]) throws -> String {
        let out = BufferOutputSink()
        let interp = Interpreter(output: out, argv: argv)
        SomaRuntime.install(into: interp)
        do {
            _ = try interp.execute(source, cellName: file)
        } catch {
            XCTFail("\(file): \(interp.formatError(error))")
        }
        return out.stdout
    }

    /// Splits text into number and non-number tokens.
    static func tokens(_ s: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: "-?[0-9]+(\\.[0-9]+)?(e[-+][0-9]+)?")
        var out: [String] = []
        var last = s.startIndex
        for m in pattern.matches(in: s, range: NSRange(s.startIndex..., in: s)) {
            let r = Range(m.range, in: s)!
            if last < r.lowerBound { out.append(String(s[last..<r.lowerBound])) }
            out.append(String(s[r]))
            last = r.upperBound
        }
        if last < s.endIndex { out.append(String(s[last...])) }
        return out
    }

    func assertSameOutput(_ actual: String, _ expected: String, _ name: String) {
        let a = actual.components(separatedBy: "\n"), e = expected.components(separatedBy: "\n")
        XCTAssertEqual(a.count, e.count, "\(name): line count\n--- soma\n\(actual)\n--- pytorch\n\(expected)")
        for (i, (la, le)) in zip(a, e).enumerated() {
            let ta = Self.tokens(la), te = Self.tokens(le)
            var same = ta.count == te.count
            if same {
                for (x, y) in zip(ta, te) where x != y {
                    guard let dx = Double(x), let dy = Double(y), Swift.abs(dx - dy) <= 1e-4 * Swift.max(1, Swift.abs(dy)) else {
                        same = false
                        break
                    }
                }
            }
            if !same {
                XCTFail("\(name) line \(i + 1):\n  soma:    \(la)\n  pytorch: \(le)")
                return
            }
        }
    }

    func testTutorialProgramsPrintWhatPyTorchPrints() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.programs, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "py" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        XCTAssertGreaterThanOrEqual(files.count, 4)
        for url in files {
            let expected = try String(contentsOf: url.deletingPathExtension().appendingPathExtension("expected"), encoding: .utf8)
            let actual = try run(try String(contentsOf: url, encoding: .utf8), file: url.lastPathComponent)
            assertSameOutput(actual, expected, url.lastPathComponent)
        }
    }

    /// shared/seeds/002_*: the MNIST ANN tutorial on Fashion-MNIST trains, evaluates and saves a checkpoint
    /// that loads back; one epoch reaches what PyTorch reaches with the same recipe (83.2%, bench/README.md).
    func testFashionMNISTTutorialTrainsAndSavesACheckpoint() throws {
        let url = Bundle.module.url(forResource: "Tutorials/seed002_fashion_mnist", withExtension: "py")!
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("soma-\(UUID())")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let out = try run(try String(contentsOf: url, encoding: .utf8), file: "seed002_fashion_mnist.py", argv: ["seed002", tmp.path])
        let lines = out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.filter { $0.hasPrefix("[Epoch 1, Batch ") }.count, 3, out)
        let accuracyLine = try XCTUnwrap(lines.first { $0.hasPrefix("Accuracy of the network on the 10000 test images: ") }, out)
        let accuracy = try XCTUnwrap(Double(accuracyLine.dropFirst("Accuracy of the network on the 10000 test images: ".count).dropLast()))
        XCTAssertGreaterThan(accuracy, 80, "one epoch of seed 002's recipe")
        XCTAssertEqual(lines.last, "<All keys matched successfully>")
        XCTAssertTrue(FileManager.default.fileExists(atPath: tmp.appendingPathComponent("best_epoch_1.safetensors").path))
    }

    /// A weather-like image folder: `train/` and `test/` with one folder of noisy single-colour PNGs per class.
    static func makeImageFolder(at root: URL, train: Int, test: Int) throws {
        let colours: [(String, [Int])] = [("Cloudy", [128, 128, 128]), ("Rain", [40, 60, 200]), ("Shine", [240, 220, 40]),
                                          ("Sunrise", [230, 100, 40])]
        var seed: UInt64 = 1
        func noise() -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(seed >> 59) * 4 - 30
        }
        for (split, count) in [("train", train), ("test", test)] {
            for (name, rgb) in colours {
                let dir = root.appendingPathComponent("\(split)/\(name)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                for i in 0..<count {
                    let pixels = (0..<(24 * 16)).flatMap { _ in rgb.map { UInt8(Swift.max(0, Swift.min(255, $0 + noise()))) } }
                    try Image(width: 24, height: 16, channels: 3, pixels: pixels).save(dir.appendingPathComponent("\(i).png").path)
                }
            }
        }
    }

    /// shared/seeds/003_*: the ImageFolder classifier (train/validation split, dropout, lr schedule through
    /// param_groups, best checkpoints) trains on a generated folder, reports its accuracy and saves checkpoints
    /// that load back.
    func testImageFolderTutorialTrainsAndKeepsTheBestCheckpoint() throws {
        let url = Bundle.module.url(forResource: "Tutorials/seed003_image_folder", withExtension: "py")!
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("soma-\(UUID())")
        defer { try? FileManager.default.removeItem(at: tmp) }
        try Self.makeImageFolder(at: tmp, train: 10, test: 3)
        let out = try run(try String(contentsOf: url, encoding: .utf8), file: "seed003_image_folder.py", argv: ["seed003", tmp.path])
        let lines = out.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.first?.hasPrefix("torch.Size([32, 3, 256, 256]) [") ?? false, out)
        XCTAssertEqual(lines.filter { $0.hasPrefix("[Epoch: ") && $0.hasSuffix(" - Training]") }.count, 8, out)
        XCTAssertEqual(lines.filter { $0.hasPrefix("lr: ") }, ["0.01", "0.01", "0.01", "0.001", "0.001", "0.001", "0.001", "0.0001"].map { "lr: " + $0 })
        // Every "best" epoch left its checkpoint; the last one is always written.
        var epoch = 0
        for line in lines {
            if line.hasPrefix("[Epoch: "), line.hasSuffix(" - Validation]") { epoch = Int(line.dropFirst(8).prefix { $0.isNumber })! }
            if line == "[Info] best validation accuracy!" {
                XCTAssertTrue(FileManager.default.fileExists(atPath: tmp.appendingPathComponent("best_checkpoint_epoch_\(epoch).pth").path), line)
            }
        }
        XCTAssertGreaterThan(lines.filter { $0 == "[Info] best validation accuracy!" }.count, 0, out)
        XCTAssertTrue(FileManager.default.fileExists(atPath: tmp.appendingPathComponent("last_checkpoint_epoch_8.pth").path))
        let accuracyLine = try XCTUnwrap(lines.first { $0.hasPrefix("Test accuracy: ") }, out)
        let accuracy = try XCTUnwrap(Double(accuracyLine.dropFirst("Test accuracy: ".count).dropLast()))
        XCTAssertGreaterThanOrEqual(accuracy, 75, "four well-separated colours; chance is 25%")
        XCTAssertTrue(lines.contains("<All keys matched successfully>"), out)
        XCTAssertTrue(lines.last?.hasPrefix("best checkpoint accuracy: ") ?? false, out)
    }
}
