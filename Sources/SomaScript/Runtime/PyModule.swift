/// A module: a namespace of functions, classes and values, importable by its dotted name.
public final class PyModule: PyObject {
    public let name: String

    /// Creates an empty module called `name` (dotted, like "soma.nn").
    public init(name: String) {
        self.name = name
        super.init(type: Types.module, hasDict: true)
    }

    /// Adds or replaces a member.
    public subscript(member: String) -> Value? {
        get { attributes![member] }
        set { attributes![member] = newValue }
    }

    /// Adds a native function to the module.
    @discardableResult
    public func addFunction(_ name: String, signature: String = "(...)", doc: String? = nil,
                            _ body: @escaping (Interpreter, Arguments) throws -> Value) -> NativeFunction {
        let f = NativeFunction(name, signature: signature, doc: doc, body)
        self[name] = .object(f)
        return f
    }
}
