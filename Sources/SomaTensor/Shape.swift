/// Shape arithmetic shared by every op: sizes, strides, dims and broadcasting.
enum Shape {
    static func numel(_ shape: [Int]) -> Int {
        var n = 1
        for s in shape { n &*= s }
        return n
    }

    /// Element count, or an error when it cannot be addressed.
    static func checkedNumel(_ shape: [Int]) throws -> Int {
        var n = 1
        for s in shape {
            if s < 0 {
                throw TensorError.runtime("Trying to create tensor with negative dimension \(s): \(format(shape))")
            }
            let (m, overflow) = n.multipliedReportingOverflow(by: s)
            if overflow || m > Int.max / 8 {
                throw TensorError.runtime("numel: integer multiplication overflow")
            }
            n = m
        }
        return n
    }

    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var acc = 1
        var i = shape.count - 1
        while i >= 0 {
            strides[i] = acc
            acc &*= max(shape[i], 1)
            i -= 1
        }
        return strides
    }

    static func isContiguous(_ shape: [Int], _ strides: [Int]) -> Bool {
        var expected = 1
        var i = shape.count - 1
        while i >= 0 {
            if shape[i] != 1 && strides[i] != expected { return false }
            expected &*= shape[i]
            i -= 1
        }
        return true
    }

    /// `dim` made non-negative, with PyTorch's message when out of range.
    static func normalize(_ dim: Int, _ ndim: Int) throws -> Int {
        let n = max(ndim, 1)
        guard dim >= -n && dim < n else {
            throw TensorError.index("Dimension out of range (expected to be in range of [\(-n), \(n - 1)], but got \(dim))")
        }
        return dim < 0 ? dim + n : dim
    }

    /// Shape both operands broadcast to.
    static func broadcast(_ a: [Int], _ b: [Int]) throws -> [Int] {
        if a == b { return a }
        let n = max(a.count, b.count)
        var out = [Int](repeating: 1, count: n)
        for i in 0..<n {
            let da = i < n - a.count ? 1 : a[i - (n - a.count)]
            let db = i < n - b.count ? 1 : b[i - (n - b.count)]
            if da == db || db == 1 {
                out[i] = da
            } else if da == 1 {
                out[i] = db
            } else {
                throw TensorError.runtime(
                    "The size of tensor a (\(da)) must match the size of tensor b (\(db)) at non-singleton dimension \(i)")
            }
        }
        return out
    }

    /// Strides that read `t` as if it had shape `target` (zero along broadcast dimensions).
    static func broadcastStrides(_ t: Tensor, to target: [Int]) -> [Int] {
        let lead = target.count - t.shape.count
        var s = [Int](repeating: 0, count: target.count)
        for i in 0..<t.shape.count where t.shape[i] != 1 || target[lead + i] == 1 {
            s[lead + i] = t.shape[i] == 1 ? 0 : t.strides[i]
        }
        return s
    }

    /// `[2, 3]` as PyTorch writes it in messages.
    static func format(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }
}
