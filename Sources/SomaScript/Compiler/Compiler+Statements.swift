/// Statement compilation.
extension Compiler {
    /// A statement's code (`block` marks exceptions leaving it with its range).
    func statement(_ s: Stmt) throws -> StmtCode {
        let r = s.range
        let interp = self.interp
        switch s.kind {
        case .expr(let e):
            let c = try expr(e)
            return { f in _ = try c(f); return .normal }
        case .assign(let targets, let value):
            let v = try expr(value)
            if targets.count == 1, case .name(let n) = targets[0].kind {
                let st = storeName(n)
                return { f in st(f, try v(f)); return .normal }
            }
            if targets.count == 1 {  // `d[k] = v`, `o.x = v`: the store closure captured alone (an array's is copied per call)
                let st = try store(targets[0])
                return { f in try st(f, try v(f)); return .normal }
            }
            let stores = try targets.map { try store($0) }
            return { f in
                let x = try v(f)
                for st in stores { try st(f, x) }
                return .normal
            }
        case .augAssign(let target, let op, let value): return try augmented(target, op, value, r)
        case .annAssign(let target, let value):
            guard let value = value else { return { _ in .normal } }
            let v = try expr(value), st = try store(target)
            return { f in try st(f, try v(f)); return .normal }
        case .del(let targets):
            let dels = try targets.map { try delete($0) }
            return { f in for d in dels { try d(f) }; return .normal }
        case .pass, .global, .nonlocal: return { _ in .normal }
        case .breakLoop: return { _ in .breakLoop }
        case .continueLoop: return { _ in .continueLoop }
        case .returnValue(let e):
            guard let e = e else { return { f in f.returnValue = .none; return .returnValue } }
            let c = try expr(e)
            return { f in f.returnValue = try c(f); return .returnValue }
        case .ifElse(let cond, let a, let b):
            let c = try condition(cond)
            if b.isEmpty, a.count == 1, case .returnValue(let e) = a[0].kind {
                // `if c: return x`, one closure (an exception from `x` is marked with the return's line, as `block` would)
                let value: ExprCode = if let e { try expr(e) } else { { _ in .none } }
                let returnRange = a[0].range
                return { f in
                    guard try c(f) else { return .normal }
                    do { f.returnValue = try value(f) } catch { throw Compiler.mark(error, returnRange) }
                    return .returnValue
                }
            }
            let x = try block(a)
            if b.isEmpty { return { f in try c(f) ? try x(f) : .normal } }
            let y = try block(b)
            return { f in try c(f) ? try x(f) : try y(f) }
        case .whileLoop(let cond, let body, let orElse):
            let c = try condition(cond), b = try block(body), e = try block(orElse)
            return { f in
                while try c(f) {
                    try interp.checkInterrupt()
                    switch try b(f) {
                    case .breakLoop: return .normal
                    case .returnValue: return .returnValue
                    default: continue
                    }
                }
                return try e(f)
            }
        case .forLoop(let target, let iter, let body, let orElse): return try forLoop(target, iter, body, orElse)
        case .funcDef(let scope):
            let make = try function(scope)
            let st = storeName(scope.name)
            return { f in st(f, try make(f)); return .normal }
        case .classDef(let scope): return try classDef(scope)
        case .tryStmt(let body, let handlers, let orElse, let fin): return try tryStatement(body, handlers, orElse, fin)
        case .raise(let e, let cause): return try raise(e, cause, r)
        case .assert(let cond, let message):
            let c = try condition(cond), m = try message.map { try expr($0) }
            return { f in
                if try c(f) { return .normal }
                let e = PyException(type: Types.exception("AssertionError"), args: try m.map { [try $0(f)] } ?? [])
                e.pendingRange = r
                throw e
            }
        case .with(let items, let body): return try with(items, body)
        case .importModule(let names):
            let binds = names.map { (path, alias) -> (String, String?, (Frame, Value) -> Void) in
                (path, alias, storeName(alias ?? String(path.split(separator: ".")[0])))
            }
            return { f in
                for (path, alias, st) in binds {
                    do {
                        let m = try interp.importModule(path)
                        st(f, alias != nil ? .object(m) : .object(try interp.importModule(String(path.split(separator: ".")[0]))))
                    } catch { throw Compiler.mark(error, r) }
                }
                return .normal
            }
        case .importFrom(let module, let names):
            let binds = names.map { ($0.name, storeName($0.alias ?? $0.name)) }
            return { f in
                do {
                    let m = try interp.importModule(module)
                    for (name, st) in binds { st(f, try interp.importName(name, from: m)) }
                } catch { throw Compiler.mark(error, r) }
                return .normal
            }
        }
    }

    private func augmented(_ target: Expr, _ op: BinOp, _ value: Expr, _ r: SourceRange) throws -> StmtCode {
        let interp = self.interp
        let v = try expr(value)
        switch target.kind {
        case .name(let n):
            let update = NameUpdate(interp, load: load(n, target.range), store: storeName(n), op, value: v, r)
            switch scope.ref(n) {
            case .local(let slot): return { f in try update.run(local: slot, f); return .normal }
            case .global(let g):
                let cell = globals.cell(g)
                return { f in try update.run(global: cell, f); return .normal }
            default: return { f in try update.run(f); return .normal }
            }
        case .attribute(let obj, let name):
            let update = AttributeUpdate(interp, object: try expr(obj), name, op, value: v, r)
            guard case .local(let slot)? = receiverVariable(obj) else { return { f in try update.run(f); return .normal } }
            return { f in try update.run(local: slot, f); return .normal }
        case .itemAccess(let obj, let index):
            let o = try expr(obj), i = try expr(index)
            return { f in
                let c = try o(f), k = try i(f)
                do {
                    let a = try interp.getItem(c, k)
                    let b = try v(f)
                    try interp.setItem(c, k, try interp.augmented(op, a, b))
                } catch { throw Compiler.mark(error, r) }
                return .normal
            }
        default:
            throw SyntaxError("'\(Parser.describe(target))' is an illegal expression for augmented assignment", target.range)
        }
    }

    private func delete(_ target: Expr) throws -> (Frame) throws -> Void {
        let interp = self.interp
        let r = target.range
        switch target.kind {
        case .name(let n): return deleteName(n, r)
        case .attribute(let obj, let name):
            let o = try expr(obj)
            return { f in
                let x = try o(f)
                do { try interp.deleteAttribute(x, name) } catch { throw Compiler.mark(error, r) }
            }
        case .itemAccess(let obj, let index):
            let o = try expr(obj), i = try expr(index)
            return { f in
                let c = try o(f), k = try i(f)
                do { try interp.deleteItem(c, k) } catch { throw Compiler.mark(error, r) }
            }
        case .tuple(let items), .list(let items):
            let dels = try items.map { try delete($0) }
            return { f in for d in dels { try d(f) } }
        default: throw SyntaxError("cannot delete \(Parser.describe(target))", r)
        }
    }

    private func forLoop(_ target: Expr, _ iter: Expr, _ body: [Stmt], _ orElse: [Stmt]) throws -> StmtCode {
        let interp = self.interp
        let it = try expr(iter), b = try block(body), e = try block(orElse)
        let st = try store(target)
        let slot = localSlot(target)
        let r = iter.range
        return { f in
            // One item: bind it, run the body; nil goes on, else what the loop returns (`break` skips `else`).
            func iteration(_ x: consuming Value) throws -> Flow? {  // consuming: the item moves into its slot
                try interp.checkInterrupt()
                if slot >= 0 { f.slots[slot] = x } else { try st(f, x) }
                switch try b(f) {
                case .breakLoop: return .normal
                case .returnValue: return .returnValue
                default: return nil
                }
            }
            let source = try it(f)
            if let range = source.as(PyRange.self) {
                var i = range.start
                let stop = range.stop, step = range.step
                while step > 0 ? i < stop : i > stop {
                    let x = i
                    i += step
                    if let done = try iteration(.int(x)) { return done }
                }
            } else if let list = source.as(PyList.self) {  // the list iterator's semantics (sees appends), without its closure
                var i = 0
                while i < list.items.count {
                    let x = list.items[i]
                    i += 1
                    if let done = try iteration(x) { return done }
                }
            } else if let dict = source.as(PyDict.self) {  // the dict's keys, without an iterator closure
                var position = 0
                let size = dict.count
                while let x = try dict.nextKey(&position, size: size) {
                    if let done = try iteration(x) { return done }
                }
            } else {
                let next: () throws -> Value?
                do { next = try interp.makeIterator(source) } catch { throw Compiler.mark(error, r) }
                while let x = try next() {
                    if let done = try iteration(x) { return done }
                }
            }
            return try e(f)
        }
    }
}
