import SomaTensor

/// Modules applied one after another (`nn.Sequential`), indexable like a list.
public final class Sequential: Module {
    public init(_ modules: [Module]) {
        super.init()
        for (i, m) in modules.enumerated() { registerModule(String(i), m) }
    }

    /// Named children in the given order (`Sequential(OrderedDict(...))`).
    public init(named modules: [(String, Module)]) {
        super.init()
        for (name, m) in modules { registerModule(name, m) }
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        var x = input
        for slot in childSlots { if let m = slot.module { x = try m(x) } }
        return x
    }

    /// Number of layers (`len(seq)`).
    public var count: Int { children().count }

    /// The layer at `index` (negative counts from the end), as `seq[i]` does.
    public func layer(at index: Int) throws -> Module {
        let layers = children()
        guard index >= -layers.count && index < layers.count else {
            throw NNError(.index, "index \(index) is out of range")
        }
        return layers[index < 0 ? index + layers.count : index]
    }

    /// Layers `start..<end` as a new Sequential sharing the same modules (`seq[a:b]`).
    public func slice(_ range: Range<Int>) -> Sequential {
        let named = namedChildren()
        return Sequential(named: Array(named[range.clamped(to: 0..<named.count)]))
    }

    /// Adds a layer at the end (`append`).
    public func append(_ module: Module) { registerModule(String(childSlots.count), module) }
}

/// A list of modules whose parameters are registered (`nn.ModuleList`); it has no forward of its own.
public final class ModuleList: Module {
    public init(_ modules: [Module] = []) {
        super.init()
        for m in modules { append(m) }
    }

    /// Number of modules.
    public var count: Int { childSlots.count }

    /// Adds a module at the end.
    public func append(_ module: Module) { registerModule(String(childSlots.count), module) }

    /// The module at `index` (negative counts from the end).
    public func module(at index: Int) throws -> Module {
        let all = children()
        guard index >= -all.count && index < all.count else {
            throw NNError(.index, "index \(index) is out of range")
        }
        return all[index < 0 ? index + all.count : index]
    }

    /// Like PyTorch, runs of identical children are shown once: `(0-2): 3 x Linear(...)`.
    public override func childLinesForDescription() -> [String] {
        let named = namedChildren()
        var lines: [String] = []
        var i = 0
        while i < named.count {
            let text = named[i].1.description
            var j = i + 1
            while j < named.count && named[j].1.description == text { j += 1 }
            let label = j - i > 1 ? "(\(named[i].0)-\(named[j - 1].0)): \(j - i) x " : "(\(named[i].0)): "
            lines.append(label + Module.indent(text))
            i = j
        }
        return lines
    }
}
