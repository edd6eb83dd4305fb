/// Operations that return views sharing storage, each with its gradient rule.
extension Tensor {
    /// A view with new geometry that records `rule` as its gradient when needed.
    private func view(shape: [Int], strides: [Int], offset: Int, _ name: String, _ rule: @escaping (Tensor) throws -> Tensor) -> Tensor {
        let out = alias(shape: shape, strides: strides, offset: offset)
        if GradMode.records(self) { out.recorded(name, [self]) { g in [try rule(g)] } }
        return out
    }

    /// The shape with one `-1` inferred, checked against the element count.
    func inferShape(_ requested: [Int]) throws -> [Int] {
        var shape = requested
        var inferred: Int?
        var known = 1
        for (i, s) in requested.enumerated() {
            if s == -1 {
                guard inferred == nil else { throw TensorError.runtime("only one dimension can be inferred") }
                inferred = i
            } else if s < 0 {
                throw TensorError.runtime("invalid shape dimension \(s)")
            } else {
                known *= s
            }
        }
        let n = numel
        if let i = inferred {
            guard known != 0 && n % known == 0 else {
                throw TensorError.runtime("shape '\(Shape.format(requested))' is invalid for input of size \(n)")
            }
            shape[i] = n / known
        } else if known != n {
            throw TensorError.runtime("shape '\(Shape.format(requested))' is invalid for input of size \(n)")
        }
        return shape
    }

    /// Strides that read this tensor's elements in `newShape` without copying, if they exist.
    private func viewStrides(_ newShape: [Int]) -> [Int]? {
        if isContiguous { return Shape.contiguousStrides(newShape) }
        if shape.isEmpty || numel == 0 { return Shape.contiguousStrides(newShape) }
        var newStrides = [Int](repeating: 0, count: newShape.count)
        var viewD = newShape.count - 1
        var chunkBase = strides.last!
        var tensorNumel = 1, viewNumel = 1
        var d = shape.count - 1
        while d >= 0 {
            tensorNumel *= shape[d]
            if d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase) {
                while viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1) {
                    newStrides[viewD] = viewNumel * chunkBase
                    viewNumel *= newShape[viewD]
                    viewD -= 1
                }
                if viewNumel != tensorNumel { return nil }
                if d > 0 {
                    chunkBase = strides[d - 1]
                    tensorNumel = 1
                    viewNumel = 1
                }
            }
            d -= 1
        }
        return viewD == -1 ? newStrides : nil
    }

    /// The same elements in a new shape, without copying (`view`); one size may be -1.
    public func view(_ requested: [Int]) throws -> Tensor {
        let newShape = try inferShape(requested)
        guard let newStrides = viewStrides(newShape) else {
            throw TensorError.runtime(
                "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
        }
        let old = shape
        return view(shape: newShape, strides: newStrides, offset: offset, "ViewBackward0") { g in try g.reshape(old) }
    }

    /// `view` when possible, else a contiguous copy in the new shape (`reshape`).
    public func reshape(_ requested: [Int]) throws -> Tensor {
        let newShape = try inferShape(requested)
        if viewStrides(newShape) != nil { return try view(newShape) }
        return try contiguous().view(newShape)
    }

    /// A contiguous tensor with the same values: `self` when already contiguous.
    public func contiguous() throws -> Tensor {
        if isContiguous { return self }
        return try clone()
    }

    /// A copy with its own storage (`clone`), differentiable.
    public func clone() throws -> Tensor {
        let out = try materialized()
        if GradMode.records(self) { out.recorded("CloneBackward0", [self]) { g in [g] } }
        return out
    }

    /// Swaps two dimensions (`transpose`).
    public func transpose(_ d0: Int, _ d1: Int) throws -> Tensor {
        let a = try Shape.normalize(d0, dim), b = try Shape.normalize(d1, dim)
        var sh = shape, st = strides
        sh.swapAt(a, b)
        st.swapAt(a, b)
        return view(shape: sh, strides: st, offset: offset, "TransposeBackward0") { g in try g.transpose(a, b) }
    }

    /// Transpose of a tensor with at most two dimensions (`t()`).
    public func t() throws -> Tensor {
        guard dim <= 2 else { throw TensorError.runtime("t() expects a tensor with <= 2 dimensions, but self is \(dim)D") }
        return dim < 2 ? self : try transpose(0, 1)
    }

    /// Reorders dimensions (`permute`).
    public func permute(_ order: [Int]) throws -> Tensor {
        guard order.count == dim else {
            throw TensorError.runtime(
                "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = \(dim) is not equal to len(dims) = \(order.count)")
        }
        let dims = try order.map { try Shape.normalize($0, dim) }
        guard Set(dims).count == dims.count else { throw TensorError.runtime("permute(): duplicate dims are not allowed.") }
        var inverse = [Int](repeating: 0, count: dim)
        for (i, d) in dims.enumerated() { inverse[d] = i }
        return view(shape: dims.map { shape[$0] }, strides: dims.map { strides[$0] }, offset: offset, "PermuteBackward0") { g in
            try g.permute(inverse)
        }
    }

    /// Inserts a size-1 dimension at `d` (`unsqueeze`).
    public func unsqueeze(_ d: Int) throws -> Tensor {
        let at = try Shape.normalize(d, dim + 1)
        var sh = shape, st = strides
        sh.insert(1, at: at)
        st.insert(at < dim ? strides[at] * shape[at] : 1, at: at)
        return view(shape: sh, strides: st, offset: offset, "UnsqueezeBackward0") { g in try g.squeeze(at) }
    }

    /// Removes size-1 dimensions: all of them, or only `d` (`squeeze`).
    public func squeeze(_ d: Int? = nil) throws -> Tensor {
        var keep = Array(0..<dim)
        if let d {
            let at = try Shape.normalize(d, dim)
            if dim > 0 && shape[at] == 1 { keep.remove(at: at) }
        } else {
            keep = keep.filter { shape[$0] != 1 }
        }
        let old = shape
        return view(shape: keep.map { shape[$0] }, strides: keep.map { strides[$0] }, offset: offset, "SqueezeBackward0") { g in
            try g.reshape(old)
        }
    }

    /// Broadcasts to `sizes` without copying (`expand`); -1 keeps a size.
    public func expand(_ sizes: [Int]) throws -> Tensor {
        guard sizes.count >= dim else {
            throw TensorError.runtime(
                "expand(\(typeName){\(Shape.format(shape))}, size=\(Shape.format(sizes))): the number of sizes provided (\(sizes.count)) must be greater or equal to the number of dimensions in the tensor (\(dim))")
        }
        let lead = sizes.count - dim
        var sh = [Int](repeating: 0, count: sizes.count), st = sh
        for i in 0..<sizes.count {
            let target = sizes[i]
            if i < lead {
                guard target >= 0 else {
                    throw TensorError.runtime("The expanded size of the tensor (\(target)) isn't allowed in a leading, non-existing dimension \(i)")
                }
                sh[i] = target
                st[i] = 0
                continue
            }
            let own = shape[i - lead]
            if target == -1 || target == own {
                sh[i] = own
                st[i] = strides[i - lead]
            } else if own == 1 {
                sh[i] = target
                st[i] = 0
            } else {
                throw TensorError.runtime(
                    "The expanded size of the tensor (\(target)) must match the existing size (\(own)) at non-singleton dimension \(i).  Target sizes: \(Shape.format(sizes)).  Tensor sizes: \(Shape.format(shape))")
            }
        }
        let old = shape
        return view(shape: sh, strides: st, offset: offset, "ExpandBackward0") { g in try g.sumToShape(old) }
    }

    /// Elements `start..<end` by `step` along `d`, clamped as Python slices are (`x[a:b:c]`).
    public func slice(_ d: Int, start: Int?, end: Int?, step: Int = 1) throws -> Tensor {
        guard step > 0 else { throw TensorError.value("step must be greater than zero") }
        let at = try Shape.normalize(d, dim)
        guard dim > 0 else { throw TensorError.index("slice() cannot be applied to a 0-dim tensor.") }
        let n = shape[at]
        func clamp(_ v: Int?, _ fallback: Int) -> Int {
            guard var v else { return fallback }
            if v < 0 { v += n }
            return Swift.min(Swift.max(v, 0), n)
        }
        let s = clamp(start, 0), e = Swift.max(clamp(end, n), clamp(start, 0))
        var sh = shape, st = strides
        sh[at] = (e - s + step - 1) / step
        st[at] = strides[at] * step
        let old = shape, dtype = self.dtype
        return view(shape: sh, strides: st, offset: offset + s * strides[at], "SliceBackward0") { g in
            let full = try Tensor.zeros(old, dtype: dtype)
            Copy.run(from: g, into: try full.slice(at, start: s, end: e, step: step))
            return full
        }
    }

    /// `length` elements from `start` along `d` (`narrow`).
    public func narrow(_ d: Int, start: Int, length: Int) throws -> Tensor {
        let at = try Shape.normalize(d, dim)
        let begin = start < 0 ? start + shape[at] : start
        guard begin >= 0 && length >= 0 && begin + length <= shape[at] else {
            throw TensorError.runtime("start (\(start)) + length (\(length)) exceeds dimension size (\(shape[at])).")
        }
        return try slice(at, start: begin, end: begin + length)
    }

    /// The sub-tensor at `index` along `d`, removing that dimension (`x[i]`, `select`).
    public func select(_ d: Int, _ index: Int) throws -> Tensor {
        guard dim > 0 else { throw TensorError.index("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number") }
        let at = try Shape.normalize(d, dim)
        let n = shape[at]
        guard index >= -n && index < n else {
            throw TensorError.index("index \(index) is out of bounds for dimension \(at) with size \(n)")
        }
        let i = index < 0 ? index + n : index
        var sh = shape, st = strides
        sh.remove(at: at)
        st.remove(at: at)
        let old = shape, dtype = self.dtype
        return view(shape: sh, strides: st, offset: offset + i * strides[at], "SelectBackward0") { g in
            let full = try Tensor.zeros(old, dtype: dtype)
            Copy.run(from: g, into: try full.select(at, i))
            return full
        }
    }

    /// Collapses dims `start...end` into one (`flatten`).
    public func flatten(_ start: Int = 0, _ end: Int = -1) throws -> Tensor {
        if dim == 0 { return try reshape([1]) }
        let s = try Shape.normalize(start, dim), e = try Shape.normalize(end, dim)
        guard s <= e else { throw TensorError.runtime("flatten() has invalid args: start_dim cannot come after end_dim") }
        let merged = shape[s...e].reduce(1, *)
        return try reshape(Array(shape[..<s]) + [merged] + Array(shape[(e + 1)...]))
    }

    /// Sums `self` down to `target`, undoing broadcasting (used by gradient rules).
    func sumToShape(_ target: [Int]) throws -> Tensor {
        if shape == target { return self }
        let lead = dim - target.count
        var dims: [Int] = Array(0..<lead)
        for (i, s) in target.enumerated() where s == 1 && shape[lead + i] != 1 { dims.append(lead + i) }
        var r = self
        if !dims.isEmpty { r = try Reduction.run(.sum, self, dims: dims, keepdim: true).0 }
        return lead > 0 || r.shape != target ? try r.reshape(target) : r
    }
}
