/// An error from a tensor operation, named after the Python exception it becomes.
public struct TensorError: Error, CustomStringConvertible, Equatable {
    /// The Python exception class the error maps to.
    public enum Kind: String, Sendable {
        case runtime = "RuntimeError", type = "TypeError", value = "ValueError", index = "IndexError"
        case notImplemented = "NotImplementedError", zeroDivision = "ZeroDivisionError"
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(message)" }

    static func runtime(_ m: String) -> TensorError { TensorError(.runtime, m) }
    static func index(_ m: String) -> TensorError { TensorError(.index, m) }
    static func value(_ m: String) -> TensorError { TensorError(.value, m) }
    static func type(_ m: String) -> TensorError { TensorError(.type, m) }
}
