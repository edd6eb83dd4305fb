/// Compiled reads and updates of attributes, items and variables, each site in one object: a closure capturing as many
/// values would unpack them all on every run.

/// A compiled attribute read `obj.name`. An instance attribute of an object held by a variable is read in place
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

/// A compiled augmented assignment to an attribute, `obj.name op= value`.
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

    /// The update, the general way.
    func run(_ f: Frame) throws {
        let target = try object(f)
        do {
            let a = try interp.getAttribute(target, getSite)
            try interp.setAttribute(target, setSite, try interp.augmented(op, a, try value(f)))
        } catch { throw Compiler.mark(error, range) }
    }

    /// `self.x += v` on the object in local `slot`, read and written in place (the slot keeps it alive: the code of
    /// `value` cannot rebind a local of this frame).
    @inline(__always) func run(local slot: Int, _ f: Frame) throws {
        guard let object = ReceiverVariable.local(slot).object(in: f),
              let a = object._withUnsafeGuaranteedRef({ interp.instanceAttribute($0, getSite) }) else { return try run(f) }
        do {
            let result = try interp.augmented(op, a, try value(f))
            if object._withUnsafeGuaranteedRef({ !interp.setInstanceAttribute($0, setSite, result) }) {
                try interp.setAttribute(try self.object(f), setSite, result)
            }
        } catch { throw Compiler.mark(error, range) }
    }
}

/// A compiled augmented assignment to a variable, `name op= value`: a local slot or a global cell is read and written
/// in place, other variables (cells, class bodies) through their load and store code.
final class NameUpdate {
    let interp: Interpreter
    let load: ExprCode
    let store: (Frame, Value) -> Void
    let value: ExprCode
    let op: BinOp
    let range: SourceRange

    init(_ interp: Interpreter, load: @escaping ExprCode, store: @escaping (Frame, Value) -> Void, _ op: BinOp,
         value: @escaping ExprCode, _ range: SourceRange) {
        self.interp = interp
        self.load = load
        self.store = store
        self.value = value
        self.op = op
        self.range = range
    }

    @inline(__always) private func combine(_ a: Value, _ f: Frame) throws -> Value {
        let b = try value(f)
        do { return try interp.augmented(op, a, b) } catch { throw Compiler.mark(error, range) }
    }

    /// The update through the variable's load and store code.
    func run(_ f: Frame) throws {
        let a = try load(f)
        store(f, try combine(a, f))
    }

    /// The update of local `slot` (unbound: the load raises).
    @inline(__always) func run(local slot: Int, _ f: Frame) throws {
        guard let a = f.slots[slot] else { return try run(f) }
        f.slots[slot] = try combine(a, f)
    }

    /// The update of a global (unset: the load finds a built-in or raises).
    @inline(__always) func run(global cell: GlobalCell, _ f: Frame) throws {
        guard let a = cell.value else { return try run(f) }
        cell.value = try combine(a, f)
    }
}

/// A compiled subscript, `container[key]`, read or stored to. A dict or list held by a variable that the key's code
/// cannot rebind is read and written in place.
final class ItemAccess {
    let interp: Interpreter
    let container: ExprCode
    let key: ExprCode
    let range: SourceRange

    init(_ interp: Interpreter, container: @escaping ExprCode, key: @escaping ExprCode, _ range: SourceRange) {
        self.interp = interp
        self.container = container
        self.key = key
        self.range = range
    }

    /// The item, the general way.
    func read(_ f: Frame) throws -> Value {
        let c = try container(f), k = try key(f)
        do { return try interp.getItem(c, k) } catch { throw Compiler.mark(error, range) }
    }

    /// The item of the container `variable` holds, read in place when it is a built-in container (or a character of a
    /// short str in a local).
    @inline(__always) func read(in variable: ReceiverVariable, _ f: Frame) throws -> Value {
        guard let object = variable.object(in: f) else {
            guard case .local(let slot) = variable, case .str(let s)? = f.slots[slot] else { return try read(f) }
            let k = try key(f)
            if case .int(let i) = k, let (bytes, count) = inlineASCII(s), i >= -count && i < count {
                return .str(asciiCharacter(inlineByte(bytes, i < 0 ? i + count : i)))
            }
            do { return try interp.getItem(.str(s), k) } catch { throw Compiler.mark(error, range) }
        }
        let k = try key(f)
        let item = try object._withUnsafeGuaranteedRef { c -> Value? in
            do { return try interp.builtinItem(c, k) } catch { throw Compiler.mark(error, range) }
        }
        if let item { return item }
        let c = try container(f)  // the same object: the key did not rebind the variable
        do { return try interp.getItem(c, k) } catch { throw Compiler.mark(error, range) }
    }

    /// Stores `v`, the general way.
    func write(_ f: Frame, _ v: Value) throws {
        let c = try container(f), k = try key(f)
        do { try interp.setItem(c, k, v) } catch { throw Compiler.mark(error, range) }
    }

    /// Stores `v` in the container `variable` holds, in place when it is a built-in container.
    @inline(__always) func write(in variable: ReceiverVariable, _ f: Frame, _ v: Value) throws {
        guard let object = variable.object(in: f) else { return try write(f, v) }
        let k = try key(f)
        let stored = try object._withUnsafeGuaranteedRef { c -> Bool in
            do { return try interp.setBuiltinItem(c, k, v) } catch { throw Compiler.mark(error, range) }
        }
        if stored { return }
        let c = try container(f)  // the same object: the key did not rebind the variable
        do { try interp.setItem(c, k, v) } catch { throw Compiler.mark(error, range) }
    }
}
