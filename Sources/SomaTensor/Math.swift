import Foundation

/// Unary math and activations; each gradient rule sits next to its forward.
extension Tensor {
    private func unary(_ op: UnaryOp, _ name: String, saving: [Tensor]? = nil, _ rule: ((Tensor, Tensor) throws -> Tensor)?) throws -> Tensor {
        let out = try Elementwise.unary(op, self)
        if let rule, GradMode.records(self) {
            let x = self, y = out.detach()
            out.recorded(name, [x], saving: saving ?? [x]) { g in [try rule(g, y)] }
        }
        return out
    }

    /// e^x.
    public func exp() throws -> Tensor {
        let out = try Elementwise.unary(.exp, self)
        if GradMode.records(self) {
            let y = out.detach()
            out.recorded("ExpBackward0", [self], saving: [out]) { g in [try g.mul(y)] }
        }
        return out
    }

    /// Natural logarithm.
    public func log() throws -> Tensor {
        let x = self
        return try unary(.log, "LogBackward0") { g, _ in try g.div(x) }
    }

    /// Square root.
    public func sqrt() throws -> Tensor {
        let out = try Elementwise.unary(.sqrt, self)
        if GradMode.records(self) {
            let y = out.detach()
            out.recorded("SqrtBackward0", [self], saving: [out]) { g in [try g.div(y.mul(Tensor.scalar(.double(2))))] }
        }
        return out
    }

    /// Absolute value.
    public func abs() throws -> Tensor {
        let x = self
        return try unary(.abs, "AbsBackward0") { g, _ in try g.mul(x.sign()) }
    }

    /// -1, 0 or 1 by sign (not differentiable: zero gradient).
    public func sign() throws -> Tensor { try Elementwise.unary(.sign, self) }

    /// Sine.
    public func sin() throws -> Tensor {
        let x = self
        return try unary(.sin, "SinBackward0") { g, _ in try g.mul(x.cos()) }
    }

    /// Cosine.
    public func cos() throws -> Tensor {
        let x = self
        return try unary(.cos, "CosBackward0") { g, _ in try g.mul(x.sin()).neg() }
    }

    /// Hyperbolic tangent.
    public func tanh() throws -> Tensor {
        let out = try Elementwise.unary(.tanh, self)
        if GradMode.records(self) {
            let y = out.detach()
            out.recorded("TanhBackward0", [self], saving: [out]) { g in [try Elementwise.binary(.tanhGrad, g, y, dtype: g.dtype)] }
        }
        return out
    }

    /// Logistic sigmoid.
    public func sigmoid() throws -> Tensor {
        let out = try Elementwise.unary(.sigmoid, self)
        if GradMode.records(self) {
            let y = out.detach()
            out.recorded("SigmoidBackward0", [self], saving: [out]) { g in [try Elementwise.binary(.sigmoidGrad, g, y, dtype: g.dtype)] }
        }
        return out
    }

    /// Swift.max(x, 0).
    public func relu() throws -> Tensor {
        let out = try Elementwise.unary(.relu, self)
        if GradMode.records(self) {
            let y = out.detach()
            out.recorded("ReluBackward0", [self], saving: [out]) { g in [try Elementwise.binary(.reluGrad(slope: 0), g, y, dtype: g.dtype)] }
        }
        return out
    }

    /// x for x > 0, else `slope * x`.
    public func leakyRelu(_ slope: Double = 0.01) throws -> Tensor {
        let out = try Elementwise.unary(.leakyRelu(slope), self)
        if GradMode.records(self) {
            let x = self
            out.recorded("LeakyReluBackward0", [x], saving: [x]) { g in [try Elementwise.binary(.reluGrad(slope: slope), g, x, dtype: g.dtype)] }
        }
        return out
    }

    /// Gaussian error linear unit (exact, erf-based).
    public func gelu() throws -> Tensor {
        let x = self
        return try unary(.gelu, "GeluBackward0") { g, _ in
            // d/dx x·Φ(x) = Φ(x) + x·φ(x)
            let cdf = try x.mul(Tensor.scalar(.double(0.7071067811865476))).erfValues().add(Tensor.scalar(.double(1)))
                .mul(Tensor.scalar(.double(0.5)))
            let pdf = try x.mul(x).mul(Tensor.scalar(.double(-0.5))).exp().mul(Tensor.scalar(.double(0.3989422804014327)))
            return try g.mul(cdf.add(x.mul(pdf)))
        }
    }

    /// The error function, without gradient (used by gelu's rule).
    func erfValues() throws -> Tensor { try Elementwise.unary(.erf, self) }

    /// Limits values to [min, max]; the gradient flows where the value was inside.
    public func clamp(min lo: Double? = nil, max hi: Double? = nil) throws -> Tensor {
        guard lo != nil || hi != nil else { throw TensorError.runtime("torch.clamp: At least one of 'min' or 'max' must not be None") }
        let x = self
        return try unary(.clamp(min: lo, max: hi), "ClampBackward1") { g, _ in
            try Elementwise.binary(.clampGrad(min: lo, max: hi), g, x, dtype: g.dtype)
        }
    }

    /// Rounds down (no gradient).
    public func floor() throws -> Tensor { try Elementwise.unary(.floor, self) }
    /// Rounds up (no gradient).
    public func ceil() throws -> Tensor { try Elementwise.unary(.ceil, self) }
    /// Rounds half to even (no gradient).
    public func round() throws -> Tensor { try Elementwise.unary(.round, self) }
}
