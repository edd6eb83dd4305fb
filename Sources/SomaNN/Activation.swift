import Foundation
import SomaTensor

/// `max(x, 0)` (`nn.ReLU`).
public final class ReLU: Module {
    public let inplace: Bool
    public init(inplace: Bool = false) { self.inplace = inplace }
    public override func forward(_ input: Tensor) throws -> Tensor { try input.relu() }
    public override func extraRepr() -> String { inplace ? "inplace=True" : "" }
}

/// `x` for positive inputs, `negative_slope * x` otherwise (`nn.LeakyReLU`).
public final class LeakyReLU: Module {
    public let negativeSlope: Double
    public let inplace: Bool
    public init(negativeSlope: Double = 0.01, inplace: Bool = false) {
        self.negativeSlope = negativeSlope
        self.inplace = inplace
    }
    public override func forward(_ input: Tensor) throws -> Tensor { try input.leakyRelu(negativeSlope) }
    public override func extraRepr() -> String { "negative_slope=\(PyFormat.float(negativeSlope))" + (inplace ? ", inplace=True" : "") }
}

/// Logistic sigmoid (`nn.Sigmoid`).
public final class Sigmoid: Module {
    public override init() {}
    public override func forward(_ input: Tensor) throws -> Tensor { try input.sigmoid() }
}

/// Hyperbolic tangent (`nn.Tanh`).
public final class Tanh: Module {
    public override init() {}
    public override func forward(_ input: Tensor) throws -> Tensor { try input.tanh() }
}

/// Gaussian error linear unit, exact form (`nn.GELU`).
public final class GELU: Module {
    public override init() {}
    public override func forward(_ input: Tensor) throws -> Tensor { try input.gelu() }
    public override func extraRepr() -> String { "approximate='none'" }
}

/// Softmax along `dim` (`nn.Softmax`); without a dim, PyTorch's legacy choice (0 for 0-, 1- and 3-D input, else 1).
public final class Softmax: Module {
    public let dim: Int?
    public init(dim: Int? = nil) { self.dim = dim }
    public override func forward(_ input: Tensor) throws -> Tensor { try input.softmax(dim: dim ?? Softmax.legacyDim(input)) }
    public override func extraRepr() -> String { "dim=\(dim.map(String.init) ?? "None")" }

    static func legacyDim(_ t: Tensor) -> Int { t.dim == 0 || t.dim == 1 || t.dim == 3 ? 0 : 1 }
}

/// Log-softmax along `dim` (`nn.LogSoftmax`).
public final class LogSoftmax: Module {
    public let dim: Int?
    public init(dim: Int? = nil) { self.dim = dim }
    public override func forward(_ input: Tensor) throws -> Tensor { try input.logSoftmax(dim: dim ?? Softmax.legacyDim(input)) }
    public override func extraRepr() -> String { "dim=\(dim.map(String.init) ?? "None")" }
}

/// Returns its input unchanged (`nn.Identity`).
public final class Identity: Module {
    public override init() {}
    public override func forward(_ input: Tensor) throws -> Tensor { input }
}

/// Collapses dims `start_dim...end_dim` into one (`nn.Flatten`).
public final class Flatten: Module {
    public let startDim: Int, endDim: Int
    public init(startDim: Int = 1, endDim: Int = -1) {
        self.startDim = startDim
        self.endDim = endDim
    }
    public override func forward(_ input: Tensor) throws -> Tensor { try input.flatten(startDim, endDim) }
    public override func extraRepr() -> String { "start_dim=\(startDim), end_dim=\(endDim)" }
}

/// Zeroes elements with probability `p` during training and scales the rest by 1/(1-p) (`nn.Dropout`).
public final class Dropout: Module {
    public let p: Double
    public let inplace: Bool
    public init(p: Double = 0.5, inplace: Bool = false) throws {
        guard p >= 0 && p <= 1 else {
            throw NNError(.value, "dropout probability has to be between 0 and 1, but got \(PyFormat.float(p))")
        }
        self.p = p
        self.inplace = inplace
    }
    public override func forward(_ input: Tensor) throws -> Tensor { try Functional.dropout(input, p: p, training: training) }
    public override func extraRepr() -> String { "p=\(PyFormat.float(p)), inplace=\(inplace ? "True" : "False")" }
}

/// Python's text for numbers in layer descriptions (`0.5`, `1e-05`, `0.01`).
enum PyFormat {
    static func float(_ v: Double) -> String {
        if v != 0 && (Swift.abs(v) < 1e-4 || Swift.abs(v) >= 1e16) {
            let s = String(format: "%.16g", v)
            // Python writes 1e-05, not 1e-5, and drops the zeros of the mantissa.
            guard let e = s.firstIndex(of: "e") else { return s }
            var mantissa = String(s[..<e]), exponent = String(s[s.index(after: e)...])
            if mantissa.contains(".") {
                while mantissa.hasSuffix("0") { mantissa.removeLast() }
                if mantissa.hasSuffix(".") { mantissa.removeLast() }
            }
            let negative = exponent.hasPrefix("-")
            exponent = exponent.trimmingCharacters(in: CharacterSet(charactersIn: "+-"))
            while exponent.count > 2 && exponent.hasPrefix("0") { exponent.removeFirst() }
            if exponent.count < 2 { exponent = "0" + exponent }
            return mantissa + "e" + (negative ? "-" : "+") + exponent
        }
        var s = "\(v)"
        if s.hasSuffix(".0") && Swift.abs(v) >= 1e16 { s.removeLast(2) }
        return s
    }
}
