/// In-place updates. They bump the storage version so autograd can detect stale saved tensors,
/// and refuse to modify leaves that require grad unless gradients are off (`with no_grad():`).
extension Tensor {
    /// Checks that this tensor may be modified in place under the current grad mode.
    private func checkInPlace() throws {
        if GradMode.isEnabled && isLeaf && requiresGrad {
            throw TensorError.runtime("a leaf Variable that requires grad is being used in an in-place operation.")
        }
    }

    /// Rewires history after an in-place op: this tensor now comes from `name` applied to its old self.
    private func rebase(_ name: String, _ inputs: [Tensor], _ rule: @escaping (Tensor) throws -> [Tensor?]) {
        guard GradMode.isEnabled && inputs.contains(where: { $0.requiresGrad }) else { return }
        recorded(name, inputs, rule)
    }

    /// The pre-modification self, as a graph input (shares history, not values).
    private func previous() -> Tensor {
        let old = alias(shape: shape, strides: strides, offset: offset)
        old.gradFn = gradFn
        old.requiresGrad = requiresGrad
        return old
    }

    /// Applies a binary op in place: `self = op(self, other)`.
    private func updateInPlace(_ op: BinaryOp, _ other: Tensor) throws {
        try checkInPlace()
        let shape = try Shape.broadcast(self.shape, other.shape)
        guard shape == self.shape else {
            throw TensorError.runtime(
                "output with shape \(Shape.format(self.shape)) doesn't match the broadcast shape \(Shape.format(shape))")
        }
        let result = DType.resultType(self, other)
        if result.category > dtype.category || (op.isDivision && !dtype.isFloatingPoint) {
            throw TensorError.runtime("result type \(op.isDivision && !result.isFloatingPoint ? "Float" : result.shortName) can't be cast to the desired output type \(dtype.shortName)")
        }
        let old = previous()
        try Elementwise.binary(op, self, other, into: self)
        storage.bumpVersion()
        switch op {
        case .add: rebase("AddBackward0", [old, other]) { g in [g, other.requiresGrad ? try g.sumToShape(other.shape) : nil] }
        case .sub: rebase("SubBackward0", [old, other]) { g in [g, other.requiresGrad ? try g.neg().sumToShape(other.shape) : nil] }
        case .addScaled(let alpha):
            rebase("AddBackward0", [old, other]) { g in
                [g, other.requiresGrad ? try g.mul(Tensor.scalar(.double(alpha))).sumToShape(other.shape) : nil]
            }
        case .mul: rebase("MulBackward0", [old, other]) { g in [try g.mul(other), nil] }
        case .div: rebase("DivBackward0", [old, other]) { g in [try g.div(other), nil] }
        default: rebase("InPlaceBackward0", [old]) { _ in
            throw TensorError.runtime("the derivative of this in-place operation is not implemented")
        }
        }
    }

    /// `self += alpha * other`, in one pass.
    public func add_(_ other: Tensor, alpha: Double = 1) throws {
        try updateInPlace(alpha == 1 ? .add : .addScaled(alpha), other)
    }
    /// `self -= alpha * other`, in one pass.
    public func sub_(_ other: Tensor, alpha: Double = 1) throws {
        try updateInPlace(alpha == 1 ? .sub : .addScaled(-alpha), other)
    }
    /// `self *= other`.
    public func mul_(_ other: Tensor) throws { try updateInPlace(.mul, other) }
    /// `self /= other`.
    public func div_(_ other: Tensor) throws { try updateInPlace(.div, other) }
    /// `self **= e`.
    public func pow_(_ e: Tensor) throws { try updateInPlace(.pow, e) }
    /// `self //= other`.
    public func floorDivide_(_ other: Tensor) throws { try updateInPlace(.floorDiv, other) }
    /// `self %= other`.
    public func remainder_(_ other: Tensor) throws { try updateInPlace(.remainder, other) }

    /// Sets every element to `value` (`fill_`).
    public func fill(_ value: Scalar) throws {
        try checkInPlace()
        Copy.run(from: Tensor.scalar(value), into: self)
        storage.bumpVersion()
    }

    /// Sets every element to zero (`zero_`).
    public func zero_() throws { try fill(.int(0)) }

    /// Copies `src` (broadcast, converted) into this tensor (`copy_`).
    public func copy_(_ src: Tensor) throws {
        try checkInPlace()
        let shape = try Shape.broadcast(self.shape, src.shape)
        guard shape == self.shape else {
            throw TensorError.runtime(
                "output with shape \(Shape.format(self.shape)) doesn't match the broadcast shape \(Shape.format(shape))")
        }
        let s = src.storage === storage ? try src.materialized() : src
        Copy.run(from: s, into: self)
        storage.bumpVersion()
        rebase("CopyBackwards", [previous(), src]) { g in [nil, src.requiresGrad ? try g.sumToShape(src.shape) : nil] }
    }

    /// Limits values to [min, max] in place (`clamp_`).
    public func clamp_(min lo: Double? = nil, max hi: Double? = nil) throws {
        guard lo != nil || hi != nil else { throw TensorError.runtime("torch.clamp: At least one of 'min' or 'max' must not be None") }
        try checkInPlace()
        try Elementwise.unary(.clamp(min: lo, max: hi), self, into: self)
        storage.bumpVersion()
    }

    /// Applies `op` in place (used by layers and optimizers that own their buffers).
    func apply_(_ op: UnaryOp) throws {
        try checkInPlace()
        try Elementwise.unary(op, self, into: self)
        storage.bumpVersion()
    }
}

extension BinaryOp {
    var isDivision: Bool { if case .div = self { return true } else { return false } }
}
