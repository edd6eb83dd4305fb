import Foundation
import XCTest
import SomaTensor

/// Numbers recorded from PyTorch by `generate_reference.py`.
enum Reference {
    struct TensorSpec: Decodable {
        let shape: [Int]
        let values: [Double]
        let dtype: String

        func tensor(requiresGrad: Bool = false) throws -> Tensor {
            let dtype: DType = self.dtype == "int64" ? .int64 : self.dtype == "float64" ? .float64 : .float32
            let t = try Tensor.make(values.map { dtype == .int64 ? .int(Int($0)) : .double($0) }, shape: shape, dtype: dtype)
            if requiresGrad && dtype.isFloatingPoint { try t.requiresGrad() }
            return t
        }
    }

    static func load<T: Decodable>(_ name: String, as: T.Type) throws -> T {
        let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Data")!
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }
}

/// Asserts that two sequences of numbers agree within `atol + rtol * |expected|`.
func assertClose(_ actual: [Double], _ expected: [Double], atol: Double = 1e-5, rtol: Double = 1e-4,
                 _ message: String, file: StaticString = #filePath, line: UInt = #line) {
    guard actual.count == expected.count else {
        XCTFail("\(message): \(actual.count) values, expected \(expected.count)", file: file, line: line)
        return
    }
    for (i, (a, e)) in zip(actual, expected).enumerated() where Swift.abs(a - e) > atol + rtol * Swift.abs(e) || a.isNaN != e.isNaN {
        XCTFail("\(message): element \(i) is \(a), expected \(e)", file: file, line: line)
        return
    }
}
