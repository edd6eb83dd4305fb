/// Call compilation: positional fast path, method calls without a bound-method object, `*args`/`**kwargs`, `super()`.
extension Compiler {
    func call(_ callee: Expr, _ args: [CallArg], _ r: SourceRange) throws -> ExprCode {
        let interp = self.interp
        if case .name("super") = callee.kind, args.isEmpty, case .global = scope.ref("super") {
            return zeroArgumentSuper(r)
        }
        // Positional arguments only: compiled into call sites that need no argument array for Soma functions.
        let positional: [ExprBox]? = try args.allSatisfy({ if case .positional = $0 { return true }; return false })
            ? args.map { a -> ExprBox in
                if case .positional(let e) = a { return ExprBox(try expr(e)) }
                fatalError("unreachable")
            }
            : nil
        if case .attribute(let objExpr, let name) = callee.kind {
            let obj = try expr(objExpr)
            if let positional {
                let call = MethodCallSite(interp, name, receiver: obj, arguments: positional, r)
                guard let variable = receiverVariable(objExpr) else { return { f in try call.call(f, tryDirect: true) } }
                // The receiver read in place from its variable, without a reference.
                if case .global(let cell) = variable {
                    // `model.step(x)` on a global: the object stays alive while the call borrows it from the variable,
                    // even if the arguments or the method rebind it.
                    return { f in
                        if let object = variable.object(in: f) {
                            cell.beginBorrow()
                            defer { cell.endBorrow() }
                            if let result = try object._withUnsafeGuaranteedRef({ try call.callDirectly($0, f) }) { return result }
                        }
                        return try call.call(f, tryDirect: false)
                    }
                }
                guard call.count == 1 || call.count == 2 else {
                    return { f in
                        if let object = variable.object(in: f),
                           let result = try object._withUnsafeGuaranteedRef({ try call.callDirectly($0, f) }) {
                            return result
                        }
                        return try call.call(f, tryDirect: false)
                    }
                }
                // `d.get(k)` on a local `d`: also the short form of a native method, the receiver read in place after the
                // arguments (whose code cannot rebind a local).
                return { f in
                    if let object = variable.object(in: f) {
                        if let result = try object._withUnsafeGuaranteedRef({ try call.callDirectly($0, f) }) { return result }
                        if let result = try object._withUnsafeGuaranteedRef({ try call.callShortForm($0, f) }) { return result }
                    }
                    return try call.call(f, tryDirect: false)
                }
            }
            let argCodes = try generalArguments(args, r)
            return { f in
                let o = try obj(f)
                let (pos, kw) = try argCodes(f)
                do { return try interp.callMethod(o, name, pos, kw) } catch { throw Compiler.mark(error, r) }
            }
        }
        let fn = try expr(callee)
        if let boxes = positional {
            guard case .name(let name) = callee.kind, case .global(let g) = scope.ref(name) else {
                let call = FunctionCallSite(interp, callee: fn, arguments: boxes, global: nil, r)
                return { f in try call.call(f) }
            }
            let call = FunctionCallSite(interp, callee: fn, arguments: boxes, global: globals.cell(g), r)
            if boxes.count == 1, case .object(let o)? = interp.builtins[name], let builtin = (o as? NativeFunction)?.oneArgument {
                // `len(x)`: a built-in of one argument, while no global of that name hides it, gets its argument alone.
                let cell = globals.cell(g)
                return { f in
                    if cell.assignments == 0 {
                        do { return try builtin(interp, try call.first(f)) } catch { throw Compiler.mark(error, r) }
                    }
                    return try call.call(f)
                }
            }
            return { f in try call.callKnown(f) ?? call.call(f) }
        }
        let argCodes = try generalArguments(args, r)
        return { f in
            let c = try fn(f)
            let (pos, kw) = try argCodes(f)
            do { return try interp.call(c, pos, keywords: kw) } catch { throw Compiler.mark(error, r) }
        }
    }

    private func generalArguments(_ args: [CallArg], _ r: SourceRange) throws -> (Frame) throws -> ([Value], [(name: String, value: Value)]) {
        let interp = self.interp
        enum Piece { case pos(ExprCode), star(ExprCode), kw(String, ExprCode), kwStar(ExprCode) }
        let pieces: [Piece] = try args.map { a in
            switch a {
            case .positional(let e): return .pos(try expr(e))
            case .star(let e): return .star(try expr(e))
            case .keyword(let n, let e): return .kw(n, try expr(e))
            case .doubleStar(let e): return .kwStar(try expr(e))
            }
        }
        return { f in
            var pos: [Value] = []
            var kw: [(name: String, value: Value)] = []
            for p in pieces {
                switch p {
                case .pos(let c): pos.append(try c(f))
                case .star(let c):
                    let v = try c(f)
                    do { pos += try interp.iterate(v) } catch let e as PyException where e.isInstance(of: "TypeError") {
                        throw Compiler.mark(PyException.typeError("Value after * must be an iterable, not \(v.typeName)"), r)
                    }
                case .kw(let n, let c): kw.append((n, try c(f)))
                case .kwStar(let c):
                    let v = try c(f)
                    guard let d = v.as(PyDict.self) else {
                        throw Compiler.mark(PyException.typeError("argument after ** must be a mapping, not \(v.typeName)"), r)
                    }
                    for (k, x) in d.entries {
                        guard case .str(let name) = k else { throw Compiler.mark(PyException.typeError("keywords must be strings"), r) }
                        if kw.contains(where: { $0.name == name }) {
                            throw Compiler.mark(PyException.typeError("got multiple values for keyword argument '\(name)'"), r)
                        }
                        kw.append((name, x))
                    }
                }
            }
            return (pos, kw)
        }
    }

    /// `super()` inside a method: the defining class and the first argument of the running function.
    private func zeroArgumentSuper(_ r: SourceRange) -> ExprCode {
        return { f in
            guard let fn = f.function, let cls = fn.definingClass, fn.code.slotCount > 0 || !fn.code.cellParameters.isEmpty,
                  let receiver = f.slots[0] ?? fn.code.cellParameters.first.flatMap({ f.cells[$0.1].value }) else {
                throw Compiler.mark(PyException.runtimeError("super(): no arguments"), r)
            }
            return .object(PySuper(startAfter: cls, receiver: receiver))
        }
    }
}

/// The Soma function a call site of a global name called, kept by the site so that the next calls, while the global
/// still holds it, neither copy the global's value nor take a reference to the function. Only functions without
/// closure cells are kept (a kept function stays alive as long as the calling code).
final class KnownCallee {
    /// The function, read without taking a reference (`kept` holds it).
    private(set) var function: Unmanaged<PyFunction>?
    /// The global's `assignments` when it was seen to hold `function`.
    private(set) var assignments = -1
    /// Every function `function` was: a call through the site may still run one when the site learns another.
    private var kept: [PyFunction] = []

    /// Remembers `f`, found in the global when its assignment count was `assignments`.
    func remember(_ f: PyFunction, at assignments: Int) {
        guard f.closure.isEmpty else { return }
        if function?.toOpaque() != Unmanaged.passUnretained(f).toOpaque() {
            if !kept.contains(where: { $0 === f }) { kept.append(f) }
            function = .passUnretained(f)
        }
        self.assignments = assignments
    }
}

/// A call site's argument array, reused from call to call so that calls of native functions allocate no array (a
/// callee that keeps the array keeps its own copy: arrays copy on write). A call that starts while another call
/// through the same site still runs (recursion) finds the buffer taken and uses a new array.
final class ArgumentBuffer {
    private let count: Int
    /// `count` Nones between calls (empty while a call uses it).
    private var spare: [Value]

    init(count: Int) {
        self.count = count
        spare = Array(repeating: .none, count: count)
    }

    /// An array of `count` Nones for the call to fill, taken from the site.
    @inline(__always) func take() -> [Value] {
        var a: [Value] = []
        swap(&a, &spare)
        if a.count != count { a = Array(repeating: .none, count: count) }
        return a
    }

    /// Sets `a`'s elements back to None (releasing the arguments) and leaves it for the site's next call.
    @inline(__always) func giveBack(_ a: inout [Value]) {
        for i in 0..<a.count { a[i] = .none }
        swap(&a, &spare)
    }
}

extension Interpreter {
    /// `io.method(a)` or `io.method(a, b)` through the method's short form, with `count` arguments from `first` and
    /// `second`: closures passed as arguments are called without taking a reference on their contexts.
    func callShort(_ short: Unmanaged<ShortMethod>, _ io: PyObject, _ count: Int,
                   _ first: ExprCode, _ second: ExprCode, _ f: Frame) throws -> Value {
        let a = try first(f)
        let b = count == 2 ? try second(f) : nil
        return try short._withUnsafeGuaranteedRef { try $0.run(self, .object(io), a, b) }
    }

    /// Calls `f`, which binds `args.count` positional arguments slot by slot, with the arguments evaluated in `caller`
    /// straight into its frame (no argument array). `first` is `args[0]`, called without taking a reference to it.
    @inline(__always) func callDirect(_ f: PyFunction, _ first: ExprCode, _ args: CodeList<ExprBox>, from caller: Frame) throws -> Value {
        try call(f, given: args.count) { frame in
            if args.count == 1 {
                frame.setArgument(0, try first(caller))
            } else {
                for i in 0..<args.count { frame.setArgument(i, try args.with(i) { try $0.run(caller) }) }
            }
        }
    }

    /// `receiver.name(args)` without allocating a bound method when the attribute is a plain method.
    public func callMethod(_ receiver: Value, _ name: String, _ args: [Value], _ keywords: [(name: String, value: Value)] = []) throws -> Value {
        let t = receiver.type
        if case .object(let o) = receiver {
            if o is PyType || o is PyModule || o is PySuper { return try call(try getAttribute(receiver, name), args, keywords: keywords) }
            if let attrs = o.attributes, let v = attrs[name], !t.hasProperty(name) { return try call(v, args, keywords: keywords) }
        }
        if let m = t.lookup(name), case .object(let fo) = m {
            if let f = fo as? PyFunction { return try callFunction(f, receiver: receiver, args, keywords) }
            if let n = fo as? NativeFunction {
                if let m = n.methodBody { return try m(self, receiver, args, keywords) }
                return try n.body(self, Arguments([receiver] + args, keywords: keywords))
            }
        }
        return try call(try getAttribute(receiver, name), args, keywords: keywords)
    }
}
