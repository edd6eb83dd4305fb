import Foundation
import SomaTensor

/// One sample (or one collated batch) as a data set hands it out: the values a Python
/// `__getitem__` returns in the tutorials — tensors, numbers, strings, images, tuples, dicts.
public indirect enum Sample {
    case tensor(Tensor)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)
    case image(Image)
    case tuple([Sample])
    /// A Python list (what `default_collate` makes of a batch of strings).
    case list([Sample])
    /// A dict with string keys, in insertion order.
    case dict([(String, Sample)])
    case none

    /// The tensor inside `.tensor`, or nil.
    public var tensor: Tensor? {
        if case .tensor(let t) = self { return t }
        return nil
    }

    /// The elements of `.tuple` or `.list`, or nil.
    public var elements: [Sample]? {
        switch self {
        case .tuple(let e), .list(let e): return e
        default: return nil
        }
    }

    /// The Python type name of this value, for error messages.
    public var typeName: String {
        switch self {
        case .tensor: return "Tensor"
        case .int: return "int"
        case .double: return "float"
        case .bool: return "bool"
        case .string: return "str"
        case .image: return "Image"
        case .tuple: return "tuple"
        case .list: return "list"
        case .dict: return "dict"
        case .none: return "NoneType"
        }
    }
}

/// A map-style data set (`torch.utils.data.Dataset`): `count` is `__len__`, `item(at:)` is
/// `__getitem__`. Subclass and override both; the language bindings subclass it for
/// `class MyData(Dataset)` written in Soma.
open class Dataset {
    public init() {}

    /// Number of samples (`__len__`).
    open var count: Int {
        get throws { throw NNError(.notImplemented, "Subclasses of Dataset should implement __len__.") }
    }

    /// The sample at `index`, 0 ≤ index < count (`__getitem__`).
    open func item(at index: Int) throws -> Sample {
        throw NNError(.notImplemented, "Subclasses of Dataset should implement __getitem__.")
    }

    /// A whole collated batch for `indices` when the data set can build it without making
    /// one sample at a time (tensor data sets, MNIST with tensor transforms); nil otherwise,
    /// and the loader collates `item(at:)` results. Overrides must equal
    /// `defaultCollate(indices.map(item(at:)))`.
    open func batch(at indices: [Int]) throws -> Sample? { nil }

    /// `dataset[i]`: Python-style index (negative counts from the end), IndexError when out of
    /// range. `item(at:)` itself may assume 0 ≤ index < count.
    public subscript(index: Int) -> Sample {
        get throws { try checkedItem(index) }
    }

    /// The element at a Python-style index (negative counts from the end), with an IndexError
    /// when out of range.
    public func checkedItem(_ index: Int) throws -> Sample {
        let n = try count
        let i = index < 0 ? index + n : index
        guard i >= 0 && i < n else { throw NNError(.index, "index \(index) is out of range for a dataset of length \(n)") }
        return try item(at: i)
    }
}

/// Samples that are rows of tensors sharing their first dimension (`TensorDataset`).
public final class TensorDataset: Dataset {
    public let tensors: [Tensor]
    private let rows: Int

    public init(_ tensors: [Tensor]) throws {
        guard let first = tensors.first else {
            throw NNError(.value, "TensorDataset needs at least one tensor")
        }
        for t in tensors where t.dim == 0 {
            throw NNError(.index, "TensorDataset: a 0-d tensor has no first dimension to index")
        }
        guard tensors.allSatisfy({ $0.shape[0] == first.shape[0] }) else {
            throw NNError(.value, "Size mismatch between tensors")
        }
        // Rows are gathered with one copy each, so keep them contiguous (a non-contiguous
        // input is copied once here; a contiguous one is shared, as in PyTorch).
        self.tensors = try tensors.map { $0.isContiguous ? $0.detach() : try $0.detach().contiguous() }
        rows = first.shape[0]
        super.init()
    }

    public convenience init(_ tensors: Tensor...) throws { try self.init(tensors) }

    public override var count: Int { rows }

    public override func item(at index: Int) throws -> Sample {
        .tuple(try tensors.map { .tensor(try $0.select(0, index)) })
    }

    public override func batch(at indices: [Int]) throws -> Sample? {
        .tuple(try tensors.map { .tensor(try gatherRows($0, indices)) })
    }
}

/// The samples of `dataset` at `indices`, in that order (`Subset`).
public final class Subset: Dataset {
    public let dataset: Dataset
    public let indices: [Int]

    public init(_ dataset: Dataset, indices: [Int]) {
        self.dataset = dataset
        self.indices = indices
        super.init()
    }

    public override var count: Int { indices.count }

    public override func item(at index: Int) throws -> Sample {
        try dataset.item(at: indices[index])
    }

    public override func batch(at idx: [Int]) throws -> Sample? {
        try dataset.batch(at: idx.map { indices[$0] })
    }
}

/// Splits a data set into non-overlapping subsets (`random_split`). `lengths` are sizes that
/// sum to the length, or fractions that sum to 1 (floored, the remainder handed out one by
/// one from the first split on, as PyTorch does). The permutation comes from `generator`.
public func randomSplit(_ dataset: Dataset, _ lengths: [Double], generator: Generator = .global) throws -> [Subset] {
    let n = try dataset.count
    var sizes: [Int]
    let total = lengths.reduce(0, +)
    if abs(total - 1) <= 1e-9 * max(1, abs(total)) && total <= 1 {
        sizes = []
        for (i, f) in lengths.enumerated() {
            guard f >= 0 && f <= 1 else { throw NNError(.value, "Fraction at index \(i) is not between 0 and 1") }
            sizes.append(Int((Double(n) * f).rounded(.down)))
        }
        let remainder = n - sizes.reduce(0, +)
        if !sizes.isEmpty {
            for i in 0..<max(remainder, 0) { sizes[i % sizes.count] += 1 }
        }
    } else {
        sizes = try lengths.map { l in
            guard l == l.rounded(), l >= 0 else {
                throw NNError(.value, "random_split: lengths must be non-negative integers or fractions summing to 1, got \(l)")
            }
            return Int(l)
        }
    }
    guard sizes.reduce(0, +) == n else {
        throw NNError(.value, "Sum of input lengths does not equal the length of the input dataset!")
    }
    let perm = try Tensor.randperm(n, generator: generator)
    let p = perm.unsafeData(as: Int64.self)
    var out: [Subset] = []
    var offset = 0
    for s in sizes {
        out.append(Subset(dataset, indices: (offset..<offset + s).map { Int(p[$0]) }))
        offset += s
    }
    return out
}

/// Integer lengths form of `randomSplit`.
public func randomSplit(_ dataset: Dataset, lengths: [Int], generator: Generator = .global) throws -> [Subset] {
    try randomSplit(dataset, lengths.map(Double.init), generator: generator)
}

/// Rows `indices` of `t` along dim 0 as a new contiguous tensor `[indices.count, ...]`.
func gatherRows(_ t: Tensor, _ indices: [Int]) throws -> Tensor {
    let src = t.isContiguous ? t : try t.contiguous()
    var shape = src.shape
    let n = shape[0]
    shape[0] = indices.count
    let out = try Tensor.empty(shape, dtype: src.dtype)
    let rowBytes = (n == 0 ? 0 : src.numel / n) * src.dtype.itemSize
    let sBase = rawPointer(src)
    let dBase = rawPointer(out)
    for (k, i) in indices.enumerated() {
        guard i >= 0 && i < n else { throw NNError(.index, "index \(i) is out of bounds for dimension 0 with size \(n)") }
        memcpy(dBase + k * rowBytes, sBase + i * rowBytes, rowBytes)
    }
    return out
}

/// The first element's address of a contiguous tensor, whatever its dtype.
@inline(__always)
func rawPointer(_ t: Tensor) -> UnsafeMutableRawPointer {
    switch t.dtype {
    case .bool: return UnsafeMutableRawPointer(t.unsafeData(as: Bool.self))
    case .int64: return UnsafeMutableRawPointer(t.unsafeData(as: Int64.self))
    case .float32: return UnsafeMutableRawPointer(t.unsafeData(as: Float.self))
    case .float64: return UnsafeMutableRawPointer(t.unsafeData(as: Double.self))
    }
}

/// Stacks same-shaped tensors along a new first dimension with one copy per sample.
func stackSamples(_ tensors: [Tensor]) throws -> Tensor {
    guard let first = tensors.first else { throw NNError(.runtime, "stack expects a non-empty TensorList") }
    let dtype = tensors.dropFirst().reduce(first.dtype) { DType.promote($0, $1.dtype) }
    for (i, t) in tensors.enumerated() where t.shape != first.shape {
        throw NNError(.runtime,
            "stack expects each tensor to be equal size, but got \(shapeText(first.shape)) at entry 0 and \(shapeText(t.shape)) at entry \(i)")
    }
    let out = try Tensor.empty([tensors.count] + first.shape, dtype: dtype)
    let rowBytes = first.numel * dtype.itemSize
    let d = rawPointer(out)
    for (k, t0) in tensors.enumerated() {
        var t = t0.dtype == dtype ? t0 : try t0.to(dtype)
        if !t.isContiguous { t = try t.contiguous() }
        memcpy(d + k * rowBytes, rawPointer(t), rowBytes)
    }
    return out
}

func shapeText(_ s: [Int]) -> String { "[" + s.map(String.init).joined(separator: ", ") + "]" }

/// PyTorch's `default_collate`: tensors are stacked, ints become an int64 tensor, floats a
/// float64 tensor, bools a bool tensor, strings a list, tuples and lists are collated
/// element by element, dicts key by key.
public func defaultCollate(_ batch: [Sample]) throws -> Sample {
    guard let first = batch.first else { throw NNError(.value, "default_collate: the batch is empty") }
    switch first {
    case .tensor:
        var ts: [Tensor] = []
        ts.reserveCapacity(batch.count)
        for s in batch {
            guard case .tensor(let t) = s else { throw mixed(first, s) }
            ts.append(t)
        }
        return .tensor(try stackSamples(ts))
    case .int:
        let t = try Tensor.empty([batch.count], dtype: .int64)
        let p = t.unsafeData(as: Int64.self)
        for (k, s) in batch.enumerated() {
            switch s {
            case .int(let v): p[k] = Int64(v)
            case .bool(let b): p[k] = b ? 1 : 0
            default: throw mixed(first, s)
            }
        }
        return .tensor(t)
    case .double:
        let t = try Tensor.empty([batch.count], dtype: .float64)
        let p = t.unsafeData(as: Double.self)
        for (k, s) in batch.enumerated() {
            switch s {
            case .double(let v): p[k] = v
            case .int(let v): p[k] = Double(v)
            default: throw mixed(first, s)
            }
        }
        return .tensor(t)
    case .bool:
        let t = try Tensor.empty([batch.count], dtype: .bool)
        let p = t.unsafeData(as: Bool.self)
        for (k, s) in batch.enumerated() {
            guard case .bool(let v) = s else { throw mixed(first, s) }
            p[k] = v
        }
        return .tensor(t)
    case .string:
        return .list(batch)
    case .tuple(let e0), .list(let e0):
        var columns = [[Sample]](repeating: [], count: e0.count)
        for s in batch {
            guard let e = s.elements else { throw mixed(first, s) }
            guard e.count == e0.count else {
                throw NNError(.runtime, "each element in list of batch should be of equal size")
            }
            for (j, v) in e.enumerated() { columns[j].append(v) }
        }
        let collated = try columns.map(defaultCollate)
        if case .tuple = first { return .tuple(collated) }
        return .list(collated)
    case .dict(let d0):
        return .dict(try d0.map { key, _ in
            (key, try defaultCollate(batch.map { s in
                guard case .dict(let d) = s, let v = d.first(where: { $0.0 == key })?.1 else {
                    throw NNError(.runtime, "default_collate: every dict in the batch needs the key '\(key)'")
                }
                return v
            }))
        })
    case .image:
        throw NNError(.type,
            "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found Image. Add transforms.ToTensor() to the data set's transform so that its images become tensors")
    case .none:
        throw NNError(.type, "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found NoneType")
    }
}

private func mixed(_ a: Sample, _ b: Sample) -> NNError {
    NNError(.type, "default_collate: cannot collate a batch that mixes \(a.typeName) and \(b.typeName)")
}

/// torchvision's `VisionDataset.__repr__`.
func visionDatasetDescription(_ name: String, count: Int, root: String?, extra: [String],
                              transform: Transform?, targetTransform: Transform?) -> String {
    var body = ["Number of datapoints: \(count)"]
    if let r = root { body.append("Root location: \(r)") }
    body += extra
    if transform != nil || targetTransform != nil {
        var lines = ["StandardTransform"]
        for (head, t) in [("Transform: ", transform), ("Target transform: ", targetTransform)] {
            guard let t else { continue }
            let parts = t.description.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines.append(head + parts[0])
            lines += parts.dropFirst().map { String(repeating: " ", count: head.count) + $0 }
        }
        body.append(lines.joined(separator: "\n"))
    }
    return (["Dataset \(name)"] + body.map { "    " + $0 }).joined(separator: "\n")
}
