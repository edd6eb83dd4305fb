/// A compiled attribute read `obj.name`: everything its code needs, in one object (a closure capturing as many values
/// would unpack them all on every run). An instance attribute of an object held by a variable is read in place
/// through the site's cached layout.
final class AttributeRead {
    let interp: Interpreter
    let object: ExprCode
    let site: AttributeSite
    let range: SourceRange

    init(_ interp: Interpreter, object: @escaping ExprCode, _ name: String, _ range: SourceRange) {
        self.interp = interp
        self.object = object
        site = AttributeSite(name)
        self.range = range
    }

    /// The instance attribute of the object `variable` holds, read without taking a reference on the object (nil: the
    /// variable holds no object, or the attribute is found another way).
    @inline(__always) func instanceAttribute(of variable: ReceiverVariable, in f: Frame) -> Value? {
        guard let o = variable.object(in: f) else { return nil }
        return o._withUnsafeGuaranteedRef { interp.instanceAttribute($0, site) }
    }

    /// The attribute of the object's value, found the general way.
    func read(_ f: Frame) throws -> Value {
        let v = try object(f)
        do { return try interp.getAttribute(v, site) } catch { throw Compiler.mark(error, range) }
    }
}

/// A compiled augmented assignment to an attribute, `obj.name op= value`, in one object (see `AttributeRead`).
final class AttributeUpdate {
    let interp: Interpreter
    let object: ExprCode
    let value: ExprCode
    let op: BinOp
    let getSite: AttributeSite, setSite: AttributeSite
    let range: SourceRange

    init(_ interp: Interpreter, object: @escaping ExprCode, _ name: String, _ op: BinOp, value: @escaping ExprCode,
         _ range: SourceRange) {
        self.interp = interp
        self.object = object
        self.value = value
        self.op = op
        getSite = AttributeSite(name)
        setSite = AttributeSite(name)
        self.range = range
    }

    /// `a op b`, with the int addition that cannot overflow done in place.
    @inline(__always) private func combine(_ a: Value, _ b: Value) throws -> Value {
        if op == .add, case .int(let i) = a, case .int(let j) = b, case (let s, false) = i.addingReportingOverflow(j) {
            return .int(s)
        }
        return try interp.inPlace(op, a, b)
    }

    /// The update, the general way.
    func run(_ f: Frame) throws {
        let target = try object(f)
        do {
            let a = try interp.getAttribute(target, getSite)
            try interp.setAttribute(target, setSite, try combine(a, try value(f)))
        } catch { throw Compiler.mark(error, range) }
    }

    /// `self.x += v` on the object in local `slot`, read and written in place (the slot keeps it alive: the code of
    /// `value` cannot rebind a local of this frame).
    @inline(__always) func run(local slot: Int, _ f: Frame) throws {
        guard let object = ReceiverVariable.local(slot).object(in: f),
              let a = object._withUnsafeGuaranteedRef({ interp.instanceAttribute($0, getSite) }) else { return try run(f) }
        do {
            let result = try combine(a, try value(f))
            if object._withUnsafeGuaranteedRef({ !interp.setInstanceAttribute($0, setSite, result) }) {
                try interp.setAttribute(try self.object(f), setSite, result)
            }
        } catch { throw Compiler.mark(error, range) }
    }
}
