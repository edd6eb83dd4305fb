/// Joining and splitting tensors along a dimension.
extension Tensor {
    /// Concatenates tensors along `dim` (`torch.cat`); shapes must match elsewhere.
    public static func cat(_ tensors: [Tensor], dim d: Int = 0) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError.runtime("torch.cat(): expected a non-empty list of Tensors") }
        // PyTorch skips legacy empty 1-D tensors.
        let parts = tensors.filter { !($0.dim == 1 && $0.numel == 0) }
        guard let ref = parts.first else { return first }
        guard ref.dim > 0 else { throw TensorError.runtime("zero-dimensional tensor (at position 0) cannot be concatenated") }
        let at = try Shape.normalize(d, ref.dim)
        let dtype = parts.dropFirst().reduce(ref.dtype) { DType.promote($0, $1.dtype) }
        var total = 0
        for (i, t) in parts.enumerated() {
            guard t.dim == ref.dim else {
                throw TensorError.runtime(
                    "Tensors must have same number of dimensions: got \(ref.dim) and \(t.dim)")
            }
            for k in 0..<ref.dim where k != at && t.shape[k] != ref.shape[k] {
                throw TensorError.runtime(
                    "Sizes of tensors must match except in dimension \(at). Expected size \(ref.shape[k]) but got size \(t.shape[k]) for tensor number \(i) in the list.")
            }
            total += t.shape[at]
        }
        var shape = ref.shape
        shape[at] = total
        let out = try Tensor.empty(shape, dtype: dtype)
        var start = 0
        for t in parts {
            Copy.run(from: t, into: try out.detach().narrow(at, start: start, length: t.shape[at]))
            start += t.shape[at]
        }
        if GradMode.isEnabled && parts.contains(where: { $0.requiresGrad }) {
            let sizes = parts.map { $0.shape[at] }
            out.recorded("CatBackward0", parts) { g in
                var offset = 0
                return try sizes.map { n in
                    defer { offset += n }
                    return try g.narrow(at, start: offset, length: n)
                }
            }
        }
        return out
    }

    /// Joins same-shaped tensors along a new dimension `dim` (`torch.stack`).
    public static func stack(_ tensors: [Tensor], dim d: Int = 0) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError.runtime("stack expects a non-empty TensorList") }
        for (i, t) in tensors.enumerated() where t.shape != first.shape {
            throw TensorError.runtime(
                "stack expects each tensor to be equal size, but got \(Shape.format(first.shape)) at entry 0 and \(Shape.format(t.shape)) at entry \(i)")
        }
        let at = try Shape.normalize(d, first.dim + 1)
        return try cat(tensors.map { try $0.unsqueeze(at) }, dim: at).named("StackBackward0")
    }

    /// Views of consecutive pieces of `size` elements along `dim` (the last may be smaller).
    public func split(_ size: Int, dim d: Int = 0) throws -> [Tensor] {
        let at = try Shape.normalize(d, dim)
        guard size > 0 || shape[at] == 0 else { throw TensorError.runtime("split_size can only be 0 if dimension size is 0, but got dimension size of \(shape[at])") }
        var parts: [Tensor] = []
        var start = 0
        repeat {
            let n = Swift.min(size, shape[at] - start)
            parts.append(try narrow(at, start: start, length: n).named("SplitBackward0"))
            start += n
        } while start < shape[at]
        return parts
    }

    /// Views of pieces with the given sizes along `dim`.
    public func split(sizes: [Int], dim d: Int = 0) throws -> [Tensor] {
        let at = try Shape.normalize(d, dim)
        guard sizes.reduce(0, +) == shape[at] else {
            throw TensorError.runtime(
                "split_with_sizes expects split_sizes to sum exactly to \(shape[at]) (input tensor's size at dimension \(at)), but got split_sizes=\(Shape.format(sizes))")
        }
        var start = 0
        return try sizes.map { n in
            defer { start += n }
            return try narrow(at, start: start, length: n).named("SplitWithSizesBackward0")
        }
    }

    /// At most `chunks` views of equal size (the last may be smaller) along `dim`.
    public func chunk(_ chunks: Int, dim d: Int = 0) throws -> [Tensor] {
        guard chunks > 0 else { throw TensorError.runtime("chunk expects `chunks` to be greater than 0, got: \(chunks)") }
        let at = try Shape.normalize(d, dim)
        let size = (shape[at] + chunks - 1) / chunks
        return try split(Swift.max(size, 1), dim: at)
    }
}
