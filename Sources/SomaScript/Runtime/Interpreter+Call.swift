/// Calling values: functions, native functions, bound methods, classes and callable instances.
extension Interpreter {
    /// Calls `callee` with positional and keyword arguments.
    public func call(_ callee: Value, _ args: [Value] = [], keywords: [(name: String, value: Value)] = []) throws -> Value {
        guard case .object(let o) = callee else { throw notCallable(callee) }
        if let f = o as? PyFunction { return try callFunction(f, args, keywords) }
        if let n = o as? NativeFunction { return try n.body(self, Arguments(args, keywords: keywords)) }
        if let m = o as? PyBoundMethod { return try callBound(m.function, m.receiver, args, keywords) }
        if let t = o as? PyType { return try construct(t, args, keywords) }
        if let method = o.pyType.lookup("__call__") {
            return try callBound(method, callee, args, keywords)
        }
        throw notCallable(callee)
    }

    /// Calls `method` with `receiver` as its first argument (a method found on the receiver's class), without
    /// building the argument list with the receiver in front where the callee takes the receiver apart.
    public func callBound(_ method: Value, _ receiver: Value, _ args: [Value],
                          _ keywords: [(name: String, value: Value)] = []) throws -> Value {
        if case .object(let o) = method {
            if let n = o as? NativeFunction, let m = n.methodBody { return try m(self, receiver, args, keywords) }
            if let f = o as? PyFunction { return try callFunction(f, receiver: receiver, args, keywords) }
        }
        return try call(method, [receiver] + args, keywords: keywords)
    }

    private func notCallable(_ v: Value) -> PyException {
        PyException.typeError("'\(v.typeName)' object is not callable")
    }

    /// Runs a Soma function: binds arguments into a fresh frame and runs the body (or makes a generator).
    func callFunction(_ f: PyFunction, _ args: [Value], _ keywords: [(name: String, value: Value)]) throws -> Value {
        if keywords.isEmpty && f.bindsDirectly(args.count) {
            return try call(f, given: args.count) { frame in
                for i in 0..<args.count { frame.setArgument(i, args[i]) }
            }
        }
        return try call(f, given: f.code.positionalNames.count) { frame in
            try f.parameters.bind(args, keywords) { frame.slots[$0] = $1 }
        }
    }

    /// `callFunction(f, [receiver] + args, keywords)` without building that array when the arguments bind by position.
    func callFunction(_ f: PyFunction, receiver: Value, _ args: [Value], _ keywords: [(name: String, value: Value)]) throws -> Value {
        let given = args.count + 1
        guard keywords.isEmpty && f.bindsDirectly(given) else {
            return try callFunction(f, [receiver] + args, keywords)
        }
        return try call(f, given: given) { frame in
            frame.setArgument(0, receiver)
            for i in 0..<args.count { frame.setArgument(i + 1, args[i]) }
        }
    }

    /// Runs `f` in a frame whose first slots `fill` binds (`given` positional arguments; the others take their
    /// defaults). The frame comes from its code's free list (or is new) and goes back to it after the call, held
    /// through the list's reference alone: no reference counting per call. Frames of code that recycles them are
    /// never kept beyond their call (only generator frames and frames with cells are, and those are not recycled).
    @inline(__always) func call(_ f: PyFunction, given: Int, filling fill: (Frame) throws -> Void) throws -> Value {
        let frame = makeFrame(f)
        do { try frame._withUnsafeGuaranteedRef(fill) } catch {
            frame.release()
            throw error
        }
        return try enter(f, frame, given: given)
    }

    /// A frame for a call of `f`, holding one reference: a spare frame of its code when there is one, else a new one.
    @inline(__always) private func makeFrame(_ f: PyFunction) -> Unmanaged<Frame> {
        let code = f.code
        if let spare = code.spareFrame {
            spare._withUnsafeGuaranteedRef { frame in
                code.spareFrame = frame.nextSpare
                frame.function = f
                if !f.closure.isEmpty { frame.cells = f.closure }
            }
            return spare
        }
        var cells = f.closure
        if code.ownCellCount > 0 {
            cells = (0..<code.ownCellCount).map { _ in Cell() } + f.closure
        }
        let frame = Frame(slotCount: code.slotCount, cells: cells, globals: f.globals, interp: self)
        frame.function = f
        if !code.recyclesFrames { frame.functionOwner = f }
        return .passRetained(frame)
    }

    /// Runs `f` in `frame`, whose first `given` positional slots hold the arguments (the rest take their defaults),
    /// then clears the frame and leaves it, with its reference, for the next call.
    @inline(__always) private func enter(_ f: PyFunction, _ frame: Unmanaged<Frame>, given: Int) throws -> Value {
        let code = f.code
        if !code.recyclesFrames {
            let frame = frame.takeRetainedValue()
            fillDefaults(f, frame, given: given)
            return try run(f, frame)
        }
        return try frame._withUnsafeGuaranteedRef { frame in
            fillDefaults(f, frame, given: given)
            defer {
                frame.reset()
                frame.nextSpare = code.spareFrame
                code.spareFrame = .passUnretained(frame)
            }
            try checkInterrupt()
            depth += 1
            defer { depth -= 1 }
            if depth > recursionLimit { throw PyException.make("RecursionError", "maximum recursion depth exceeded") }
            do { _ = try code.body(frame) } catch let e as PyException {
                addTraceback(e, file: code.filename, function: code.name, frame: frame)
                throw e
            }
            return frame.takeReturnValue()
        }
    }

    /// Gives the positional parameters after the first `given` their defaults.
    @inline(__always) private func fillDefaults(_ f: PyFunction, _ frame: Frame, given: Int) {
        let code = f.code
        guard given < code.positionalCount else { return }
        let n = code.positionalCount
        let firstDefault = n - f.defaults.count
        for i in given..<n { frame.setArgument(i, f.defaults[i - firstDefault]) }
    }

    /// Runs a function whose arguments are in its frame (code with cells or a generator: frames not recycled).
    private func run(_ f: PyFunction, _ frame: Frame) throws -> Value {
        let code = f.code
        for (slot, cell) in code.cellParameters { frame.cells[cell].value = frame.slots[slot] }
        if code.isGenerator { return makeGenerator(name: code.name, frame: frame, code: code) }
        try checkInterrupt()
        depth += 1
        defer { depth -= 1 }
        if depth > recursionLimit { throw PyException.make("RecursionError", "maximum recursion depth exceeded") }
        return try runBody(code, frame)
    }

    /// Runs a code object's body in its frame, recording the frame in the traceback of an escaping exception.
    private func runBody(_ code: CodeObject, _ frame: Frame) throws -> Value {
        do {
            _ = try code.body(frame)
        } catch let e as PyException {
            addTraceback(e, file: code.filename, function: code.name, frame: frame)
            throw e
        }
        return frame.returnValue
    }

    /// Wraps a frame whose code contains `yield` into a generator object.
    func makeGenerator(name: String, frame: Frame, code: CodeObject) -> Value {
        let runner = GeneratorRunner { [unowned self] in try runBody(code, frame) }
        frame.generator = runner
        return .object(PyGenerator(name: name, runner: runner))
    }

    /// Calls a class: makes an instance and runs `__init__`, or runs a built-in type's constructor.
    func construct(_ t: PyType, _ args: [Value], _ keywords: [(name: String, value: Value)]) throws -> Value {
        if let ctor = t.constructor { return try ctor(self, t, Arguments(args, keywords: keywords)) }
        let object = t.instanceFactory?(t) ?? PyInstance(type: t, hasDict: true)
        let selfValue = Value.object(object)
        if let e = object as? PyException { e.args = args }
        if let initializer = t.lookup("__init__") {
            if initializer.isIdentical(Types.object.dict["__init__"]!) && (!args.isEmpty || !keywords.isEmpty) {
                throw PyException.typeError("\(t.name)() takes no arguments")
            }
            let r = try call(initializer, [selfValue] + args, keywords: keywords)
            if case .none = r {} else { throw PyException.typeError("__init__() should return None, not '\(r.typeName)'") }
        } else if !args.isEmpty || !keywords.isEmpty {
            throw PyException.typeError("\(t.name)() takes no arguments")
        }
        return selfValue
    }
}
