import Foundation

/// Element-wise arithmetic with broadcasting and PyTorch's type promotion; each op's gradient rule
/// sits next to its forward.
extension Tensor {
    /// `op(self, other)` in the promoted dtype (true division of integers gives float32).
    private func arithmetic(_ op: BinaryOp, _ other: Tensor) throws -> Tensor {
        var dtype = DType.resultType(self, other)
        if case .div = op, !dtype.isFloatingPoint { dtype = .float32 }
        return try Elementwise.binary(op, self, other, dtype: dtype)
    }

    /// `self + alpha * other`, in one pass.
    public func add(_ other: Tensor, alpha: Double = 1) throws -> Tensor {
        let out = try arithmetic(alpha == 1 ? .add : .addScaled(alpha), other)
        if GradMode.records(self, other) {
            let a = self, b = other
            out.recorded("AddBackward0", [a, b]) { g in
                [a.requiresGrad ? try g.sumToShape(a.shape) : nil,
                 b.requiresGrad ? try (alpha == 1 ? g : g.mul(Tensor.scalar(.double(alpha)))).sumToShape(b.shape) : nil]
            }
        }
        return out
    }

    /// `self - alpha * other`, in one pass.
    public func sub(_ other: Tensor, alpha: Double = 1) throws -> Tensor {
        if dtype == .bool && other.dtype == .bool {
            throw TensorError.runtime(
                "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.")
        }
        let out = try arithmetic(alpha == 1 ? .sub : .addScaled(-alpha), other)
        if GradMode.records(self, other) {
            let a = self, b = other
            out.recorded("SubBackward0", [a, b]) { g in
                [a.requiresGrad ? try g.sumToShape(a.shape) : nil,
                 b.requiresGrad ? try g.mul(Tensor.scalar(.double(-alpha))).sumToShape(b.shape) : nil]
            }
        }
        return out
    }

    /// Element-wise product.
    public func mul(_ other: Tensor) throws -> Tensor {
        let out = try arithmetic(.mul, other)
        if GradMode.records(self, other) {
            let a = self, b = other
            out.recorded("MulBackward0", [a, b], saving: [a, b]) { g in
                [a.requiresGrad ? try g.mul(b).sumToShape(a.shape) : nil,
                 b.requiresGrad ? try g.mul(a).sumToShape(b.shape) : nil]
            }
        }
        return out
    }

    /// True division (`/`).
    public func div(_ other: Tensor) throws -> Tensor {
        let out = try arithmetic(.div, other)
        if GradMode.records(self, other) {
            let a = self, b = other
            out.recorded("DivBackward0", [a, b], saving: [a, b]) { g in
                [a.requiresGrad ? try g.div(b).sumToShape(a.shape) : nil,
                 b.requiresGrad ? try g.neg().mul(a).div(b.mul(b)).sumToShape(b.shape) : nil]
            }
        }
        return out
    }

    /// Division rounded toward negative infinity (`//`); not differentiable.
    public func floorDivide(_ other: Tensor) throws -> Tensor { try arithmetic(.floorDiv, other) }

    /// Python-style remainder with the sign of the divisor (`%`).
    public func remainder(_ other: Tensor) throws -> Tensor {
        let out = try arithmetic(.remainder, other)
        if GradMode.records(self, other) {
            let a = self, b = other
            out.recorded("RemainderBackward0", [a, b], saving: [a, b]) { g in
                [a.requiresGrad ? try g.sumToShape(a.shape) : nil,
                 b.requiresGrad ? try g.neg().mul(a.floorDivide(b)).sumToShape(b.shape) : nil]
            }
        }
        return out
    }

    /// `self ** exponent` for a tensor exponent.
    public func pow(_ exponent: Tensor) throws -> Tensor {
        if exponent.isWrappedNumber || (exponent.dim == 0 && !exponent.requiresGrad && dtype.isFloatingPoint) {
            if case .double(let e) = exponent.scalar(atStorageOffset: exponent.offset), exponent.dtype.isFloatingPoint {
                return try pow(e)
            }
            if exponent.dtype == .int64, dtype.isFloatingPoint {
                return try pow(exponent.scalar(atStorageOffset: exponent.offset).double)
            }
        }
        let out = try arithmetic(.pow, exponent)
        if GradMode.records(self, exponent) {
            let a = self, e = exponent, y = out.detach()
            out.recorded("PowBackward1", [a, e], saving: [a, e, out]) { g in
                [a.requiresGrad ? try g.mul(e).mul(a.pow(e.sub(Tensor.scalar(.int(1))))).sumToShape(a.shape) : nil,
                 e.requiresGrad ? try g.mul(y).mul(a.log()).sumToShape(e.shape) : nil]
            }
        }
        return out
    }

    /// `self ** e` for a number exponent.
    public func pow(_ e: Double) throws -> Tensor {
        if !dtype.isFloatingPoint && e != e.rounded() {
            return try materialized(as: .float32).pow(e)
        }
        if dtype == .int64 && e < 0 {
            throw TensorError.runtime("Integers to negative integer powers are not allowed.")
        }
        let out = try Elementwise.unary(.powScalar(e), self)
        if GradMode.records(self) {
            let a = self
            out.recorded("PowBackward0", [a], saving: [a]) { g in
                if e == 0 { return [try g.zerosLike()] }
                if e == 2 { return [try g.mul(a).mul(Tensor.scalar(.double(2)))] }
                return [try g.mul(a.pow(e - 1).mul(Tensor.scalar(.double(e))))]
            }
        }
        return out
    }

    /// Element-wise maximum of two tensors (ties share the gradient).
    public func maximum(_ other: Tensor) throws -> Tensor { try extremum(.maximum, other, "MaximumBackward0") }
    /// Element-wise minimum of two tensors (ties share the gradient).
    public func minimum(_ other: Tensor) throws -> Tensor { try extremum(.minimum, other, "MinimumBackward0") }

    private func extremum(_ op: BinaryOp, _ other: Tensor, _ name: String) throws -> Tensor {
        let out = try arithmetic(op, other)
        if GradMode.records(self, other) {
            let a = self, b = other
            out.recorded(name, [a, b], saving: [a, b]) { g in
                let isMax: Bool
                if case .maximum = op { isMax = true } else { isMax = false }
                let winsA = try (isMax ? a.gt(b) : a.lt(b)).materialized(as: g.dtype)
                let tie = try a.eq(b).materialized(as: g.dtype).mul(Tensor.scalar(.double(0.5)))
                let shareA = try winsA.add(tie)
                let shareB = try Tensor.scalar(.double(1)).sub(shareA)
                return [a.requiresGrad ? try g.mul(shareA).sumToShape(a.shape) : nil,
                        b.requiresGrad ? try g.mul(shareB).sumToShape(b.shape) : nil]
            }
        }
        return out
    }

    /// Negation.
    public func neg() throws -> Tensor {
        if dtype == .bool {
            throw TensorError.runtime(
                "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
        }
        let out = try Elementwise.unary(.neg, self)
        if GradMode.records(self) { out.recorded("NegBackward0", [self]) { g in [try g.neg()] } }
        return out
    }

    // MARK: comparisons and selection

    /// `self == other` element-wise.
    public func eq(_ other: Tensor) throws -> Tensor { try Elementwise.compare(.eq, self, other) }
    /// `self != other` element-wise.
    public func ne(_ other: Tensor) throws -> Tensor { try Elementwise.compare(.ne, self, other) }
    /// `self < other` element-wise.
    public func lt(_ other: Tensor) throws -> Tensor { try Elementwise.compare(.lt, self, other) }
    /// `self <= other` element-wise.
    public func le(_ other: Tensor) throws -> Tensor { try Elementwise.compare(.le, self, other) }
    /// `self > other` element-wise.
    public func gt(_ other: Tensor) throws -> Tensor { try Elementwise.compare(.gt, self, other) }
    /// `self >= other` element-wise.
    public func ge(_ other: Tensor) throws -> Tensor { try Elementwise.compare(.ge, self, other) }

    /// Element-wise logical and (`&` on bool tensors).
    public func logicalAnd(_ other: Tensor) throws -> Tensor { try Elementwise.logical(self, other) { $0 && $1 } }
    /// Element-wise logical or (`|` on bool tensors).
    public func logicalOr(_ other: Tensor) throws -> Tensor { try Elementwise.logical(self, other) { $0 || $1 } }
    /// Element-wise logical xor (`^` on bool tensors).
    public func logicalXor(_ other: Tensor) throws -> Tensor { try Elementwise.logical(self, other) { $0 != $1 } }
    /// Element-wise logical not (`~` on bool tensors).
    public func logicalNot() throws -> Tensor { try eq(Tensor.scalar(.bool(false))) }

    /// `condition ? a : b` element-wise, broadcasting all three (`torch.where`).
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard condition.dtype == .bool else {
            throw TensorError.runtime("where expected condition to be a boolean tensor, but got a tensor with dtype \(condition.dtype.shortName)")
        }
        let dtype = DType.resultType(a, b)
        let shape = try Shape.broadcast(condition.shape, try Shape.broadcast(a.shape, b.shape))
        let out = try Tensor.empty(shape, dtype: dtype)
        Copy.run(from: b, into: out)
        let av = try a.materialized(as: dtype).expand(shape).materialized()
        let cond = try condition.expand(shape).materialized()
        let pc = cond.pointer(Bool.self), pa = av.storage.bytes, po = out.storage.bytes
        let size = dtype.itemSize
        for i in 0..<out.numel where pc[i] { (po + i * size).copyMemory(from: pa + i * size, byteCount: size) }
        if GradMode.records(a, b) {
            out.recorded("WhereBackward0", [a, b], saving: [condition]) { g in
                let zero = Tensor.scalar(.double(0))
                return [a.requiresGrad ? try Tensor.where(condition, g, zero).sumToShape(a.shape) : nil,
                        b.requiresGrad ? try Tensor.where(condition, zero, g).sumToShape(b.shape) : nil]
            }
        }
        return out
    }

    // MARK: operators

    public static func + (a: Tensor, b: Tensor) throws -> Tensor { try a.add(b) }
    public static func - (a: Tensor, b: Tensor) throws -> Tensor { try a.sub(b) }
    public static func * (a: Tensor, b: Tensor) throws -> Tensor { try a.mul(b) }
    public static func / (a: Tensor, b: Tensor) throws -> Tensor { try a.div(b) }
    public static func + (a: Tensor, b: Double) throws -> Tensor { try a.add(.scalar(.double(b))) }
    public static func - (a: Tensor, b: Double) throws -> Tensor { try a.sub(.scalar(.double(b))) }
    public static func * (a: Tensor, b: Double) throws -> Tensor { try a.mul(.scalar(.double(b))) }
    public static func / (a: Tensor, b: Double) throws -> Tensor { try a.div(.scalar(.double(b))) }
    public static func + (a: Double, b: Tensor) throws -> Tensor { try Tensor.scalar(.double(a)).add(b) }
    public static func - (a: Double, b: Tensor) throws -> Tensor { try Tensor.scalar(.double(a)).sub(b) }
    public static func * (a: Double, b: Tensor) throws -> Tensor { try Tensor.scalar(.double(a)).mul(b) }
    public static func / (a: Double, b: Tensor) throws -> Tensor { try Tensor.scalar(.double(a)).div(b) }
    public static prefix func - (a: Tensor) throws -> Tensor { try a.neg() }
}
