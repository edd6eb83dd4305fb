/// Whether operations record gradients (`torch.no_grad()` turns it off).
public enum GradMode {
    nonisolated(unsafe) public private(set) static var isEnabled = true

    /// Runs `body` with gradient recording switched to `enabled`, restoring the previous mode after.
    public static func with<R>(enabled: Bool, _ body: () throws -> R) rethrows -> R {
        let previous = isEnabled
        isEnabled = enabled
        defer { isEnabled = previous }
        return try body()
    }

    /// Sets the mode until changed again (`torch.set_grad_enabled`), returning the previous mode.
    @discardableResult
    public static func set(_ enabled: Bool) -> Bool {
        let previous = isEnabled
        isEnabled = enabled
        return previous
    }

    /// Whether an op over these inputs must record a graph node.
    @inline(__always)
    public static func records(_ a: Tensor) -> Bool { isEnabled && a.requiresGrad }
    /// Whether an op over these inputs must record a graph node.
    @inline(__always)
    public static func records(_ a: Tensor, _ b: Tensor) -> Bool { isEnabled && (a.requiresGrad || b.requiresGrad) }
    /// Whether an op over these inputs must record a graph node.
    public static func records(_ inputs: [Tensor]) -> Bool { isEnabled && inputs.contains { $0.requiresGrad } }
}

/// One recorded operation: its inputs and the rule that maps the output's gradient to theirs.
public final class GradNode {
    /// PyTorch's name for the node, e.g. `AddBackward0`.
    public let name: String
    let inputs: [Tensor]
    /// The gradient rule; released after backward unless the graph is retained.
    var rule: ((Tensor) throws -> [Tensor?])?
    /// Tensors the rule reads, with the storage version each had when saved and the op that made it.
    var saved: [(tensor: Tensor, version: Int, producer: String?)] = []
    /// Gradient accumulated for this node's output during a backward pass.
    var pendingGrad: Tensor?
    /// The backward pass that last visited this node (for the topological sort without hashing).
    var visitMark = 0
    /// The output tensor when it asked to keep its gradient.
    weak var retained: Tensor?

    /// The forward op's name, as autograd messages give it (`SigmoidBackward0` → `Sigmoid`).
    static func forwardName(_ name: String) -> String {
        guard let r = name.range(of: "Backward", options: .backwards) else { return name }
        return String(name[..<r.lowerBound])
    }

    init(_ name: String, _ inputs: [Tensor], _ rule: @escaping (Tensor) throws -> [Tensor?]) {
        self.name = name
        self.inputs = inputs
        self.rule = rule
    }
}

extension Tensor {
    /// Makes this tensor the output of a recorded op; `saving` lists tensors the rule reads.
    /// The rule maps the output's gradient to one gradient (or nil) per input. Used by fused
    /// kernels outside this module (convolution, losses); call it only when `GradMode.records`.
    @discardableResult
    public func recorded(
        _ name: String, _ inputs: [Tensor], saving: [Tensor] = [], _ rule: @escaping (Tensor) throws -> [Tensor?]
    ) -> Tensor {
        let node = GradNode(name, inputs, rule)
        gradFn = node
        requiresGrad = true
        // The output itself is kept as a detached alias (same storage and version counter): holding it would make a
        // cycle (output → node → output) that keeps a graph nobody backwards through alive.
        if !saving.isEmpty { node.saved = saving.map { ($0 === self ? $0.detach() : $0, $0.storage.version, $0.gradFn?.name) } }
        return self
    }

    /// The output of a composite op shown under PyTorch's node name (`MvBackward0`, `StdBackward0`): the same
    /// data, recorded as one more node that passes the gradient through.
    public func named(_ name: String) -> Tensor {
        guard GradMode.records(self) else { return self }
        return alias(shape: shape, strides: strides, offset: offset).recorded(name, [self]) { [$0] }
    }

    /// Computes gradients of this tensor with respect to the graph's leaves and accumulates them in `.grad`.
    public func backward(_ gradient: Tensor? = nil, retainGraph: Bool = false) throws {
        guard requiresGrad else {
            throw TensorError.runtime("element 0 of tensors does not require grad and does not have a grad_fn")
        }
        let seed: Tensor
        if let g = gradient {
            guard g.shape == shape else {
                throw TensorError.runtime(
                    "Mismatch in shape: grad_output[0] has a shape of torch.Size(\(Shape.format(g.shape))) and output[0] has a shape of torch.Size(\(Shape.format(shape))).")
            }
            seed = g.dtype == dtype ? g : try g.materialized(as: dtype)
        } else {
            guard numel == 1 else { throw TensorError.runtime("grad can be implicitly created only for scalar outputs") }
            seed = try Tensor.full(shape, .double(1), dtype: dtype)
        }
        try GradMode.with(enabled: false) {
            guard let root = gradFn else {
                try accumulateLeafGrad(seed)
                return
            }
            try Autograd.run(root: root, seed: seed, retainGraph: retainGraph)
        }
    }

    /// Adds `g` to this leaf's `.grad`. On first use the gradient is taken over when nothing else can
    /// see it (`stealable`), else copied, so gradients never alias each other.
    func accumulateLeafGrad(_ g: Tensor, stealable: Bool = false) throws {
        if let existing = grad {
            try Elementwise.binary(.add, existing, g, into: existing)
        } else if stealable && g.dtype == dtype && g.shape == shape && g.offset == 0 && g.isContiguous
                    && g.storage.byteCount == numel * dtype.itemSize {
            grad = g
        } else {
            grad = try g.materialized(as: dtype)
        }
    }
}

/// The backward pass: a reverse topological walk of the recorded graph.
enum Autograd {
    nonisolated(unsafe) private static var pass = 0
    /// A placeholder that replaces a gradient once its node is done with it.
    nonisolated(unsafe) static let released = Tensor.scalar(.int(0))

    static func run(root: GradNode, seed: Tensor, retainGraph: Bool) throws {
        pass &+= 1
        let order = topologicalOrder(root, mark: pass)
        root.pendingGrad = seed
        defer { for node in order { node.pendingGrad = nil } }
        for node in order {
            guard var incoming = node.pendingGrad else { continue }
            node.pendingGrad = nil
            if let out = node.retained { try out.accumulateLeafGrad(incoming) }
            guard let rule = node.rule else {
                throw TensorError.runtime(
                    "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.")
            }
            for (t, version, producer) in node.saved where t.storage.version != version {
                throw TensorError.runtime(
                    "one of the variables needed for gradient computation has been modified by an inplace operation: [\(t.typeName) \(Shape.format(t.shape))]\(producer.map { ", which is output 0 of \(GradNode.forwardName($0))," } ?? "") is at version \(t.storage.version); expected version \(version) instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False).")
            }
            var grads = try rule(incoming)
            // Drop the incoming gradient so that views of it can be taken over by leaves below.
            incoming = Autograd.released
            if !retainGraph {
                node.rule = nil
                node.saved = []
            }
            for k in 0..<Swift.min(grads.count, node.inputs.count) {
                let input = node.inputs[k]
                guard var gi = grads[k], input.requiresGrad else { continue }
                grads[k] = nil
                if let fn = input.gradFn {
                    if let acc = fn.pendingGrad {
                        fn.pendingGrad = try Elementwise.binary(.add, acc, gi, dtype: acc.dtype)
                    } else {
                        fn.pendingGrad = gi
                    }
                } else {
                    // Only this loop holds `gi` and its storage: the leaf may keep it without a copy.
                    let unique = isKnownUniquelyReferenced(&gi) && isKnownUniquelyReferenced(&gi.storage)
                    try input.accumulateLeafGrad(gi, stealable: unique)
                }
            }
        }
    }

    /// Nodes ordered so that each comes before every node it depends on.
    static func topologicalOrder(_ root: GradNode, mark: Int) -> [GradNode] {
        root.visitMark = mark
        var post: [GradNode] = []
        var stack: [(GradNode, Int)] = [(root, 0)]
        while let (node, next) = stack.popLast() {
            if next < node.inputs.count {
                stack.append((node, next + 1))
                if let child = node.inputs[next].gradFn, child.visitMark != mark {
                    child.visitMark = mark
                    stack.append((child, 0))
                }
            } else {
                post.append(node)
            }
        }
        return post.reversed()
    }
}

extension Tensor {
    /// PyTorch's legacy type name used in autograd messages, e.g. `torch.FloatTensor`.
    var typeName: String {
        switch dtype {
        case .bool: return "torch.BoolTensor"
        case .int64: return "torch.LongTensor"
        case .float32: return "torch.FloatTensor"
        case .float64: return "torch.DoubleTensor"
        }
    }
}
