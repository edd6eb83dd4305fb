import Foundation

/// The methods of str.
extension Builtins {
    static func installStrMethods() {
        let t = Types.str
        func m(_ name: String, _ sig: String = "(...)", _ body: @escaping (Interpreter, String, Arguments) throws -> Value) {
            t.addMethod(name, signature: sig) { interp, receiver, args in try body(interp, try receiver.asString(), args) }
        }
        m("format") { interp, s, args in .str(try Formatter.strFormat(s, args, interp)) }
        m("join", "(iterable, /)") { interp, s, args in
            let items = try interp.iterate(try args.expect("join", min: 1, max: 1)[0])
            return .str(try items.enumerated().map { i, v -> String in
                guard case .str(let x) = v else { throw PyException.typeError("sequence item \(i): expected str instance, \(v.typeName) found") }
                return x
            }.joined(separator: s))
        }
        m("split", "(sep=None, maxsplit=-1)") { _, s, args in
            let b = try ParameterList("split", ["sep", "maxsplit"], defaults: ["sep": .none, "maxsplit": .int(-1)]).bind(args)
            return list(try split(s, b[0], try b[1].asInt(), fromRight: false))
        }
        m("rsplit", "(sep=None, maxsplit=-1)") { _, s, args in
            let b = try ParameterList("rsplit", ["sep", "maxsplit"], defaults: ["sep": .none, "maxsplit": .int(-1)]).bind(args)
            return list(try split(s, b[0], try b[1].asInt(), fromRight: true))
        }
        for (name, leading, trailing) in [("strip", true, true), ("lstrip", true, false), ("rstrip", false, true)] {
            m(name, "(chars=None, /)") { _, s, args in
                let a = try args.expect(name, min: 0, max: 1)
                let chars: Set<Unicode.Scalar>? = try a.first.flatMap { $0.isNone ? nil : Set(try $0.asString().unicodeScalars) }
                let strip: (Unicode.Scalar) -> Bool = { chars?.contains($0) ?? $0.properties.isWhitespace }
                var u = Array(s.unicodeScalars)[...]
                if leading { while let f = u.first, strip(f) { u.removeFirst() } }
                if trailing { while let l = u.last, strip(l) { u.removeLast() } }
                return .str(String(String.UnicodeScalarView(u)))
            }
        }
        m("replace", "(old, new, count=-1, /)") { _, s, args in
            let a = try args.expect("replace", min: 2, max: 3)
            let old = try a[0].asString(), new = try a[1].asString()
            let count = a.count > 2 ? try a[2].asInt() : -1
            if count < 0 { return .str(old.isEmpty ? new + s.unicodeScalars.map { String($0) + new }.joined() : s.replacingOccurrences(of: old, with: new)) }
            var out = "", rest = Substring(s), n = 0
            while n < count, let r = rest.range(of: old), !old.isEmpty {
                out += rest[..<r.lowerBound] + new
                rest = rest[r.upperBound...]
                n += 1
            }
            return .str(out + rest)
        }
        m("upper") { _, s, _ in .str(s.uppercased()) }
        m("lower") { _, s, _ in .str(s.lowercased()) }
        m("capitalize") { _, s, _ in .str(s.prefix(1).uppercased() + s.dropFirst().lowercased()) }
        m("title") { _, s, _ in
            var out = "", prevLetter = false
            for c in s {
                out += prevLetter ? c.lowercased() : c.uppercased()
                prevLetter = c.isLetter
            }
            return .str(out)
        }
        m("swapcase") { _, s, _ in .str(String(s.map { $0.isUppercase ? Character($0.lowercased()) : Character($0.uppercased()) })) }
        for (name, isPrefix) in [("startswith", true), ("endswith", false)] {
            m(name, "(prefix[, start[, end]])") { _, s, args in
                let a = try args.expect(name, min: 1, max: 3)
                let sub = try substringRange(s, a.dropFirst())
                let options = try (a[0].as(PyTuple.self)?.items ?? [a[0]]).map { v -> String in
                    guard case .str(let x) = v else {
                        throw PyException.typeError("\(name) first arg must be str or a tuple of str, not \(v.typeName)")
                    }
                    return x
                }
                return .bool(options.contains { isPrefix ? sub.hasPrefix($0) : sub.hasSuffix($0) })
            }
        }
        for (name, fromRight, raises) in [("find", false, false), ("rfind", true, false), ("index", false, true), ("rindex", true, true)] {
            m(name, "(sub[, start[, end]])") { _, s, args in
                let a = try args.expect(name, min: 1, max: 3)
                let sub = try a[0].asString()
                let chars = Array(s.unicodeScalars)
                let (start, end) = try bounds(chars.count, a.dropFirst())
                let needle = Array(sub.unicodeScalars)
                var found = -1
                if end - start >= needle.count {
                    let candidates = Array(start...(end - needle.count))
                    for i in fromRight ? candidates.reversed() : candidates where Array(chars[i..<i + needle.count]) == needle {
                        found = i; break
                    }
                }
                if found < 0 && raises { throw PyException.valueError("substring not found") }
                return .int(found)
            }
        }
        m("count", "(sub[, start[, end]])") { _, s, args in
            let a = try args.expect("count", min: 1, max: 3)
            let sub = try a[0].asString()
            let hay = try substringRange(s, a.dropFirst())
            if sub.isEmpty { return .int(hay.unicodeScalars.count + 1) }
            return .int(hay.components(separatedBy: sub).count - 1)
        }
        for (name, align) in [("center", "^"), ("ljust", "<"), ("rjust", ">")] {
            m(name, "(width, fillchar=' ', /)") { _, s, args in
                let a = try args.expect(name, min: 1, max: 2)
                let fill = a.count > 1 ? try a[1].asString() : " "
                guard fill.unicodeScalars.count == 1 else { throw PyException.typeError("The fill character must be exactly one character long") }
                let width = try a[0].asInt(), n = s.unicodeScalars.count
                guard width > n else { return .str(s) }
                let pad = width - n
                switch align {
                case "<": return .str(s + String(repeating: fill, count: pad))
                case ">": return .str(String(repeating: fill, count: pad) + s)
                default:
                    let left = pad / 2 + (pad & width & 1)
                    return .str(String(repeating: fill, count: left) + s + String(repeating: fill, count: pad - left))
                }
            }
        }
        m("zfill", "(width, /)") { _, s, args in
            let width = try args.expect("zfill", min: 1, max: 1)[0].asInt()
            let n = s.unicodeScalars.count
            guard width > n else { return .str(s) }
            let zeros = String(repeating: "0", count: width - n)
            if let f = s.first, f == "-" || f == "+" { return .str(String(f) + zeros + s.dropFirst()) }
            return .str(zeros + s)
        }
        let predicates: [(String, (Character) -> Bool)] = [
            ("isdigit", { $0.isNumber && $0.unicodeScalars.allSatisfy { $0.properties.numericType != nil } }),
            ("isnumeric", { $0.isNumber }), ("isdecimal", { $0.isASCII && $0.isNumber }),
            ("isalpha", { $0.isLetter }), ("isalnum", { $0.isLetter || $0.isNumber }), ("isspace", { $0.isWhitespace }),
        ]
        for (name, p) in predicates { m(name) { _, s, _ in .bool(!s.isEmpty && s.allSatisfy(p)) } }
        m("isupper") { _, s, _ in .bool(s.contains { $0.isCased } && !s.contains { $0.isLowercase }) }
        m("islower") { _, s, _ in .bool(s.contains { $0.isCased } && !s.contains { $0.isUppercase }) }
        m("splitlines", "(keepends=False)") { interp, s, args in
            let keep = try interp.isTruthy(args.positional.first ?? args.keyword("keepends") ?? .bool(false))
            var lines: [Value] = [], cur = ""
            var it = Array(s.unicodeScalars)[...]
            while let c = it.popFirst() {
                if c == "\n" || c == "\r" {
                    var end = String(c)
                    if c == "\r", it.first == "\n" { it.removeFirst(); end = "\r\n" }
                    lines.append(.str(keep ? cur + end : cur)); cur = ""
                } else { cur.unicodeScalars.append(c) }
            }
            if !cur.isEmpty { lines.append(.str(cur)) }
            return .object(PyList(lines))
        }
        m("partition", "(sep, /)") { _, s, args in
            let sep = try args.expect("partition", min: 1, max: 1)[0].asString()
            guard let r = s.range(of: sep) else { return .object(PyTuple([.str(s), .str(""), .str("")])) }
            return .object(PyTuple([.str(String(s[..<r.lowerBound])), .str(sep), .str(String(s[r.upperBound...]))]))
        }
        m("encode") { _, _, _ in throw PyException.valueError("bytes are not supported in Soma") }
    }

    private static func list(_ items: [String]) -> Value { .object(PyList(items.map { .str($0) })) }

    private static func bounds(_ count: Int, _ rest: ArraySlice<Value>) throws -> (Int, Int) {
        func clamp(_ v: Value?, _ def: Int) throws -> Int {
            guard let v = v, !v.isNone else { return def }
            var i = try v.asInt()
            if i < 0 { i += count }
            return min(max(i, 0), count)
        }
        return (try clamp(rest.first, 0), try clamp(rest.dropFirst().first, count))
    }

    private static func substringRange(_ s: String, _ rest: ArraySlice<Value>) throws -> String {
        let chars = Array(s.unicodeScalars)
        let (a, b) = try bounds(chars.count, rest)
        return a < b ? String(String.UnicodeScalarView(chars[a..<b])) : ""
    }

    /// Python's str.split / rsplit.
    static func split(_ s: String, _ sepValue: Value, _ maxsplit: Int, fromRight: Bool) throws -> [String] {
        if case .none = sepValue {
            var words: [String] = []
            var chars = Array(s.unicodeScalars)
            if fromRight { chars.reverse() }
            var i = 0
            while i < chars.count {
                while i < chars.count && chars[i].properties.isWhitespace { i += 1 }
                if i >= chars.count { break }
                if maxsplit >= 0 && words.count == maxsplit {
                    var rest = Array(chars[i...])
                    while let l = rest.last, l.properties.isWhitespace { rest.removeLast() }
                    words.append(String(String.UnicodeScalarView(fromRight ? rest.reversed() : rest)))
                    break
                }
                var w = String.UnicodeScalarView()
                while i < chars.count && !chars[i].properties.isWhitespace { w.append(chars[i]); i += 1 }
                words.append(fromRight ? String(String.UnicodeScalarView(w.reversed())) : String(w))
            }
            return fromRight ? words.reversed() : words
        }
        let sep = try sepValue.asString()
        if sep.isEmpty { throw PyException.valueError("empty separator") }
        var parts = s.components(separatedBy: sep)
        if maxsplit >= 0 && parts.count > maxsplit + 1 {
            if fromRight {
                let head = parts[..<(parts.count - maxsplit)].joined(separator: sep)
                parts = [head] + parts[(parts.count - maxsplit)...]
            } else {
                let tail = parts[maxsplit...].joined(separator: sep)
                parts = Array(parts[..<maxsplit]) + [tail]
            }
        }
        return parts
    }
}
