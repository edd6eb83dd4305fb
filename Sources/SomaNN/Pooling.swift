import SomaTensor

/// Maximum over sliding windows of `[N, C, H, W]` input (`nn.MaxPool2d`); the stride defaults to the kernel size.
public final class MaxPool2d: Module {
    public let kernelSize: (Int, Int), stride: (Int, Int), padding: (Int, Int)
    private let display: (kernel: String, stride: String, padding: String)

    public init(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) throws {
        guard kernelSize.0 > 0 && kernelSize.1 > 0 else { throw NNError(.value, "kernel_size must be greater than zero") }
        guard padding.0 * 2 <= kernelSize.0 && padding.1 * 2 <= kernelSize.1 else {
            throw NNError(.runtime, "pad should be at most half of effective kernel size, but got pad=\(padding.0), kernel_size=\(kernelSize.0) and dilation=1")
        }
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
    /// 2-D max pooling; the gradient flows to the first maximum of each window.
    public static func maxPool2d(_ input: Tensor, kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) throws -> Tensor {
        guard input.dim == 4 || input.dim == 3 else {
            throw NNError(.runtime, "non-empty 3D or 4D (batch mode) tensor expected for input")
        }
        if input.dim == 3 {
            return try maxPool2d(input.unsqueeze(0), kernelSize: kernelSize, stride: stride, padding: padding).squeeze(0)
        }
        let s = stride ?? kernelSize
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
                let flat = try g.contiguous().reshape([win.n * win.c, win.oh * win.ow])
                let dx = try Tensor.zeros([win.n * win.c, win.h * win.w], dtype: g.dtype)
                return [try dx.scatter(1, argmax.reshape([win.n * win.c, win.oh * win.ow]), flat, accumulate: true).reshape(x.shape)]
            }
        }
        return out
    }

    private static func pool<T: BinaryFloatingPoint>(_ w: Window, _ x: UnsafeMutablePointer<T>, _ y: UnsafeMutablePointer<T>,
                                                     _ idx: UnsafeMutablePointer<Int64>) {
        let oh = w.oh, ow = w.ow
        for plane in 0..<(w.n * w.c) {
            let src = x + plane * w.h * w.w, dst = y + plane * oh * ow, at = idx + plane * oh * ow
            for oy in 0..<oh {
                for ox in 0..<ow {
                    var best = -T.infinity, bestAt = -1
                    for i in 0..<w.kh {
                        let iy = oy * w.sh - w.ph + i
                        guard iy >= 0 && iy < w.h else { continue }
                        for j in 0..<w.kw {
                            let ix = ox * w.sw - w.pw + j
                            guard ix >= 0 && ix < w.w else { continue }
                            let v = src[iy * w.w + ix]
                            if v > best || v != v || bestAt < 0 { best = v; bestAt = iy * w.w + ix }
                            if v != v { break }
                        }
                    }
                    dst[oy * ow + ox] = best
                    at[oy * ow + ox] = Int64(bestAt)
                }
            }
        }
    }
}
