/// The format-spec mini-language, `%`-formatting and `str.format`.
enum Formatter {
    /// A parsed format spec `[[fill]align][sign][#][0][width][,|_][.precision][type]`.
    struct Spec {
        var fill: Character = " "
        var align: Character?
        var sign: Character = "-"
        var alternate = false
        var zero = false
        var width = 0
        var grouping: Character?
        var precision: Int?
        var type: Character?

        init(_ s: String) throws {
            var c = Array(s)
            if c.count >= 2 && "<>=^".contains(c[1]) { fill = c[0]; align = c[1]; c.removeFirst(2) }
            else if let f = c.first, "<>=^".contains(f) { align = f; c.removeFirst() }
            if let f = c.first, "+- ".contains(f) { sign = f; c.removeFirst() }
            if c.first == "#" { alternate = true; c.removeFirst() }
            if c.first == "0" { zero = true; c.removeFirst() }
            var w = ""
            while let f = c.first, f.isASCII, f.isNumber { w.append(f); c.removeFirst() }
            width = Int(w) ?? 0
            if let f = c.first, f == "," || f == "_" { grouping = f; c.removeFirst() }
            if c.first == "." {
                c.removeFirst()
                var p = ""
                while let f = c.first, f.isASCII, f.isNumber { p.append(f); c.removeFirst() }
                guard !p.isEmpty else { throw PyException.valueError("Format specifier missing precision") }
                precision = Int(p)
            }
            if let f = c.first { type = f; c.removeFirst() }
            if !c.isEmpty { throw PyException.valueError("Invalid format specifier '\(s)'") }
        }
    }

    /// `format(v, spec)`.
    static func format(_ v: Value, _ specText: String, _ interp: Interpreter) throws -> String {
        if case .object(let o) = v, let m = o.pyType.lookup("__format__") {
            guard case .str(let s) = try interp.call(m, [v, .str(specText)]) else { throw PyException.typeError("__format__ must return a str") }
            return s
        }
        if specText.isEmpty { return try interp.str(v) }
        let spec = try Spec(specText)
        switch v {
        case .bool(let b) where spec.type == nil || spec.type == "s": return pad(b ? "True" : "False", spec, numeric: false)
        case .int(let i): return try formatInt(i, spec)
        case .bool(let b): return try formatInt(b ? 1 : 0, spec)
        case .float(let d): return try formatFloat(d, spec)
        case .str(let s):
            if let t = spec.type, t != "s" { throw PyException.valueError("Unknown format code '\(t)' for object of type 'str'") }
            if spec.sign != "-" { throw PyException.valueError("Sign not allowed in string format specifier") }
            var text = s
            if let p = spec.precision { text = String(text.unicodeScalars.prefix(p).map(Character.init)) }
            return pad(text, spec, numeric: false)
        default:
            throw PyException.typeError("unsupported format string passed to \(v.typeName).__format__")
        }
    }

    private static func group(_ digits: String, _ sep: Character?, every: Int = 3) -> String {
        guard let sep = sep else { return digits }
        var out: [Character] = []
        for (i, ch) in digits.reversed().enumerated() {
            if i > 0 && i % every == 0 { out.append(sep) }
            out.append(ch)
        }
        return String(out.reversed())
    }

    private static func signed(_ negative: Bool, _ spec: Spec) -> String {
        negative ? "-" : spec.sign == "+" ? "+" : spec.sign == " " ? " " : ""
    }

    static func formatInt(_ i: Int, _ spec: Spec) throws -> String {
        switch spec.type {
        case nil, "d", "n":
            if spec.precision != nil { throw PyException.valueError("Precision not allowed in integer format specifier") }
            return pad(signed(i < 0, spec), group(String(i.magnitude), spec.grouping), spec)
        case "x", "X", "o", "b":
            let radix = spec.type == "o" ? 8 : spec.type == "b" ? 2 : 16
            var body = String(i.magnitude, radix: radix, uppercase: spec.type == "X")
            body = group(body, spec.grouping, every: 4)
            let prefix = spec.alternate ? "0" + String(spec.type!) : ""
            return pad(signed(i < 0, spec) + prefix, body, spec)
        case "c":
            guard let u = Unicode.Scalar(UInt32(clamping: i)) else { throw PyException.overflow("%c arg not in range(0x110000)") }
            return pad(String(u), spec, numeric: false)
        case "e", "E", "f", "F", "g", "G", "%":
            return try formatFloat(Double(i), spec)
        case let t?:
            throw PyException.valueError("Unknown format code '\(t)' for object of type 'int'")
        }
    }

    static func formatFloat(_ d: Double, _ spec: Spec) throws -> String {
        var body: String
        let neg = d.sign == .minus && !d.isNaN
        let a = abs(d)
        switch spec.type {
        case "f", "F", "e", "E", "g", "G":
            body = FloatFormat.printf(a, spec.type!, precision: spec.precision ?? 6, alternate: spec.alternate)
        case "%":
            body = FloatFormat.printf(a * 100, "f", precision: spec.precision ?? 6, alternate: spec.alternate) + "%"
        case nil:
            if let p = spec.precision {
                body = FloatFormat.printf(a, "g", precision: max(p, 1), alternate: spec.alternate)
                if a.isFinite && !body.contains(where: { $0 == "." || $0 == "e" }) { body += ".0" }
            } else {
                body = FloatFormat.repr(a)
            }
        case let t?:
            throw PyException.valueError("Unknown format code '\(t)' for object of type 'float'")
        }
        if let g = spec.grouping, a.isFinite {
            let intEnd = body.firstIndex(where: { !$0.isNumber }) ?? body.endIndex
            body = group(String(body[..<intEnd]), g) + body[intEnd...]
        }
        return pad(signed(neg, spec), body, spec)
    }

    /// Pads a number's sign and digits to the spec's width.
    private static func pad(_ sign: String, _ body: String, _ spec: Spec) -> String {
        var s = spec
        if spec.zero && spec.align == nil { s.fill = "0"; s.align = "=" }
        let total = sign.count + body.count
        guard s.width > total else { return sign + body }
        let padding = String(repeating: s.fill, count: s.width - total)
        switch s.align ?? ">" {
        case "<": return sign + body + padding
        case "^":
            let left = (s.width - total) / 2
            return String(repeating: s.fill, count: left) + sign + body + String(repeating: s.fill, count: s.width - total - left)
        case "=": return sign + padding + body
        default: return padding + sign + body
        }
    }

    private static func pad(_ text: String, _ spec: Spec, numeric: Bool) -> String {
        var s = spec
        if s.align == nil { s.align = numeric ? ">" : "<" }
        if spec.zero && spec.align == nil && !numeric { s.fill = "0" }
        return pad("", text, s)
    }
}
