/// One item of a subscript: `x[1]`, `x[1:3]`, `x[None]`, `x[...]`, `x[mask]`, `x[idx]`.
public enum TensorIndex {
    case int(Int)
    case slice(start: Int?, stop: Int?, step: Int?)
    case none
    case ellipsis
    case tensor(Tensor)
}

/// Reading and writing through subscripts: basic items give views, tensor items gather copies.
extension Tensor {
    /// The view selected by the basic items, and the advanced (tensor) indices still to apply.
    private func applyBasic(_ items: [TensorIndex]) throws -> (view: Tensor, advanced: [(dim: Int, index: Tensor)]) {
        var consumed = 0
        var ellipses = 0
        for item in items {
            switch item {
            case .int, .slice: consumed += 1
            case .tensor(let t): consumed += t.dtype == .bool ? Swift.max(t.dim, 1) : 1
            case .ellipsis: ellipses += 1
            case .none: break
            }
        }
        guard ellipses <= 1 else { throw TensorError.index("an index can only have a single ellipsis ('...')") }
        if dim == 0, items.contains(where: { if case .int = $0 { return true } else { return false } }) {
            throw TensorError.index(
                "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
        }
        guard consumed <= dim else {
            throw TensorError.index("too many indices for tensor of dimension \(dim)")
        }
        var v = self
        var d = 0, original = 0
        var advanced: [(dim: Int, index: Tensor)] = []
        for item in items {
            switch item {
            case .int(let i):
                let n = v.shape[d]
                guard i >= -n && i < n else {
                    throw TensorError.index("index \(i) is out of bounds for dimension \(original) with size \(n)")
                }
                v = try v.select(d, i)
                original += 1
            case .slice(let start, let stop, let step):
                v = try v.slice(d, start: start, end: stop, step: step ?? 1)
                d += 1
                original += 1
            case .none:
                v = try v.unsqueeze(d)
                d += 1
            case .ellipsis:
                d += dim - consumed
                original += dim - consumed
            case .tensor(let t):
                switch t.dtype {
                case .bool:
                    let k = Swift.max(t.dim, 1)
                    let mask = t.dim == 0 ? try t.reshape([1]) : t
                    for j in 0..<k where mask.shape[j] != v.shape[d + j] {
                        throw TensorError.index(
                            "The shape of the mask \(Shape.format(mask.shape)) at index \(j) does not match the shape of the indexed tensor \(Shape.format(v.shape)) at index \(d + j)")
                    }
                    for (j, idx) in try mask.nonzeroColumns().enumerated() { advanced.append((d + j, idx)) }
                    d += k
                    original += k
                case .int64:
                    advanced.append((d, t))
                    d += 1
                    original += 1
                default:
                    throw TensorError.index("tensors used as indices must be long, int, byte or bool tensors")
                }
            }
        }
        return (v, advanced)
    }

    /// For each true element of this bool tensor, its coordinates: one int64 column per dimension.
    func nonzeroColumns() throws -> [Tensor] {
        let m = try contiguousData(as: .bool)
        let p = m.pointer(Bool.self)
        let count = try Reduction.count(m)
        let columns = try (0..<dim).map { _ in try Tensor.empty([count], dtype: .int64) }
        let ptrs = columns.map { $0.pointer(Int64.self) }
        let st = Shape.contiguousStrides(shape)
        var k = 0
        for i in 0..<m.numel where p[i] {
            var rest = i
            for d in 0..<dim {
                ptrs[d][k] = Int64(rest / st[d])
                rest %= st[d]
            }
            k += 1
        }
        return columns
    }

    /// Coordinates of non-zero elements as an `[n, dim]` int64 tensor (`nonzero`).
    public func nonzero() throws -> Tensor {
        let cols = try ne(Tensor.scalar(.int(0))).nonzeroColumns()
        if cols.isEmpty { return try Tensor.zeros([try Reduction.count(ne(Tensor.scalar(.int(0)))), 0], dtype: .int64) }
        return try Tensor.stack(cols, dim: 1)
    }

    /// Where the advanced indices point: the permuted view, the broadcast index shape and base offsets.
    private struct Gather {
        let rest: Tensor          // geometry of one gathered block (shape and strides of the non-indexed dims)
        let indexShape: [Int]
        let offsets: [Int]
        let frontDims: Int        // non-indexed dims before the indexed block when the block is consecutive
    }

    private static func plan(_ v: Tensor, _ advanced: [(dim: Int, index: Tensor)]) throws -> Gather {
        var indexShape: [Int] = advanced[0].index.shape
        for a in advanced.dropFirst() { indexShape = try Shape.broadcast(indexShape, a.index.shape) }
        let advDims = advanced.map { $0.dim }
        let restDims = (0..<v.dim).filter { !advDims.contains($0) }
        let consecutive = zip(advDims, advDims.dropFirst()).allSatisfy { $1 == $0 + 1 }
        let count = Shape.numel(indexShape)
        var offsets = [Int](repeating: v.offset, count: count)
        for a in advanced {
            let idx = try a.index.expand(indexShape).materialized()
            let p = idx.pointer(Int64.self)
            let size = v.shape[a.dim], stride = v.strides[a.dim]
            for i in 0..<count {
                var j = Int(p[i])
                guard j >= -size && j < size else {
                    throw TensorError.index("index \(j) is out of bounds for dimension \(a.dim) with size \(size)")
                }
                if j < 0 { j += size }
                offsets[i] += j * stride
            }
        }
        let rest = v.alias(shape: restDims.map { v.shape[$0] }, strides: restDims.map { v.strides[$0] }, offset: 0)
        let front = consecutive ? restDims.filter { $0 < advDims[0] }.count : 0
        return Gather(rest: rest, indexShape: indexShape, offsets: offsets, frontDims: front)
    }

    /// Visits each gathered block: `body(i, block)` where block views `v`'s storage at the i-th index.
    private static func forEachBlock(_ g: Gather, _ body: (Int, Tensor) throws -> Void) rethrows {
        for (i, o) in g.offsets.enumerated() {
            try body(i, g.rest.alias(shape: g.rest.shape, strides: g.rest.strides, offset: o))
        }
    }

    /// Reads `self[items]` (`__getitem__`).
    public func index(_ items: [TensorIndex]) throws -> Tensor {
        let (v, advanced) = try applyBasic(items)
        if advanced.isEmpty { return v }
        let g = try Tensor.plan(v, advanced)
        let out = try Tensor.empty(g.indexShape + g.rest.shape, dtype: dtype)
        let blockSize = g.rest.numel
        if blockSize == 1 {
            let size = dtype.itemSize
            let src = storage.bytes, dst = out.storage.bytes
            for (i, o) in g.offsets.enumerated() { (dst + i * size).copyMemory(from: src + o * size, byteCount: size) }
        } else {
            let flat = out.alias(shape: [g.offsets.count] + g.rest.shape, strides: Shape.contiguousStrides([g.offsets.count] + g.rest.shape), offset: 0)
            try Tensor.forEachBlock(g) { i, block in Copy.run(from: block, into: try flat.detach().select(0, i)) }
        }
        if GradMode.records(v) {
            let vShape = v.shape
            out.recorded("IndexBackward0", [v]) { grad in
                let full = try Tensor.zeros(vShape, dtype: grad.dtype)
                let target = try Tensor.plan(full, advanced)
                let gFlat = try grad.contiguousData().reshape([target.offsets.count] + target.rest.shape)
                try Tensor.forEachBlock(target) { i, block in
                    try Elementwise.binary(.add, block, try gFlat.select(0, i), into: block)
                }
                return [full]
            }
        }
        return try out.moveIndexBlock(g.indexShape.count, to: g.frontDims)
    }

    /// Moves the leading `count` dims (the gathered block) to position `front`, as NumPy places consecutive indices.
    private func moveIndexBlock(_ count: Int, to front: Int) throws -> Tensor {
        guard front > 0 else { return self }
        let block = Array(0..<count), before = Array(count..<(count + front)), after = Array((count + front)..<dim)
        return try permute(before + block + after)
    }

    /// Writes `value` (broadcast) into `self[items]` (`__setitem__`).
    public func indexPut(_ items: [TensorIndex], _ value: Tensor) throws {
        if GradMode.isEnabled && requiresGrad {
            if isLeaf { throw TensorError.runtime("a leaf Variable that requires grad is being used in an in-place operation.") }
            throw TensorError.runtime(
                "assigning into a tensor that is part of an autograd graph is not supported in Soma; build the result with torch.where or torch.cat instead")
        }
        let (v, advanced) = try applyBasic(items)
        if advanced.isEmpty {
            try v.detach().copy_(value)
            storage.bumpVersion()
            return
        }
        let g = try Tensor.plan(v, advanced)
        var src = try value.to(dtype).detach()
        if g.frontDims > 0 {
            // Bring the value into gathered order: index dims first.
            let full = try Tensor.empty(try detach().index(items).shape, dtype: dtype)
            Copy.run(from: src, into: full)
            let k = g.indexShape.count
            let order = Array(g.frontDims..<(g.frontDims + k)) + Array(0..<g.frontDims) + Array((g.frontDims + k)..<full.dim)
            src = try full.permute(order)
        }
        let expanded = try src.expand(g.indexShape + g.rest.shape).reshape([g.offsets.count] + g.rest.shape)
        try Tensor.forEachBlock(g) { i, block in Copy.run(from: try expanded.select(0, i), into: block) }
        storage.bumpVersion()
    }

    /// Values at `index` along `dim` (`torch.gather`).
    public func gather(_ d: Int, _ index: Tensor) throws -> Tensor {
        let at = try Shape.normalize(d, dim)
        try checkScatterIndex(at, index, "gather")
        let out = try Tensor.empty(index.shape, dtype: dtype)
        try Tensor.walk(index, at, self) { src, dst in
            (out.storage.bytes + dst * dtype.itemSize).copyMemory(from: storage.bytes + src * dtype.itemSize, byteCount: dtype.itemSize)
        }
        if GradMode.records(self) {
            let x = self
            out.recorded("GatherBackward0", [x], saving: [index]) { g in
                [try Tensor.zeros(x.shape, dtype: g.dtype).scatter(at, index, g, accumulate: true)]
            }
        }
        return out
    }

    /// A copy with `src` written at `index` along `dim` (`scatter`, or `scatter_add` when accumulating).
    public func scatter(_ d: Int, _ index: Tensor, _ src: Tensor, accumulate: Bool = false) throws -> Tensor {
        let at = try Shape.normalize(d, dim)
        try checkScatterIndex(at, index, "scatter")
        let out = try materialized()
        let s = try src.to(dtype).expand(index.shape).materialized()
        try Tensor.walk(index, at, out) { dst, i in
            if accumulate {
                let a = out.scalar(atStorageOffset: dst).double + s.scalar(atStorageOffset: i).double
                out.write(dtype.isFloatingPoint ? .double(a) : .int(Int(a)), at: dst)
            } else {
                (out.storage.bytes + dst * dtype.itemSize).copyMemory(from: s.storage.bytes + i * dtype.itemSize, byteCount: dtype.itemSize)
            }
        }
        return out
    }

    private func checkScatterIndex(_ at: Int, _ index: Tensor, _ op: String) throws {
        guard index.dtype == .int64 else { throw TensorError.runtime("\(op)(): Expected dtype int64 for index") }
        guard index.dim == dim else {
            throw TensorError.runtime("Index tensor must have the same number of dimensions as \(op == "gather" ? "input" : "self") tensor")
        }
    }

    /// For each element of `index` (row-major position `i`), calls `body(offset in target, i)`, where the
    /// target coordinate equals the element's own except along `at`, which the index value replaces.
    private static func walk(_ index: Tensor, _ at: Int, _ target: Tensor, _ body: (Int, Int) throws -> Void) throws {
        let idx = try index.materialized()
        let p = idx.pointer(Int64.self)
        let st = Shape.contiguousStrides(index.shape)
        for i in 0..<idx.numel {
            var rest = i, off = target.offset
            for d in 0..<index.dim {
                let c = rest / st[d]
                rest %= st[d]
                if d == at {
                    let j = Int(p[i])
                    guard j >= 0 && j < target.shape[d] else {
                        throw TensorError.runtime("index \(j) is out of bounds for dimension \(d) with size \(target.shape[d])")
                    }
                    off += j * target.strides[d]
                } else {
                    guard c < target.shape[d] else { throw TensorError.runtime("index tensor is larger than the tensor at dimension \(d)") }
                    off += c * target.strides[d]
                }
            }
            try body(off, i)
        }
    }

    /// One-hot encoding of an int64 tensor of class indices (`F.one_hot`).
    public func oneHot(numClasses: Int = -1) throws -> Tensor {
        guard dtype == .int64 else { throw TensorError.runtime("one_hot is only applicable to index tensor of type LongTensor.") }
        let values = doubles().map { Int($0) }
        if let lowest = values.min(), lowest < 0 { throw TensorError.runtime("Class values must be non-negative.") }
        let classes = numClasses == -1 ? (values.max() ?? -1) + 1 : numClasses
        if let highest = values.max(), highest >= classes { throw TensorError.runtime("Class values must be smaller than num_classes.") }
        let out = try Tensor.zeros(shape + [classes], dtype: .int64)
        let p = out.pointer(Int64.self)
        for (i, v) in values.enumerated() { p[i * classes + v] = 1 }
        return out
    }
}
