/// The built-in type objects.
public enum Types {
    /// The root class (its type, `type`, is filled in when `Types.type` is first used).
    public static let object = PyType(builtin: "object", base: nil)
    public static let type: PyType = {
        let t = PyType(builtin: "type", base: object)
        t.pyType = t
        object.pyType = t
        return t
    }()
    public static let noneType = PyType(builtin: "NoneType", base: object)
    public static let int = PyType(builtin: "int", base: object)
    public static let bool = PyType(builtin: "bool", base: int)
    public static let float = PyType(builtin: "float", base: object)
    public static let str = PyType(builtin: "str", base: object)
    public static let list = PyType(builtin: "list", base: object)
    public static let tuple = PyType(builtin: "tuple", base: object)
    public static let dict = PyType(builtin: "dict", base: object)
    public static let set = PyType(builtin: "set", base: object)
    public static let range = PyType(builtin: "range", base: object)
    public static let slice = PyType(builtin: "slice", base: object)
    public static let function = PyType(builtin: "function", base: object)
    public static let builtinFunction = PyType(builtin: "builtin_function_or_method", base: object)
    public static let method = PyType(builtin: "method", base: object)
    public static let module = PyType(builtin: "module", base: object)
    public static let generator = PyType(builtin: "generator", base: object)
    public static let iterator = PyType(builtin: "iterator", base: object)
    public static let property = PyType(builtin: "property", base: object)
    public static let staticMethod = PyType(builtin: "staticmethod", base: object)
    public static let classMethod = PyType(builtin: "classmethod", base: object)
    public static let superType = PyType(builtin: "super", base: object)
    public static let ellipsisType = PyType(builtin: "ellipsis", base: object)
    public static let notImplementedType = PyType(builtin: "NotImplementedType", base: object)

    /// The `...` singleton.
    public static let ellipsis = PySingleton("Ellipsis", type: ellipsisType)
    /// The `NotImplemented` singleton a binary dunder returns to let the other operand try.
    public static let notImplemented = PySingleton("NotImplemented", type: notImplementedType)

    public static let baseException = PyType(builtin: "BaseException", base: object)
    public static let exception = PyType(builtin: "Exception", base: baseException)

    /// Every built-in exception class by name, built from the Python hierarchy.
    public static let exceptions: [String: PyType] = {
        var all: [String: PyType] = ["BaseException": baseException, "Exception": exception]
        let tree: [(String, String)] = [
            ("SystemExit", "BaseException"), ("KeyboardInterrupt", "BaseException"), ("GeneratorExit", "BaseException"),
            ("ArithmeticError", "Exception"), ("ZeroDivisionError", "ArithmeticError"),
            ("OverflowError", "ArithmeticError"), ("FloatingPointError", "ArithmeticError"),
            ("AssertionError", "Exception"), ("AttributeError", "Exception"), ("BufferError", "Exception"),
            ("EOFError", "Exception"), ("ImportError", "Exception"), ("ModuleNotFoundError", "ImportError"),
            ("LookupError", "Exception"), ("IndexError", "LookupError"), ("KeyError", "LookupError"),
            ("MemoryError", "Exception"), ("NameError", "Exception"), ("UnboundLocalError", "NameError"),
            ("OSError", "Exception"), ("FileNotFoundError", "OSError"), ("PermissionError", "OSError"),
            ("FileExistsError", "OSError"), ("IsADirectoryError", "OSError"),
            ("RuntimeError", "Exception"), ("NotImplementedError", "RuntimeError"), ("RecursionError", "RuntimeError"),
            ("StopIteration", "Exception"), ("SyntaxError", "Exception"), ("IndentationError", "SyntaxError"),
            ("SystemError", "Exception"), ("TypeError", "Exception"), ("ValueError", "Exception"),
            ("UnicodeError", "ValueError"), ("Warning", "Exception"), ("UserWarning", "Warning"),
            ("DeprecationWarning", "Warning"), ("RuntimeWarning", "Warning"),
        ]
        for (name, base) in tree { all[name] = PyType(builtin: name, base: all[base]!) }
        return all
    }()

    /// The built-in exception class called `name`.
    public static func exception(_ name: String) -> PyType { exceptions[name]! }
}
