import SomaTensor

/// An error from a layer, loss, optimizer or data source, named after the Python exception it becomes.
public typealias NNError = TensorError

/// Base class of every layer: registers parameters, buffers and child modules in assignment order,
/// and gives PyTorch's `parameters()`, `state_dict()`, `train()`/`eval()` and text form.
/// Language-level subclasses (`class Net(nn.Module)`) subclass it through the runtime bindings.
open class Module: CustomStringConvertible {
    /// Parameters in registration order; a nil tensor is a registered-but-absent parameter (`bias=False`).
    public private(set) var parameterSlots: [(name: String, tensor: Tensor?)] = []
    /// Buffers (running statistics) in registration order.
    public private(set) var bufferSlots: [(name: String, tensor: Tensor?)] = []
    /// Child modules in registration order.
    public private(set) var childSlots: [(name: String, module: Module?)] = []
    /// Whether the module is in training mode (`train()`) rather than evaluation mode (`eval()`).
    public private(set) var training = true

    public init() {}

    /// The class name shown in the text form.
    open var typeName: String { String(describing: type(of: self)) }

    /// The constructor arguments shown in the text form, e.g. `in_features=2, out_features=10, bias=True`.
    open func extraRepr() -> String { "" }

    /// The computation of this module on one input.
    open func forward(_ input: Tensor) throws -> Tensor {
        throw NNError(.notImplemented, "Module [\(typeName)] is missing the required \"forward\" function")
    }

    /// Calls `forward` (`model(x)`).
    public func callAsFunction(_ input: Tensor) throws -> Tensor { try forward(input) }

    // MARK: registration

    /// Adds or replaces a parameter; parameters require gradients.
    public func registerParameter(_ name: String, _ tensor: Tensor?) throws {
        if let tensor, !tensor.requiresGrad && tensor.dtype.isFloatingPoint && tensor.isLeaf { try tensor.requiresGrad() }
        if let i = parameterSlots.firstIndex(where: { $0.name == name }) {
            parameterSlots[i].tensor = tensor
        } else {
            parameterSlots.append((name, tensor))
        }
    }

    /// Adds or replaces a buffer (state that is saved but not trained).
    public func registerBuffer(_ name: String, _ tensor: Tensor?) {
        if let i = bufferSlots.firstIndex(where: { $0.name == name }) {
            bufferSlots[i].tensor = tensor
        } else {
            bufferSlots.append((name, tensor))
        }
    }

    /// Adds or replaces a child module.
    public func registerModule(_ name: String, _ module: Module?) {
        if let i = childSlots.firstIndex(where: { $0.name == name }) {
            childSlots[i].module = module
        } else {
            childSlots.append((name, module))
        }
    }

    /// Removes a parameter, buffer or child registered under `name`; whether one was found.
    @discardableResult
    public func unregister(_ name: String) -> Bool {
        let before = parameterSlots.count + bufferSlots.count + childSlots.count
        parameterSlots.removeAll { $0.name == name }
        bufferSlots.removeAll { $0.name == name }
        childSlots.removeAll { $0.name == name }
        return before != parameterSlots.count + bufferSlots.count + childSlots.count
    }

    /// The parameter registered under `name`, if any.
    public func parameter(_ name: String) -> Tensor? { parameterSlots.first { $0.name == name }?.tensor }
    /// The buffer registered under `name`, if any.
    public func buffer(_ name: String) -> Tensor? { bufferSlots.first { $0.name == name }?.tensor }
    /// The child registered under `name`, if any.
    public func child(_ name: String) -> Module? { childSlots.first { $0.name == name }?.module }

    // MARK: traversal

    /// This module and its descendants with dotted names (`named_modules`), each module once.
    public func namedModules(prefix: String = "") -> [(String, Module)] {
        var seen = Set<ObjectIdentifier>()
        var out: [(String, Module)] = []
        func visit(_ m: Module, _ name: String) {
            guard seen.insert(ObjectIdentifier(m)).inserted else { return }
            out.append((name, m))
            for (childName, child) in m.childSlots {
                if let child { visit(child, name.isEmpty ? childName : name + "." + childName) }
            }
        }
        visit(self, prefix)
        return out
    }

    /// Every module in the tree, this one first (`modules()`).
    public func modules() -> [Module] { namedModules().map(\.1) }

    /// Direct children with their names (`named_children()`).
    public func namedChildren() -> [(String, Module)] { childSlots.compactMap { s in s.module.map { (s.name, $0) } } }
    /// Direct children (`children()`).
    public func children() -> [Module] { namedChildren().map(\.1) }

    /// Parameters with dotted names such as `hidden.weight` or `0.bias`, each tensor once.
    public func namedParameters(prefix: String = "", recurse: Bool = true) -> [(String, Tensor)] {
        collect(prefix: prefix, recurse: recurse) { $0.parameterSlots }
    }

    /// All parameters, each tensor once (`parameters()`).
    public func parameters(recurse: Bool = true) -> [Tensor] { namedParameters(recurse: recurse).map(\.1) }

    /// Buffers with dotted names (`named_buffers()`).
    public func namedBuffers(prefix: String = "", recurse: Bool = true) -> [(String, Tensor)] {
        collect(prefix: prefix, recurse: recurse) { $0.bufferSlots }
    }

    private func collect(prefix: String, recurse: Bool, _ slots: (Module) -> [(name: String, tensor: Tensor?)]) -> [(String, Tensor)] {
        var seen = Set<ObjectIdentifier>()
        var out: [(String, Tensor)] = []
        let owners = recurse ? namedModules(prefix: prefix) : [(prefix, self)]
        for (moduleName, m) in owners {
            for (name, t) in slots(m) {
                guard let t, seen.insert(ObjectIdentifier(t)).inserted else { continue }
                out.append((moduleName.isEmpty ? name : moduleName + "." + name, t))
            }
        }
        return out
    }

    // MARK: modes and gradients

    /// Sets training mode on this module and every descendant.
    @discardableResult
    public func train(_ mode: Bool = true) -> Self {
        for m in modules() { m.training = mode }
        return self
    }

    /// Sets evaluation mode (`train(false)`).
    @discardableResult
    public func eval() -> Self { train(false) }

    /// Clears the gradients of every parameter: drops them (default) or fills them with zeros.
    public func zeroGrad(setToNone: Bool = true) throws {
        for p in parameters() {
            if setToNone {
                p.grad = nil
            } else if let g = p.grad {
                try GradMode.with(enabled: false) { try g.zero_() }
            }
        }
    }

    /// Turns gradient recording on or off for every parameter (`requires_grad_`).
    @discardableResult
    public func requiresGrad_(_ flag: Bool = true) throws -> Self {
        for p in parameters() { try p.requiresGrad(flag) }
        return self
    }

    /// Converts every floating parameter and buffer to `dtype` in place (`to(torch.float64)`).
    @discardableResult
    public func to(_ dtype: DType) throws -> Self {
        for m in modules() {
            for (_, t) in m.parameterSlots + m.bufferSlots {
                guard let t, t.dtype.isFloatingPoint, t.dtype != dtype else { continue }
                try t.setData(try t.detach().to(dtype))
                t.grad = nil
            }
        }
        return self
    }

    // MARK: state

    /// Parameters and buffers by dotted name, detached from autograd (`state_dict()`).
    public func stateDict() -> [(String, Tensor)] {
        var out: [(String, Tensor)] = []
        for (moduleName, m) in namedModules() {
            for (name, t) in m.parameterSlots + m.bufferSlots {
                guard let t else { continue }
                out.append((moduleName.isEmpty ? name : moduleName + "." + name, t.detach()))
            }
        }
        return out
    }

    /// Names of this module's own buffers that a state dict may lack without being reported missing: they keep
    /// their value (BatchNorm's `num_batches_tracked`, which PyTorch fills in for checkpoints made before it existed).
    open var optionalStateKeys: [String] { [] }

    /// Copies values from `state` into the parameters and buffers with the same names.
    /// With `strict`, missing or unexpected keys are an error; mis-shaped tensors always are.
    @discardableResult
    public func loadStateDict(_ state: [(String, Tensor)], strict: Bool = true) throws -> (missing: [String], unexpected: [String]) {
        var targets: [String: Tensor] = [:]
        var order: [String] = []
        for (moduleName, m) in namedModules() {
            for (name, t) in m.parameterSlots + m.bufferSlots {
                guard let t else { continue }
                let key = moduleName.isEmpty ? name : moduleName + "." + name
                targets[key] = t
                if !m.optionalStateKeys.contains(name) { order.append(key) }
            }
        }
        let given = Set(state.map(\.0))
        let missing = order.filter { !given.contains($0) }
        let unexpected = state.map(\.0).filter { targets[$0] == nil }
        var problems: [String] = []
        if strict && !unexpected.isEmpty {
            problems.append("Unexpected key(s) in state_dict: " + unexpected.map { "\"\($0)\"" }.joined(separator: ", ") + ". ")
        }
        if strict && !missing.isEmpty {
            problems.insert("Missing key(s) in state_dict: " + missing.map { "\"\($0)\"" }.joined(separator: ", ") + ". ", at: 0)
        }
        for (key, value) in state {
            guard let target = targets[key], target.shape != value.shape else { continue }
            problems.append(
                "size mismatch for \(key): copying a param with shape torch.Size(\(Module.shapeText(value.shape))) from checkpoint, the shape in current model is torch.Size(\(Module.shapeText(target.shape))).")
        }
        if !problems.isEmpty {
            throw NNError(.runtime, "Error(s) in loading state_dict for \(typeName):\n\t" + problems.joined(separator: "\n\t"))
        }
        try GradMode.with(enabled: false) {
            for (key, value) in state {
                if let target = targets[key] { try target.copy_(value) }
            }
        }
        return (missing, unexpected)
    }

    static func shapeText(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }

    // MARK: text form

    /// PyTorch's text form: `Sequential(\n  (0): Linear(in_features=2, out_features=10, bias=True)\n)`.
    open var description: String {
        let extra = extraRepr()
        let extraLines = extra.isEmpty ? [] : extra.components(separatedBy: "\n")
        let childLines = childLinesForDescription()
        let lines = extraLines + childLines
        var text = typeName + "("
        if !lines.isEmpty {
            if extraLines.count == 1 && childLines.isEmpty {
                text += extraLines[0]
            } else {
                text += "\n  " + lines.joined(separator: "\n  ") + "\n"
            }
        }
        return text + ")"
    }

    /// One `(name): child` line per child, with nested lines indented by two spaces.
    open func childLinesForDescription() -> [String] {
        namedChildren().map { "(\($0.0)): " + Module.indent($0.1.description) }
    }

    /// Indents every line but the first by two spaces (PyTorch's `_addindent`).
    static func indent(_ text: String) -> String {
        let lines = text.components(separatedBy: "\n")
        guard lines.count > 1 else { return text }
        return lines[0] + "\n" + lines.dropFirst().map { "  " + $0 }.joined(separator: "\n")
    }
}
