import Crypto
import Foundation
import Synchronization

/// A JSON object: String, Bool, Int, Double, NSNumber, NSNull, arrays and dictionaries (see `decodeJSONObject`, `encodeJSON`).
public typealias JSONObject = [String: Any]
/// A MIME bundle: MIME type → data (a String for text types, any JSON value for JSON types).
public typealias MimeBundle = [String: Any]

/// Signs and verifies messages with HMAC-SHA256 (an empty key means no signing).
public struct MessageSigner: @unchecked Sendable {
    /// SHA-256 with the key's inner and outer pads already absorbed: each message starts from copies
    /// (HMAC's two key blocks are not hashed again per message).
    let inner: SHA256?
    let outer: SHA256?

    public init(key: String) {
        guard !key.isEmpty else { inner = nil; outer = nil; return }
        var k = Array(key.utf8)
        if k.count > SHA256.blockByteCount { k = Array(SHA256.hash(data: k)) }
        k += [UInt8](repeating: 0, count: SHA256.blockByteCount - k.count)
        var i = SHA256(), o = SHA256()
        i.update(data: k.map { $0 ^ 0x36 })
        o.update(data: k.map { $0 ^ 0x5c })
        inner = i
        outer = o
    }

    public var isSigning: Bool { inner != nil }

    /// The lowercase hex HMAC-SHA256 over the given frames, in order ("" when not signing).
    public func signature(_ parts: [[UInt8]]) -> String {
        String(decoding: signatureBytes(parts), as: UTF8.self)
    }

    /// `signature` as the bytes of its hex digits (the frame on the wire).
    func signatureBytes(_ parts: [[UInt8]]) -> [UInt8] {
        guard var h = inner, var o = outer else { return [] }
        for p in parts { p.withUnsafeBytes { h.update(bufferPointer: $0) } }
        h.finalize().withUnsafeBytes { o.update(bufferPointer: $0) }
        return o.finalize().withUnsafeBytes { hexBytes($0) }
    }

    /// Checks a signature in constant time (with respect to its contents).
    public func verify(signature: [UInt8], parts: [[UInt8]]) -> Bool {
        guard isSigning else { return true }
        let expected = signatureBytes(parts)
        guard signature.count == expected.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<expected.count { diff |= expected[i] ^ signature[i] }
        return diff == 0
    }
}

private let hexDigits = Array("0123456789abcdef".utf8)
func hexBytes<C: Collection<UInt8>>(_ bytes: C) -> [UInt8] {
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for b in bytes {
        out.append(hexDigits[Int(b >> 4)])
        out.append(hexDigits[Int(b & 0xF)])
    }
    return out
}

let delimiter: [UInt8] = Array("<IDS|MSG>".utf8)
private let messageCounter = Atomic<Int>(0)
private let processID = getpid()

/// One Jupyter message with its routing identities and extra buffers.
public struct KernelMessage {
    public var identities: [[UInt8]]
    public var header: JSONObject
    public var parentHeader: JSONObject
    public var metadata: JSONObject
    public var content: JSONObject
    public var buffers: [[UInt8]]

    public init(identities: [[UInt8]] = [], header: JSONObject, parentHeader: JSONObject = [:],
                metadata: JSONObject = [:], content: JSONObject = [:], buffers: [[UInt8]] = []) {
        self.identities = identities; self.header = header; self.parentHeader = parentHeader
        self.metadata = metadata; self.content = content; self.buffers = buffers
    }

    public var msgType: String { header["msg_type"] as? String ?? "" }
    public var msgId: String { header["msg_id"] as? String ?? "" }
    public var session: String { header["session"] as? String ?? "" }

    /// A fresh header. Its msg_id is the session, the process id and a counter, as jupyter_client's own
    /// (a random UUID per message costs an open and a read of /dev/urandom on Linux).
    public static func makeHeader(msgType: String, session: String, username: String = "soma") -> JSONObject {
        [
            "msg_id": "\(session)_\(processID)_\(messageCounter.add(1, ordering: .relaxed).newValue)",
            "session": session,
            "username": username,
            "date": isoNow(),
            "msg_type": msgType,
            "version": "5.3",
        ]
    }

    /// The frames on the wire: identities, delimiter, signature, the four dictionaries, buffers.
    public func serialize(signer: MessageSigner) -> [[UInt8]] {
        let parts = [header, parentHeader, metadata, content].map(encodeJSON)
        var frames = identities
        frames.append(delimiter)
        frames.append(signer.signatureBytes(parts))
        frames.append(contentsOf: parts)
        frames.append(contentsOf: buffers)
        return frames
    }

    /// Parses and verifies frames; throws a `WireError` saying why a message is dropped.
    public static func parse(_ frames: [[UInt8]], signer: MessageSigner) throws -> KernelMessage {
        guard let d = frames.firstIndex(of: delimiter) else { throw WireError.noDelimiter }
        let rest = frames[(d + 1)...]
        guard rest.count >= 5 else { throw WireError.tooFewFrames(rest.count) }
        let sig = rest[rest.startIndex]
        let parts = Array(rest[(rest.startIndex + 1)..<(rest.startIndex + 5)])
        if signer.isSigning {
            if sig.isEmpty { throw WireError.unsigned }
            guard signer.verify(signature: sig, parts: parts) else { throw WireError.badSignature }
        }
        var dicts: [JSONObject] = []
        for (i, p) in parts.enumerated() {
            guard let obj = decodeJSONObject(p) else {
                throw WireError.badJSON(["header", "parent_header", "metadata", "content"][i])
            }
            dicts.append(obj)
        }
        let header = dicts[0]
        guard let type = header["msg_type"] as? String, !type.isEmpty else { throw WireError.missingField("msg_type") }
        guard header["msg_id"] is String else { throw WireError.missingField("msg_id") }
        return KernelMessage(identities: Array(frames[..<d]), header: header, parentHeader: dicts[1],
                             metadata: dicts[2], content: dicts[3],
                             buffers: Array(rest[(rest.startIndex + 5)...]))
    }
}

public enum WireError: Error, CustomStringConvertible {
    case noDelimiter, tooFewFrames(Int), unsigned, badSignature, badJSON(String), missingField(String)
    public var description: String {
        switch self {
        case .noDelimiter: return "no <IDS|MSG> delimiter"
        case .tooFewFrames(let n): return "only \(n) frames after the delimiter (need 5)"
        case .unsigned: return "message is not signed"
        case .badSignature: return "invalid signature"
        case .badJSON(let part): return "\(part) is not a JSON object"
        case .missingField(let f): return "header has no \(f)"
        }
    }
}

/// Encodes a JSON object (a fast writer: JSONSerialization costs ~50 µs per message on Linux).
/// Values: String, Bool, integers, floating point (non-finite → null), arrays, dictionaries with
/// String keys, NSNumber, NSNull, optionals; anything else is written as its description string.
func encodeJSON(_ obj: JSONObject) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(256)
    writeJSONObject(obj, into: &out)
    return out
}

private let booleanType: AnyClass = type(of: NSNumber(value: true))
private let trueBytes = Array("true".utf8), falseBytes = Array("false".utf8), nullBytes = Array("null".utf8)

func writeJSON(_ v: Any, into out: inout [UInt8]) {
    // Exact types first: a cast that has to consider bridging costs more than writing the value.
    let t = type(of: v)
    if t == String.self {
        writeJSONString(v as! String, into: &out)
    } else if t == [String: Any].self {
        writeJSONObject(v as! [String: Any], into: &out)
    } else if t == Int.self {
        out.append(contentsOf: String(v as! Int).utf8)
    } else if t == Bool.self {
        out.append(contentsOf: (v as! Bool) ? trueBytes : falseBytes)
    } else if t == Double.self {
        writeDouble(v as! Double, into: &out)
    } else if t == [Any].self {
        writeJSONArray(v as! [Any], into: &out)
    } else if t is NSNumber.Type, let n = v as? NSNumber {
        if type(of: n) == booleanType {
            out.append(contentsOf: n.boolValue ? trueBytes : falseBytes)
        } else {
            let code = String(cString: n.objCType)
            if code == "d" || code == "f" { writeDouble(n.doubleValue, into: &out) } else { out.append(contentsOf: n.stringValue.utf8) }
        }
    } else if let d = v as? [String: Any] {
        writeJSONObject(d, into: &out)
    } else if let a = v as? [Any] {
        writeJSONArray(a, into: &out)
    } else if v is NSNull {
        out.append(contentsOf: nullBytes)
    } else if let i = v as? any BinaryInteger {
        out.append(contentsOf: String(describing: i).utf8)
    } else if let f = v as? any BinaryFloatingPoint {
        writeDouble(Double(f), into: &out)
    } else if let s = v as? String {
        writeJSONString(s, into: &out)
    } else {
        let m = Mirror(reflecting: v)
        if m.displayStyle == .optional {
            if let child = m.children.first { writeJSON(child.value, into: &out) } else { out.append(contentsOf: nullBytes) }
        } else {
            writeJSONString(String(describing: v), into: &out)
        }
    }
}

private func writeJSONObject(_ d: [String: Any], into out: inout [UInt8]) {
    out.append(UInt8(ascii: "{"))
    var first = true
    for (k, value) in d {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        writeJSONString(k, into: &out)
        out.append(UInt8(ascii: ":"))
        writeJSON(value, into: &out)
    }
    out.append(UInt8(ascii: "}"))
}

private func writeJSONArray(_ a: [Any], into out: inout [UInt8]) {
    out.append(UInt8(ascii: "["))
    for (i, value) in a.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        writeJSON(value, into: &out)
    }
    out.append(UInt8(ascii: "]"))
}

private func writeDouble(_ d: Double, into out: inout [UInt8]) {
    if d.isFinite { out.append(contentsOf: d.description.utf8) } else { out.append(contentsOf: nullBytes) }
}

private let hexUpper = Array("0123456789abcdef".utf8)

func writeJSONString(_ s: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    var s = s
    s.withUTF8 { bytes in
        // Runs without anything to escape are copied whole.
        var start = 0
        for i in 0..<bytes.count {
            let b = bytes[i]
            if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
            start = i + 1
            switch b {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\\"))
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            default:
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                out.append(hexUpper[Int(b >> 4)])
                out.append(hexUpper[Int(b & 0xF)])
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
    }
    out.append(UInt8(ascii: "\""))
}

/// The current time as ISO 8601 with microseconds, UTC.
func isoNow() -> String {
    var tv = timeval()
    gettimeofday(&tv, nil)
    var t = time_t(tv.tv_sec)
    var tmv = tm()
    gmtime_r(&t, &tmv)
    // Digits written by hand: String(format:) costs more than the rest of a message's header.
    var bytes = [UInt8]()
    bytes.reserveCapacity(27)
    func digits(_ value: Int, _ width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(v / divisor % 10))
            v %= divisor
            divisor /= 10
        }
    }
    digits(Int(tmv.tm_year) + 1900, 4); bytes.append(UInt8(ascii: "-"))
    digits(Int(tmv.tm_mon) + 1, 2); bytes.append(UInt8(ascii: "-"))
    digits(Int(tmv.tm_mday), 2); bytes.append(UInt8(ascii: "T"))
    digits(Int(tmv.tm_hour), 2); bytes.append(UInt8(ascii: ":"))
    digits(Int(tmv.tm_min), 2); bytes.append(UInt8(ascii: ":"))
    digits(Int(tmv.tm_sec), 2); bytes.append(UInt8(ascii: "."))
    digits(Int(tv.tv_usec), 6); bytes.append(UInt8(ascii: "Z"))
    return String(decoding: bytes, as: UTF8.self)
}

func logError(_ s: String) {
    FileHandle.standardError.write(Data("[soma kernel] \(s)\n".utf8))
}
