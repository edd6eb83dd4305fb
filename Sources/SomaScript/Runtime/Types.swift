/// The built-in type objects.
public enum Types {
    /// The root class (its type, `type`, is filled in when `Types.type` is first used).
    public static let object = PyType(name: "object", base: nil)
    public static let type: PyType = {
        let t = PyType(name: "type", base: object)
        t.pyType = t
        object.pyType = t
        return t
    }()
    public static let noneType = PyType(name: "NoneType", base: object)
    public static let int = PyType(name: "int", base: object)
    public static let bool = PyType(name: "bool", base: int)
    public static let float = PyType(name: "float", base: object)
    public static let str = PyType(name: "str", base: object)
    public static let list = PyType(name: "list", base: object)
    public static let tuple = PyType(name: "tuple", base: object)
    public static let dict = PyType(name: "dict", base: object)
    public static let set = PyType(name: "set", base: object)
    public static let range = PyType(name: "range", base: object)
    public static let slice = PyType(name: "slice", base: object)
    public static let function = PyType(name: "function", base: object)
    public static let builtinFunction = PyType(name: "builtin_function_or_method", base: object)
    public static let method = PyType(name: "method", base: object)
    public static let module = PyType(name: "module", base: object)
    public static let generator = PyType(name: "generator", base: object)
    public static let iterator = PyType(name: "iterator", base: object)
    public static let property = PyType(name: "property", base: object)
    public static let staticMethod = PyType(name: "staticmethod", base: object)
    public static let classMethod = PyType(name: "classmethod", base: object)
    public static let superType = PyType(name: "super", base: object)
    public static let ellipsisType = PyType(name: "ellipsis", base: object)
    public static let notImplementedType = PyType(name: "NotImplementedType", base: object)

    /// The `...` singleton.
    public static let ellipsis = PySingleton("Ellipsis", type: ellipsisType)
    /// The `NotImplemented` singleton a binary dunder returns to let the other operand try.
    public static let notImplemented = PySingleton("NotImplemented", type: notImplementedType)

    public static let baseException = PyType(name: "BaseException", base: object)
    public static let exception = PyType(name: "Exception", base: baseException)

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
        for (name, base) in tree { all[name] = PyType(name: name, base: all[base]!) }
        return all
    }()

    /// The built-in exception class called `name`.
    public static func exception(_ name: String) -> PyType { exceptions[name]! }
}
