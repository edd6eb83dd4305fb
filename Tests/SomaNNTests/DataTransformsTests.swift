import Foundation
import XCTest
import SomaTensor
@testable import SomaNN

final class DataTransformsTests: XCTestCase {
    func testToTensorIsCHWOver255() throws {
        // 2 rows × 3 columns, RGB.
        let px: [UInt8] = [0, 10, 20, 30, 40, 50, 60, 70, 80,
                           255, 1, 2, 3, 4, 5, 6, 7, 8]
        let img = try Image(width: 3, height: 2, channels: 3, pixels: px)
        let t = try ToTensor().apply(.image(img)).tensor!
        XCTAssertEqual(t.shape, [3, 2, 3])
        XCTAssertEqual(t.dtype, .float32)
        let red = try t.select(0, 0).doubles()
        XCTAssertEqual(red.map { Float($0) }, [0, 30, 60, 255, 3, 6].map { Float($0) / 255 })
        let blue = try t.select(0, 2).doubles()
        XCTAssertEqual(blue.map { Float($0) }, [20, 50, 80, 2, 5, 8].map { Float($0) / 255 })
        // Tensors pass through.
        let x = try Tensor.ones([1, 2, 2])
        XCTAssertTrue(try ToTensor().apply(.tensor(x)).tensor! === x)
    }

    func testToPILImageIsHWCBytesAndRoundTripsThroughToTensor() throws {
        // 3 channels × 1 row × 2 columns; values clamped to [0, 1], then ×255 truncated as torchvision's mul(255).byte().
        let x = try Tensor.make([0, 1, 0.5, -0.2, 1.5, 0.999], shape: [3, 1, 2])
        guard case .image(let img) = try ToPILImage().apply(.tensor(x)) else { return XCTFail("not an image") }
        XCTAssertEqual([img.width, img.height, img.channels], [2, 1, 3])
        XCTAssertEqual(img.pixels, [0, 127, 255, 255, 0, 254])
        XCTAssertEqual(try ToTensor().apply(.image(img)).tensor!.shape, [3, 1, 2])
        guard case .image(let grey) = try ToPILImage().apply(.tensor(try Tensor.make([0, 1], shape: [1, 2]))) else { return XCTFail() }
        XCTAssertEqual(grey.channels, 1)
        XCTAssertThrowsError(try ToPILImage().apply(.tensor(try Tensor.zeros([2, 2, 2]))))
    }

    func testNormalizePerChannel() throws {
        let x = try Tensor.make([0, 0.5, 1, 0.25, 0.2, 0.4, 0.6, 0.8], shape: [2, 2, 2])
        let y = try Normalize(mean: [0.5, 0.2], std: [0.5, 0.1]).apply(x)
        let expected: [Float] = [(0 - 0.5) / 0.5, (0.5 - 0.5) / 0.5, (1 - 0.5) / 0.5, (0.25 - 0.5) / 0.5,
                                 (0.2 - 0.2) / 0.1, (0.4 - 0.2) / 0.1, (0.6 - 0.2) / 0.1, (0.8 - 0.2) / 0.1]
        XCTAssertEqual(y.doubles().map { Float($0) }, expected)
        XCTAssertThrowsError(try Normalize(mean: [0], std: [0])) { e in
            XCTAssertTrue((e as? NNError)?.message.contains("division by zero") ?? false)
        }
        XCTAssertThrowsError(try Normalize(mean: [0], std: [1]).apply(try Tensor.zeros([1, 2, 2], dtype: .int64))) { e in
            XCTAssertEqual((e as? NNError)?.message, "Input tensor should be a float tensor. Got torch.int64.")
        }
        XCTAssertThrowsError(try Normalize(mean: [0, 0, 0], std: [1, 1, 1]).apply(try Tensor.zeros([2, 2, 2])))
    }

    func testResizeMatchesTorchAntialiasedBilinear() throws {
        let ref = DataReference.object("resize") as! [String: Any]
        let input = try Tensor.make(DataReference.doubles(ref["input"]!), shape: DataReference.ints(ref["shape"]!))
        for c in ref["cases"] as! [[String: Any]] {
            let size = DataReference.ints(c["size"]!)
            let y = try Resize(size).apply(input)
            XCTAssertEqual(y.shape, [3] + size)
            XCTAssertEqual(y.dtype, .float32)
            for (a, b) in zip(y.doubles(), DataReference.doubles(c["output"]!)) { XCTAssertEqual(a, b, accuracy: 2e-6, "\(size)") }
        }
        let int5 = ref["int5"] as! [String: Any]
        let y = try Resize(5).apply(input)
        XCTAssertEqual(y.shape, DataReference.ints(int5["shape"]!))
        for (a, b) in zip(y.doubles(), DataReference.doubles(int5["output"]!)) { XCTAssertEqual(a, b, accuracy: 2e-6) }
    }

    func testResizeImageEqualsPIL() throws {
        let url = Bundle.module.url(forResource: "data_pil", withExtension: "json", subdirectory: "Data")!
        let ref = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let cases = ref["cases"] as! [[String: Any]]
        XCTAssertEqual(cases.count, 24)
        for c in cases {
            let w = (c["width"] as! NSNumber).intValue, h = (c["height"] as! NSNumber).intValue
            let channels = c["mode"] as! String == "L" ? 1 : 3
            let size = DataReference.ints(c["size"]!)
            let img = try Image(width: w, height: h, channels: channels,
                                pixels: (0..<(w * h * channels)).map { UInt8(($0 * 37 + 11) % 256) })
            guard case .image(let r) = try Resize(size).apply(.image(img)) else { return XCTFail() }
            XCTAssertEqual([r.height, r.width, r.channels], size + [channels])
            XCTAssertEqual(r.pixels.map(Int.init), DataReference.ints(c["pixels"]!), "\(c["mode"]!) \(w)x\(h) -> \(size)")
        }
    }

    func testCenterCropHandComputed() throws {
        let x = try Tensor.arange(.int(0), .int(30), dtype: .float32).reshape([1, 5, 6])
        // top = round((5-3)/2) = 1, left = round(3/2) = 2 (half to even).
        XCTAssertEqual(try CenterCrop(3).apply(x).doubles(), [8, 9, 10, 14, 15, 16, 20, 21, 22])
        // top = round(0.5) = 0, left = round(1.0) = 1.
        XCTAssertEqual(try CenterCrop([4, 4]).apply(x).doubles(),
                       [1, 2, 3, 4, 7, 8, 9, 10, 13, 14, 15, 16, 19, 20, 21, 22])
        // Larger than the image: zero padding of (7-5)//2 = 1 on top and (8-6)//2 = 1 on the left.
        let big = try CenterCrop([7, 8]).apply(x)
        XCTAssertEqual(big.shape, [1, 7, 8])
        XCTAssertEqual(try big.select(1, 0).doubles(), [Double](repeating: 0, count: 8))
        XCTAssertEqual(try big.select(1, 1).doubles(), [0, 0, 1, 2, 3, 4, 5, 0])
        // On an image.
        let img = try Image(width: 6, height: 5, channels: 1, pixels: (0..<30).map(UInt8.init))
        guard case .image(let c) = try CenterCrop(3).apply(.image(img)) else { return XCTFail() }
        XCTAssertEqual(c.pixels, [8, 9, 10, 14, 15, 16, 20, 21, 22])
    }

    func testRandomHorizontalFlipDrawsLikeTorchvision() throws {
        let draws = DataReference.doubles(DataReference.object("flip_draws"))
        let x = try Tensor.make([1, 2, 3], shape: [1, 1, 3])
        manualSeed(0)
        let flip = RandomHorizontalFlip()
        for d in draws {
            let y = try flip.apply(x)
            XCTAssertEqual(y.doubles(), d < 0.5 ? [3, 2, 1] : [1, 2, 3])
        }
        let img = try Image(width: 2, height: 1, channels: 3, pixels: [1, 2, 3, 4, 5, 6])
        guard case .image(let f) = try RandomHorizontalFlip(p: 1).apply(.image(img)) else { return XCTFail() }
        XCTAssertEqual(f.pixels, [4, 5, 6, 1, 2, 3])
    }

    func testRandomCropDrawsLikeTorchvision() throws {
        let draws = (DataReference.object("crop_draws") as! [Any]).map(DataReference.ints)
        let x = try Tensor.arange(.int(1), .int(73), dtype: .float32).reshape([1, 8, 9])
        let padded = try CenterCrop([12, 13]).apply(x)  // 2 zeros on each side
        manualSeed(0)
        let crop = try RandomCrop([6, 5], padding: [2])
        for d in draws {
            let y = try crop.apply(x)
            let expected = try padded.slice(1, start: d[0], end: d[0] + 6).slice(2, start: d[1], end: d[1] + 5)
            XCTAssertTrue(y.equal(try expected.contiguous()), "\(d)")
        }
        XCTAssertThrowsError(try RandomCrop([20, 20]).apply(x))
    }

    func testComposeAndLambda() throws {
        let t = Compose([ToTensor(), Lambda { s in .tensor(try s.tensor! * 2) }])
        let img = try Image(width: 1, height: 1, channels: 1, pixels: [51])
        XCTAssertEqual(try t.apply(.image(img)).tensor!.doubles().map { Float($0) }, [Float(51) / 255 * 2])
        XCTAssertEqual(t.description, "Compose(\n    ToTensor()\n    Lambda()\n)")
        XCTAssertEqual(try Resize([4, 5]).description, "Resize(size=(4, 5), interpolation=bilinear, max_size=None, antialias=True)")
        XCTAssertEqual(try CenterCrop(3).description, "CenterCrop(size=(3, 3))")
        XCTAssertEqual(try RandomCrop(32, padding: 4).description, "RandomCrop(size=(32, 32), padding=4)")
        XCTAssertEqual(RandomHorizontalFlip().description, "RandomHorizontalFlip(p=0.5)")
    }
}
