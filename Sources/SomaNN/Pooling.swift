import SomaTensor

/// Maximum over sliding windows of `[N, C, H, W]` input (`nn.MaxPool2d`); the stride defaults to the kernel size.
public final class MaxPool2d: Module {
    public let kernelSize: (Int, Int), stride: (Int, Int), padding: (Int, Int)
    private let display: (kernel: String, stride: String, padding: String)

    public init(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) throws {
        try Functional.checkPooling(kernelSize: kernelSize, stride: stride ?? kernelSize, padding: padding)
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        func text(_ p: (Int, Int)) -> String { "(\(p.0), \(p.1))" }
        display = (text(kernelSize), text(self.stride), text(padding))
    }

    /// Square windows given as single numbers; shown as PyTorch shows them (`kernel_size=2`).
    public convenience init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) throws {
        try self.init(kernelSize: (kernelSize, kernelSize), stride: stride.map { ($0, $0) }, padding: (padding, padding))
        displayOverride = (String(kernelSize), String(stride ?? kernelSize), String(padding))
    }

    private var displayOverride: (String, String, String)?

    public override func forward(_ input: Tensor) throws -> Tensor {
        try Functional.maxPool2d(input, kernelSize: kernelSize, stride: stride, padding: padding)
    }

    public override func extraRepr() -> String {
        let (k, s, p) = displayOverride ?? display
        return "kernel_size=\(k), stride=\(s), padding=\(p), dilation=1, ceil_mode=False"
    }
}

extension Functional {
    /// PyTorch's checks of a pooling window: every window must hold at least one element of the input.
    static func checkPooling(kernelSize k: (Int, Int), stride s: (Int, Int), padding p: (Int, Int)) throws {
        guard k.0 > 0 && k.1 > 0 else { throw NNError(.runtime, "kernel size should be greater than zero, but got kH: \(k.0) kW: \(k.1)") }
        guard s.0 != 0 && s.1 != 0 else { throw NNError(.runtime, "stride should not be zero") }
        guard s.0 > 0 && s.1 > 0 else { throw NNError(.runtime, "stride should be greater than zero, but got dH: \(s.0) dW: \(s.1)") }
        guard p.0 >= 0 && p.1 >= 0 else { throw NNError(.runtime, "pad must be non-negative, but got pad: \(Swift.min(p.0, p.1))") }
        guard p.0 * 2 <= k.0 && p.1 * 2 <= k.1 else {
            throw NNError(.runtime, "pad should be at most half of effective kernel size, but got pad=\(p.0 * 2 > k.0 ? p.0 : p.1), kernel_size=\(p.0 * 2 > k.0 ? k.0 : k.1) and dilation=1")
        }
    }

    /// 2-D max pooling; the gradient flows to the first maximum of each window.
    public static func maxPool2d(_ input: Tensor, kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) throws -> Tensor {
        guard input.dim == 4 || input.dim == 3 else {
            throw NNError(.runtime, "non-empty 3D or 4D (batch mode) tensor expected for input")
        }
        if input.dim == 3 {
            return try maxPool2d(input.unsqueeze(0), kernelSize: kernelSize, stride: stride, padding: padding).squeeze(0)
        }
        let s = stride ?? kernelSize
        try checkPooling(kernelSize: kernelSize, stride: s, padding: padding)
        let win = Window(n: input.shape[0], c: input.shape[1], h: input.shape[2], w: input.shape[3], kh: kernelSize.0, kw: kernelSize.1,
                         sh: s.0, sw: s.1, ph: padding.0, pw: padding.1, dh: 1, dw: 1)
        guard win.oh > 0 && win.ow > 0 else {
            throw NNError(.runtime,
                "Given input size: (\(win.c)x\(win.h)x\(win.w)). Calculated output size: (\(win.c)x\(win.oh)x\(win.ow)). Output size is too small")
        }
        let x = try input.detach().to(input.dtype.isFloatingPoint ? input.dtype : .float32).contiguous()
        let out = try Tensor.empty([win.n, win.c, win.oh, win.ow], dtype: x.dtype)
        let argmax = try Tensor.empty(out.shape, dtype: .int64)
        if x.dtype == .float32 {
            pool(win, x.unsafeData(as: Float.self), out.unsafeData(as: Float.self), argmax.unsafeData(as: Int64.self))
        } else {
            pool(win, x.unsafeData(as: Double.self), out.unsafeData(as: Double.self), argmax.unsafeData(as: Int64.self))
        }
        if GradMode.records(input) {
            out.recorded("MaxPool2DWithIndicesBackward0", [input]) { g in
                let gc = try g.to(x.dtype).contiguous()
                let dx = try Tensor.zeros(x.shape, dtype: x.dtype)
                if x.dtype == .float32 {
                    unpool(win, gc.unsafeData(as: Float.self), dx.unsafeData(as: Float.self), argmax.unsafeData(as: Int64.self))
                } else {
                    unpool(win, gc.unsafeData(as: Double.self), dx.unsafeData(as: Double.self), argmax.unsafeData(as: Int64.self))
                }
                return [dx]
            }
        }
        return out
    }

    /// Each output is the first largest value of its window (a NaN wins, the last one as in PyTorch), with its index in
    /// its plane. The rows and columns of a window that fall into the padding are cut off before the loop.
    private static func pool<T: BinaryFloatingPoint>(_ w: Window, _ x: UnsafeMutablePointer<T>, _ y: UnsafeMutablePointer<T>,
                                                     _ idx: UnsafeMutablePointer<Int64>) {
        let oh = w.oh, ow = w.ow, (height, width, kh, kw, sh, sw, ph, pw) = (w.h, w.w, w.kh, w.kw, w.sh, w.sw, w.ph, w.pw)
        Parallel.halves(w.n * w.c, work: w.n * w.c * height * width) { planes in
            for plane in planes {
                let src = x + plane * height * width, dst = y + plane * oh * ow, at = idx + plane * oh * ow
                if ph == 0 && pw == 0 && kh == 2 && kw == 2 && sh == 2 && sw == 2 {
                    // MaxPool2d(2), the usual case: four values per output kept in registers, constant strides.
                    for oy in 0..<oh {
                        let top = src + 2 * oy * width, bottom = top + width, best = dst + oy * ow, bestAt = at + oy * ow
                        let base = 2 * oy * width
                        for ox in 0..<ow {
                            let a = top[2 &* ox], b = top[2 &* ox &+ 1], c = bottom[2 &* ox], d = bottom[2 &* ox &+ 1]
                            // Selects, not branches: on real data each comparison is a coin toss for the branch predictor.
                            var m = a, k = 0, take = b > m || b != b
                            m = take ? b : m; k = take ? 1 : k
                            take = c > m || c != c
                            m = take ? c : m; k = take ? width : k
                            take = d > m || d != d
                            m = take ? d : m; k = take ? width &+ 1 : k
                            best[ox] = m
                            bestAt[ox] = Int64(base &+ 2 &* ox &+ k)
                        }
                    }
                    continue
                }
                for oy in 0..<oh {
                    let top = oy * sh - ph, i0 = Swift.max(0, top), i1 = Swift.min(height, top + kh)
                    for ox in 0..<ow {
                        let left = ox * sw - pw, j0 = Swift.max(0, left), j1 = Swift.min(width, left + kw)
                        var best = src[i0 * width + j0], bestAt = i0 * width + j0
                        for iy in i0..<i1 {
                            let line = src + iy &* width
                            for ix in j0..<j1 {
                                // Selects, not branches: on real data the comparison is a coin toss for the branch predictor.
                                let v = line[ix], take = v > best || v != v
                                best = take ? v : best
                                bestAt = take ? iy &* width &+ ix : bestAt
                            }
                        }
                        dst[oy * ow + ox] = best
                        at[oy * ow + ox] = Int64(bestAt)
                    }
                }
            }
        }
    }

    /// The gradient of `pool`: each output's gradient is added at the index of its window's maximum.
    private static func unpool<T: BinaryFloatingPoint>(_ w: Window, _ g: UnsafeMutablePointer<T>, _ dx: UnsafeMutablePointer<T>,
                                                       _ idx: UnsafeMutablePointer<Int64>) {
        let outputs = w.oh * w.ow, inputs = w.h * w.w
        Parallel.halves(w.n * w.c, work: w.n * w.c * inputs) { planes in
            for plane in planes {
                let gp = g + plane * outputs, dp = dx + plane * inputs, at = idx + plane * outputs
                for o in 0..<outputs { dp[Int(at[o])] += gp[o] }
            }
        }
    }
}
