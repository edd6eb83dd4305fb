/// Compilation of try/except/else/finally, raise and with.
extension Compiler {
    func tryStatement(_ body: [Stmt], _ handlers: [ExceptHandler], _ orElse: [Stmt], _ fin: [Stmt]) throws -> StmtCode {
        let interp = self.interp
        let b = try block(body), e = try block(orElse)
        let f2 = fin.isEmpty ? nil : try block(fin)
        let hs = try handlers.map { h -> (ExprCode?, ((Frame, Value) -> Void)?, ((Frame) throws -> Void)?, StmtCode, SourceRange) in
            (try h.type.map { try expr($0) }, h.name.map { storeName($0) }, h.name.map { deleteName($0, h.range) }, try block(h.body), h.range)
        }
        let tryExcept: StmtCode = hs.isEmpty ? b : { f in
            let flow: Flow
            do {
                flow = try b(f)
            } catch let error as PyException {
                for (type, bind, unbind, handler, r) in hs {
                    if let type = type {
                        let t = try type(f)
                        guard try Compiler.matches(error, t, r) else { continue }
                    }
                    bind?(f, .object(error))
                    interp.handling.append(error)
                    defer {
                        interp.handling.removeLast()
                        try? unbind?(f)
                    }
                    do {
                        return try handler(f)
                    } catch let inner as PyException {
                        if inner !== error && inner.context == nil { inner.context = error }
                        throw inner
                    }
                }
                throw error
            }
            if case .normal = flow { return try e(f) }
            return flow
        }
        guard let finBlock = f2 else { return tryExcept }
        return { f in
            let flow: Flow
            do {
                flow = try tryExcept(f)
            } catch {
                let saved = f.returnValue
                let ff = try finBlock(f)
                if case .normal = ff { f.returnValue = saved; throw error }
                return ff
            }
            let saved = f.returnValue
            let ff = try finBlock(f)
            if case .normal = ff { f.returnValue = saved; return flow }
            return ff
        }
    }

    /// Whether an exception matches an `except` clause's class (or tuple of classes).
    static func matches(_ e: PyException, _ t: Value, _ r: SourceRange) throws -> Bool {
        if let tuple = t.as(PyTuple.self) { return try tuple.items.contains { try matches(e, $0, r) } }
        guard let cls = t.as(PyType.self), cls.isSubtype(of: Types.baseException) else {
            throw mark(PyException.typeError("catching classes that do not inherit from BaseException is not allowed"), r)
        }
        return e.isInstance(of: cls)
    }

    func raise(_ e: Expr?, _ cause: Expr?, _ r: SourceRange) throws -> StmtCode {
        let interp = self.interp
        let code = try e.map { try expr($0) }
        let causeCode = try cause.map { try expr($0) }
        return { f in
            guard let code = code else {
                guard let current = interp.handling.last else {
                    throw Compiler.mark(PyException.runtimeError("No active exception to reraise"), r)
                }
                throw current
            }
            let exc = try Compiler.exceptionValue(try code(f), interp)
            if let c = causeCode {
                let cv = try c(f)
                if case .none = cv { exc.cause = nil } else { exc.cause = try Compiler.exceptionValue(cv, interp) }
                exc.suppressContext = true
            }
            if let current = interp.handling.last, current !== exc, exc.context == nil { exc.context = current }
            exc.traceback = []
            exc.pendingRange = r
            throw exc
        }
    }

    /// The exception instance `raise v` raises: an instance, or a new instance of a class.
    static func exceptionValue(_ v: Value, _ interp: Interpreter) throws -> PyException {
        if let e = v.as(PyException.self) { return e }
        if let t = v.as(PyType.self), t.isSubtype(of: Types.baseException) {
            if let e = try interp.call(v).as(PyException.self) { return e }
        }
        throw PyException.typeError("exceptions must derive from BaseException")
    }

    func with(_ items: [(Expr, Expr?)], _ body: [Stmt]) throws -> StmtCode {
        let interp = self.interp
        var inner = try block(body)
        for (ctxExpr, target) in items.reversed() {
            let ctx = try expr(ctxExpr)
            let st = try target.map { try store($0) }
            let run = inner
            let r = ctxExpr.range
            inner = { f in
                let manager = try ctx(f)
                let type = manager.type
                guard let enter = type.lookup("__enter__"), let exit = type.lookup("__exit__") else {
                    throw Compiler.mark(PyException.typeError("'\(type.name)' object does not support the context manager protocol"), r)
                }
                let entered = try interp.call(enter, [manager])
                let flow: Flow
                do {
                    try st?(f, entered)
                    flow = try run(f)
                } catch let e as PyException {
                    let suppress = try interp.call(exit, [manager, .object(e.pyType), .object(e), .none])
                    if try interp.isTruthy(suppress) { return .normal }
                    throw e
                }
                _ = try interp.call(exit, [manager, .none, .none, .none])
                return flow
            }
        }
        return inner
    }
}
