/// Compilation of defs, lambdas, classes and comprehensions (each gets its own scope and frame).
extension Compiler {
    /// A compiler for a nested scope.
    private func nested(_ s: ScopeNode, prefix: String) -> Compiler {
        let c = Compiler(filename: filename, interp: interp)
        c.scope = s
        c.globals = globals
        c.qualPrefix = prefix
        return c
    }

    /// Indices in the current frame's cells of the variables a nested scope captures.
    private func closureIndices(_ s: ScopeNode) -> [Int] {
        s.symbols.freeVars.map { scope.symbols.cellIndex[$0]! }
    }

    /// Code that makes a function object (and applies its decorators).
    func function(_ s: ScopeNode) throws -> ExprCode {
        let interp = self.interp
        let qualname = qualPrefix + s.name
        let sub = nested(s, prefix: qualname + ".<locals>.")
        let body: StmtCode
        if case .lambda = s.kind {
            let value = try sub.expr(s.element!)
            body = { f in f.returnValue = try value(f); return .returnValue }
        } else {
            body = try sub.block(s.body)
        }
        let code = CodeObject(scope: s, filename: filename, body: body)
        let defaults = try s.params.positional.compactMap { p in try p.defaultValue.map { try expr($0) } }
        let kwDefaults = try s.params.keywordOnly.compactMap { p in try p.defaultValue.map { (p.name, try expr($0)) } }
        let decorators = try s.decorators.map { try expr($0) }
        let cells = closureIndices(s)
        let globals = self.globals
        return { f in
            let fn = PyFunction(code: code, globals: globals, closure: cells.map { f.cells[$0] },
                                defaults: try defaults.map { try $0(f) },
                                keywordDefaults: Dictionary(uniqueKeysWithValues: try kwDefaults.map { ($0.0, try $0.1(f)) }),
                                qualname: qualname)
            var v = Value.object(fn)
            for d in decorators.reversed() { v = try interp.call(try d(f), [v]) }
            return v
        }
    }

    /// Code that runs a class body and binds the new class.
    func classDef(_ s: ScopeNode) throws -> StmtCode {
        let interp = self.interp
        let sub = nested(s, prefix: qualPrefix + s.name + ".")
        let body = try sub.block(s.body)
        let bases = try s.bases.map { try expr($0) }
        let cells = closureIndices(s)
        let st = storeName(s.name)
        let globals = self.globals
        let filename = self.filename
        return { f in
            var base = Types.object
            if let b = bases.first {
                let v = try b(f)
                guard let t = v.as(PyType.self) else { throw PyException.typeError("class base must be a class, not '\(v.typeName)'") }
                if t.constructor != nil && t !== Types.object {
                    throw PyException.typeError("subclassing the built-in type '\(t.name)' is not supported in Soma")
                }
                base = t
            }
            let frame = Frame(slotCount: 0, cells: cells.map { f.cells[$0] }, globals: globals, interp: interp)
            frame.namespace = [:]
            do { _ = try body(frame) } catch let e as PyException {
                interp.addTraceback(e, file: filename, function: s.name, frame: frame)
                throw e
            }
            let cls = PyType(name: s.name, base: base, module: globals.moduleName, dict: frame.namespace!)
            cls.doc = s.docstring
            for v in cls.dict.values { Compiler.setDefiningClass(v, cls) }
            st(f, .object(cls))
            return .normal
        }
    }

    private static func setDefiningClass(_ v: Value, _ cls: PyType) {
        guard case .object(let o) = v else { return }
        if let fn = o as? PyFunction { fn.definingClass = cls }
        if let w = o as? PyMethodWrapper { setDefiningClass(w.function, cls) }
        if let p = o as? PyProperty {
            if let g = p.getter { setDefiningClass(g, cls) }
            if let s = p.setter { setDefiningClass(s, cls) }
        }
    }

    /// Code for a list/set/dict comprehension or generator expression.
    func comprehension(_ s: ScopeNode) throws -> ExprCode {
        let interp = self.interp
        guard case .comprehension(let kind) = s.kind else { fatalError("not a comprehension") }
        let sub = nested(s, prefix: qualPrefix)
        let first = try expr(s.clauses[0].iter)
        let element = try sub.expr(s.element!)
        let value = try s.value.map { try sub.expr($0) }
        var emit: (Frame) throws -> Void
        switch kind {
        // The result's class is known (made below for this kind): no checked cast per element.
        case .list:
            emit = { f in
                let x = try element(f)
                f.comprehensionContainer._withUnsafeGuaranteedRef { unsafeDowncast($0, to: PyList.self).items.append(x) }
            }
        case .set:
            emit = { f in
                let x = try element(f)
                try f.comprehensionContainer._withUnsafeGuaranteedRef { try unsafeDowncast($0, to: PySet.self).add(x) }
            }
        case .dict:
            emit = { f in
                let k = try element(f), v = try value!(f)
                try f.comprehensionContainer._withUnsafeGuaranteedRef { try unsafeDowncast($0, to: PyDict.self).set(k, v) }
            }
        case .generator: emit = { f in _ = try f.generator!.yieldValue(try element(f)) }
        }
        for (level, clause) in s.clauses.enumerated().reversed() {
            let inner = emit
            let st = try sub.store(clause.target)
            let slot = sub.localSlot(clause.target)
            let conds = CodeList(try clause.conditions.map { ConditionBox(try sub.condition($0)) })
            let source: ExprCode = level == 0 ? { f in f.comprehensionSource } : try sub.expr(clause.iter)
            let r = clause.iter.range
            emit = { f in
                let src = try source(f)
                if let range = src.as(PyRange.self) {  // no iterator closure for range and list sources
                    var i = range.start
                    let stop = range.stop, step = range.step
                    outer: while step > 0 ? i < stop : i > stop {
                        try interp.checkInterrupt()
                        if slot >= 0 { f.slots[slot] = .int(i) } else { try st(f, .int(i)) }
                        i += step
                        for c in 0..<conds.count where !(try conds.with(c) { try $0.run(f) }) { continue outer }
                        try inner(f)
                    }
                    return
                }
                if let list = src.as(PyList.self) {
                    var i = 0
                    outer: while i < list.items.count {
                        try interp.checkInterrupt()
                        let x = list.items[i]
                        i += 1
                        if slot >= 0 { f.slots[slot] = x } else { try st(f, x) }
                        for c in 0..<conds.count where !(try conds.with(c) { try $0.run(f) }) { continue outer }
                        try inner(f)
                    }
                    return
                }
                let next: () throws -> Value?
                do { next = try interp.makeIterator(src) } catch { throw Compiler.mark(error, r) }
                outer: while let x = try next() {
                    try interp.checkInterrupt()
                    if slot >= 0 { f.slots[slot] = x } else { try st(f, x) }
                    for c in 0..<conds.count where !(try conds.with(c) { try $0.run(f) }) { continue outer }
                    try inner(f)
                }
            }
        }
        let run = emit
        let cells = closureIndices(s)
        let slotCount = s.symbols.slotCount, ownCells = s.symbols.ownCells.count
        let globals = self.globals
        let code = kind == .generator ? CodeObject(scope: s, filename: filename, body: { f in try run(f); return .normal }) : nil
        // `[e for x in xs]`: one element per item of a list, range or dict, so the list is made with that room.
        let onePerItem = s.clauses.count == 1 && s.clauses[0].conditions.isEmpty
        return { f in
            let src = try first(f)
            let frame = Frame(slotCount: slotCount, cells: (0..<ownCells).map { _ in Cell() } + cells.map { f.cells[$0] },
                              globals: globals, interp: interp)
            if let code = code {
                frame.comprehensionSource = .object(PyIterator(try interp.makeIterator(src)))
                return interp.makeGenerator(name: "<genexpr>", frame: frame, code: code)
            }
            frame.comprehensionSource = src
            switch kind {
            case .list:
                let list = PyList()
                if onePerItem, case .object(let o) = src {
                    if let l = o as? PyList { list.items.reserveCapacity(l.items.count) }
                    else if let r = o as? PyRange { list.items.reserveCapacity(r.count) }
                    else if let d = o as? PyDict { list.items.reserveCapacity(d.count) }
                }
                frame.comprehensionResult = list
            case .set: frame.comprehensionResult = try PySet()
            default: frame.comprehensionResult = PyDict()
            }
            try run(frame)
            return .object(frame.comprehensionResult!)
        }
    }
}
