/// `%`-formatting and `str.format`.
extension Formatter {
    /// `template % args`.
    static func percent(_ template: String, _ args: Value, _ interp: Interpreter) throws -> String {
        let chars = Array(template)
        var items: [Value] = args.as(PyTuple.self)?.items ?? [args]
        let mapping = args.as(PyDict.self)
        var next = 0
        func take() throws -> Value {
            if mapping != nil && args.as(PyTuple.self) == nil && next == 0 && items.count == 1 { next = 1; return items[0] }
            guard next < items.count else { throw PyException.typeError("not enough arguments for format string") }
            next += 1
            return items[next - 1]
        }
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            guard c == "%" else { out.append(c); i += 1; continue }
            i += 1
            guard i < chars.count else { throw PyException.valueError("incomplete format") }
            var key: Value?
            if chars[i] == "(" {
                guard let close = chars[i...].firstIndex(of: ")") else { throw PyException.valueError("incomplete format key") }
                let name = String(chars[(i + 1)..<close])
                guard let m = mapping else { throw PyException.typeError("format requires a mapping") }
                guard let v = try m.get(.str(name)) else { throw PyException.keyError(.str(name)) }
                key = v
                i = close + 1
            }
            var flags = ""
            while i < chars.count, "-+ 0#".contains(chars[i]) { flags.append(chars[i]); i += 1 }
            var width = ""
            if i < chars.count && chars[i] == "*" {
                guard case .int(let w) = try take() else { throw PyException.typeError("* wants int") }
                width = String(w); i += 1
            }
            while i < chars.count, chars[i].isASCII, chars[i].isNumber { width.append(chars[i]); i += 1 }
            var precision: String?
            if i < chars.count && chars[i] == "." {
                i += 1
                var p = ""
                while i < chars.count, chars[i].isASCII, chars[i].isNumber { p.append(chars[i]); i += 1 }
                precision = p.isEmpty ? "0" : p
            }
            guard i < chars.count else { throw PyException.valueError("incomplete format") }
            let conv = chars[i]
            i += 1
            if conv == "%" { out.append("%"); continue }
            let v = try key ?? take()
            var specText = ""
            if flags.contains("-") { specText += "<" } else if conv == "s" || conv == "r" { specText += ">" }
            if flags.contains("+") { specText += "+" } else if flags.contains(" ") { specText += " " }
            if flags.contains("#") { specText += "#" }
            if flags.contains("0") && !flags.contains("-") { specText += "0" }
            specText += width
            switch conv {
            case "s", "r", "a":
                let text = conv == "s" ? try interp.str(v) : try interp.repr(v)
                if let p = precision { specText += "." + p }
                out += try format(.str(text), specText, interp)
            case "d", "i", "u":
                let n: Value
                switch v {
                case .float(let d): n = .int(try Arithmetic.toInt(d))
                case .int, .bool: n = v
                default: throw PyException.typeError("%\(conv) format: a real number is required, not \(v.typeName)")
                }
                out += try format(n, specText + "d", interp)
            case "f", "F", "e", "E", "g", "G":
                let d: Double
                switch v {
                case .float(let x): d = x
                case .int(let x): d = Double(x)
                case .bool(let b): d = b ? 1 : 0
                default: throw PyException.typeError("must be real number, not \(v.typeName)")
                }
                out += try format(.float(d), specText + "." + (precision ?? "6") + String(conv), interp)
            case "x", "X", "o":
                guard case .int = v else { throw PyException.typeError("%\(conv) format: an integer is required, not \(v.typeName)") }
                out += try format(v, specText + String(conv), interp)
            case "c":
                if case .str = v { out += try format(v, specText + "s", interp) } else { out += try format(v, specText + "c", interp) }
            default:
                throw PyException.valueError("unsupported format character '\(conv)' (0x\(String(conv.unicodeScalars.first!.value, radix: 16))) at index \(i - 1)")
            }
        }
        if next < items.count && mapping == nil {
            throw PyException.typeError("not all arguments converted during string formatting")
        }
        items = []
        return out
    }

    /// `template.format(*args, **kwargs)`.
    static func strFormat(_ template: String, _ args: Arguments, _ interp: Interpreter) throws -> String {
        let chars = Array(template)
        var out = ""
        var auto = 0
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "}" {
                guard i + 1 < chars.count && chars[i + 1] == "}" else { throw PyException.valueError("Single '}' encountered in format string") }
                out.append("}"); i += 2; continue
            }
            guard c == "{" else { out.append(c); i += 1; continue }
            if i + 1 < chars.count && chars[i + 1] == "{" { out.append("{"); i += 2; continue }
            var depth = 1
            var j = i + 1
            while j < chars.count && depth > 0 {
                if chars[j] == "{" { depth += 1 } else if chars[j] == "}" { depth -= 1 }
                if depth > 0 { j += 1 }
            }
            guard j < chars.count else { throw PyException.valueError("expected '}' before end of string") }
            let field = String(chars[(i + 1)..<j])
            i = j + 1
            var name = field, conversion: Character?, spec = ""
            if let colon = field.firstIndex(of: ":") { name = String(field[..<colon]); spec = String(field[field.index(after: colon)...]) }
            if let bang = name.firstIndex(of: "!") {
                conversion = name[name.index(after: bang)...].first
                name = String(name[..<bang])
            }
            if spec.contains("{") { spec = try strFormat(spec, args, interp) }
            var value = try lookupField(name, args, &auto, interp)
            if conversion == "r" { value = .str(try interp.repr(value)) } else if conversion == "s" { value = .str(try interp.str(value)) }
            out += try format(value, spec, interp)
        }
        return out
    }

    private static func lookupField(_ name: String, _ args: Arguments, _ auto: inout Int, _ interp: Interpreter) throws -> Value {
        var rest = Substring(name)
        let head = rest.prefix { $0 != "." && $0 != "[" }
        rest = rest.dropFirst(head.count)
        var value: Value
        if head.isEmpty {
            guard auto < args.positional.count else {
                throw PyException.indexError("Replacement index \(auto) out of range for positional args tuple")
            }
            value = args.positional[auto]; auto += 1
        } else if let n = Int(head) {
            guard n < args.positional.count else { throw PyException.indexError("Replacement index \(n) out of range for positional args tuple") }
            value = args.positional[n]
        } else {
            guard let kv = args.keywords.first(where: { $0.name == head }) else { throw PyException.keyError(.str(String(head))) }
            value = kv.value
        }
        while let f = rest.first {
            rest.removeFirst()
            if f == "." {
                let attr = rest.prefix { $0 != "." && $0 != "[" }
                rest = rest.dropFirst(attr.count)
                value = try interp.getAttribute(value, String(attr))
            } else {
                let key = rest.prefix { $0 != "]" }
                rest = rest.dropFirst(key.count + 1)
                value = try interp.getItem(value, Int(key).map { .int($0) } ?? .str(String(key)))
            }
        }
        return value
    }
}
