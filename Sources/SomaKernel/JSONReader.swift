import Foundation

/// Decodes a JSON object from UTF-8 bytes (a fast reader for the four dictionaries of each message:
/// JSONSerialization costs tens of microseconds per message on Linux). Values: String, Bool, Int
/// (a number without fraction or exponent that fits), Double, NSNull, [Any], [String: Any] —
/// what `writeJSON` writes back unchanged. nil when the text is not one JSON object.
func decodeJSONObject(_ bytes: [UInt8]) -> JSONObject? {
    bytes.withUnsafeBufferPointer { buf -> JSONObject? in
        var r = JSONReader(buf)
        r.skipSpace()
        guard r.peek == UInt8(ascii: "{"), let obj = try? r.value(depth: 0) as? JSONObject else { return nil }
        r.skipSpace()
        return r.i == buf.count ? obj : nil
    }
}

private struct JSONReader {
    struct Invalid: Error {}

    let p: UnsafeBufferPointer<UInt8>
    var i = 0

    init(_ p: UnsafeBufferPointer<UInt8>) { self.p = p }

    var peek: UInt8 { i < p.count ? p[i] : 0 }

    mutating func skipSpace() {
        while i < p.count, p[i] == 0x20 || p[i] == 0x0A || p[i] == 0x0D || p[i] == 0x09 { i += 1 }
    }

    mutating func expect(_ c: UInt8) throws {
        skipSpace()
        guard peek == c else { throw Invalid() }
        i += 1
    }

    mutating func literal(_ word: StaticString, _ v: Any) throws -> Any {
        let n = word.utf8CodeUnitCount
        guard i + n <= p.count else { throw Invalid() }
        for k in 0..<n where p[i + k] != word.utf8Start[k] { throw Invalid() }
        i += n
        return v
    }

    mutating func value(depth: Int) throws -> Any {
        guard depth < 512 else { throw Invalid() }
        skipSpace()
        switch peek {
        case UInt8(ascii: "{"):
            i += 1
            var obj: [String: Any] = [:]
            skipSpace()
            if peek == UInt8(ascii: "}") { i += 1; return obj }
            while true {
                try expect(UInt8(ascii: "\""))
                let key = try string()
                try expect(UInt8(ascii: ":"))
                obj[key] = try value(depth: depth + 1)
                skipSpace()
                if peek == UInt8(ascii: ",") { i += 1; continue }
                try expect(UInt8(ascii: "}"))
                return obj
            }
        case UInt8(ascii: "["):
            i += 1
            var arr: [Any] = []
            skipSpace()
            if peek == UInt8(ascii: "]") { i += 1; return arr }
            while true {
                arr.append(try value(depth: depth + 1))
                skipSpace()
                if peek == UInt8(ascii: ",") { i += 1; continue }
                try expect(UInt8(ascii: "]"))
                return arr
            }
        case UInt8(ascii: "\""):
            i += 1
            return try string()
        case UInt8(ascii: "t"): return try literal("true", true)
        case UInt8(ascii: "f"): return try literal("false", false)
        case UInt8(ascii: "n"): return try literal("null", NSNull())
        default: return try number()
        }
    }

    /// The rest of a string whose opening quote was read.
    mutating func string() throws -> String {
        let start = i
        while i < p.count, p[i] != UInt8(ascii: "\""), p[i] != UInt8(ascii: "\\") {
            guard p[i] >= 0x20 else { throw Invalid() }
            i += 1
        }
        guard i < p.count else { throw Invalid() }
        if p[i] == UInt8(ascii: "\"") {
            defer { i += 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
        }
        var out = Array(p[start..<i])
        while true {
            guard i < p.count else { throw Invalid() }
            let c = p[i]
            i += 1
            switch c {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard i < p.count else { throw Invalid() }
                let e = p[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar), i + 1 < p.count, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") {
                        let save = i
                        i += 2
                        let low = try hex4()
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            i = save
                        }
                    }
                    out.append(contentsOf: String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8)
                default: throw Invalid()
                }
            default:
                guard c >= 0x20 else { throw Invalid() }
                out.append(c)
            }
        }
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= p.count else { throw Invalid() }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = p[i]
            i += 1
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = v << 4 | UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = v << 4 | UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): v = v << 4 | UInt32(c - UInt8(ascii: "A") + 10)
            default: throw Invalid()
            }
        }
        return v
    }

    mutating func number() throws -> Any {
        let start = i
        var integral = true
        if peek == UInt8(ascii: "-") { i += 1 }
        guard i < p.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(p[i]) else { throw Invalid() }
        while i < p.count {
            let c = p[i]
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) {
            } else if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+")
                        || c == UInt8(ascii: "-") {
                integral = false
            } else {
                break
            }
            i += 1
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
        if integral, let n = Int(text) { return n }
        guard let d = Double(text) else { throw Invalid() }
        return d
    }
}
