import Foundation
import SomaTensor

/// A sample transform (`torchvision.transforms`): `apply` is `__call__`. Subclass it; the
/// language bindings wrap a Soma callable as `Lambda`.
open class Transform: CustomStringConvertible {
    public init() {}
    open func apply(_ input: Sample) throws -> Sample {
        throw NNError(.notImplemented, "\(type(of: self)) does not implement __call__")
    }
    open var description: String { "\(type(of: self))()" }

    /// Applies the transform to a tensor and expects a tensor back.
    public func apply(_ t: Tensor) throws -> Tensor {
        guard case .tensor(let out) = try apply(.tensor(t)) else {
            throw NNError(.type, "\(type(of: self)) did not return a tensor")
        }
        return out
    }
}

/// Transforms applied one after the other (`Compose`).
public final class Compose: Transform {
    public let transforms: [Transform]
    public init(_ transforms: [Transform]) {
        self.transforms = transforms
        super.init()
    }
    public override func apply(_ input: Sample) throws -> Sample {
        try transforms.reduce(input) { try $1.apply($0) }
    }
    public override var description: String {
        "Compose(\n" + transforms.map { "    \($0)\n" }.joined() + ")"
    }
}

/// An image `H×W×C` bytes → float32 tensor `[C, H, W]` with values in [0, 1] (`ToTensor`);
/// tensors pass through unchanged.
public final class ToTensor: Transform {
    public override init() { super.init() }
    public override func apply(_ input: Sample) throws -> Sample {
        switch input {
        case .image(let img): return .tensor(try ToTensor.convert(img))
        case .tensor: return input
        default: throw NNError(.type, "pic should be PIL Image or ndarray. Got \(input.typeName)")
        }
    }

    static func convert(_ img: Image) throws -> Tensor {
        let c = img.channels, hw = img.width * img.height
        let t = try Tensor.empty([c, img.height, img.width], dtype: .float32)
        let p = t.unsafeData(as: Float.self)
        img.pixels.withUnsafeBufferPointer { s in
            for k in 0..<c {
                let d = p + k * hw
                for i in 0..<hw { d[i] = Float(s[i * c + k]) / 255 }
            }
        }
        return t
    }
}

/// Per-channel `(x - mean) / std` on a float tensor `[..., C, H, W]` (`Normalize`).
public final class Normalize: Transform {
    public let mean: [Double]
    public let std: [Double]
    public init(mean: [Double], std: [Double]) throws {
        guard !mean.isEmpty, !std.isEmpty else { throw NNError(.value, "Normalize needs at least one mean and one std") }
        if std.contains(where: { Float($0) == 0 }) {
            throw NNError(.value, "std evaluated to zero after conversion to torch.float32, leading to division by zero.")
        }
        self.mean = mean
        self.std = std
        super.init()
    }
    public override var description: String { "Normalize(mean=\(mean), std=\(std))" }

    public override func apply(_ input: Sample) throws -> Sample {
        guard case .tensor(let t0) = input else {
            throw NNError(.type, "img should be Tensor Image. Got \(input.typeName) (put ToTensor() before Normalize)")
        }
        guard t0.dtype.isFloatingPoint else { throw NNError(.type, "Input tensor should be a float tensor. Got \(t0.dtype).") }
        guard t0.dim >= 3 else {
            throw NNError(.value, "Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = \(shapeText(t0.shape))")
        }
        let c = t0.shape[t0.dim - 3]
        for v in [mean, std] where v.count != 1 && v.count != c {
            throw NNError(.runtime, "The size of tensor a (\(v.count)) must match the size of tensor b (\(c)) at non-singleton dimension 0")
        }
        let src = try t0.contiguous()
        let out = try Tensor.empty(src.shape, dtype: src.dtype)
        let plane = src.shape[src.dim - 2] * src.shape[src.dim - 1]
        let planes = src.numel / max(plane, 1)
        if src.dtype == .float32 {
            let s = src.unsafeData(as: Float.self), d = out.unsafeData(as: Float.self)
            for k in 0..<planes {
                let ch = k % c
                let m = Float(mean[mean.count == 1 ? 0 : ch]), sd = Float(std[std.count == 1 ? 0 : ch])
                let a = s + k * plane, b = d + k * plane
                for i in 0..<plane { b[i] = (a[i] - m) / sd }
            }
        } else {
            let s = src.unsafeData(as: Double.self), d = out.unsafeData(as: Double.self)
            for k in 0..<planes {
                let ch = k % c
                let m = mean[mean.count == 1 ? 0 : ch], sd = std[std.count == 1 ? 0 : ch]
                let a = s + k * plane, b = d + k * plane
                for i in 0..<plane { b[i] = (a[i] - m) / sd }
            }
        }
        return .tensor(out)
    }
}

/// A float tensor `[C, H, W]` (or `[H, W]`) with values in [0, 1] → an image of bytes (`ToPILImage`), as
/// torchvision computes them (`mul(255)` then truncation to a byte, values clamped to [0, 1] first); integer tensors
/// are taken as bytes already. One channel gives a grey image, three RGB, four RGBA; images pass through.
public final class ToPILImage: Transform {
    public override init() { super.init() }
    public override func apply(_ input: Sample) throws -> Sample {
        if case .image = input { return input }
        guard case .tensor(let t) = input else { throw NNError(.type, "pic should be Tensor or Image. Got \(input)") }
        let chw = t.dim == 2 ? try t.unsqueeze(0) : t
        guard chw.dim == 3, [1, 3, 4].contains(chw.shape[0]) else {
            throw NNError(.value, "pic should be 2/3 dimensional with 1, 3 or 4 channels first. Got shape \(t.shape)")
        }
        let (c, h, w) = (chw.shape[0], chw.shape[1], chw.shape[2])
        let values = chw.doubles()
        let float = t.dtype.isFloatingPoint
        var pixels = [UInt8](repeating: 0, count: c * h * w)
        for ch in 0..<c {
            for i in 0..<(h * w) {
                let v = values[ch * h * w + i]
                pixels[i * c + ch] = UInt8(float ? min(max(v, 0), 1) * 255 : min(max(v, 0), 255))
            }
        }
        return .image(try Image(width: w, height: h, channels: c, pixels: pixels))
    }
}

/// Calls a closure (`Lambda`).
public final class Lambda: Transform {
    public let body: (Sample) throws -> Sample
    public init(_ body: @escaping (Sample) throws -> Sample) {
        self.body = body
        super.init()
    }
    public override func apply(_ input: Sample) throws -> Sample { try body(input) }
}

/// Bilinear resize with antialiasing when shrinking (`Resize`), as torchvision does for
/// tensors (`interpolate(bilinear, align_corners=False, antialias=True)`) and PIL for images.
/// One size resizes the shorter side to it, keeping the aspect ratio (the longer side becomes
/// `int(size * long / short)`); two sizes are `(height, width)`. Images are resampled with
/// PIL's own 8-bit fixed-point arithmetic (horizontal pass, rounded to bytes, then vertical),
/// so they equal `PIL.Image.resize(..., BILINEAR)`; RGBA is resampled without PIL's alpha
/// premultiplication.
public final class Resize: Transform {
    public let size: [Int]
    public init(_ size: [Int]) throws {
        guard size.count == 1 || size.count == 2, size.allSatisfy({ $0 > 0 }) else {
            throw NNError(.value, "Resize: size must be one positive int or a (height, width) pair, got \(size)")
        }
        self.size = size
        super.init()
    }
    public convenience init(_ size: Int) throws { try self.init([size]) }
    public override var description: String { "Resize(size=\(size.count == 1 ? "\(size[0])" : "(\(size[0]), \(size[1]))"), interpolation=bilinear, max_size=None, antialias=True)" }

    func outputSize(h: Int, w: Int) -> (Int, Int) {
        if size.count == 2 { return (size[0], size[1]) }
        let s = size[0]
        if h <= w { return (s, Int(Double(s) * Double(w) / Double(h))) }
        return (Int(Double(s) * Double(h) / Double(w)), s)
    }

    public override func apply(_ input: Sample) throws -> Sample {
        switch input {
        case .image(let img):
            let (oh, ow) = outputSize(h: img.height, w: img.width)
            return .image(try Resize.resamplePIL(img, oh: oh, ow: ow))
        case .tensor(let t):
            guard t.dim >= 2 else { throw NNError(.value, "Resize expects a tensor of shape [..., H, W], got \(shapeText(t.shape))") }
            let h = t.shape[t.dim - 2], w = t.shape[t.dim - 1]
            let (oh, ow) = outputSize(h: h, w: w)
            let planes = t.numel / max(h * w, 1)
            let src = try t.to(.float64).contiguous()
            let sp = src.unsafeData(as: Double.self)
            let values = Array(UnsafeBufferPointer(start: sp, count: src.numel))
            var res = Resize.resample(values, planes: planes, h: h, w: w, oh: oh, ow: ow)
            if !t.dtype.isFloatingPoint { res = res.map { $0.rounded() } }
            let out = try Tensor.empty(Array(t.shape.dropLast(2)) + [oh, ow], dtype: .float64)
            let op = out.unsafeData(as: Double.self)
            for i in 0..<res.count { op[i] = res[i] }
            return .tensor(t.dtype == .float64 ? out : try out.to(t.dtype))
        default:
            throw NNError(.type, "Resize: expected an Image or a tensor, got \(input.typeName)")
        }
    }

    /// PIL's / PyTorch's antialiased bilinear weights for one dimension.
    static func weights(_ inSize: Int, _ outSize: Int) -> [(start: Int, w: [Double])] {
        let scale = Double(inSize) / Double(outSize)
        let support = scale >= 1 ? scale : 1
        let invScale = scale >= 1 ? 1 / scale : 1
        return (0..<outSize).map { i in
            let center = scale * (Double(i) + 0.5)
            let xmin = max(Int(center - support + 0.5), 0)
            let xmax = min(Int(center + support + 0.5), inSize)
            var w = (xmin..<xmax).map { j -> Double in
                let x = abs((Double(j) - center + 0.5) * invScale)
                return x < 1 ? 1 - x : 0
            }
            let total = w.reduce(0, +)
            if total != 0 { w = w.map { $0 / total } }
            return (xmin, w)
        }
    }

    /// PIL's `ImagingResample` for 8-bit images: coefficients scaled to 22-bit integers,
    /// rounding by adding half before the shift, clipping to 0...255 after each pass.
    static func resamplePIL(_ img: Image, oh: Int, ow: Int) throws -> Image {
        let precision = 22
        func fixed(_ ws: [(start: Int, w: [Double])]) -> [(start: Int, k: [Int32])] {
            ws.map { ($0.start, $0.w.map { Int32($0 < 0 ? -0.5 + $0 * Double(1 << precision) : 0.5 + $0 * Double(1 << precision)) }) }
        }
        @inline(__always) func clip8(_ v: Int32) -> UInt8 {
            if v >= Int32(1) << (precision + 8) { return 255 }
            if v <= 0 { return 0 }
            return UInt8(v >> Int32(precision))
        }
        let c = img.channels
        var cur = img.pixels
        var w = img.width, h = img.height
        if ow != w {
            let kx = fixed(weights(w, ow))
            var out = [UInt8](repeating: 0, count: h * ow * c)
            cur.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { d in
                    for y in 0..<h {
                        for x in 0..<ow {
                            let (start, k) = kx[x]
                            for ch in 0..<c {
                                var ss = Int32(1) << Int32(precision - 1)
                                for j in 0..<k.count { ss &+= Int32(s[(y * w + start + j) * c + ch]) &* k[j] }
                                d[(y * ow + x) * c + ch] = clip8(ss)
                            }
                        }
                    }
                }
            }
            cur = out
            w = ow
        }
        if oh != h {
            let ky = fixed(weights(h, oh))
            var out = [UInt8](repeating: 0, count: oh * w * c)
            cur.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { d in
                    for y in 0..<oh {
                        let (start, k) = ky[y]
                        for x in 0..<w * c {
                            var ss = Int32(1) << Int32(precision - 1)
                            for j in 0..<k.count { ss &+= Int32(s[(start + j) * w * c + x]) &* k[j] }
                            d[y * w * c + x] = clip8(ss)
                        }
                    }
                }
            }
            cur = out
            h = oh
        }
        return try Image(width: w, height: h, channels: c, pixels: cur)
    }

    /// Resamples `planes` planes of `h×w` to `oh×ow`: along the width first, then the height.
    static func resample(_ src: [Double], planes: Int, h: Int, w: Int, oh: Int, ow: Int) -> [Double] {
        let wx = weights(w, ow), wy = weights(h, oh)
        var mid = [Double](repeating: 0, count: planes * h * ow)
        var out = [Double](repeating: 0, count: planes * oh * ow)
        src.withUnsafeBufferPointer { s in
            mid.withUnsafeMutableBufferPointer { m in
                for p in 0..<planes {
                    for y in 0..<h {
                        let row = s.baseAddress! + (p * h + y) * w
                        let dst = m.baseAddress! + (p * h + y) * ow
                        for x in 0..<ow {
                            let (start, ws) = wx[x]
                            var acc = 0.0
                            for k in 0..<ws.count { acc += ws[k] * row[start + k] }
                            dst[x] = acc
                        }
                    }
                }
            }
        }
        mid.withUnsafeBufferPointer { m in
            out.withUnsafeMutableBufferPointer { o in
                for p in 0..<planes {
                    for y in 0..<oh {
                        let (start, ws) = wy[y]
                        let dst = o.baseAddress! + (p * oh + y) * ow
                        for k in 0..<ws.count {
                            let row = m.baseAddress! + (p * h + start + k) * ow
                            let wk = ws[k]
                            for x in 0..<ow { dst[x] += wk * row[x] }
                        }
                    }
                }
            }
        }
        return out
    }
}

/// Crops the centre (`CenterCrop`); a crop larger than the image pads it with zeros.
public final class CenterCrop: Transform {
    public let size: (height: Int, width: Int)
    public init(_ size: [Int]) throws {
        guard size.count == 1 || size.count == 2, size.allSatisfy({ $0 > 0 }) else {
            throw NNError(.value, "CenterCrop: size must be one positive int or a (height, width) pair, got \(size)")
        }
        self.size = (size[0], size.count == 2 ? size[1] : size[0])
        super.init()
    }
    public convenience init(_ size: Int) throws { try self.init([size]) }
    public override var description: String { "CenterCrop(size=(\(size.height), \(size.width)))" }

    static func offset(_ n: Int, _ crop: Int) -> Int {
        if crop > n { return -((crop - n) / 2) }
        return Int((Double(n - crop) / 2).rounded(.toNearestOrEven))
    }

    public override func apply(_ input: Sample) throws -> Sample {
        let (h, w) = try Crop.size(of: input)
        return try Crop.crop(input, top: CenterCrop.offset(h, size.height), left: CenterCrop.offset(w, size.width),
                             height: size.height, width: size.width)
    }
}

/// Flips left-right with probability `p` (`RandomHorizontalFlip`), drawing `rand(1)` from the
/// global generator as torchvision does.
public final class RandomHorizontalFlip: Transform {
    public let p: Double
    public init(p: Double = 0.5) {
        self.p = p
        super.init()
    }
    public override var description: String { "RandomHorizontalFlip(p=\(p))" }
    public override func apply(_ input: Sample) throws -> Sample {
        let r = try Tensor.rand([1]).unsafeData(as: Float.self)[0]
        guard r < Float(p) else { return input }
        return try Crop.flip(input)
    }
}

/// A random crop (`RandomCrop`) after optional zero padding (`padding`: one value for all
/// sides, (left/right, top/bottom), or (left, top, right, bottom)); the offsets are two
/// `randint` draws from the global generator, as torchvision does.
public final class RandomCrop: Transform {
    public let size: (height: Int, width: Int)
    public let padding: (left: Int, top: Int, right: Int, bottom: Int)
    public let padIfNeeded: Bool

    public init(_ size: [Int], padding: [Int]? = nil, padIfNeeded: Bool = false) throws {
        guard size.count == 1 || size.count == 2, size.allSatisfy({ $0 > 0 }) else {
            throw NNError(.value, "RandomCrop: size must be one positive int or a (height, width) pair, got \(size)")
        }
        self.size = (size[0], size.count == 2 ? size[1] : size[0])
        switch padding?.count ?? 0 {
        case 0: self.padding = (0, 0, 0, 0)
        case 1: let p = padding![0]; self.padding = (p, p, p, p)
        case 2: self.padding = (padding![0], padding![1], padding![0], padding![1])
        case 4: self.padding = (padding![0], padding![1], padding![2], padding![3])
        default: throw NNError(.value, "Padding must be an int or a 1, 2, or 4 element tuple, not a \(padding!.count) element tuple")
        }
        self.padIfNeeded = padIfNeeded
        super.init()
    }
    public convenience init(_ size: Int, padding: Int = 0) throws { try self.init([size], padding: [padding]) }

    public override var description: String {
        let p = padding
        let pad = p == (0, 0, 0, 0) ? "None" : (p.left == p.top && p.top == p.right && p.right == p.bottom) ? "\(p.left)"
            : "(\(p.left), \(p.top), \(p.right), \(p.bottom))"
        return "RandomCrop(size=(\(size.height), \(size.width)), padding=\(pad))"
    }

    public override func apply(_ input: Sample) throws -> Sample {
        let (h0, w0) = try Crop.size(of: input)
        var top = -padding.top, left = -padding.left
        var h = h0 + padding.top + padding.bottom, w = w0 + padding.left + padding.right
        if padIfNeeded && h < size.height { top -= size.height - h; h = size.height + (size.height - h) }
        if padIfNeeded && w < size.width { left -= size.width - w; w = size.width + (size.width - w) }
        guard h >= size.height && w >= size.width else {
            throw NNError(.value, "Required crop size (\(size.height), \(size.width)) is larger than input image size (\(h), \(w))")
        }
        var i = 0, j = 0
        if !(h == size.height && w == size.width) {
            i = Int(try Tensor.randint(0, h - size.height + 1, [1]).unsafeData(as: Int64.self)[0])
            j = Int(try Tensor.randint(0, w - size.width + 1, [1]).unsafeData(as: Int64.self)[0])
        }
        return try Crop.crop(input, top: top + i, left: left + j, height: size.height, width: size.width)
    }
}

/// Geometry shared by the crop and flip transforms, for images and `[..., H, W]` tensors.
enum Crop {
    static func size(of input: Sample) throws -> (Int, Int) {
        switch input {
        case .image(let img): return (img.height, img.width)
        case .tensor(let t):
            guard t.dim >= 2 else { throw NNError(.value, "expected a tensor of shape [..., H, W], got \(shapeText(t.shape))") }
            return (t.shape[t.dim - 2], t.shape[t.dim - 1])
        default: throw NNError(.type, "expected an Image or a tensor, got \(input.typeName)")
        }
    }

    /// The window `[top, top+height) × [left, left+width)`; parts outside the input are zero.
    static func crop(_ input: Sample, top: Int, left: Int, height: Int, width: Int) throws -> Sample {
        switch input {
        case .image(let img):
            let c = img.channels
            var out = [UInt8](repeating: 0, count: height * width * c)
            copyWindow(img.pixels, planes: 1, h: img.height, w: img.width, item: c, into: &out,
                       top: top, left: left, height: height, width: width)
            return .image(try Image(width: width, height: height, channels: c, pixels: out))
        case .tensor(let t0):
            let t = try t0.contiguous()
            let h = t.shape[t.dim - 2], w = t.shape[t.dim - 1]
            let planes = t.numel / max(h * w, 1)
            let out = try Tensor.zeros(Array(t.shape.dropLast(2)) + [height, width], dtype: t.dtype)
            let item = t.dtype.itemSize
            let src = UnsafeRawBufferPointer(start: rawPointer(t), count: t.numel * item)
            var bytes = [UInt8](repeating: 0, count: out.numel * item)
            copyWindow(Array(src), planes: planes, h: h, w: w, item: item, into: &bytes,
                       top: top, left: left, height: height, width: width)
            bytes.withUnsafeBytes { _ = memcpy(rawPointer(out), $0.baseAddress!, $0.count) }
            return .tensor(out)
        default:
            throw NNError(.type, "expected an Image or a tensor, got \(input.typeName)")
        }
    }

    private static func copyWindow(_ src: [UInt8], planes: Int, h: Int, w: Int, item: Int, into out: inout [UInt8],
                                   top: Int, left: Int, height: Int, width: Int) {
        let x0 = max(left, 0), x1 = min(left + width, w)
        guard x1 > x0 else { return }
        src.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { d in
                for p in 0..<planes {
                    for y in 0..<height {
                        let sy = top + y
                        guard sy >= 0 && sy < h else { continue }
                        let from = s.baseAddress! + ((p * h + sy) * w + x0) * item
                        let to = d.baseAddress! + ((p * height + y) * width + (x0 - left)) * item
                        memcpy(to, from, (x1 - x0) * item)
                    }
                }
            }
        }
    }

    static func flip(_ input: Sample) throws -> Sample {
        switch input {
        case .image(let img):
            let c = img.channels, w = img.width
            var out = img.pixels
            img.pixels.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { d in
                    for y in 0..<img.height {
                        for x in 0..<w {
                            for k in 0..<c { d[(y * w + x) * c + k] = s[(y * w + (w - 1 - x)) * c + k] }
                        }
                    }
                }
            }
            return .image(try Image(width: w, height: img.height, channels: c, pixels: out))
        case .tensor(let t0):
            guard t0.dim >= 1 else { throw NNError(.value, "cannot flip a 0-d tensor") }
            let t = try t0.contiguous()
            let out = try Tensor.empty(t.shape, dtype: t.dtype)
            let w = t.shape[t.dim - 1], item = t.dtype.itemSize
            let rows = w == 0 ? 0 : t.numel / w
            let s = rawPointer(t), d = rawPointer(out)
            for r in 0..<rows {
                for x in 0..<w { memcpy(d + (r * w + x) * item, s + (r * w + w - 1 - x) * item, item) }
            }
            return .tensor(out)
        default:
            throw NNError(.type, "expected an Image or a tensor, got \(input.typeName)")
        }
    }
}

/// Fast-path helpers for data sets that build whole batches.
public enum Transforms {
    /// When `t` is `ToTensor` or `ToTensor` then `Normalize`, the per-channel (mean, std) that
    /// map a byte `x` to `(x / 255 - mean) / std`; nil for anything else.
    public static func pixelAffine(_ t: Transform, channels: Int) -> (std: [Double], mean: [Double])? {
        var list: [Transform] = [t]
        if let c = t as? Compose { list = c.transforms }
        guard let first = list.first, first is ToTensor else { return nil }
        if list.count == 1 { return ([Double](repeating: 1, count: channels), [Double](repeating: 0, count: channels)) }
        guard list.count == 2, let n = list[1] as? Normalize else { return nil }
        guard (n.mean.count == 1 || n.mean.count == channels) && (n.std.count == 1 || n.std.count == channels) else { return nil }
        return ((0..<channels).map { n.std[n.std.count == 1 ? 0 : $0] }, (0..<channels).map { n.mean[n.mean.count == 1 ? 0 : $0] })
    }
}
