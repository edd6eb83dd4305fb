import Foundation
import SomaTensor
import CZlib

/// Reading whole files, gunzipping those whose name ends in `.gz` (zlib).
enum FileBytes {
    static func read(_ path: String) throws -> [UInt8] {
        guard let fh = FileHandle(forReadingAtPath: path) else {
            throw NNError(.runtime, "[Errno 2] No such file or directory: '\(path)'")
        }
        defer { try? fh.close() }
        let data: Data
        do {
            data = try fh.readToEnd() ?? Data()
        } catch {
            throw NNError(.runtime, "cannot read '\(path)': \(error.localizedDescription)")
        }
        let bytes = [UInt8](data)
        if path.hasSuffix(".gz") { return try gunzip(bytes, name: path) }
        return bytes
    }

    /// Inflates a gzip stream (one or more members).
    static func gunzip(_ input: [UInt8], name: String) throws -> [UInt8] {
        guard input.count >= 2, input[0] == 0x1f, input[1] == 0x8b else {
            throw NNError(.runtime, "'\(name)' is not a gzip file (it does not start with the gzip magic bytes 1f 8b)")
        }
        var out = [UInt8]()
        out.reserveCapacity(input.count * 4)
        var stream = z_stream()
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw NNError(.runtime, "zlib could not start inflating '\(name)'")
        }
        defer { inflateEnd(&stream) }
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        try input.withUnsafeBufferPointer { inp in
            stream.next_in = UnsafeMutablePointer(mutating: inp.baseAddress)
            stream.avail_in = uInt(inp.count)
            while true {
                let rc: Int32 = buffer.withUnsafeMutableBufferPointer { b in
                    stream.next_out = b.baseAddress
                    stream.avail_out = uInt(chunk)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                out.append(contentsOf: buffer[0..<(chunk - Int(stream.avail_out))])
                if rc == Z_STREAM_END {
                    // Another gzip member may follow (concatenated .gz files).
                    if stream.avail_in > 0 && stream.next_in[0] == 0x1f {
                        guard inflateReset(&stream) == Z_OK else { break }
                        continue
                    }
                    break
                }
                if rc == Z_BUF_ERROR && stream.avail_in == 0 {
                    throw NNError(.runtime, "'\(name)' is truncated: the gzip stream ends early (\(inp.count) compressed bytes, \(out.count) inflated)")
                }
                guard rc == Z_OK else {
                    let why = stream.msg.map { String(cString: $0) } ?? "error \(rc)"
                    throw NNError(.runtime, "'\(name)' is a corrupt gzip file: \(why)")
                }
            }
        }
        return out
    }
}

/// An IDX file (LeCun's MNIST format): big-endian magic `0 0 type ndim`, `ndim` big-endian
/// sizes, then the unsigned-byte values.
struct IDXFile {
    let dims: [Int]
    let bytes: [UInt8]
    let offset: Int

    init(path: String, expectedDims: Int) throws {
        bytes = try FileBytes.read(path)
        guard bytes.count >= 4 else {
            throw NNError(.runtime, "'\(path)' is not an IDX file: only \(bytes.count) bytes")
        }
        let ndim = Int(bytes[3])
        guard bytes[0] == 0, bytes[1] == 0, bytes[2] == 0x08 else {
            let magic = bytes[0..<4].map { String(format: "%02x", $0) }.joined()
            throw NNError(.runtime,
                "'\(path)' is not an IDX file of unsigned bytes: magic number 0x\(magic), expected 0x0000080\(expectedDims)")
        }
        guard ndim == expectedDims else {
            throw NNError(.runtime, "'\(path)' has \(ndim) dimensions (magic 0x0000080\(ndim)), expected \(expectedDims) (magic 0x0000080\(expectedDims))")
        }
        guard bytes.count >= 4 + 4 * ndim else {
            throw NNError(.runtime, "'\(path)' is truncated: the header needs \(4 + 4 * ndim) bytes, the file has \(bytes.count)")
        }
        var dims: [Int] = []
        for k in 0..<ndim {
            let p = 4 + 4 * k
            dims.append(Int(bytes[p]) << 24 | Int(bytes[p + 1]) << 16 | Int(bytes[p + 2]) << 8 | Int(bytes[p + 3]))
        }
        self.dims = dims
        offset = 4 + 4 * ndim
        let need = dims.reduce(1, *)
        guard bytes.count - offset >= need else {
            throw NNError(.runtime,
                "'\(path)' is truncated: the header promises \(dims.map(String.init).joined(separator: "x")) = \(need) bytes of data, the file has \(bytes.count - offset)")
        }
    }
}

/// MNIST-format image data sets (`torchvision.datasets.MNIST`): IDX files, plain or `.gz`,
/// read from `root` (the files directly in `root`, or in `root/MNIST/raw` as torchvision
/// stores them). Nothing is downloaded.
///
/// `data` is an int64 tensor `[N, 28, 28]` holding the byte values 0...255 (Soma has no
/// uint8 dtype), built on first use; the raw bytes stay in `pixels`. `dataset[i]` is
/// `(image, label)` with a grayscale `Image` when there is no transform, like torchvision's
/// PIL image.
open class MNIST: Dataset, CustomStringConvertible {
    public let root: String
    public let train: Bool
    public let transform: Transform?
    public let targetTransform: Transform?
    /// Image bytes, `count × rows × cols`.
    public let pixels: [UInt8]
    public let rows: Int
    public let cols: Int
    /// Labels (int64, `[N]`).
    public let targets: Tensor
    private let labels: [Int]

    /// torchvision's class names for MNIST.
    open class var classNames: [String] {
        ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine"]
    }
    /// Folder name torchvision uses under root (`root/MNIST/raw`).
    open class var folderName: String { "MNIST" }
    /// Where `root` defaults to.
    open class var defaultRoot: String { "." }
    /// How to get the files, for the missing-file error.
    open class var howToGet: String {
        "copy train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (plain or .gz) there; Soma downloads nothing"
    }

    public var classes: [String] { Self.classNames }
    public var classToIdx: [String: Int] {
        Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
    }

    public required init(root: String? = nil, train: Bool = true, transform: Transform? = nil, targetTransform: Transform? = nil) throws {
        let root = root ?? Self.defaultRoot
        self.root = root
        self.train = train
        self.transform = transform
        self.targetTransform = targetTransform
        let prefix = train ? "train" : "t10k"
        let imagesPath = try Self.locate(root: root, name: "\(prefix)-images-idx3-ubyte")
        let labelsPath = try Self.locate(root: root, name: "\(prefix)-labels-idx1-ubyte")
        let images = try IDXFile(path: imagesPath, expectedDims: 3)
        let labelFile = try IDXFile(path: labelsPath, expectedDims: 1)
        guard images.dims[0] == labelFile.dims[0] else {
            throw NNError(.runtime, "'\(imagesPath)' has \(images.dims[0]) images but '\(labelsPath)' has \(labelFile.dims[0]) labels")
        }
        let n = images.dims[0]
        rows = images.dims[1]
        cols = images.dims[2]
        pixels = Array(images.bytes[images.offset..<images.offset + n * rows * cols])
        labels = labelFile.bytes[labelFile.offset..<labelFile.offset + n].map { Int($0) }
        targets = try Tensor.empty([n], dtype: .int64)
        let t = targets.unsafeData(as: Int64.self)
        for i in 0..<n { t[i] = Int64(labels[i]) }
        super.init()
    }

    /// The path of `name` or `name.gz` in `root` or `root/<Folder>/raw`.
    static func locate(root: String, name: String) throws -> String {
        let dirs = [root, (root as NSString).appendingPathComponent("\(folderName)/raw")]
        for d in dirs {
            for n in [name, name + ".gz"] {
                let p = (d as NSString).appendingPathComponent(n)
                if FileManager.default.fileExists(atPath: p) { return p }
            }
        }
        let tried = (root as NSString).appendingPathComponent(name)
        throw NNError(.runtime,
            "\(Self.self) data not found: no file '\(tried)' or '\(tried).gz' (nor in '\(dirs[1])'). To get it, \(howToGet).")
    }

    private var dataCache: Tensor?

    /// Pixel values as an int64 tensor `[N, rows, cols]` (torchvision's uint8 `data`), built
    /// on first use (8 bytes per pixel: 376 MB for the 60,000 training images).
    public var data: Tensor {
        get throws {
            if let d = dataCache { return d }
            let t = try Tensor.empty([labels.count, rows, cols], dtype: .int64)
            let p = t.unsafeData(as: Int64.self)
            pixels.withUnsafeBufferPointer { s in
                for i in 0..<s.count { p[i] = Int64(s[i]) }
            }
            dataCache = t
            return t
        }
    }

    public override var count: Int { labels.count }

    /// torchvision's text form (`Dataset FashionMNIST\n    Number of datapoints: ...`).
    public var description: String {
        visionDatasetDescription("\(type(of: self))", count: labels.count, root: root, extra: ["Split: \(train ? "Train" : "Test")"],
                                 transform: transform, targetTransform: targetTransform)
    }

    /// Image `index` without transforms.
    public func image(at index: Int) -> Image {
        let n = rows * cols
        return try! Image(width: cols, height: rows, channels: 1, pixels: Array(pixels[index * n..<(index + 1) * n]))
    }

    public override func item(at index: Int) throws -> Sample {
        var img = Sample.image(image(at: index))
        var target = Sample.int(labels[index])
        if let t = transform { img = try t.apply(img) }
        if let t = targetTransform { target = try t.apply(target) }
        return .tuple([img, target])
    }

    /// Builds `(images [B,1,rows,cols] float32, labels [B] int64)` in one pass when the
    /// transform is `ToTensor` optionally followed by `Normalize` (no target transform).
    public override func batch(at indices: [Int]) throws -> Sample? {
        guard targetTransform == nil, let t = transform, let (scale, shift) = Transforms.pixelAffine(t, channels: 1) else {
            return nil
        }
        let n = rows * cols
        let x = try Tensor.empty([indices.count, 1, rows, cols], dtype: .float32)
        let y = try Tensor.empty([indices.count], dtype: .int64)
        let xp = x.unsafeData(as: Float.self), yp = y.unsafeData(as: Int64.self)
        // Every byte maps through the same float32 arithmetic as ToTensor then Normalize.
        let a = Float(scale[0]), b = Float(shift[0])
        let table = (0..<256).map { (Float($0) / 255 - b) / a }
        try table.withUnsafeBufferPointer { lut in
            try pixels.withUnsafeBufferPointer { s in
                for (k, i) in indices.enumerated() {
                    guard i >= 0 && i < labels.count else { throw NNError(.index, "index \(i) is out of range") }
                    let src = s.baseAddress! + i * n, dst = xp + k * n
                    for j in 0..<n { dst[j] = lut[Int(src[j])] }
                    yp[k] = Int64(labels[i])
                }
            }
        }
        return .tuple([.tensor(x), .tensor(y)])
    }
}

/// Fashion-MNIST (`torchvision.datasets.FashionMNIST`); the default root is where Debian's
/// `dataset-fashion-mnist` package puts the files.
public final class FashionMNIST: MNIST {
    public override class var classNames: [String] {
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
    }
    public override class var folderName: String { "FashionMNIST" }
    public override class var defaultRoot: String { "/usr/share/datasets/fashion-mnist" }
    public override class var howToGet: String {
        "install Debian's package with `apt-get install dataset-fashion-mnist` (it puts the files in /usr/share/datasets/fashion-mnist), or copy train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz there or into the root you pass; Soma downloads nothing"
    }
}
