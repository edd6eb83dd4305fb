/// Whether a cell's text is ready to run (the kernel's is_complete request).
public enum Completeness: Equatable, Sendable {
    case complete
    /// More lines are needed; `indent` is what the next line should start with.
    case incomplete(indent: String)
    case invalid
}

/// Completions for the text before a cursor (the kernel's complete request).
public struct Completions: Equatable, Sendable {
    public var matches: [String]
    /// The range of the source (in Unicode scalars) that a match replaces.
    public var start: Int
    public var end: Int
}

extension Interpreter {
    /// Classifies `source` as complete, incomplete (with the indent to continue with) or invalid.
    public static func isComplete(_ source: String) -> Completeness {
        let lines = source.components(separatedBy: "\n")
        let lastLine = lines.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? ""
        let lastIndent = String(lastLine.prefix { $0 == " " || $0 == "\t" })
        let opensBlock = lastLine.trimmingTrailingSpaces().hasSuffix(":")
        do {
            _ = try Parser.parseModule(source)
        } catch let e as SyntaxError {
            if e.atEOF { return .incomplete(indent: opensBlock ? lastIndent + "    " : lastIndent) }
            return .invalid
        } catch {
            return .invalid
        }
        if source.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .complete }
        // A final line holding only whitespace ends an indented block, as in IPython's console.
        let endsWithBlankLine = source.hasSuffix("\n\n") || (lines.count > 1 && lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true
            && !lines.last!.isEmpty)
        if !lastIndent.isEmpty && !endsWithBlankLine { return .incomplete(indent: lastIndent) }
        return .complete
    }

    /// The dotted name that ends at `cursor` (e.g. `model.fc`), and where it starts.
    private static func dottedName(before cursor: Int, in source: String) -> (text: String, start: Int) {
        let chars = Array(source.unicodeScalars.prefix(cursor))
        var i = chars.count
        while i > 0, chars[i - 1] == "." || chars[i - 1] == "_" || chars[i - 1].properties.isAlphabetic
                || ("0"..."9").contains(chars[i - 1]) {
            i -= 1
        }
        return (String(String.UnicodeScalarView(chars[i...])), i)
    }

    /// Resolves a dotted name in the session without running calls (attribute reads only).
    private func resolve(_ dotted: String) -> Value? {
        let parts = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, var v = globals[first] ?? builtins[first] else { return nil }
        for p in parts.dropFirst() {
            guard let next = try? getAttribute(v, p) else { return nil }
            v = next
        }
        return v
    }

    /// The attribute names of a value: instance attributes, class members along the chain, module members.
    public func attributeNames(_ v: Value) -> [String] {
        var names = Set<String>()
        if case .object(let o) = v {
            names.formUnion(o.attributes?.keys ?? [])
            if let t = o as? PyType { for c in t.mro { names.formUnion(c.dict.keys) } }
        }
        for c in v.type.mro where c !== Types.object { names.formUnion(c.dict.keys) }
        return names.sorted()
    }

    /// Names in scope, attributes after a dot, and keywords that complete the text before `cursor`.
    public func complete(_ source: String, cursor: Int) -> Completions {
        let (text, start) = Interpreter.dottedName(before: cursor, in: source)
        if let dot = text.lastIndex(of: ".") {
            let base = String(text[..<dot]), prefix = String(text[text.index(after: dot)...])
            let candidates = resolve(base).map { attributeNames($0) } ?? []
            let matches = candidates.filter { $0.hasPrefix(prefix) && (prefix.hasPrefix("_") || !$0.hasPrefix("_")) }
            return Completions(matches: matches, start: start + base.unicodeScalars.count + 1, end: cursor)
        }
        let all = Set(globals.names).union(builtins.keys).union(Parser.keywords)
        return Completions(matches: all.filter { $0.hasPrefix(text) && !text.isEmpty }.sorted(), start: start, end: cursor)
    }

    /// The signature and docstring of the name under (or just before) the cursor, or of the call it is inside.
    public func inspect(_ source: String, cursor: Int) -> String? {
        let scalars = Array(source.unicodeScalars)
        var end = min(cursor, scalars.count)
        while end < scalars.count, scalars[end] == "_" || scalars[end].properties.isAlphabetic || ("0"..."9").contains(scalars[end]) {
            end += 1
        }
        var (text, _) = Interpreter.dottedName(before: end, in: source)
        if text.isEmpty {
            var depth = 0, i = min(cursor, scalars.count) - 1
            while i >= 0 {
                if scalars[i] == ")" { depth += 1 } else if scalars[i] == "(" {
                    if depth == 0 { break }
                    depth -= 1
                }
                i -= 1
            }
            guard i > 0 else { return nil }
            text = Interpreter.dottedName(before: i, in: source).text
        }
        guard !text.isEmpty, let v = resolve(text) else { return nil }
        return try? helpText(v)
    }
}
