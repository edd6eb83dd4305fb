import Foundation
import SomaTensor
import CZlib

/// Reading whole files, gunzipping those whose name ends in `.gz` (zlib).
enum FileBytes {
    static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            if errno == ENOENT { throw NNError(.runtime, "[Errno 2] No such file or directory: '\(path)'") }
            throw NNError(.runtime, "cannot read '\(path)': \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw NNError(.runtime, "cannot read '\(path)': \(String(cString: strerror(errno)))") }
        let size = Int(st.st_size)
        if path.hasSuffix(".gz") {
            // Streamed in 1 MiB pieces: only the inflated bytes stay in memory.
            var trailer = [UInt8](repeating: 0, count: 4)
            let expected = size >= 18 && pread(fd, &trailer, 4, off_t(size - 4)) == 4
                ? Int(trailer[0]) | Int(trailer[1]) << 8 | Int(trailer[2]) << 16 | Int(trailer[3]) << 24 : 0
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            var offset = 0
            return try gunzip(name: path, compressedSize: size, expectedSize: expected) { use in
                let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
                guard n >= 0 else { throw NNError(.runtime, "cannot read '\(path)': \(String(cString: strerror(errno)))") }
                offset += n
                try chunk.withUnsafeBufferPointer { try use(UnsafeBufferPointer(rebasing: $0[0..<n])) }
            }
        }
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, size - done, off_t(done)) }
            guard n > 0 else { throw NNError(.runtime, "cannot read '\(path)': \(n < 0 ? String(cString: strerror(errno)) : "short read")") }
            done += n
        }
        return bytes
    }

    /// Inflates gzip bytes held in memory (one or more members).
    static func gunzip(_ input: UnsafeBufferPointer<UInt8>, name: String) throws -> [UInt8] {
        var expected = 0
        if input.count >= 18 {
            let t = input.count - 4
            expected = Int(input[t]) | Int(input[t + 1]) << 8 | Int(input[t + 2]) << 16 | Int(input[t + 3]) << 24
        }
        var given = false
        return try gunzip(name: name, compressedSize: input.count, expectedSize: expected) { use in
            if given { try use(UnsafeBufferPointer(start: input.baseAddress, count: 0)) } else {
                given = true
                try use(input)
            }
        }
    }

    /// Inflates a gzip stream that `next` hands over piece by piece (an empty piece: the end).
    /// `expectedSize` (the trailer's size) sizes the output once; it grows if that was short.
    static func gunzip(name: String, compressedSize: Int, expectedSize: Int,
                       next: ((UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Void) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: max(expectedSize, 1 << 16))
        var produced = 0
        var stream = z_stream()
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw NNError(.runtime, "zlib could not start inflating '\(name)'")
        }
        defer { inflateEnd(&stream) }
        var first = true, finished = false, inputEnded = false
        while !finished && !inputEnded {
            try next { piece in
                if first {
                    first = false
                    guard piece.count >= 2, piece[0] == 0x1f, piece[1] == 0x8b else {
                        throw NNError(.runtime, "'\(name)' is not a gzip file (it does not start with the gzip magic bytes 1f 8b)")
                    }
                }
                if piece.isEmpty { inputEnded = true; return }
                stream.next_in = UnsafeMutablePointer(mutating: piece.baseAddress)
                stream.avail_in = uInt(piece.count)
                while stream.avail_in > 0 || produced == out.count {
                    if produced == out.count { out += [UInt8](repeating: 0, count: max(out.count / 4, 1 << 16)) }
                    let room = min(out.count - produced, Int(UInt32.max))
                    let rc: Int32 = out.withUnsafeMutableBufferPointer { b in
                        stream.next_out = b.baseAddress! + produced
                        stream.avail_out = uInt(room)
                        return inflate(&stream, Z_NO_FLUSH)
                    }
                    produced += room - Int(stream.avail_out)
                    if rc == Z_STREAM_END {
                        // Another gzip member may follow (concatenated .gz files).
                        if stream.avail_in > 0 && stream.next_in[0] == 0x1f {
                            guard inflateReset(&stream) == Z_OK else { finished = true; return }
                            continue
                        }
                        finished = true
                        return
                    }
                    if rc == Z_OK || rc == Z_BUF_ERROR { 
                        if stream.avail_in == 0 && produced < out.count { break }
                        continue
                    }
                    let why = stream.msg.map { String(cString: $0) } ?? "error \(rc)"
                    throw NNError(.runtime, "'\(name)' is a corrupt gzip file: \(why)")
                }
            }
        }
        if first { throw NNError(.runtime, "'\(name)' is not a gzip file: it is empty") }
        guard finished else {
            throw NNError(.runtime, "'\(name)' is truncated: the gzip stream ends early (\(compressedSize) compressed bytes, \(produced) inflated)")
        }
        if produced < out.count { out.removeLast(out.count - produced) }
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
    /// The images file's bytes (header included) and where the pixels start in them.
    private let storage: [UInt8]
    private let pixelStart: Int
    /// Image bytes, `count × rows × cols` (a slice of the file's bytes, not a copy; its
    /// indices start at the header's length).
    public var pixels: ArraySlice<UInt8> { storage[pixelStart..<pixelStart + labels.count * rows * cols] }
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
        storage = images.bytes
        pixelStart = images.offset
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
        let start = pixelStart + index * n
        return try! Image(width: cols, height: rows, channels: 1, pixels: Array(storage[start..<start + n]))
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
