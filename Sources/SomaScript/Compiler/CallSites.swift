/// A compiled call `obj.name(a, b)` with positional arguments: everything its code needs, in one object (a closure
/// capturing as many values would unpack them all on every run). A method found on the receiver's class is called
/// with the receiver in its first slot, without a bound-method object or an argument array (the lookup is cached per
/// site and class); a built-in value's native method gets its short form or the site's reused argument array.
final class MethodCallSite {
    let interp: Interpreter
    let name: String
    let receiver: ExprCode
    let arguments: CodeList<ExprBox>
    let count: Int
    /// The first and second arguments' code (`{ _ in .none }` when there are fewer).
    let first: ExprCode, second: ExprCode
    let range: SourceRange
    let site: AttributeSite
    private let buffer: ArgumentBuffer

    init(_ interp: Interpreter, _ name: String, receiver: @escaping ExprCode, arguments: [ExprBox], _ range: SourceRange) {
        self.interp = interp
        self.name = name
        self.receiver = receiver
        self.arguments = CodeList(arguments)
        count = arguments.count
        first = count > 0 ? arguments[0].run : { _ in .none }
        second = count > 1 ? arguments[1].run : { _ in .none }
        self.range = range
        site = AttributeSite(name)
        buffer = ArgumentBuffer(count: count)
    }

    /// Calls the Soma method the site finds on `io`'s class, with `io` in its first slot (nil: no such method). The
    /// caller keeps `io` alive until the call ends (as a temporary, in a local of `f`, or in a global cell it borrows
    /// from), so the method's frame may hold it without a reference.
    @inline(__always) func callDirectly(_ io: PyObject, _ f: Frame) throws -> Value? {
        if !io.hasDict { return nil }
        if !site.matches(io.pyType) { site.learn(io, forWrite: false) }
        guard let method = site.method, io.pyType === site.type, site.read(io) == nil else { return nil }
        return try method._withUnsafeGuaranteedRef { m -> Value? in
            guard m.bindsDirectly(count + 1) else { return nil }
            do {
                return try interp.call(m, given: count + 1) { frame in
                    if m.code.borrowsFirstArgument {
                        frame.borrowFirstArgument(.passUnretained(io))
                    } else {
                        frame.setArgument(0, .object(io))
                    }
                    if count == 1 {
                        frame.setArgument(1, try first(f))
                    } else {
                        for i in 0..<count { frame.setArgument(i + 1, try arguments.with(i) { try $0.run(f) }) }
                    }
                }
            } catch { throw Compiler.mark(error, range) }
        }
    }

    /// `d.get(k)` on a receiver read in place from a variable the arguments cannot rebind: a native method's short
    /// form (nil: the method has none).
    @inline(__always) func callShortForm(_ io: PyObject, _ f: Frame) throws -> Value? {
        guard !io.hasDict, let short = site.nativeShortMethod(ofTypeOf: io, count: count) else { return nil }
        do { return try interp.callShort(short, io, count, first, second, f) } catch { throw Compiler.mark(error, range) }
    }

    /// The call with the receiver evaluated (`tryDirect`: and a Soma method called directly when it can be).
    func call(_ f: Frame, tryDirect: Bool) throws -> Value {
        let o = try receiver(f)
        if tryDirect, case .object(let io) = o, let result = try callDirectly(io, f) { return result }
        if count == 1 || count == 2 {  // `d.get(k)`, `xs.append(x)`: a native method's short form, no argument array
            let short: Unmanaged<ShortMethod>?
            if case .object(let io) = o {
                short = io.hasDict ? nil : site.nativeShortMethod(io.pyType, count: count)
            } else {
                short = site.nativeShortMethod(o.type, count: count)
            }
            if let short {
                let a = try first(f)
                let b = count == 2 ? try second(f) : nil
                do { return try short._withUnsafeGuaranteedRef { try $0.run(interp, o, a, b) } } catch { throw Compiler.mark(error, range) }
            }
        }
        var pos = buffer.take()
        for i in 0..<count { pos[i] = try arguments.with(i) { try $0.run(f) } }
        defer { buffer.giveBack(&pos) }
        // A built-in value's native method (`d.get(k)`, `s.split()`): looked up once per site and class (values with
        // instance attributes may hide it: they take the general way).
        let native: ((Interpreter, Value, [Value], [(name: String, value: Value)]) throws -> Value)?
        if case .object(let io) = o { native = io.hasDict ? nil : site.nativeMethod(io.pyType) } else { native = site.nativeMethod(o.type) }
        do {
            if let native { return try native(interp, o, pos, []) }
            return try interp.callMethod(o, name, pos)
        } catch { throw Compiler.mark(error, range) }
    }
}

/// A compiled call `f(a, b)` with positional arguments, in one object (see `MethodCallSite`). A Soma function whose
/// parameters bind slot by slot gets the arguments evaluated straight into its frame (no argument array); anything
/// else gets the site's reused array. A global name's site remembers the function it called (see `KnownCallee`).
final class FunctionCallSite {
    let interp: Interpreter
    let callee: ExprCode
    let arguments: CodeList<ExprBox>
    let count: Int
    /// The first argument's code (`{ _ in .none }` without arguments).
    let first: ExprCode
    let range: SourceRange
    private let buffer: ArgumentBuffer
    /// For a global name's call: its cell and the function it was seen to hold.
    let cell: GlobalCell?
    let known = KnownCallee()

    init(_ interp: Interpreter, callee: @escaping ExprCode, arguments: [ExprBox], global cell: GlobalCell?, _ range: SourceRange) {
        self.interp = interp
        self.callee = callee
        self.arguments = CodeList(arguments)
        count = arguments.count
        first = count > 0 ? arguments[0].run : { _ in .none }
        self.range = range
        buffer = ArgumentBuffer(count: count)
        self.cell = cell
    }

    /// The call of the global's function seen last, while the global still holds it (nil: call the general way).
    @inline(__always) func callKnown(_ f: Frame) throws -> Value? {
        guard cell.unsafelyUnwrapped.assignments == known.assignments, let function = known.function else { return nil }
        return try function._withUnsafeGuaranteedRef { pf -> Value? in
            guard pf.bindsDirectly(count) else { return nil }
            do { return try interp.callDirect(pf, first, arguments, from: f) } catch { throw Compiler.mark(error, range) }
        }
    }

    /// Evaluates the callee and calls it (a global's site learns the Soma function called).
    func call(_ f: Frame) throws -> Value {
        let c = try callee(f)
        if case .object(let o) = c, type(of: o) == PyFunction.self {
            let pf = unsafeDowncast(o, to: PyFunction.self)
            if pf.bindsDirectly(count) {
                if let cell { known.remember(pf, at: cell.assignments) }
                do { return try interp.callDirect(pf, first, arguments, from: f) } catch { throw Compiler.mark(error, range) }
            }
        }
        var pos = buffer.take()
        for i in 0..<count { pos[i] = try arguments.with(i) { try $0.run(f) } }
        defer { buffer.giveBack(&pos) }
        do { return try interp.call(c, pos) } catch { throw Compiler.mark(error, range) }
    }
}
