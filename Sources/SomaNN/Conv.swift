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
        let win = Window(n: input.shape[0], c: input.shape[1], h: input.shape[2], w: input.shape[3], kh: weight.shape[2], kw: weight.shape[3],
                         sh: stride.0, sw: stride.1, ph: padding.0, pw: padding.1, dh: dilation.0, dw: dilation.1)
        guard win.oh > 0 && win.ow > 0 else {
            throw NNError(.runtime,
                "Calculated padded input size per channel: (\(win.h + 2 * win.ph) x \(win.w + 2 * win.pw)). Kernel size: (\(win.kh) x \(win.kw)). Kernel size can't be greater than actual input size")
        }
        let outC = weight.shape[0], rows = win.c * win.kh * win.kw, cols = win.n * win.oh * win.ow
        let x = try input.detach().contiguous()
        let columns = try Tensor.zeros([rows, cols], dtype: x.dtype)
        Im2col.run(win, x, columns, accumulateInto: false)
        let w2 = try weight.detach().reshape([outC, rows])
        var out = try w2.mm(columns).reshape([outC, win.n, win.oh * win.ow])
        if let bias { out = try out.add(bias.detach().reshape([outC, 1, 1])) }
        let result = try out.permute([1, 0, 2]).contiguous().reshape([win.n, outC, win.oh, win.ow])
        let inputs = [input, weight] + (bias.map { [$0] } ?? [])
        if GradMode.records(inputs) {
            result.recorded("ConvolutionBackward0", inputs) { g in
                let g2 = try g.permute([1, 0, 2, 3]).reshape([outC, cols])
                var grads: [Tensor?] = []
                if input.requiresGrad {
                    let dcol = try w2.t().mm(g2)
                    let dx = try Tensor.zeros(x.shape, dtype: x.dtype)
                    Im2col.run(win, dx, try dcol.contiguous(), accumulateInto: true)
                    grads.append(dx)
                } else {
                    grads.append(nil)
                }
                grads.append(weight.requiresGrad ? try g2.mm(columns.t()).reshape(weight.shape) : nil)
                if let bias { grads.append(bias.requiresGrad ? try g2.sum(dims: [1]) : nil) }
                return grads
            }
        }
        return result
    }
}

/// Copies windows of an image batch into GEMM columns, or (for the gradient) adds columns back.
enum Im2col {
    /// Forward: `columns[(c·kh + i)·kw + j, (n·oh + y)·ow + x] = image[n, c, y·sh - ph + i·dh, x·sw - pw + j·dw]`.
    /// With `accumulateInto`, the reverse: each column entry is added to its image position.
    static func run(_ w: Window, _ image: Tensor, _ columns: Tensor, accumulateInto: Bool) {
        if image.dtype == .float32 {
            run(w, image.unsafeData(as: Float.self), columns.unsafeData(as: Float.self), accumulateInto)
        } else {
            run(w, image.unsafeData(as: Double.self), columns.unsafeData(as: Double.self), accumulateInto)
        }
    }

    private static func run<T: BinaryFloatingPoint>(_ w: Window, _ img: UnsafeMutablePointer<T>, _ col: UnsafeMutablePointer<T>, _ back: Bool) {
        let oh = w.oh, ow = w.ow, cols = w.n * oh * ow
        for c in 0..<w.c {
            for i in 0..<w.kh {
                for j in 0..<w.kw {
                    let row = col + ((c * w.kh + i) * w.kw + j) * cols
                    for n in 0..<w.n {
                        let plane = img + (n * w.c + c) * w.h * w.w
                        for y in 0..<oh {
                            let iy = y * w.sh - w.ph + i * w.dh
                            guard iy >= 0 && iy < w.h else { continue }
                            let dst = row + (n * oh + y) * ow
                            let src = plane + iy * w.w
                            for x in 0..<ow {
                                let ix = x * w.sw - w.pw + j * w.dw
                                guard ix >= 0 && ix < w.w else { continue }
                                if back { src[ix] += dst[x] } else { dst[x] = src[ix] }
                            }
                        }
                    }
                }
            }
        }
    }
}
