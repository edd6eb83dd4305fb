/// Walks N-dimensional strided operands as a series of 1-D runs, so kernels loop over raw pointers.
enum StridedLoop {
    /// Calls `body(offsets, count)` once per inner run; `offsets[k]` is operand k's element offset at the
    /// run's start, and the run advances each operand by `innerStrides[k]` (returned alongside).
    /// Dimensions are coalesced first, so contiguous operands give a single run.
    static func forEachRun(
        shape: [Int], strides: [[Int]],
        _ body: (_ offsets: UnsafeMutablePointer<Int>, _ innerStrides: UnsafePointer<Int>, _ count: Int) -> Void
    ) {
        let operands = strides.count
        // Coalesce: drop size-1 dims, merge neighbours whose strides chain.
        var dims: [Int] = []
        var st: [[Int]] = Array(repeating: [], count: operands)
        for d in 0..<shape.count where shape[d] != 1 {
            if let last = dims.last,
               (0..<operands).allSatisfy({ st[$0].last! == strides[$0][d] * shape[d] }) {
                dims[dims.count - 1] = last * shape[d]
                for k in 0..<operands { st[k][st[k].count - 1] = strides[k][d] }
            } else {
                dims.append(shape[d])
                for k in 0..<operands { st[k].append(strides[k][d]) }
            }
        }
        if shape.contains(0) { return }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * operands) { buf in
            let offsets = buf.baseAddress!
            let inner = offsets + operands
            for k in 0..<operands { offsets[k] = 0; inner[k] = dims.isEmpty ? 0 : st[k][dims.count - 1] }
            if dims.count <= 1 {
                body(offsets, inner, dims.first ?? 1)
                return
            }
            let outer = dims.count - 1
            var counter = [Int](repeating: 0, count: outer)
            let runs = Shape.numel(Array(dims[0..<outer]))
            let count = dims[outer]
            for _ in 0..<runs {
                body(offsets, inner, count)
                // Advance the odometer over the outer dims.
                var d = outer - 1
                while d >= 0 {
                    counter[d] += 1
                    for k in 0..<operands { offsets[k] += st[k][d] }
                    if counter[d] < dims[d] { break }
                    for k in 0..<operands { offsets[k] -= st[k][d] * dims[d] }
                    counter[d] = 0
                    d -= 1
                }
            }
        }
    }
}
