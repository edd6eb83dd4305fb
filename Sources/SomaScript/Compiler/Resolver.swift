/// Resolves every scope's names to slots, cells or globals (Python's symbol-table rules).
enum Resolver {
    /// Analyses a module scope and all scopes nested in it.
    static func resolve(_ module: ScopeNode) throws {
        var c = Collector()
        try c.scope(module)
        try assign(module)
    }

    private static func assign(_ scope: ScopeNode) throws {
        var sym = scope.symbols
        if sym.isFunctionLike(scope.kind) {
            let params = scope.params.allNames
            for p in params where sym.declaredGlobal.contains(p) || sym.declaredNonlocal.contains(p) {
                throw SyntaxError("name '\(p)' is parameter and \(sym.declaredGlobal.contains(p) ? "global" : "nonlocal")", scope.range)
            }
            for p in params { sym.slots[p] = sym.slots.count }
            for n in sym.assigned.sorted() where sym.slots[n] == nil && !sym.declaredGlobal.contains(n) && !sym.declaredNonlocal.contains(n) {
                sym.slots[n] = sym.slots.count
            }
        }
        scope.symbols = sym
        for n in scope.symbols.declaredNonlocal.sorted() {
            if !bindFree(n, from: scope) { throw SyntaxError("no binding for nonlocal '\(n)' found", scope.range) }
        }
        for n in scope.symbols.used.sorted() where !isLocal(n, scope) && !scope.symbols.declaredGlobal.contains(n) {
            _ = bindFree(n, from: scope)
        }
        for child in scope.symbols.children { try assign(child) }
    }

    private static func isLocal(_ n: String, _ s: ScopeNode) -> Bool {
        if s.symbols.declaredNonlocal.contains(n) || s.symbols.declaredGlobal.contains(n) { return false }
        if s.isClassBody { return s.symbols.assigned.contains(n) }
        if case .module = s.kind { return true }
        return s.symbols.slots[n] != nil
    }

    /// Finds the enclosing function scope that defines `n`, makes it a cell there and free on the way down.
    private static func bindFree(_ n: String, from scope: ScopeNode) -> Bool {
        var chain: [ScopeNode] = [scope]
        var p = scope.symbols.parent
        while let s = p {
            if case .module = s.kind { return false }
            if !s.isClassBody && s.symbols.declaredGlobal.contains(n) { return false }
            if !s.isClassBody && isLocal(n, s) {
                if s.symbols.cellIndex[n] == nil {
                    s.symbols.cellIndex[n] = s.symbols.ownCells.count + s.symbols.freeVars.count
                    s.symbols.ownCells.append(n)
                    renumber(s)
                }
                for c in chain where c.symbols.cellIndex[n] == nil {
                    c.symbols.freeVars.append(n)
                    renumber(c)
                }
                return true
            }
            chain.append(s)
            p = s.symbols.parent
        }
        return false
    }

    /// Cells are numbered own cells first, then free variables.
    private static func renumber(_ s: ScopeNode) {
        var idx: [String: Int] = [:]
        for (i, n) in (s.symbols.ownCells + s.symbols.freeVars).enumerated() { idx[n] = i }
        s.symbols.cellIndex = idx
    }
}

/// First pass: which names each scope assigns, declares and uses, and the tree of scopes.
private struct Collector {
    var stack: [ScopeNode] = []
    var cur: ScopeNode { stack[stack.count - 1] }

    mutating func scope(_ s: ScopeNode) throws {
        if let parent = stack.last {
            s.symbols.parent = parent
            parent.symbols.children.append(s)
        }
        stack.append(s)
        defer { stack.removeLast() }
        for p in s.params.allNames { s.symbols.assigned.insert(p) }
        switch s.kind {
        case .comprehension:
            for (i, clause) in s.clauses.enumerated() {
                if i > 0 { try expr(clause.iter) }
                try target(clause.target)
                for c in clause.conditions { try expr(c) }
            }
            if let e = s.element { try expr(e) }
            if let v = s.value { try expr(v) }
        case .lambda:
            if let e = s.element { try expr(e) }
        default:
            for st in s.body { try stmt(st) }
        }
    }

    mutating func assign(_ n: String) {
        cur.symbols.assigned.insert(n)
        cur.symbols.rebound.insert(n)
    }

    mutating func target(_ e: Expr) throws {
        switch e.kind {
        case .name(let n): assign(n)
        case .tuple(let items), .list(let items): for i in items { try target(i) }
        case .starred(let inner): try target(inner)
        default: try expr(e)
        }
    }

    mutating func block(_ b: [Stmt]) throws { for s in b { try stmt(s) } }

    mutating func declare(_ names: [String], global: Bool, _ r: SourceRange) throws {
        for n in names {
            if cur.symbols.assigned.contains(n) || cur.symbols.used.contains(n) {
                throw SyntaxError("name '\(n)' is \(cur.symbols.assigned.contains(n) ? "assigned to" : "used") before \(global ? "global" : "nonlocal") declaration", r)
            }
            if global { cur.symbols.declaredGlobal.insert(n) } else { cur.symbols.declaredNonlocal.insert(n) }
        }
    }

    mutating func stmt(_ s: Stmt) throws {
        switch s.kind {
        case .expr(let e): try expr(e)
        case .assign(let targets, let value):
            try expr(value)
            for t in targets { try target(t) }
        case .augAssign(let t, _, let v):
            try expr(v)
            if case .name(let n) = t.kind { cur.symbols.used.insert(n) }
            try target(t)
        case .annAssign(let t, let v):
            if let v = v { try expr(v); try target(t) } else if case .name = t.kind {} else { try expr(t) }
        case .del(let ts): for t in ts { try target(t) }
        case .pass, .breakLoop, .continueLoop: break
        case .returnValue(let e): if let e = e { try expr(e) }
        case .ifElse(let c, let a, let b): try expr(c); try block(a); try block(b)
        case .whileLoop(let c, let a, let b): try expr(c); try block(a); try block(b)
        case .forLoop(let t, let it, let body, let orElse):
            try expr(it); try target(t); try block(body); try block(orElse)
        case .funcDef(let f):
            for d in f.decorators { try expr(d) }
            for p in f.params.positional { if let d = p.defaultValue { try expr(d) } }
            for p in f.params.keywordOnly { if let d = p.defaultValue { try expr(d) } }
            assign(f.name)
            try scope(f)
        case .classDef(let c):
            for b in c.bases { try expr(b) }
            assign(c.name)
            try scope(c)
        case .tryStmt(let body, let handlers, let orElse, let fin):
            try block(body)
            for h in handlers {
                if let t = h.type { try expr(t) }
                if let n = h.name { assign(n) }
                try block(h.body)
            }
            try block(orElse); try block(fin)
        case .raise(let e, let c): if let e = e { try expr(e) }; if let c = c { try expr(c) }
        case .assert(let c, let m): try expr(c); if let m = m { try expr(m) }
        case .with(let items, let body):
            for (e, t) in items { try expr(e); if let t = t { try target(t) } }
            try block(body)
        case .importModule(let names):
            for (path, alias) in names { assign(alias ?? String(path.split(separator: ".")[0])) }
        case .importFrom(_, let names):
            for (n, alias) in names { assign(alias ?? n) }
        case .global(let ns): try declare(ns, global: true, s.range)
        case .nonlocal(let ns): try declare(ns, global: false, s.range)
        }
    }

    mutating func expr(_ e: Expr) throws {
        switch e.kind {
        case .name(let n): cur.symbols.used.insert(n)
        case .constant: break
        case .fstring(let parts): try fparts(parts)
        case .binary(_, let a, let b): try expr(a); try expr(b)
        case .unary(_, let a): try expr(a)
        case .boolOp(_, let items), .tuple(let items), .list(let items), .set(let items): for i in items { try expr(i) }
        case .compare(let a, let rest): try expr(a); for (_, b) in rest { try expr(b) }
        case .ifExp(let c, let a, let b): try expr(c); try expr(a); try expr(b)
        case .call(let f, let args):
            try expr(f)
            for a in args {
                switch a {
                case .positional(let x), .star(let x), .keyword(_, let x), .doubleStar(let x): try expr(x)
                }
            }
        case .attribute(let o, _): try expr(o)
        case .itemAccess(let o, let i): try expr(o); try expr(i)
        case .slice(let a, let b, let c):
            for x in [a, b, c] { if let x = x { try expr(x) } }
        case .dict(let entries): for (k, v) in entries { if let k = k { try expr(k) }; try expr(v) }
        case .starred(let x): try expr(x)
        case .lambda(let s):
            for p in s.params.positional { if let d = p.defaultValue { try expr(d) } }
            for p in s.params.keywordOnly { if let d = p.defaultValue { try expr(d) } }
            try scope(s)
        case .comprehension(let s):
            try expr(s.clauses[0].iter)
            try scope(s)
        case .yield(let x): if let x = x { try expr(x) }
        case .yieldFrom(let x): try expr(x)
        }
    }

    mutating func fparts(_ parts: [FStringPart]) throws {
        for p in parts {
            if case .value(let e, _, let spec) = p {
                try expr(e)
                if let spec = spec { try fparts(spec) }
            }
        }
    }
}
