import Foundation
import XCTest
import SomaTensor
@testable import SomaNN

/// Numbers recorded from PyTorch by `generate_data_reference.py` (Data/data_reference.json).
enum DataReference {
    static let json: [String: Any] = {
        let url = Bundle.module.url(forResource: "data_reference", withExtension: "json", subdirectory: "Data")!
        return try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }()

    static func object(_ path: String...) -> Any {
        var v: Any = json
        for k in path { v = (v as! [String: Any])[k]! }
        return v
    }

    static func ints(_ v: Any) -> [Int] { (v as! [Any]).map { ($0 as! NSNumber).intValue } }
    static func doubles(_ v: Any) -> [Double] { (v as! [Any]).map { ($0 as! NSNumber).doubleValue } }
    /// Batches recorded as [[inputs], [labels]] lists.
    static func batches(_ v: Any) -> [[[Int]]] { (v as! [Any]).map { ($0 as! [Any]).map(ints) } }
}

func ints(_ t: Tensor) -> [Int] { t.doubles().map { Int($0) } }

/// The batches of a loader over a two-tensor data set, as [[inputs], [labels]].
func batches(_ loader: DataLoader) throws -> [[[Int]]] {
    var out: [[[Int]]] = []
    let it = loader.makeIterator()
    while let b = try it.nextBatch() {
        guard case .tuple(let parts) = b else { XCTFail("batch is not a tuple"); return [] }
        out.append(parts.map { ints($0.tensor!) })
    }
    return out
}

final class DataLoaderTests: XCTestCase {
    func tenRows() throws -> TensorDataset {
        let x = try Tensor.arange(.int(0), .int(10))
        return try TensorDataset(x, try x * 10)
    }

    func drawThree() throws -> [Int] { ints(try Tensor.randint(0, 1000, [3])) }

    func testShuffleMatchesPyTorchWithGlobalGenerator() throws {
        manualSeed(0)
        let loader = try DataLoader(try tenRows(), batchSize: 3, shuffle: true)
        XCTAssertEqual(try loader.count, 4)
        XCTAssertEqual(try batches(loader), DataReference.batches(DataReference.object("shuffle_global", "epoch1")))
        XCTAssertEqual(try batches(loader), DataReference.batches(DataReference.object("shuffle_global", "epoch2")))
        // The global generator has advanced exactly as PyTorch's.
        XCTAssertEqual(try drawThree(), DataReference.ints(DataReference.object("shuffle_global", "after")))
    }

    func testUnshuffledPassDrawsBaseSeedLikePyTorch() throws {
        manualSeed(1)
        let loader = try DataLoader(try tenRows(), batchSize: 4)
        XCTAssertEqual(try loader.count, 3)
        XCTAssertEqual(try batches(loader), DataReference.batches(DataReference.object("plain", "batches")))
        XCTAssertEqual(try drawThree(), DataReference.ints(DataReference.object("plain", "after")))
    }

    func testDropLast() throws {
        let ds = try tenRows()
        XCTAssertEqual(try DataLoader(ds, batchSize: 4, dropLast: true).count,
                       (DataReference.object("drop_last_len") as! NSNumber).intValue)
        manualSeed(3)
        XCTAssertEqual(try batches(DataLoader(ds, batchSize: 4, shuffle: true, dropLast: true)),
                       DataReference.batches(DataReference.object("drop_last_shuffle")))
    }

    func testOwnGeneratorLeavesGlobalAlone() throws {
        manualSeed(5)
        let g = Generator(seed: 42)
        let loader = try DataLoader(try tenRows(), batchSize: 4, shuffle: true, generator: g)
        XCTAssertEqual(try batches(loader), DataReference.batches(DataReference.object("shuffle_generator", "epoch1")))
        XCTAssertEqual(try batches(loader), DataReference.batches(DataReference.object("shuffle_generator", "epoch2")))
        XCTAssertEqual(try drawThree(), DataReference.ints(DataReference.object("shuffle_generator", "global_after")))
    }

    func testOwnGeneratorAdvancesLikeRandomSamplerAtTheEnd() throws {
        let cases = DataReference.object("generator_cases") as! [String: Any]
        for (name, v) in cases {
            let c = v as! [String: Any]
            let n = (c["n"] as! NSNumber).intValue
            let bs = (c["batch_size"] as? NSNumber)?.intValue
            let drop = c["drop_last"] as! Bool
            let g = Generator(seed: 9)
            let x = try Tensor.arange(.int(0), .int(n))
            let loader = try DataLoader(try TensorDataset(x, x), batchSize: bs, shuffle: true, dropLast: drop, generator: g)
            let epochs = c["epochs"] as! [Any]
            for (e, expected) in epochs.enumerated() {
                if bs == nil {
                    var seen: [Int] = []
                    for s in loader { seen.append(ints(s.elements![0].tensor!)[0]) }
                    XCTAssertEqual([seen], (expected as! [Any]).map(DataReference.ints), "\(name) epoch \(e)")
                } else {
                    XCTAssertEqual(try batches(loader), DataReference.batches(expected), "\(name) epoch \(e)")
                }
            }
            XCTAssertEqual(ints(try Tensor.randint(0, 1000, [3], generator: g)), DataReference.ints(c["after"]!), name)
        }
    }

    func testThousandSampleShuffle() throws {
        manualSeed(7)
        let loader = try DataLoader(try TensorDataset(try Tensor.arange(.int(0), .int(1000))), batchSize: 1000, shuffle: true)
        guard case .tuple(let parts)? = loader.makeIterator().next() else { return XCTFail("no batch") }
        XCTAssertEqual(ints(parts[0].tensor!), DataReference.ints(DataReference.object("shuffle_1000")))
    }

    func testForInIterationAndShapes() throws {
        let x = try Tensor.randn([10, 3, 2])
        let y = try Tensor.arange(.int(0), .int(10))
        let loader = try DataLoader(try TensorDataset(x, y), batchSize: 4)
        var shapes: [[Int]] = []
        for batch in loader {
            guard case .tuple(let p) = batch else { return XCTFail("not a tuple") }
            shapes.append(p[0].tensor!.shape)
            XCTAssertEqual(p[1].tensor!.dtype, .int64)
        }
        XCTAssertEqual(shapes, [[4, 3, 2], [4, 3, 2], [2, 3, 2]])
        // The gathered batch equals the rows it came from.
        guard case .tuple(let first)? = loader.makeIterator().next() else { return XCTFail() }
        XCTAssertTrue(first[0].tensor!.equal(try x.slice(0, start: 0, end: 4)))
    }

    func testNoBatching() throws {
        let loader = try DataLoader(try tenRows(), batchSize: nil)
        XCTAssertEqual(try loader.count, 10)
        guard case .tuple(let p)? = loader.makeIterator().next() else { return XCTFail() }
        XCTAssertEqual(p[0].tensor!.shape, [])
        XCTAssertThrowsError(try DataLoader(try tenRows(), batchSize: 0))
    }

    func testTensorDatasetSizeMismatch() throws {
        XCTAssertThrowsError(try TensorDataset(try Tensor.zeros([3, 2]), try Tensor.zeros([4]))) { e in
            XCTAssertEqual((e as? NNError)?.message, "Size mismatch between tensors")
        }
    }

    func testDefaultCollateMatchesPyTorch() throws {
        let batch: [Sample] = [
            .tuple([.tensor(try Tensor.make([1, 2])), .int(3), .double(0.5), .bool(true), .string("a")]),
            .tuple([.tensor(try Tensor.make([3, 4])), .int(4), .double(1.5), .bool(false), .string("b")]),
        ]
        guard case .tuple(let c) = try defaultCollate(batch) else { return XCTFail() }
        let ref = DataReference.object("collate") as! [String: Any]
        XCTAssertEqual(c[0].tensor!.doubles(), [1, 2, 3, 4])
        XCTAssertEqual(c[0].tensor!.shape, [2, 2])
        XCTAssertEqual(c[0].tensor!.dtype.description, ref["tensor_dtype"] as? String)
        XCTAssertEqual(ints(c[1].tensor!), DataReference.ints(ref["ints"]!))
        XCTAssertEqual(c[1].tensor!.dtype.description, ref["ints_dtype"] as? String)
        XCTAssertEqual(c[2].tensor!.doubles(), DataReference.doubles(ref["floats"]!))
        XCTAssertEqual(c[2].tensor!.dtype.description, ref["floats_dtype"] as? String)
        XCTAssertEqual(c[3].tensor!.dtype.description, ref["bools_dtype"] as? String)
        XCTAssertEqual(c[3].tensor!.doubles(), [1, 0])
        guard case .list(let strings) = c[4] else { return XCTFail() }
        XCTAssertEqual(strings.map { if case .string(let s) = $0 { return s } else { return "" } }, ref["strings"] as! [String])
    }

    func testCollatingImagesExplainsToTensor() throws {
        let img = try Image(width: 2, height: 2, channels: 1, pixels: [0, 1, 2, 3])
        XCTAssertThrowsError(try defaultCollate([.image(img), .image(img)])) { e in
            XCTAssertEqual((e as? NNError)?.kind, .type)
            XCTAssertTrue((e as? NNError)?.message.contains("ToTensor") ?? false)
        }
    }

    /// A data set written as a subclass, as the language bindings will do.
    final class Squares: Dataset {
        override var count: Int { 5 }
        override func item(at index: Int) throws -> Sample { .tuple([.double(Double(index * index)), .int(index)]) }
    }

    func testSubclassedDatasetIsCollatedPerSample() throws {
        let loader = try DataLoader(Squares(), batchSize: 2)
        var xs: [Double] = [], dtypes: Set<DType> = []
        for b in loader {
            guard case .tuple(let p) = b else { return XCTFail() }
            xs += p[0].tensor!.doubles()
            dtypes.insert(p[0].tensor!.dtype)
        }
        XCTAssertEqual(xs, [0, 1, 4, 9, 16])
        XCTAssertEqual(dtypes, [.float64])
    }

    func testErrorEndsForInAndIsKept() throws {
        final class Broken: Dataset {
            override var count: Int { 3 }
            override func item(at index: Int) throws -> Sample {
                if index == 2 { throw NNError(.value, "bad sample") }
                return .int(index)
            }
        }
        let it = try DataLoader(Broken(), batchSize: 2).makeIterator()
        XCTAssertNotNil(it.next())
        XCTAssertNil(it.next())
        XCTAssertEqual((it.error as? NNError)?.message, "bad sample")
    }

    func testRandomSplitMatchesPyTorch() throws {
        let splits = DataReference.object("random_split") as! [String: Any]
        for (name, v) in splits {
            let c = v as! [String: Any]
            let n = (c["n"] as! NSNumber).intValue
            let lengths = DataReference.doubles(c["lengths"]!)
            let seed = UInt64((c["seed"] as! NSNumber).intValue)
            let expected = (c["indices"] as! [Any]).map(DataReference.ints)
            let ds = try TensorDataset(try Tensor.arange(.int(0), .int(n)))
            let parts: [Subset]
            if name == "global_20" {
                manualSeed(seed)
                parts = try randomSplit(ds, lengths)
            } else {
                parts = try randomSplit(ds, lengths, generator: Generator(seed: seed))
            }
            XCTAssertEqual(parts.map(\.indices), expected, name)
        }
        XCTAssertThrowsError(try randomSplit(try tenRows(), lengths: [3, 3]))
    }

    func testSubsetBatchesThroughParent() throws {
        let ds = try tenRows()
        let sub = Subset(ds, indices: [9, 0, 5])
        XCTAssertEqual(try batches(DataLoader(sub, batchSize: 2)), [[[9, 0], [90, 0]], [[5], [50]]])
    }
}

final class DataSubscriptTests: XCTestCase {
    func testPythonStyleIndexing() throws {
        let x = try Tensor.arange(.int(0), .int(4))
        let ds: Dataset = Subset(try TensorDataset(try x.reshape([2, 2]).t()), indices: [1, 0])
        guard case .tuple(let last) = try ds[-1] else { return XCTFail() }
        XCTAssertEqual(ints(last[0].tensor!), [0, 2])
        XCTAssertThrowsError(try ds[2]) { e in XCTAssertEqual((e as? NNError)?.kind, .index) }
        XCTAssertThrowsError(try ds[-3])
    }
}

final class DataLoaderArgumentTests: XCTestCase {
    func testShuffleOfEmptyDatasetIsAValueError() throws {
        XCTAssertThrowsError(try DataLoader(try TensorDataset(try Tensor.zeros([0, 2])), batchSize: 2, shuffle: true)) { e in
            XCTAssertEqual((e as? NNError)?.message, "num_samples should be a positive integer value, but got num_samples=0")
        }
        XCTAssertEqual(try DataLoader(try TensorDataset(try Tensor.zeros([0, 2])), batchSize: 2).count, 0)
    }
}
