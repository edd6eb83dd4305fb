/// `import` and `from ... import`.
extension Interpreter {
    /// The names of the modules Soma can import.
    public var availableModules: [String] { Array(Set(moduleProviders.keys).union(modules.keys)).sorted() }

    /// Loads the module `name` (and its parents), running its provider on first import.
    public func importModule(_ name: String) throws -> PyModule {
        if let m = modules[name] { return m }
        let parts = name.split(separator: ".").map(String.init)
        var parent: PyModule?
        if parts.count > 1 { parent = try importModule(parts.dropLast().joined(separator: ".")) }
        guard let provider = moduleProviders[name] else {
            if let p = parent, let v = p.attributes![parts.last!], let sub = v.as(PyModule.self) { return sub }
            let offered = availableModules.filter { !$0.contains(".") || $0.hasPrefix("soma") }.joined(separator: ", ")
            throw PyException.make("ModuleNotFoundError", "No module named '\(name)' (Soma offers: \(offered))")
        }
        let m = try provider(self)
        modules[name] = m
        if let p = parent, p.attributes![parts.last!] == nil { p.attributes![parts.last!] = .object(m) }
        return m
    }

    /// `from module import name`: an attribute of the module, or a submodule.
    func importName(_ name: String, from m: PyModule) throws -> Value {
        if let v = m.attributes![name] { return v }
        if moduleProviders["\(m.name).\(name)"] != nil { return .object(try importModule("\(m.name).\(name)")) }
        throw PyException.make("ImportError", "cannot import name '\(name)' from '\(m.name)' (unknown location)")
    }
}
