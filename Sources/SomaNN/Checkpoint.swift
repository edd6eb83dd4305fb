import Foundation
import SomaTensor

#if _endian(big)
#error("Checkpoint writes the host's bytes as safetensors' little-endian data")
#endif

/// Checkpoints in the safetensors format, so that PyTorch's `safetensors.torch.load_file`
/// reads what Soma saves and the reverse:
///
///     8 bytes   little-endian UInt64 N, the header's length
///     N bytes   JSON: {"__metadata__": {str: str}, name: {"dtype": "F32", "shape": [..],
///               "data_offsets": [begin, end]}, ...}, padded with spaces to a multiple of 8
///     rest      the tensors' raw little-endian bytes, contiguous, back to back; offsets
///               count from the start of this part
///
/// Soma writes F32, F64, I64 and BOOL. It reads those and also F16, BF16 (as float32) and
/// I8, I16, I32, U8, U16, U32 (as int64), which other tools produce.
public enum Checkpoint {
    /// The largest header accepted (safetensors' own limit).
    static let maxHeader = 100_000_000

    /// Saves tensors (in the given order) and string metadata to `path`. The file is written
    /// to a temporary file in the same folder, flushed to disk and renamed over `path`, so an
    /// interrupted save leaves either the old file or the new one, never a broken one.
    public static func save(tensors: [(String, Tensor)], metadata: [String: String] = [:], to path: String) throws {
        let data = try encode(tensors: tensors, metadata: metadata)
        try atomicWrite(data, to: path)
    }

    /// A module's `stateDict()` as a checkpoint (`soma.save(model.state_dict(), path)`).
    public static func save(_ module: Module, metadata: [String: String] = [:], to path: String) throws {
        try save(tensors: module.stateDict(), metadata: metadata, to: path)
    }

    /// Reads a checkpoint: the tensors in file order and the `__metadata__` map.
    public static func load(_ path: String) throws -> (tensors: [(String, Tensor)], metadata: [String: String]) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw NNError(.runtime, "[Errno 2] No such file or directory: '\(path)'")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw NNError(.runtime, "cannot read '\(path)': \(error.localizedDescription)")
        }
        return try decode(data, name: path)
    }

    /// The bytes of a safetensors file.
    public static func encode(tensors: [(String, Tensor)], metadata: [String: String] = [:]) throws -> Data {
        var seen = Set<String>()
        var entries: [String] = []
        var parts: [Tensor] = []
        var offset = 0
        for (name, t0) in tensors {
            guard seen.insert(name).inserted else {
                throw NNError(.value, "cannot save two tensors named '\(name)' in one checkpoint")
            }
            guard name != "__metadata__" else { throw NNError(.value, "'__metadata__' is reserved and cannot name a tensor") }
            let t = try t0.detach().contiguous()
            let bytes = t.numel * t.dtype.itemSize
            let shape = t.shape.map(String.init).joined(separator: ",")
            entries.append("\(jsonString(name)):{\"dtype\":\"\(code(t.dtype))\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + bytes)]}")
            parts.append(t)
            offset += bytes
        }
        if !metadata.isEmpty {
            let items = metadata.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }
            entries.insert("\"__metadata__\":{" + items.joined(separator: ",") + "}", at: 0)
        }
        var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var out = Data(capacity: 8 + header.count + offset)
        var n = UInt64(header.count).littleEndian
        withUnsafeBytes(of: &n) { out.append(contentsOf: $0) }
        out.append(contentsOf: header)
        for t in parts {
            let count = t.numel * t.dtype.itemSize
            if count > 0 { out.append(UnsafeRawPointer(rawPointer(t)).assumingMemoryBound(to: UInt8.self), count: count) }
        }
        return out
    }

    /// Parses safetensors bytes; `name` (usually the path) goes into error messages.
    public static func decode(_ data: Data, name: String = "<bytes>") throws -> (tensors: [(String, Tensor)], metadata: [String: String]) {
        func bad(_ why: String) -> NNError { NNError(.runtime, "'\(name)' is not a safetensors file: \(why)") }
        guard data.count >= 8 else { throw bad("it has \(data.count) bytes, fewer than the 8 of the header length") }
        let n = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard n <= UInt64(maxHeader) else { throw bad("the header length \(n) is over the \(maxHeader)-byte limit") }
        let headerLength = Int(n)
        guard 8 + headerLength <= data.count else {
            throw bad("the header length \(headerLength) runs past the end of the file (\(data.count) bytes): the file is truncated or foreign")
        }
        let headerBytes = data.subdata(in: 8..<8 + headerLength)
        guard headerBytes.first == UInt8(ascii: "{") else { throw bad("the header does not start with '{'") }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: headerBytes)
        } catch {
            throw bad("the header is not valid JSON")
        }
        guard let header = object as? [String: Any] else { throw bad("the header is not a JSON object") }
        var metadata: [String: String] = [:]
        if let m = header["__metadata__"] {
            guard let map = m as? [String: Any] else { throw bad("__metadata__ is not a map of strings") }
            for (k, v) in map {
                guard let s = v as? String else { throw bad("__metadata__ value for '\(k)' is not a string") }
                metadata[k] = s
            }
        }
        let dataStart = 8 + headerLength
        let available = data.count - dataStart
        struct Entry { let name: String; let dtype: String; let shape: [Int]; let begin: Int; let end: Int }
        var entries: [Entry] = []
        for (key, value) in header where key != "__metadata__" {
            guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
                  let shapeAny = info["shape"] as? [Any], let offsAny = info["data_offsets"] as? [Any], offsAny.count == 2 else {
                throw bad("entry '\(key)' lacks dtype, shape or data_offsets")
            }
            let shape = try shapeAny.map { v -> Int in
                guard let i = (v as? NSNumber)?.intValue, i >= 0 else { throw bad("entry '\(key)' has a bad shape") }
                return i
            }
            let offs = try offsAny.map { v -> Int in
                guard let i = (v as? NSNumber)?.intValue, i >= 0 else { throw bad("entry '\(key)' has bad data_offsets") }
                return i
            }
            guard let size = itemSize(dtype) else {
                throw NNError(.runtime, "'\(name)': tensor '\(key)' has dtype \(dtype), which Soma cannot load")
            }
            let expected = shape.reduce(1, *) * size
            guard offs[1] >= offs[0], offs[1] - offs[0] == expected else {
                throw bad("tensor '\(key)' of shape \(shapeText(shape)) and dtype \(dtype) needs \(expected) bytes, its data_offsets \(offs) span \(offs[1] - offs[0])")
            }
            entries.append(Entry(name: key, dtype: dtype, shape: shape, begin: offs[0], end: offs[1]))
        }
        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var position = 0
        for e in entries {
            guard e.begin == position else { throw bad("tensor '\(e.name)' starts at byte \(e.begin), expected \(position) (overlapping or gapped data)") }
            position = e.end
        }
        guard position <= available else {
            throw bad("the data part has \(available) bytes but the header describes \(position): the file is truncated")
        }
        guard position == available else {
            throw bad("the data part has \(available) bytes but the header describes only \(position)")
        }
        var tensors: [(String, Tensor)] = []
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let base = raw.baseAddress! + dataStart
            for e in entries {
                tensors.append((e.name, try makeTensor(e.dtype, e.shape, base + e.begin)))
            }
        }
        return (tensors, metadata)
    }

    static func code(_ dtype: DType) -> String {
        switch dtype {
        case .float32: return "F32"
        case .float64: return "F64"
        case .int64: return "I64"
        case .bool: return "BOOL"
        }
    }

    static func itemSize(_ code: String) -> Int? {
        switch code {
        case "BOOL", "U8", "I8": return 1
        case "F16", "BF16", "I16", "U16": return 2
        case "F32", "I32", "U32": return 4
        case "F64", "I64": return 8
        default: return nil
        }
    }

    private static func makeTensor(_ code: String, _ shape: [Int], _ src: UnsafeRawPointer) throws -> Tensor {
        let n = shape.reduce(1, *)
        func load<T>(_: T.Type, _ i: Int) -> T { src.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self) }
        switch code {
        case "F32", "F64", "I64", "BOOL":
            let dtype: DType = code == "F32" ? .float32 : code == "F64" ? .float64 : code == "I64" ? .int64 : .bool
            let t = try Tensor.empty(shape, dtype: dtype)
            if n > 0 { memcpy(rawPointer(t), src, n * dtype.itemSize) }
            if dtype == .bool {
                let p = t.unsafeData(as: UInt8.self)
                for i in 0..<n where p[i] > 1 { p[i] = 1 }
            }
            return t
        case "F16", "BF16":
            let t = try Tensor.empty(shape, dtype: .float32)
            let p = t.unsafeData(as: Float.self)
            for i in 0..<n {
                let bits = load(UInt16.self, i)
                p[i] = code == "BF16" ? Float(bitPattern: UInt32(bits) << 16) : Float(Float16(bitPattern: bits))
            }
            return t
        default:
            let t = try Tensor.empty(shape, dtype: .int64)
            let p = t.unsafeData(as: Int64.self)
            for i in 0..<n {
                switch code {
                case "U8": p[i] = Int64(load(UInt8.self, i))
                case "I8": p[i] = Int64(load(Int8.self, i))
                case "I16": p[i] = Int64(load(Int16.self, i))
                case "U16": p[i] = Int64(load(UInt16.self, i))
                case "I32": p[i] = Int64(load(Int32.self, i))
                default: p[i] = Int64(load(UInt32.self, i))
                }
            }
            return t
        }
    }

    /// A JSON string literal.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    /// Writes `data` to a temporary file beside `path`, fsyncs it, renames it over `path` and
    /// fsyncs the folder.
    static func atomicWrite(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw NNError(.runtime, "Parent directory \(dir) does not exist.")
        }
        let tmp = (dir as NSString).appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else {
            throw NNError(.runtime, "cannot write checkpoint '\(path)': \(String(cString: strerror(errno)))")
        }
        var ok = false
        defer {
            if !ok { unlink(tmp) }
        }
        let written: Bool = data.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let r = write(fd, raw.baseAddress! + done, raw.count - done)
                if r < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                done += r
            }
            return true
        }
        let why = String(cString: strerror(errno))
        guard written, fsync(fd) == 0 else {
            close(fd)
            throw NNError(.runtime, "cannot write checkpoint '\(path)': \(why)")
        }
        guard close(fd) == 0 else { throw NNError(.runtime, "cannot write checkpoint '\(path)': \(String(cString: strerror(errno)))") }
        guard rename(tmp, path) == 0 else {
            throw NNError(.runtime, "cannot write checkpoint '\(path)': \(String(cString: strerror(errno)))")
        }
        ok = true
        let dfd = open(dir, O_RDONLY)
        if dfd >= 0 {
            fsync(dfd)
            close(dfd)
        }
    }
}

/// Any object `soma.save` accepts: nested dicts, lists and tuples of tensors and plain values
/// (a model's state dict, an optimizer's state dict with its `param_groups`, a dict holding
/// both and the epoch number).
public indirect enum CheckpointValue {
    case tensor(Tensor)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)
    case none
    case list([CheckpointValue])
    case tuple([CheckpointValue])
    /// Keys are `.string` or `.int` (optimizer state is keyed by parameter index), in order.
    case dict([(CheckpointValue, CheckpointValue)])
}

extension Checkpoint {
    /// Metadata key holding the non-tensor structure of a saved object.
    public static let structureKey = "soma.structure"

    /// Saves a nested object: every tensor becomes a safetensors tensor named by its path of
    /// keys and positions joined with "." (a state dict keeps its own keys, so PyTorch's
    /// `load_file` gives back the state dict), and the rest — numbers, strings, lists, the
    /// shape of the nesting — goes into `__metadata__["soma.structure"]` as JSON.
    public static func save(_ value: CheckpointValue, metadata: [String: String] = [:], to path: String) throws {
        var tensors: [(String, Tensor)] = []
        var names = Set<String>()
        func join(_ prefix: String, _ part: String) -> String { prefix.isEmpty ? part : prefix + "." + part }
        func walk(_ v: CheckpointValue, _ prefix: String) throws -> Any {
            switch v {
            case .tensor(let t):
                let name = prefix.isEmpty ? "tensor" : prefix
                guard names.insert(name).inserted else {
                    throw NNError(.value, "cannot save: two tensors would both be named '\(name)' (a key containing '.' clashes with a nested key)")
                }
                tensors.append((name, t))
                return ["t": "tensor", "v": name]
            case .int(let i): return ["t": "int", "v": String(i)]
            case .double(let d): return ["t": "float", "v": "\(d)"]
            case .bool(let b): return ["t": "bool", "v": b ? "True" : "False"]
            case .string(let s): return ["t": "str", "v": s]
            case .none: return ["t": "none"]
            case .list(let items):
                return ["t": "list", "v": try items.enumerated().map { try walk($1, join(prefix, String($0))) }]
            case .tuple(let items):
                return ["t": "tuple", "v": try items.enumerated().map { try walk($1, join(prefix, String($0))) }]
            case .dict(let pairs):
                return ["t": "dict", "v": try pairs.map { k, v -> [Any] in
                    let key: String
                    switch k {
                    case .string(let s): key = s
                    case .int(let i): key = String(i)
                    default: throw NNError(.type, "cannot save a dict key of this type: only str and int keys are supported")
                    }
                    return [try walk(k, ""), try walk(v, join(prefix, key))]
                }]
            }
        }
        let structure = try walk(value, "")
        let json = try JSONSerialization.data(withJSONObject: structure, options: [.sortedKeys])
        var meta = metadata
        meta[structureKey] = String(decoding: json, as: UTF8.self)
        try save(tensors: tensors, metadata: meta, to: path)
    }

    /// Loads what `save(_ value:)` wrote; a file without Soma's structure (one written by
    /// Python's safetensors) comes back as a dict of its tensors, in file order.
    public static func loadValue(_ path: String) throws -> CheckpointValue {
        let (tensors, metadata) = try load(path)
        let byName = Dictionary(tensors, uniquingKeysWith: { a, _ in a })
        guard let text = metadata[structureKey] else {
            return .dict(tensors.map { (.string($0.0), .tensor($0.1)) })
        }
        func bad(_ why: String) -> NNError { NNError(.runtime, "'\(path)': the saved object's structure is damaged: \(why)") }
        guard let root = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else { throw bad("not JSON") }
        func build(_ node: Any) throws -> CheckpointValue {
            guard let n = node as? [String: Any], let t = n["t"] as? String else { throw bad("a node without a type") }
            switch t {
            case "tensor":
                guard let name = n["v"] as? String, let tensor = byName[name] else { throw bad("a missing tensor") }
                return .tensor(tensor)
            case "int":
                guard let s = n["v"] as? String, let i = Int(s) else { throw bad("a bad int") }
                return .int(i)
            case "float":
                guard let s = n["v"] as? String, let d = Double(s) else { throw bad("a bad float") }
                return .double(d)
            case "bool": return .bool((n["v"] as? String) == "True")
            case "str":
                guard let s = n["v"] as? String else { throw bad("a bad str") }
                return .string(s)
            case "none": return .none
            case "list", "tuple":
                guard let items = n["v"] as? [Any] else { throw bad("a bad \(t)") }
                let values = try items.map(build)
                return t == "list" ? .list(values) : .tuple(values)
            case "dict":
                guard let pairs = n["v"] as? [[Any]] else { throw bad("a bad dict") }
                return .dict(try pairs.map { p in
                    guard p.count == 2 else { throw bad("a bad dict entry") }
                    return (try build(p[0]), try build(p[1]))
                })
            default: throw bad("unknown node type '\(t)'")
            }
        }
        return try build(root)
    }
}
