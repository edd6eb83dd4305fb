import Foundation
import SomaTensor

/// Tabular data from a CSV file with a header row: the numeric feature columns become a
/// float32 tensor `[N, F]`, the target column a tensor `[N]` — int64 when every value is an
/// integer or when the values are names (mapped to the index of the sorted names in
/// `classes`), float32 otherwise. `dataset[i]` is `(features[i], target[i])`.
public final class CSVDataset: Dataset {
    public let path: String
    /// Header names of the feature columns, in order.
    public let featureColumns: [String]
    public let targetColumn: String?
    public let features: Tensor
    /// Nil when no target column was chosen.
    public let targets: Tensor?
    /// Sorted names when the target column holds names rather than numbers.
    public let classes: [String]

    /// - Parameters:
    ///   - target: the header name of the target column (nil: features only).
    ///   - features: header names of feature columns (nil: every other column).
    ///   - delimiter: the field separator.
    public init(_ path: String, target: String? = nil, features: [String]? = nil, delimiter: Character = ",") throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NNError(.runtime, "[Errno 2] No such file or directory: '\(path)'")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw NNError(.runtime, "'\(path)' is not a UTF-8 text file")
        }
        var rows = try CSVDataset.parse(text, delimiter: delimiter, path: path)
        guard !rows.isEmpty else { throw NNError(.runtime, "'\(path)' is empty: a CSV file needs a header row") }
        let header = rows.removeFirst().map { $0.trimmingCharacters(in: .whitespaces) }
        func column(_ name: String) throws -> Int {
            guard let i = header.firstIndex(of: name) else {
                throw NNError(.value, "'\(path)' has no column '\(name)'; its columns are \(header.joined(separator: ", "))")
            }
            return i
        }
        let targetIndex = try target.map(column)
        let featureIndices = try features.map { try $0.map(column) } ?? header.indices.filter { $0 != targetIndex }
        featureColumns = featureIndices.map { header[$0] }
        targetColumn = target
        for (r, row) in rows.enumerated() where row.count != header.count {
            throw NNError(.value, "'\(path)', line \(r + 2): \(row.count) fields, the header has \(header.count)")
        }
        let n = rows.count, f = featureIndices.count
        let x = try Tensor.empty([n, f], dtype: .float32)
        let xp = x.unsafeData(as: Float.self)
        for (r, row) in rows.enumerated() {
            for (k, c) in featureIndices.enumerated() {
                let s = row[c].trimmingCharacters(in: .whitespaces)
                guard let v = Double(s) else {
                    throw NNError(.value, "'\(path)', line \(r + 2), column '\(header[c])': could not convert string to float: '\(s)'")
                }
                xp[r * f + k] = Float(v)
            }
        }
        self.features = x
        if let ti = targetIndex {
            let values = rows.map { $0[ti].trimmingCharacters(in: .whitespaces) }
            let numbers = values.map { Double($0) }
            if numbers.allSatisfy({ $0 != nil }) {
                let ds = numbers.map { $0! }
                if ds.allSatisfy({ $0 == $0.rounded() && abs($0) < 9e15 }) && values.allSatisfy({ !$0.contains(".") && !$0.lowercased().contains("e") }) {
                    targets = try Tensor.make(ds.map { .int(Int($0)) }, shape: [n], dtype: .int64)
                } else {
                    targets = try Tensor.make(ds, shape: [n], dtype: .float32)
                }
                classes = []
            } else {
                classes = Array(Set(values)).sorted()
                let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
                targets = try Tensor.make(values.map { .int(index[$0]!) }, shape: [n], dtype: .int64)
            }
        } else {
            targets = nil
            classes = []
        }
        super.init()
    }

    public override var count: Int { features.shape[0] }

    public override func item(at index: Int) throws -> Sample {
        let x = Sample.tensor(try features.select(0, index))
        guard let t = targets else { return x }
        return .tuple([x, .tensor(try t.select(0, index))])
    }

    public override func batch(at indices: [Int]) throws -> Sample? {
        let x = Sample.tensor(try gatherRows(features, indices))
        guard let t = targets else { return x }
        return .tuple([x, .tensor(try gatherRows(t, indices))])
    }

    /// Splits CSV text into rows of fields (RFC 4180 quoting, blank lines skipped).
    static func parse(_ text: String, delimiter: Character, path: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false, wasQuoted = false
        var chars = text.makeIterator()
        var pending: Character? = nil
        func endRow() {
            row.append(field)
            if !(row.count == 1 && row[0].trimmingCharacters(in: .whitespaces).isEmpty && !wasQuoted) { rows.append(row) }
            row = []
            field = ""
            wasQuoted = false
        }
        while let c = pending ?? chars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = chars.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" && field.trimmingCharacters(in: .whitespaces).isEmpty {
                quoted = true
                wasQuoted = true
                field = ""
            } else if c == delimiter {
                row.append(field)
                field = ""
            } else if c == "\n" || c == "\r\n" || c == "\r" {
                endRow()
            } else {
                field.append(c)
            }
        }
        if quoted { throw NNError(.value, "'\(path)': a quoted field is not closed before the end of the file") }
        if !field.isEmpty || !row.isEmpty { endRow() }
        return rows
    }
}
