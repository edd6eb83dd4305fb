import Foundation

/// XML text and attribute escaping; control characters that XML 1.0 forbids are dropped.
public func xmlEscape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for u in s.unicodeScalars {
        switch u {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        case "\t", "\n", "\r": out.unicodeScalars.append(u)
        default:
            if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF { continue }
            out.unicodeScalars.append(u)
        }
    }
    return out
}

/// A pixel coordinate with at most two decimals and no trailing zeros (`12.5`, `3`, `-0.25`).
func px(_ v: Double) -> String {
    if !v.isFinite { return "0" }
    let r = (v * 100).rounded() / 100
    if r == r.rounded() && abs(r) < 1e15 { return String(Int(r)) }
    var s = String(format: "%.2f", r)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s == "-0" ? "0" : s
}

/// Approximate width in pixels of a text in a sans-serif font.
func textWidth(_ s: String, size: Double) -> Double {
    var w = 0.0
    for ch in s {
        switch ch {
        case "i", "l", "j", ".", ",", ":", ";", "'", "|", "!", "I": w += 0.3
        case "m", "w", "M", "W": w += 0.9
        case "-", "(", ")", "[", "]", " ", "f", "t", "r": w += 0.4
        default: w += ch.isUppercase ? 0.7 : 0.58
        }
    }
    return w * size
}

let fontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif"

/// A small SVG writer: elements appended as text.
struct SVGBuilder {
    var out = ""
    mutating func raw(_ s: String) { out += s; out += "\n" }
    mutating func text(_ s: String, x: Double, y: Double, size: Double, anchor: String = "middle", baseline: String? = nil,
                       color: String = "#222222", weight: String? = nil, rotate: Double? = nil, cls: String? = nil) {
        var a = "<text"
        if let c = cls { a += " class=\"\(c)\"" }
        // Vertical centring by a baseline shift rather than dominant-baseline, which some renderers ignore.
        let y = baseline == "central" ? y + size * 0.35 : y
        a += " x=\"\(px(x))\" y=\"\(px(y))\" font-size=\"\(px(size))\" text-anchor=\"\(anchor)\""
        if let b = baseline, b != "central" { a += " dominant-baseline=\"\(b)\"" }
        if color != "#222222" { a += " fill=\"\(color)\"" }
        if let w = weight { a += " font-weight=\"\(w)\"" }
        if let r = rotate { a += " transform=\"rotate(\(px(r)) \(px(x)) \(px(y)))\"" }
        a += ">\(xmlEscape(s))</text>"
        raw(a)
    }
}

/// A unique prefix for element ids, so that several SVGs inlined into one page do not share clip-path ids.
final class IDCounter: @unchecked Sendable {
    static let shared = IDCounter()
    private let lock = NSLock()
    private var n = 0
    func next() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
}
