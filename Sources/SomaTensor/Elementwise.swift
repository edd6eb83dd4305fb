import Foundation

/// Binary element-wise operations, including the fused gradient rules of activations.
enum BinaryOp {
    case add, sub, mul, div, floorDiv, remainder, pow, maximum, minimum
    /// `a + alpha * b` in one pass (`add(b, alpha=)`, `p.add_(g, alpha=-lr)`).
    case addScaled(Double)
    /// `a * b * (1 - b)`: gradient `a` through a sigmoid whose output is `b`.
    case sigmoidGrad
    /// `a * (1 - b * b)`: gradient `a` through a tanh whose output is `b`.
    case tanhGrad
    /// `b > 0 ? a : a * slope`: gradient `a` through a (leaky) ReLU whose input is `b`.
    case reluGrad(slope: Double)
    /// `lo <= b <= hi ? a : 0`: gradient `a` through a clamp whose input is `b`.
    case clampGrad(min: Double?, max: Double?)
}

/// Comparison operations producing bool tensors.
enum CompareOp { case eq, ne, lt, le, gt, ge }

/// Unary element-wise operations.
enum UnaryOp {
    case neg, abs, sign, exp, log, sqrt, rsqrt, sin, cos, tanh, sigmoid, relu, erf, floor, ceil, round
    case leakyRelu(Double)
    case clamp(min: Double?, max: Double?)
    case powScalar(Double)
    /// `x * s + t`, a fused affine map.
    case affine(scale: Double, shift: Double)
    case gelu

    /// Whether the op needs floating inputs (integers are promoted to float32 first, as PyTorch does).
    var needsFloat: Bool {
        switch self {
        case .neg, .abs, .sign, .relu, .clamp, .floor, .ceil, .round: return false
        case .powScalar(let e): return e != e.rounded() || e < 0
        default: return true
        }
    }
}

/// The kernels behind every element-wise op: one pass over raw pointers, dispatched once per tensor.
enum Elementwise {
    /// Contiguous ops over at least this many elements run in two halves on two threads (`HelperThread`).
    static let splitThreshold = 1 << 16

    // MARK: binary

    /// `op(a, b)` broadcast, computed in `dtype` (operands are converted when they differ).
    static func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, dtype: DType) throws -> Tensor {
        let shape = try Shape.broadcast(a.shape, b.shape)
        let out = try Tensor.empty(shape, dtype: dtype)
        try binary(op, a, b, into: out)
        return out
    }

    /// Writes `op(a, b)` into `out`, whose shape must be the broadcast shape.
    static func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, into out: Tensor) throws {
        let dtype = out.dtype
        let a = a.dtype == dtype ? a : try a.materialized(as: dtype)
        let b = b.dtype == dtype ? b : try b.materialized(as: dtype)
        switch dtype {
        case .float32: binaryTyped(Float.self, op, a, b, out)
        case .float64: binaryTyped(Double.self, op, a, b, out)
        case .int64:
            if case .pow = op, try anyNegative(b) {
                throw TensorError.runtime("Integers to negative integer powers are not allowed.")
            }
            switch op {
            case .div, .floorDiv, .remainder:
                if try anyZero(b) { throw TensorError(.zeroDivision, "ZeroDivisionError") }
            default: break
            }
            binaryTyped(Int64.self, op, a, b, out)
        case .bool:
            let wide = try Tensor.empty(out.shape, dtype: .int64)
            try binary(op, a, b, into: wide)
            Copy.run(from: wide, into: out)
        }
    }

    private static func anyZero(_ t: Tensor) throws -> Bool {
        try Reduction.count(try compare(.eq, t, Tensor.scalar(.int(0)))) > 0
    }

    private static func anyNegative(_ t: Tensor) throws -> Bool {
        try Reduction.count(try compare(.lt, t, Tensor.scalar(.int(0)))) > 0
    }

    private static func binaryTyped<T: NumericElement>(_: T.Type, _ op: BinaryOp, _ a: Tensor, _ b: Tensor, _ out: Tensor) {
        let pa = a.pointer(T.self), pb = b.pointer(T.self), po = out.pointer(T.self)
        if out.isContiguous && a.shape == out.shape && a.isContiguous && (b.numel == 1 || b.shape == out.shape && b.isContiguous) {
            let n = out.numel, sb = b.numel == 1 ? 0 : 1
            if n >= splitThreshold, let helper = HelperThread.shared {
                helper.split(n) { r in binaryRun(op, pa + r.lowerBound, 1, pb + r.lowerBound * sb, sb, po + r.lowerBound, 1, r.count) }
            } else {
                binaryRun(op, pa, 1, pb, sb, po, 1, n)
            }
            return
        }
        let sa = Shape.broadcastStrides(a, to: out.shape), sb = Shape.broadcastStrides(b, to: out.shape)
        StridedLoop.forEachRun(shape: out.shape, strides: [out.strides, sa, sb]) { off, inner, n in
            binaryRun(op, pa + off[1], inner[1], pb + off[2], inner[2], po + off[0], inner[0], n)
        }
    }

    @inline(__always)
    private static func loop<T>(
        _ pa: UnsafeMutablePointer<T>, _ sa: Int, _ pb: UnsafeMutablePointer<T>, _ sb: Int,
        _ po: UnsafeMutablePointer<T>, _ so: Int, _ n: Int, _ f: (T, T) -> T
    ) {
        if so == 1 && sa == 1 && sb == 1 {
            // In place (`p -= lr * g`), the output is the first operand: one pointer read and written lets the
            // loop vectorise (with three, the overlap check fails and the scalar fallback runs).
            if po == pa {
                for i in 0..<n { po[i] = f(po[i], pb[i]) }
            } else {
                for i in 0..<n { po[i] = f(pa[i], pb[i]) }
            }
        } else if so == 1 && sa == 1 && sb == 0 {
            let v = pb[0]
            if po == pa {
                for i in 0..<n { po[i] = f(po[i], v) }
            } else {
                for i in 0..<n { po[i] = f(pa[i], v) }
            }
        } else if so == 1 && sa == 0 && sb == 1 {
            let v = pa[0]
            for i in 0..<n { po[i] = f(v, pb[i]) }
        } else {
            for i in 0..<n { po[i * so] = f(pa[i * sa], pb[i * sb]) }
        }
    }

    private static func binaryRun<T: NumericElement>(
        _ op: BinaryOp, _ pa: UnsafeMutablePointer<T>, _ sa: Int, _ pb: UnsafeMutablePointer<T>, _ sb: Int,
        _ po: UnsafeMutablePointer<T>, _ so: Int, _ n: Int
    ) {
        switch op {
        case .add: loop(pa, sa, pb, sb, po, so, n, T.add)
        case .addScaled(let alpha):
            let k = T(fromDouble: alpha)
            loop(pa, sa, pb, sb, po, so, n) { x, y in T.add(x, T.mul(k, y)) }
        case .sub: loop(pa, sa, pb, sb, po, so, n, T.sub)
        case .mul: loop(pa, sa, pb, sb, po, so, n, T.mul)
        case .div: loop(pa, sa, pb, sb, po, so, n, T.div)
        case .floorDiv: loop(pa, sa, pb, sb, po, so, n, T.floorDiv)
        case .remainder: loop(pa, sa, pb, sb, po, so, n, T.remainder)
        case .pow:
            if sb == 0 && pb[0].asDouble == 2 {
                loop(pa, sa, pb, sb, po, so, n) { x, _ in T.mul(x, x) }
            } else {
                loop(pa, sa, pb, sb, po, so, n, T.power)
            }
        case .maximum: loop(pa, sa, pb, sb, po, so, n) { x, y in x >= y || x != x ? x : y }
        case .minimum: loop(pa, sa, pb, sb, po, so, n) { x, y in x <= y || x != x ? x : y }
        case .sigmoidGrad: loop(pa, sa, pb, sb, po, so, n) { g, y in T.mul(T.mul(g, y), T.sub(T.one, y)) }
        case .tanhGrad: loop(pa, sa, pb, sb, po, so, n) { g, y in T.mul(g, T.sub(T.one, T.mul(y, y))) }
        case .clampGrad(let lo, let hi):
            let l = lo.map { T(fromDouble: $0) }, h = hi.map { T(fromDouble: $0) }
            loop(pa, sa, pb, sb, po, so, n) { g, x in
                (l.map { x >= $0 } ?? true) && (h.map { x <= $0 } ?? true) ? g : T.zero
            }
        case .reluGrad(let slope):
            if slope == 0 {
                loop(pa, sa, pb, sb, po, so, n) { g, x in x > T.zero ? g : T.zero }
            } else {
                let s = T(fromDouble: slope)
                loop(pa, sa, pb, sb, po, so, n) { g, x in x > T.zero ? g : T.mul(g, s) }
            }
        }
    }

    // MARK: comparison

    /// `op(a, b)` broadcast, compared in the promoted dtype, as a bool tensor.
    static func compare(_ op: CompareOp, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        let dtype = DType.resultType(a, b)
        let a = a.dtype == dtype ? a : try a.materialized(as: dtype)
        let b = b.dtype == dtype ? b : try b.materialized(as: dtype)
        let out = try Tensor.empty(try Shape.broadcast(a.shape, b.shape), dtype: .bool)
        switch dtype {
        case .float32: compareTyped(Float.self, op, a, b, out)
        case .float64: compareTyped(Double.self, op, a, b, out)
        case .int64: compareTyped(Int64.self, op, a, b, out)
        case .bool:
            let a8 = try a.materialized(as: .int64), b8 = try b.materialized(as: .int64)
            compareTyped(Int64.self, op, a8, b8, out)
        }
        return out
    }

    private static func compareTyped<T: NumericElement>(_: T.Type, _ op: CompareOp, _ a: Tensor, _ b: Tensor, _ out: Tensor) {
        let pa = a.pointer(T.self), pb = b.pointer(T.self), po = out.pointer(Bool.self)
        let sa = Shape.broadcastStrides(a, to: out.shape), sb = Shape.broadcastStrides(b, to: out.shape)
        StridedLoop.forEachRun(shape: out.shape, strides: [out.strides, sa, sb]) { off, inner, n in
            let x = pa + off[1], y = pb + off[2], o = po + off[0]
            let s1 = inner[1], s2 = inner[2]
            switch op {
            case .eq: for i in 0..<n { o[i] = x[i * s1] == y[i * s2] }
            case .ne: for i in 0..<n { o[i] = x[i * s1] != y[i * s2] }
            case .lt: for i in 0..<n { o[i] = x[i * s1] < y[i * s2] }
            case .le: for i in 0..<n { o[i] = x[i * s1] <= y[i * s2] }
            case .gt: for i in 0..<n { o[i] = x[i * s1] > y[i * s2] }
            case .ge: for i in 0..<n { o[i] = x[i * s1] >= y[i * s2] }
            }
        }
    }

    /// Element-wise logical and/or/xor of two tensors read as bools.
    static func logical(_ a: Tensor, _ b: Tensor, _ f: (Bool, Bool) -> Bool) throws -> Tensor {
        let a = try a.contiguousData(as: .bool), b = try b.contiguousData(as: .bool)
        let out = try Tensor.empty(try Shape.broadcast(a.shape, b.shape), dtype: .bool)
        let pa = a.pointer(Bool.self), pb = b.pointer(Bool.self), po = out.pointer(Bool.self)
        let sa = Shape.broadcastStrides(a, to: out.shape), sb = Shape.broadcastStrides(b, to: out.shape)
        StridedLoop.forEachRun(shape: out.shape, strides: [out.strides, sa, sb]) { off, inner, n in
            for i in 0..<n { po[off[0] + i] = f(pa[off[1] + i * inner[1]], pb[off[2] + i * inner[2]]) }
        }
        return out
    }

    // MARK: unary

    /// `op(x)` as a new contiguous tensor.
    static func unary(_ op: UnaryOp, _ x: Tensor) throws -> Tensor {
        let dtype: DType = op.needsFloat && !x.dtype.isFloatingPoint ? .float32 : x.dtype
        let x = x.dtype == dtype ? x : try x.materialized(as: dtype)
        let out = try Tensor.empty(x.shape, dtype: dtype)
        try unary(op, x, into: out)
        return out
    }

    /// Writes `op(x)` into `out` (same shape and dtype; may be `x` itself).
    static func unary(_ op: UnaryOp, _ x: Tensor, into out: Tensor) throws {
        switch out.dtype {
        case .float32: unaryTyped(Float.self, op, x, out)
        case .float64: unaryTyped(Double.self, op, x, out)
        case .int64: unaryInteger(op, x, out)
        case .bool:
            let wide = try x.materialized(as: .int64)
            unaryInteger(op, wide, wide)
            Copy.run(from: wide, into: out)
        }
    }

    private static func unaryTyped<T: FloatElement>(_: T.Type, _ op: UnaryOp, _ x: Tensor, _ out: Tensor) {
        let px = x.pointer(T.self), po = out.pointer(T.self)
        if x.isContiguous && out.isContiguous {
            let n = out.numel
            if n >= splitThreshold, let helper = HelperThread.shared {
                helper.split(n) { r in unaryRun(op, px + r.lowerBound, 1, po + r.lowerBound, 1, r.count) }
            } else {
                unaryRun(op, px, 1, po, 1, n)
            }
            return
        }
        StridedLoop.forEachRun(shape: out.shape, strides: [out.strides, x.strides]) { off, inner, n in
            unaryRun(op, px + off[1], inner[1], po + off[0], inner[0], n)
        }
    }

    @inline(__always)
    private static func map<T>(
        _ px: UnsafeMutablePointer<T>, _ sx: Int, _ po: UnsafeMutablePointer<T>, _ so: Int, _ n: Int, _ f: (T) -> T
    ) {
        if sx == 1 && so == 1 {
            if po == px {  // in place: one pointer, so the loop vectorises (see `loop`)
                for i in 0..<n { po[i] = f(po[i]) }
            } else {
                for i in 0..<n { po[i] = f(px[i]) }
            }
        } else {
            for i in 0..<n { po[i * so] = f(px[i * sx]) }
        }
    }

    private static func unaryRun<T: FloatElement>(
        _ op: UnaryOp, _ px: UnsafeMutablePointer<T>, _ sx: Int, _ po: UnsafeMutablePointer<T>, _ so: Int, _ n: Int
    ) {
        switch op {
        case .neg: map(px, sx, po, so, n) { -$0 }
        case .abs: map(px, sx, po, so, n) { Swift.abs($0) }
        case .sign: map(px, sx, po, so, n) { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }
        case .exp: map(px, sx, po, so, n, T.exp)
        case .log: map(px, sx, po, so, n, T.log)
        case .sqrt: map(px, sx, po, so, n, T.sqrt)
        case .rsqrt: map(px, sx, po, so, n) { 1 / T.sqrt($0) }
        case .sin: map(px, sx, po, so, n, T.sin)
        case .cos: map(px, sx, po, so, n, T.cos)
        case .tanh: map(px, sx, po, so, n, T.tanh)
        case .erf: map(px, sx, po, so, n, T.erf)
        case .floor: map(px, sx, po, so, n) { $0.rounded(.down) }
        case .ceil: map(px, sx, po, so, n) { $0.rounded(.up) }
        case .round: map(px, sx, po, so, n) { $0.rounded(.toNearestOrEven) }
        case .sigmoid: map(px, sx, po, so, n) { 1 / (1 + T.exp(-$0)) }
        case .relu: map(px, sx, po, so, n) { $0 > 0 ? $0 : 0 }
        case .gelu: map(px, sx, po, so, n) { $0 * 0.5 * (1 + T.erf($0 * T(0.7071067811865476))) }
        case .leakyRelu(let s):
            let slope = T(s)
            map(px, sx, po, so, n) { $0 > 0 ? $0 : $0 * slope }
        case .clamp(let lo, let hi):
            let l = lo.map { T($0) } ?? -T.infinity, h = hi.map { T($0) } ?? T.infinity
            map(px, sx, po, so, n) { $0 != $0 ? $0 : Swift.min(Swift.max($0, l), h) }
        case .powScalar(let e):
            let ex = T(e)
            if e == 2 {
                map(px, sx, po, so, n) { $0 * $0 }
            } else if e == 1 {
                map(px, sx, po, so, n) { $0 }
            } else if e == 0.5 {
                map(px, sx, po, so, n, T.sqrt)
            } else {
                map(px, sx, po, so, n) { T.power($0, ex) }
            }
        case .affine(let scale, let shift):
            let a = T(scale), b = T(shift)
            map(px, sx, po, so, n) { $0 * a + b }
        }
    }

    private static func unaryInteger(_ op: UnaryOp, _ x: Tensor, _ out: Tensor) {
        let px = x.pointer(Int64.self), po = out.pointer(Int64.self)
        StridedLoop.forEachRun(shape: out.shape, strides: [out.strides, x.strides]) { off, inner, n in
            let a = px + off[1], o = po + off[0], sx = inner[1], so = inner[0]
            switch op {
            case .neg: map(a, sx, o, so, n) { 0 &- $0 }
            case .abs: map(a, sx, o, so, n) { Int64.magnitude($0) }
            case .sign: map(a, sx, o, so, n) { $0.signum() }
            case .relu: map(a, sx, o, so, n) { Swift.max($0, 0) }
            case .clamp(let lo, let hi):
                let l = lo.map { Int64(fromDouble: $0) } ?? .min, h = hi.map { Int64(fromDouble: $0) } ?? .max
                map(a, sx, o, so, n) { Swift.min(Swift.max($0, l), h) }
            case .powScalar(let e):
                let ex = Int64(e)
                map(a, sx, o, so, n) { Int64.power($0, ex) }
            default: map(a, sx, o, so, n) { $0 }
            }
        }
    }
}
