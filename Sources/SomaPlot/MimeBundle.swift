/// A display value: MIME type → data, in insertion order; `text/plain` is always present.
public struct MimeBundle: Equatable, CustomStringConvertible, Sendable {
    public private(set) var entries: [(mime: String, data: String)]

    public init(plain: String) { entries = [("text/plain", plain)] }

    public init(_ pairs: [(String, String)]) {
        entries = []
        for (k, v) in pairs { self[k] = v }
        if self["text/plain"] == nil { entries.insert(("text/plain", ""), at: 0) }
    }

    public subscript(mime: String) -> String? {
        get { entries.first { $0.mime == mime }?.data }
        set {
            if let i = entries.firstIndex(where: { $0.mime == mime }) {
                if let v = newValue { entries[i].data = v } else if mime != "text/plain" { entries.remove(at: i) }
            } else if let v = newValue {
                entries.append((mime, v))
            }
        }
    }

    public var mimeTypes: [String] { entries.map { $0.mime } }
    public var dictionary: [String: String] { Dictionary(entries.map { ($0.mime, $0.data) }, uniquingKeysWith: { a, _ in a }) }
    public var plain: String { self["text/plain"] ?? "" }
    public var description: String { plain }

    public static func == (a: MimeBundle, b: MimeBundle) -> Bool {
        a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.mime == $1.mime && $0.data == $1.data }
    }
}

/// Anything SomaPlot can show.
public protocol MimeRenderable {
    func mimeBundle() -> MimeBundle
}
