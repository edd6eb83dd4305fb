import CNumerics
import Foundation

/// A Python number outside a tensor (`item()`, `tolist()`, scalar operands).
public enum Scalar: Equatable, Sendable {
    case bool(Bool), int(Int), double(Double)

    /// The value as a Double.
    public var double: Double {
        switch self {
        case .bool(let b): return b ? 1 : 0
        case .int(let i): return Double(i)
        case .double(let d): return d
        }
    }

    /// The dtype this number has when wrapped as a tensor.
    var dtype: DType {
        switch self {
        case .bool: return .bool
        case .int: return .int64
        case .double: return .float64
        }
    }
}

/// Any element type: convertible through Double (exact for every value Soma stores but huge int64s).
protocol Element {
    static var dtype: DType { get }
    init(fromDouble d: Double)
    var asDouble: Double { get }
}

extension Bool: Element {
    static var dtype: DType { .bool }
    init(fromDouble d: Double) { self = d != 0 }
    var asDouble: Double { self ? 1 : 0 }
}

/// Element types that arithmetic kernels are specialised for (Float, Double, Int64).
protocol NumericElement: Element, Comparable {
    static var zero: Self { get }
    static var one: Self { get }
    static func add(_ a: Self, _ b: Self) -> Self
    static func sub(_ a: Self, _ b: Self) -> Self
    static func mul(_ a: Self, _ b: Self) -> Self
    static func div(_ a: Self, _ b: Self) -> Self
    static func floorDiv(_ a: Self, _ b: Self) -> Self
    static func remainder(_ a: Self, _ b: Self) -> Self
    static func power(_ a: Self, _ b: Self) -> Self
    static func magnitude(_ a: Self) -> Self
}

/// Float and Double as kernels over raw memory use them, here and in SomaNN's optimizers.
public protocol TensorFloat: BinaryFloatingPoint {
    /// The square root, in a form loops vectorise (`squareRoot()` does not on Linux: see CNumerics).
    static func sqrt(_ x: Self) -> Self
}

extension Float: TensorFloat {
    @inlinable @inline(__always) public static func sqrt(_ x: Float) -> Float { soma_sqrtf(x) }
}

extension Double: TensorFloat {
    @inlinable @inline(__always) public static func sqrt(_ x: Double) -> Double { soma_sqrt(x) }
}

/// Floating element types, with the transcendental functions kernels need.
protocol FloatElement: NumericElement, TensorFloat {
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func sin(_ x: Self) -> Self
    static func cos(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
    static func erf(_ x: Self) -> Self
    static func log1p(_ x: Self) -> Self
}

extension NumericElement where Self: BinaryFloatingPoint {
    static var zero: Self { 0 }
    static var one: Self { 1 }
    @inline(__always) static func add(_ a: Self, _ b: Self) -> Self { a + b }
    @inline(__always) static func sub(_ a: Self, _ b: Self) -> Self { a - b }
    @inline(__always) static func mul(_ a: Self, _ b: Self) -> Self { a * b }
    @inline(__always) static func div(_ a: Self, _ b: Self) -> Self { a / b }
    @inline(__always) static func floorDiv(_ a: Self, _ b: Self) -> Self { (a / b).rounded(.down) }
    @inline(__always) static func remainder(_ a: Self, _ b: Self) -> Self {
        var m = a.truncatingRemainder(dividingBy: b)
        if m != 0 && ((b < 0) != (m < 0)) { m += b }
        return m
    }
    @inline(__always) static func magnitude(_ a: Self) -> Self { Swift.abs(a) }
}

extension Float: FloatElement {
    static var dtype: DType { .float32 }
    init(fromDouble d: Double) { self = Float(d) }
    var asDouble: Double { Double(self) }
    @inline(__always) static func power(_ a: Float, _ b: Float) -> Float { powf(a, b) }
    @inline(__always) static func exp(_ x: Float) -> Float { expf(x) }
    @inline(__always) static func log(_ x: Float) -> Float { logf(x) }
    @inline(__always) static func sin(_ x: Float) -> Float { sinf(x) }
    @inline(__always) static func cos(_ x: Float) -> Float { cosf(x) }
    @inline(__always) static func tanh(_ x: Float) -> Float { tanhf(x) }
    @inline(__always) static func erf(_ x: Float) -> Float { erff(x) }
    @inline(__always) static func log1p(_ x: Float) -> Float { log1pf(x) }
}

extension Double: FloatElement {
    static var dtype: DType { .float64 }
    init(fromDouble d: Double) { self = d }
    var asDouble: Double { self }
    @inline(__always) static func power(_ a: Double, _ b: Double) -> Double { Foundation.pow(a, b) }
    @inline(__always) static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    @inline(__always) static func log(_ x: Double) -> Double { Foundation.log(x) }
    @inline(__always) static func sin(_ x: Double) -> Double { Foundation.sin(x) }
    @inline(__always) static func cos(_ x: Double) -> Double { Foundation.cos(x) }
    @inline(__always) static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
    @inline(__always) static func erf(_ x: Double) -> Double { Foundation.erf(x) }
    @inline(__always) static func log1p(_ x: Double) -> Double { Foundation.log1p(x) }
}

extension Int64: NumericElement {
    static var dtype: DType { .int64 }
    static var one: Int64 { 1 }
    init(fromDouble d: Double) { self = d.isFinite ? Int64(Swift.max(Swift.min(d, 9.2e18), -9.2e18)) : 0 }
    var asDouble: Double { Double(self) }
    @inline(__always) static func add(_ a: Int64, _ b: Int64) -> Int64 { a &+ b }
    @inline(__always) static func sub(_ a: Int64, _ b: Int64) -> Int64 { a &- b }
    @inline(__always) static func mul(_ a: Int64, _ b: Int64) -> Int64 { a &* b }
    /// Truncating division; callers rule out zero divisors first.
    @inline(__always) static func div(_ a: Int64, _ b: Int64) -> Int64 { b == -1 ? 0 &- a : a / b }
    @inline(__always) static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        if b == -1 { return 0 &- a }
        let q = a / b
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q
    }
    @inline(__always) static func remainder(_ a: Int64, _ b: Int64) -> Int64 {
        if b == -1 { return 0 }
        let m = a % b
        return (m != 0 && ((b < 0) != (m < 0))) ? m + b : m
    }
    @inline(__always) static func power(_ a: Int64, _ b: Int64) -> Int64 {
        var result: Int64 = 1, base = a, e = b
        while e > 0 {
            if e & 1 == 1 { result = result &* base }
            base = base &* base
            e >>= 1
        }
        return result
    }
    @inline(__always) static func magnitude(_ a: Int64) -> Int64 { a < 0 ? 0 &- a : a }
}
