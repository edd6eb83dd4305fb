import Foundation
import SomaTensor
import CPNG
import CJPEG

/// An 8-bit image as data sets hand it out before `ToTensor` (what PIL gives in torchvision):
/// `height × width × channels` bytes, row-major, channels interleaved.
public struct Image {
    public let width: Int
    public let height: Int
    /// 1 (mode "L"), 3 ("RGB") or 4 ("RGBA").
    public let channels: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) throws {
        guard [1, 3, 4].contains(channels) else {
            throw NNError(.value, "an image has 1, 3 or 4 channels, not \(channels)")
        }
        guard width >= 0, height >= 0, pixels.count == width * height * channels else {
            throw NNError(.value, "image of \(width)x\(height)x\(channels) needs \(width * height * channels) bytes, got \(pixels.count)")
        }
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// PIL's mode name.
    public var mode: String { channels == 1 ? "L" : channels == 3 ? "RGB" : "RGBA" }

    /// PIL's `size`: (width, height).
    public var size: (width: Int, height: Int) { (width, height) }

    /// The image as 3-channel RGB (PIL's `convert("RGB")`: grey repeated, alpha dropped).
    public func rgb() -> Image {
        if channels == 3 { return self }
        var out = [UInt8](repeating: 0, count: width * height * 3)
        let n = width * height
        pixels.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { d in
                for i in 0..<n {
                    if channels == 1 {
                        let v = s[i]
                        d[3 * i] = v; d[3 * i + 1] = v; d[3 * i + 2] = v
                    } else {
                        d[3 * i] = s[4 * i]; d[3 * i + 1] = s[4 * i + 1]; d[3 * i + 2] = s[4 * i + 2]
                    }
                }
            }
        }
        return try! Image(width: width, height: height, channels: 3, pixels: out)
    }

    /// Reads a PNG or JPEG file (chosen by its first bytes), decoded by libpng / libjpeg-turbo.
    /// Errors name the file and what is wrong with it.
    public static func load(_ path: String) throws -> Image {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NNError(.runtime, "[Errno 2] No such file or directory: '\(path)'")
        }
        return try decode(data, name: path)
    }

    /// Decodes PNG or JPEG bytes; `name` goes into error messages.
    public static func decode(_ data: Data, name: String = "<bytes>") throws -> Image {
        let bytes = [UInt8](data)
        if bytes.count >= 8 && bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            return try decodePNG(bytes, name: name)
        }
        if bytes.count >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF {
            return try decodeJPEG(bytes, name: name)
        }
        throw NNError(.runtime, "cannot identify image file '\(name)': not a PNG or JPEG file (\(bytes.count) bytes)")
    }

    static func decodePNG(_ bytes: [UInt8], name: String) throws -> Image {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let ok = bytes.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard ok != 0 else { throw pngError(&image, name) }
        let hasColor = image.format & UInt32(PNG_FORMAT_FLAG_COLOR) != 0
        let hasAlpha = image.format & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0
        let channels = hasAlpha ? 4 : hasColor ? 3 : 1
        image.format = hasAlpha ? UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA) : hasColor ? UInt32(PNG_FORMAT_RGB) : UInt32(PNG_FORMAT_GRAY)
        let width = Int(image.width), height = Int(image.height)
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        let done = bytes.withUnsafeBytes { _ in
            pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        }
        guard done != 0 else { throw pngError(&image, name) }
        return try Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    private static func pngError(_ image: inout png_image, _ name: String) -> NNError {
        let message = withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        png_image_free(&image)
        return NNError(.runtime, "cannot decode PNG image '\(name)': \(message)")
    }

    static func decodeJPEG(_ bytes: [UInt8], name: String) throws -> Image {
        var out: UnsafeMutablePointer<UInt8>?
        var w: Int32 = 0, h: Int32 = 0, c: Int32 = 0
        var err = [CChar](repeating: 0, count: 256)
        let rc = bytes.withUnsafeBufferPointer { b in
            soma_jpeg_decode(b.baseAddress, b.count, &out, &w, &h, &c, &err, err.count)
        }
        guard rc == 0, let p = out else {
            let message = String(decoding: err.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw NNError(.runtime, "cannot decode JPEG image '\(name)': \(message)")
        }
        defer { free(p) }
        let n = Int(w) * Int(h) * Int(c)
        return try Image(width: Int(w), height: Int(h), channels: Int(c), pixels: Array(UnsafeBufferPointer(start: p, count: n)))
    }

    /// The image as PNG bytes (libpng).
    public func pngData() throws -> Data {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = channels == 1 ? UInt32(PNG_FORMAT_GRAY) : channels == 3 ? UInt32(PNG_FORMAT_RGB) : UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)
        var size = 0
        let stride = Int32(width * channels)
        var ok = pixels.withUnsafeBytes { png_image_write_to_memory(&image, nil, &size, 0, $0.baseAddress, stride, nil) }
        guard ok != 0 else { throw Image.pngError(&image, "<encoding>") }
        var out = Data(count: size)
        ok = out.withUnsafeMutableBytes { d in
            pixels.withUnsafeBytes { png_image_write_to_memory(&image, d.baseAddress, &size, 0, $0.baseAddress, stride, nil) }
        }
        guard ok != 0 else { throw Image.pngError(&image, "<encoding>") }
        return out.prefix(size)
    }

    /// The image as baseline JPEG bytes (libjpeg-turbo); alpha is dropped.
    public func jpegData(quality: Int = 95) throws -> Data {
        let src = channels == 4 ? rgb() : self
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        var err = [CChar](repeating: 0, count: 256)
        let rc = src.pixels.withUnsafeBufferPointer { p in
            soma_jpeg_encode(p.baseAddress, Int32(width), Int32(height), Int32(src.channels), Int32(quality), &out, &size, &err, err.count)
        }
        guard rc == 0, let p = out else {
            throw NNError(.runtime, "cannot encode JPEG: " + String(decoding: err.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        defer { free(p) }
        return Data(bytes: p, count: size)
    }

    /// Writes the image as PNG or JPEG, chosen by the file extension (`Image.save`). Unlike PIL it creates missing
    /// parent folders, so a program can write an image folder (`root/train/cat/0.png`) without an `os` module.
    public func save(_ path: String) throws {
        let ext = (path as NSString).pathExtension.lowercased()
        let data: Data
        switch ext {
        case "png": data = try pngData()
        case "jpg", "jpeg": data = try jpegData()
        default: throw NNError(.value, "unknown file extension: .\(ext) (Soma writes .png, .jpg and .jpeg)")
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw NNError(.runtime, "cannot write image file '\(path)'")
        }
    }
}
