import Foundation
import XCTest
import SomaTensor
@testable import SomaNN

final class CheckpointTests: XCTestCase {
    func tempDir() throws -> String {
        let d = NSTemporaryDirectory() + "soma-ckpt-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: d) }
        return d
    }

    func sampleTensors() throws -> [(String, Tensor)] {
        manualSeed(0)
        return [
            ("layer.weight", try Tensor.randn([3, 4])),
            ("layer.bias", try Tensor.make([1.5, -2.25], dtype: .float64)),
            ("count", try Tensor.make([.int(-7), .int(1 << 40)], shape: [2], dtype: .int64)),
            ("mask", try Tensor.make([.bool(true), .bool(false), .bool(true)], shape: [3], dtype: .bool)),
            ("scalar", Tensor.scalar(.double(0.25))),
            ("empty", try Tensor.zeros([0, 5])),
            ("transposed", try Tensor.arange(.int(0), .int(6), dtype: .float32).reshape([2, 3]).t()),
        ]
    }

    func testRoundTripKeepsNamesOrderDtypesShapesValuesAndMetadata() throws {
        let dir = try tempDir()
        let path = dir + "/model.safetensors"
        let tensors = try sampleTensors()
        let meta = ["format": "pt", "note": "quote \" backslash \\ newline \n é"]
        try Checkpoint.save(tensors: tensors, metadata: meta, to: path)
        let (loaded, m) = try Checkpoint.load(path)
        XCTAssertEqual(m, meta)
        XCTAssertEqual(loaded.map(\.0), tensors.map(\.0))
        for ((_, a), (name, b)) in zip(tensors, loaded) {
            XCTAssertEqual(a.shape, b.shape, name)
            XCTAssertEqual(a.dtype, b.dtype, name)
            XCTAssertTrue(a.equal(b), name)
        }
        // No temporary file is left beside it.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["model.safetensors"])
    }

    func testLayoutFollowsTheFormat() throws {
        let data = try Checkpoint.encode(tensors: [("a", try Tensor.make([1, 2], dtype: .float32))], metadata: ["k": "v"])
        let n = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        XCTAssertEqual(n % 8, 0)
        let header = String(decoding: data.subdata(in: 8..<8 + n), as: UTF8.self)
        XCTAssertEqual(header.trimmingCharacters(in: .whitespaces),
                       #"{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#)
        XCTAssertEqual(Array(data.suffix(8)), [0, 0, 0x80, 0x3f, 0, 0, 0, 0x40])
    }

    func testReadsAFileWrittenByPythonSafetensors() throws {
        let url = Bundle.module.url(forResource: "data_safetensors", withExtension: "json", subdirectory: "Data")!
        let ref = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let bytes = Data(base64Encoded: ref["file_base64"] as! String)!
        let (tensors, meta) = try Checkpoint.decode(bytes, name: "python.safetensors")
        XCTAssertEqual(meta, ref["metadata"] as! [String: String])
        let expected = ref["tensors"] as! [String: Any]
        XCTAssertEqual(Set(tensors.map(\.0)), Set(expected.keys))
        let dtypes: [String: DType] = ["float32": .float32, "float64": .float64, "int64": .int64, "bool": .bool,
                                       "float16": .float32, "int32": .int64, "uint8": .int64]
        for (name, t) in tensors {
            let e = expected[name] as! [String: Any]
            XCTAssertEqual(t.shape, (e["shape"] as! [NSNumber]).map(\.intValue), name)
            XCTAssertEqual(t.dtype, dtypes[e["dtype"] as! String], name)
            XCTAssertEqual(t.doubles(), (e["values"] as! [NSNumber]).map(\.doubleValue), name)
        }
    }

    func testTruncatedAndForeignFilesAreClearErrors() throws {
        let dir = try tempDir()
        let path = dir + "/m.safetensors"
        try Checkpoint.save(tensors: try sampleTensors(), to: path)
        let full = try Data(contentsOf: URL(fileURLWithPath: path))
        func message(_ data: Data) -> String {
            _ = FileManager.default.createFile(atPath: path, contents: data)
            do {
                _ = try Checkpoint.load(path)
                return "loaded"
            } catch {
                return (error as? NNError)?.message ?? "\(error)"
            }
        }
        let cut = message(full.prefix(full.count - 3))
        XCTAssertTrue(cut.contains("'\(path)' is not a safetensors file") && cut.contains("truncated"), cut)
        let short = message(full.prefix(5))
        XCTAssertTrue(short.contains("is not a safetensors file: it has 5 bytes"), short)
        let headerCut = message(full.prefix(40))
        XCTAssertTrue(headerCut.contains("runs past the end of the file"), headerCut)
        let png = message(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0, count: 40)))
        XCTAssertTrue(png.contains("is not a safetensors file"), png)
        let text = message(Data("{\"hello\": \"world\"}\n".utf8))
        XCTAssertTrue(text.contains("is not a safetensors file"), text)
        XCTAssertThrowsError(try Checkpoint.load(dir + "/missing.safetensors")) { e in
            XCTAssertTrue(((e as? NNError)?.message ?? "").contains("No such file or directory"))
        }
    }

    func testFailedSaveLeavesTheOldFileIntact() throws {
        let dir = try tempDir()
        let path = dir + "/m.safetensors"
        try Checkpoint.save(tensors: [("w", try Tensor.ones([2]))], to: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Checkpoint.save(tensors: [("w", try Tensor.ones([3])), ("w", try Tensor.ones([3]))], to: path))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
        XCTAssertThrowsError(try Checkpoint.save(tensors: [("w", try Tensor.ones([2]))], to: dir + "/no/such/dir/m.safetensors")) { e in
            XCTAssertTrue(((e as? NNError)?.message ?? "").contains("does not exist"))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["m.safetensors"])
    }

    func testModuleStateDictRoundTrip() throws {
        manualSeed(1)
        let a = try Linear(3, 2)
        let dir = try tempDir()
        try Checkpoint.save(a, to: dir + "/lin.safetensors")
        manualSeed(2)
        let b = try Linear(3, 2)
        _ = try b.loadStateDict(try Checkpoint.load(dir + "/lin.safetensors").tensors)
        XCTAssertTrue(a.parameter("weight")!.equal(b.parameter("weight")!))
        XCTAssertTrue(a.parameter("bias")!.equal(b.parameter("bias")!))
    }
}

/// A readable rendering of a saved object, tensors by dtype, shape and values.
func render(_ v: CheckpointValue) -> String {
    switch v {
    case .tensor(let t): return "T(\(t.dtype),\(t.shape),\(t.doubles()))"
    case .int(let i): return "\(i)"
    case .double(let d): return "f\(d)"
    case .bool(let b): return b ? "True" : "False"
    case .string(let s): return "'\(s)'"
    case .none: return "None"
    case .list(let items): return "[" + items.map(render).joined(separator: ", ") + "]"
    case .tuple(let items): return "(" + items.map(render).joined(separator: ", ") + ")"
    case .dict(let pairs): return "{" + pairs.map { render($0.0) + ": " + render($0.1) }.joined(separator: ", ") + "}"
    }
}

/// A training checkpoint as the tutorials save it: model, optimizer state and epoch.
func trainingCheckpoint() throws -> CheckpointValue {
    let w = try Tensor.make([1, 2, 3, 4, 5, 6], shape: [2, 3])
    let b = try Tensor.make([0.5, -0.5])
    return .dict([
        (.string("model"), .dict([(.string("fc.weight"), .tensor(w)), (.string("fc.bias"), .tensor(b))])),
        (.string("optimizer"), .dict([
            (.string("state"), .dict([(.int(0), .dict([(.string("momentum_buffer"), .tensor(try w * 0.1))])),
                                      (.int(1), .dict([(.string("momentum_buffer"), .tensor(try b * 0.1))]))])),
            (.string("param_groups"), .list([.dict([
                (.string("lr"), .double(0.1)), (.string("momentum"), .double(0.9)), (.string("nesterov"), .bool(false)),
                (.string("weight_decay"), .int(0)), (.string("params"), .list([.int(0), .int(1)])), (.string("name"), .none),
            ])])),
        ])),
        (.string("epoch"), .int(3)),
        (.string("loss"), .double(.infinity)),
        (.string("shape"), .tuple([.int(2), .int(3)])),
        (.string("note"), .string("a \"quoted\" note")),
    ])
}

final class CheckpointValueTests: XCTestCase {
    func testNestedObjectRoundTrip() throws {
        let dir = NSTemporaryDirectory() + "soma-ckv-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let value = try trainingCheckpoint()
        try Checkpoint.save(value, metadata: ["format": "pt"], to: dir + "/ckpt.safetensors")
        XCTAssertEqual(render(try Checkpoint.loadValue(dir + "/ckpt.safetensors")), render(value))
        // Tensors are plain safetensors tensors named by their path.
        let (tensors, meta) = try Checkpoint.load(dir + "/ckpt.safetensors")
        XCTAssertEqual(tensors.map(\.0), ["model.fc.weight", "model.fc.bias",
                                          "optimizer.state.0.momentum_buffer", "optimizer.state.1.momentum_buffer"])
        XCTAssertEqual(meta["format"], "pt")
        XCTAssertNotNil(meta[Checkpoint.structureKey])
        // A plain state dict comes back as a dict of its tensors.
        try Checkpoint.save(tensors: [("a", try Tensor.ones([1])), ("b", try Tensor.zeros([2]))], to: dir + "/plain.safetensors")
        XCTAssertEqual(render(try Checkpoint.loadValue(dir + "/plain.safetensors")),
                       "{'a': T(torch.float32,[1],[1.0]), 'b': T(torch.float32,[2],[0.0, 0.0])}")
        // Clashing names are refused before anything is written.
        let clash = CheckpointValue.dict([(.string("a.b"), .tensor(try Tensor.ones([1]))),
                                          (.string("a"), .dict([(.string("b"), .tensor(try Tensor.ones([1])))]))])
        XCTAssertThrowsError(try Checkpoint.save(clash, to: dir + "/clash.safetensors"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/clash.safetensors"))
    }
}

/// The Swift half of Tests/python/test_safetensors_roundtrip.py: run by that pytest with
/// SOMA_SAFETENSORS_INTEROP_DIR set; skipped otherwise.
final class CheckpointInteropTests: XCTestCase {
    func testInterop() throws {
        guard let dir = ProcessInfo.processInfo.environment["SOMA_SAFETENSORS_INTEROP_DIR"] else {
            throw XCTSkip("run by Tests/python/test_safetensors_roundtrip.py")
        }
        // (b) A file written by Python: check it against the values Python wrote beside it.
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/python_expected.json"))) as! [String: Any]
        let (tensors, meta) = try Checkpoint.load(dir + "/python.safetensors")
        XCTAssertEqual(meta, expected["metadata"] as! [String: String])
        let values = expected["tensors"] as! [String: Any]
        XCTAssertEqual(Set(tensors.map(\.0)), Set(values.keys))
        for (name, t) in tensors {
            let e = values[name] as! [String: Any]
            XCTAssertEqual(t.shape, (e["shape"] as! [NSNumber]).map(\.intValue), name)
            XCTAssertEqual(t.dtype.description, "torch." + (e["dtype"] as! String), name)
            XCTAssertEqual(t.doubles(), (e["values"] as! [NSNumber]).map(\.doubleValue), name)
        }
        // (a) A file for Python to read: fixed values it knows.
        let w = try Tensor.arange(.int(0), .int(12), dtype: .float32).reshape([3, 4]) / 8
        try Checkpoint.save(tensors: [
            ("net.0.weight", w),
            ("net.0.weight_t", try w.t()),
            ("net.0.bias", try Tensor.make([0.1, -0.2, 0.3], dtype: .float64)),
            ("step", try Tensor.make([.int(42)], shape: [], dtype: .int64)),
            ("mask", try Tensor.make([.bool(true), .bool(false)], shape: [2], dtype: .bool)),
        ], metadata: ["written_by": "soma", "epoch": "7"], to: dir + "/soma.safetensors")
        // (c) A nested training checkpoint: Python sees its tensors by path.
        try Checkpoint.save(try trainingCheckpoint(), to: dir + "/soma_nested.safetensors")
    }
}
