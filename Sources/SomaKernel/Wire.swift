import Crypto
import Foundation

/// A JSON object as Foundation's JSONSerialization reads and writes it.
public typealias JSONObject = [String: Any]
/// A MIME bundle: MIME type → data (a String for text types, any JSON value for JSON types).
public typealias MimeBundle = [String: Any]

/// Signs and verifies messages with HMAC-SHA256 (an empty key means no signing).
public struct MessageSigner: @unchecked Sendable {
    let key: SymmetricKey?

    public init(key: String) {
        self.key = key.isEmpty ? nil : SymmetricKey(data: Array(key.utf8))
    }

    public var isSigning: Bool { key != nil }

    /// The lowercase hex HMAC-SHA256 over the given frames, in order ("" when not signing).
    public func signature(_ parts: [[UInt8]]) -> String {
        guard let key else { return "" }
        var mac = HMAC<SHA256>(key: key)
        for p in parts { mac.update(data: p) }
        return hex(Array(mac.finalize()))
    }

    /// Checks a signature in constant time (with respect to its contents).
    public func verify(signature: [UInt8], parts: [[UInt8]]) -> Bool {
        guard key != nil else { return true }
        let expected = Array(self.signature(parts).utf8)
        guard signature.count == expected.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<expected.count { diff |= expected[i] ^ signature[i] }
        return diff == 0
    }
}

private let hexDigits = Array("0123456789abcdef".utf8)
func hex(_ bytes: [UInt8]) -> String {
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for b in bytes {
        out.append(hexDigits[Int(b >> 4)])
        out.append(hexDigits[Int(b & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
}

let delimiter: [UInt8] = Array("<IDS|MSG>".utf8)

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

    /// A fresh header.
    public static func makeHeader(msgType: String, session: String, username: String = "soma") -> JSONObject {
        [
            "msg_id": UUID().uuidString.lowercased(),
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
        frames.append(Array(signer.signature(parts).utf8))
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
            guard let obj = (try? JSONSerialization.jsonObject(with: Data(p), options: [])) as? JSONObject else {
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

func encodeJSON(_ obj: JSONObject) -> [UInt8] {
    if obj.isEmpty { return Array("{}".utf8) }
    if let data = try? JSONSerialization.data(withJSONObject: sanitize(obj) as! JSONObject, options: []) {
        return Array(data)
    }
    return Array("{}".utf8)
}

/// Makes values JSON-serializable (Int/Double/String/Bool/Array/Dictionary/NSNull); others become strings.
func sanitize(_ v: Any) -> Any {
    switch v {
    case let s as String: return s
    case let b as Bool: return b
    case let i as Int: return i
    case let d as Double: return d.isFinite ? d : NSNull()
    case let f as Float: return Double(f).isFinite ? Double(f) : NSNull()
    case let a as [Any]: return a.map(sanitize)
    case let o as [String: Any]: return o.mapValues(sanitize)
    case is NSNull: return NSNull()
    case let n as NSNumber: return n
    default: return String(describing: v)
    }
}

/// The current time as ISO 8601 with microseconds, UTC.
func isoNow() -> String {
    var tv = timeval()
    gettimeofday(&tv, nil)
    var t = time_t(tv.tv_sec)
    var tmv = tm()
    gmtime_r(&t, &tmv)
    return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(tmv.tm_year) + 1900, Int(tmv.tm_mon) + 1,
                  Int(tmv.tm_mday), Int(tmv.tm_hour), Int(tmv.tm_min), Int(tmv.tm_sec), Int(tv.tv_usec))
}

func logError(_ s: String) {
    FileHandle.standardError.write(Data("[soma kernel] \(s)\n".utf8))
}
