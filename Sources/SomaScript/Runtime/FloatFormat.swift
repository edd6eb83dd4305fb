import Foundation

/// Python's float-to-text conversions.
enum FloatFormat {
    /// The shortest round-tripping digits of |d| and the decimal exponent of the first digit.
    static func shortestDigits(_ d: Double) -> (digits: String, exponent: Int) {
        let text = abs(d).description
        var mantissa = text, exp = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(text[..<e])
            exp = Int(text[text.index(after: e)...])!
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = String(parts[0]), frac = parts.count > 1 ? String(parts[1]) : ""
        var digits = intPart + frac
        var pointPos = intPart.count + exp
        while digits.hasPrefix("0") && digits.count > 1 { digits.removeFirst(); pointPos -= 1 }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        if digits == "0" { return ("0", 0) }
        return (digits, pointPos - 1)
    }

    /// `repr(float)`.
    static func repr(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        let sign = d.sign == .minus ? "-" : ""
        let (digits, exp) = shortestDigits(d)
        if digits == "0" { return sign + "0.0" }
        if exp < -4 || exp >= 16 {
            let m = digits.count > 1 ? String(digits.first!) + "." + digits.dropFirst() : digits
            return sign + m + "e" + (exp < 0 ? "-" : "+") + String(abs(exp)).leftPadded(to: 2)
        }
        if exp < 0 { return sign + "0." + String(repeating: "0", count: -exp - 1) + digits }
        if digits.count <= exp + 1 { return sign + digits + String(repeating: "0", count: exp + 1 - digits.count) + ".0" }
        let i = digits.index(digits.startIndex, offsetBy: exp + 1)
        return sign + digits[..<i] + "." + digits[i...]
    }

    /// C printf-style conversion of one double (`f`, `e`, `g` with flags), as Python's own formatting does.
    static func printf(_ d: Double, _ conversion: Character, precision: Int, alternate: Bool = false) -> String {
        if d.isNaN { return conversion.isUppercase ? "NAN" : "nan" }
        if d.isInfinite { return (d < 0 ? "-" : "") + (conversion.isUppercase ? "INF" : "inf") }
        let fmt = "%" + (alternate ? "#" : "") + ".\(precision)" + String(conversion)
        return String(format: fmt, d)
    }
}
