import Foundation
import SomaTensor

/// 2-D convolution over `[N, C, H, W]` input by im2col and one GEMM (`nn.Conv2d`); `groups` is 1.
public final class Conv2d: Module {
    public let inChannels: Int, outChannels: Int
    public let kernelSize: (Int, Int), stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int)

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), groups: Int = 1, bias: Bool = true) throws {
        guard groups == 1 else { throw NNError(.notImplemented, "Conv2d with groups=\(groups) is not supported in Soma (only groups=1)") }
        guard inChannels > 0, outChannels > 0, kernelSize.0 > 0, kernelSize.1 > 0, stride.0 > 0, stride.1 > 0,
              padding.0 >= 0, padding.1 >= 0, dilation.0 > 0, dilation.1 > 0 else {
            throw NNError(.value, "Conv2d: channels, kernel_size, stride and dilation must be positive and padding non-negative")
        }
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        super.init()
        let weight = try Tensor.empty([outChannels, inChannels, kernelSize.0, kernelSize.1])
        try Init.kaimingUniform(weight, a: 5.0.squareRoot())
        try registerParameter("weight", weight)
        if bias {
            let fanIn = inChannels * kernelSize.0 * kernelSize.1
            let b = try Tensor.empty([outChannels])
            try b.uniform(-1 / Double(fanIn).squareRoot(), 1 / Double(fanIn).squareRoot())
            try registerParameter("bias", b)
        } else {
            try registerParameter("bias", nil)
        }
    }

    /// Square kernels, strides and paddings given as single numbers.
    public convenience init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            dilation: Int = 1, groups: Int = 1, bias: Bool = true) throws {
        try self.init(inChannels, outChannels, kernelSize: (kernelSize, kernelSize), stride: (stride, stride),
                      padding: (padding, padding), dilation: (dilation, dilation), groups: groups, bias: bias)
    }

    public var weight: Tensor { parameter("weight")! }
    public var bias: Tensor? { parameter("bias") }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try Functional.conv2d(input, weight, bias, stride: stride, padding: padding, dilation: dilation)
    }

    public override func extraRepr() -> String {
        func pair(_ p: (Int, Int)) -> String { "(\(p.0), \(p.1))" }
        var s = "\(inChannels), \(outChannels), kernel_size=\(pair(kernelSize)), stride=\(pair(stride))"
        if padding != (0, 0) { s += ", padding=\(pair(padding))" }
        if dilation != (1, 1) { s += ", dilation=\(pair(dilation))" }
        if bias == nil { s += ", bias=False" }
        return s
    }
}

/// Geometry of a sliding window over `[N, C, H, W]`.
struct Window {
    let n: Int, c: Int, h: Int, w: Int
    let kh: Int, kw: Int, sh: Int, sw: Int, ph: Int, pw: Int, dh: Int, dw: Int
    var oh: Int { (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1 }
    var ow: Int { (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1 }
}

extension Functional {
    /// 2-D convolution: `input [N, C, H, W]`, `weight [O, C, kh, kw]`, optional `bias [O]`.
    public static func conv2d(_ input: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, stride: (Int, Int) = (1, 1),
                              padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1)) throws -> Tensor {
        guard input.dim == 4 || input.dim == 3 else {
            throw NNError(.runtime,
                "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: \(Module.shapeText(input.shape))")
        }
        if input.dim == 3 {
            return try conv2d(input.unsqueeze(0), weight, bias, stride: stride, padding: padding, dilation: dilation).squeeze(0)
        }
        guard input.shape[1] == weight.shape[1] else {
            throw NNError(.runtime,
                "Given groups=1, weight of size \(Module.shapeText(weight.shape)), expected input\(Module.shapeText(input.shape)) to have \(weight.shape[1]) channels, but got \(input.shape[1]) channels instead")
        }
        guard stride.0 > 0 && stride.1 > 0 else { throw NNError(.runtime, "non-positive stride is not supported") }
        guard padding.0 >= 0 && padding.1 >= 0 else { throw NNError(.runtime, "negative padding is not supported") }
        guard dilation.0 > 0 && dilation.1 > 0 else {
            throw NNError(.runtime, "dilation should be greater than zero, but got [\(dilation.0), \(dilation.1)]")
        }
        let win = Window(n: input.shape[0], c: input.shape[1], h: input.shape[2], w: input.shape[3], kh: weight.shape[2], kw: weight.shape[3],
                         sh: stride.0, sw: stride.1, ph: padding.0, pw: padding.1, dh: dilation.0, dw: dilation.1)
        guard win.oh > 0 && win.ow > 0 else {
            throw NNError(.runtime,
                "Calculated padded input size per channel: (\(win.h + 2 * win.ph) x \(win.w + 2 * win.pw)). Kernel size: (\(win.kh) x \(win.kw)). Kernel size can't be greater than actual input size")
        }
        let outC = weight.shape[0], rows = win.c * win.kh * win.kw, pixels = win.oh * win.ow
        let x = try input.detach().contiguous()
        // One column matrix per image ([rows, pixels]); one product per image writes its [outC, pixels] block of the
        // output in place (batched, two images at a time when the products are small).
        let columns = try Tensor.empty([win.n, rows, pixels], dtype: x.dtype)
        Im2col.run(win, x, columns, accumulateInto: false)
        let w2 = try weight.detach().reshape([outC, rows])
        let out = try w2.unsqueeze(0).expand([win.n, outC, rows]).bmm(columns)
        if let bias { try out.add_(bias.detach().reshape([outC, 1])) }
        let result = try out.reshape([win.n, outC, win.oh, win.ow])
        let inputs = [input, weight] + (bias.map { [$0] } ?? [])
        if GradMode.records(inputs) {
            result.recorded("ConvolutionBackward0", inputs) { g in
                let g3 = try g.contiguous().reshape([win.n, outC, pixels])
                var grads: [Tensor?] = []
                if input.requiresGrad {
                    let dcol = try w2.t().unsqueeze(0).expand([win.n, rows, outC]).bmm(g3)
                    let dx = try Tensor.zeros(x.shape, dtype: x.dtype)
                    Im2col.run(win, dx, dcol, accumulateInto: true)
                    grads.append(dx)
                } else {
                    grads.append(nil)
                }
                grads.append(weight.requiresGrad ? try g3.bmm(columns.transpose(1, 2)).sum(dims: [0]).reshape(weight.shape) : nil)
                if let bias { grads.append(bias.requiresGrad ? try g3.sum(dims: [0, 2]) : nil) }
                return grads
            }
        }
        return result
    }
}

/// Copies windows of an image batch into GEMM columns, or (for the gradient) adds columns back.
enum Im2col {
    /// Forward: `columns[n, (c·kh + i)·kw + j, y·ow + x] = image[n, c, y·sh - ph + i·dh, x·sw - pw + j·dw]`, 0 where that
    /// falls in the padding. With `accumulateInto`, the reverse: each column entry is added to its image position.
    static func run(_ w: Window, _ image: Tensor, _ columns: Tensor, accumulateInto: Bool) {
        switch (image.dtype == .float32, accumulateInto) {
        case (true, false): run(w, image.unsafeData(as: Float.self), columns.unsafeData(as: Float.self), back: false)
        case (true, true): run(w, image.unsafeData(as: Float.self), columns.unsafeData(as: Float.self), back: true)
        case (false, false): run(w, image.unsafeData(as: Double.self), columns.unsafeData(as: Double.self), back: false)
        case (false, true): run(w, image.unsafeData(as: Double.self), columns.unsafeData(as: Double.self), back: true)
        }
    }

    /// One pass per (image, channel, kernel offset): each output row copies (or adds back) the run of image pixels its
    /// window sees, the columns that fall into the padding are zeroed; no per-element bounds tests.
    @inline(__always)
    private static func run<T: BinaryFloatingPoint>(_ w: Window, _ img: UnsafeMutablePointer<T>, _ col: UnsafeMutablePointer<T>, back: Bool) {
        let oh = w.oh, ow = w.ow, pixels = oh * ow, rows = w.c * w.kh * w.kw
        let (height, width, sh, sw) = (w.h, w.w, w.sh, w.sw)
        Parallel.halves(w.n, work: w.n * rows * pixels) { images in
            for n in images {
                for c in 0..<w.c {
                    let plane = img + (n * w.c + c) * height * width
                    for i in 0..<w.kh {
                        for j in 0..<w.kw {
                            let row = col + (n * rows + (c * w.kh + i) * w.kw + j) * pixels
                            // Output columns x whose input column x·sw + shift lies inside the image: x0 ..< x1.
                            let shift = j * w.dw - w.pw
                            let x0 = Swift.min(ow, shift >= 0 ? 0 : (sw - 1 - shift) / sw)
                            let x1 = Swift.max(x0, Swift.min(ow, (Swift.max(0, width - shift) + sw - 1) / sw))
                            for y in 0..<oh {
                                let iy = y * sh - w.ph + i * w.dh
                                let dst = row + y * ow
                                guard iy >= 0 && iy < height else {
                                    if !back { dst.update(repeating: 0, count: ow) }
                                    continue
                                }
                                let src = plane + iy * width + shift
                                if back {
                                    if sw == 1 {
                                        for x in x0..<x1 { src[x] += dst[x] }
                                    } else {
                                        for x in x0..<x1 { src[x * sw] += dst[x] }
                                    }
                                } else {
                                    if x0 > 0 { dst.update(repeating: 0, count: x0) }
                                    if sw == 1 {
                                        for x in x0..<x1 { dst[x] = src[x] }
                                    } else {
                                        for x in x0..<x1 { dst[x] = src[x * sw] }
                                    }
                                    if x1 < ow { (dst + x1).update(repeating: 0, count: ow - x1) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
