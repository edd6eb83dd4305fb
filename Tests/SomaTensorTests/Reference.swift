import Foundation
import XCTest
@testable import SomaTensor

/// Numbers recorded from PyTorch by `generate_reference.py`.
enum Reference {
    struct TensorSpec: Decodable {
        let shape: [Int]
        let values: [JSONNumber]
        let dtype: String
        let requires_grad: Bool

        var dtypeValue: DType {
            switch dtype {
            case "bool": return .bool
            case "int64": return .int64
            case "float64": return .float64
            default: return .float32
            }
        }

        /// The recorded tensor, optionally converted to float64 for finite differences.
        func tensor(float64: Bool = false) throws -> Tensor {
            var dtype = dtypeValue
            if float64 && dtype == .float32 { dtype = .float64 }
            let t = try Tensor.make(values.map(\.scalar), shape: shape, dtype: dtype)
            if requires_grad { try t.requiresGrad() }
            return t
        }
    }

    /// A JSON number or bool, kept as the Python value it was.
    struct JSONNumber: Decodable {
        let scalar: Scalar
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) {
                scalar = .bool(b)
            } else if let i = try? c.decode(Int.self) {
                scalar = .int(i)
            } else if let text = try? c.decode(String.self), let special = Double(text) {
                scalar = .double(special)
            } else {
                scalar = .double(try c.decode(Double.self))
            }
        }
        var double: Double { scalar.double }
    }

    struct OpCase: Decodable {
        let inputs: [TensorSpec]
        let output: TensorSpec
        let upstream: [JSONNumber]
        let grads: [[JSONNumber]?]
    }

    struct FormatCase: Decodable {
        let text: String
        let spec: TensorSpec
        let requires_grad: Bool
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
    for (i, (a, e)) in zip(actual, expected).enumerated() {
        if a.isNaN && e.isNaN { continue }
        if Swift.abs(a - e) > atol + rtol * Swift.abs(e) || a.isNaN != e.isNaN {
            XCTFail("\(message): element \(i) is \(a), expected \(e)", file: file, line: line)
            return
        }
    }
}

/// Asserts that `body` throws a TensorError of `kind` whose message is `message`.
func assertTensorError(_ kind: TensorError.Kind, _ message: String, file: StaticString = #filePath, line: UInt = #line,
                       _ body: () throws -> Any) {
    do {
        _ = try body()
        XCTFail("expected \(kind.rawValue): \(message)", file: file, line: line)
    } catch let e as TensorError {
        XCTAssertEqual(e.kind, kind, file: file, line: line)
        XCTAssertEqual(e.message, message, file: file, line: line)
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
}
