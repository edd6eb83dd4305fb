/// A compiled statement, expression or condition in a box: kept in a `CodeList` (or an array or optional) the
/// closure keeps its own calling convention (bare closures in generic containers are stored generically and called
/// through reabstraction thunks).
final class StmtBox {
    let run: StmtCode
    init(_ run: @escaping StmtCode) { self.run = run }
}

final class ExprBox {
    let run: ExprCode
    init(_ run: @escaping ExprCode) { self.run = run }
}

final class StoreBox {
    let run: (Frame, Value) throws -> Void
    init(_ run: @escaping (Frame, Value) throws -> Void) { self.run = run }
}

final class ConditionBox {
    let run: (Frame) throws -> Bool
    init(_ run: @escaping (Frame) throws -> Bool) { self.run = run }
}

/// A block of one statement, in one object: a closure capturing its parts would unpack them all on every run.
private final class OneStatement {
    let code: StmtCode
    let range: SourceRange

    init(_ code: @escaping StmtCode, _ range: SourceRange) {
        self.code = code
        self.range = range
    }

    @inline(__always) func run(_ f: Frame) throws -> Flow {
        do { return try code(f) } catch { throw Compiler.mark(error, range) }
    }
}

/// A block of two statements, in one object (see `OneStatement`).
private final class StatementPair {
    let first: StmtCode, second: StmtCode
    let firstRange: SourceRange, secondRange: SourceRange

    init(_ first: @escaping StmtCode, _ firstRange: SourceRange, _ second: @escaping StmtCode, _ secondRange: SourceRange) {
        self.first = first
        self.second = second
        self.firstRange = firstRange
        self.secondRange = secondRange
    }

    @inline(__always) func run(_ f: Frame) throws -> Flow {
        let r: Flow
        do { r = try first(f) } catch { throw Compiler.mark(error, firstRange) }
        if case .normal = r {
            do { return try second(f) } catch { throw Compiler.mark(error, secondRange) }
        }
        return r
    }
}

/// Compiled code run element by element (a block's statements, a call's arguments). Reading a closure or a class
/// reference out of an array takes a reference on it, an atomic increment and decrement per element and run; the
/// list owns its boxes and runs each through an unretained reference.
struct CodeList<Box: AnyObject> {
    private let boxes: [Box]
    private let references: [Unmanaged<Box>]

    init(_ boxes: [Box]) {
        self.boxes = boxes
        references = boxes.map { .passUnretained($0) }
    }

    var count: Int { references.count }

    /// `body` applied to box `i`, which the list keeps alive meanwhile.
    @inline(__always) func with<R>(_ i: Int, _ body: (Box) throws -> R) rethrows -> R {
        try references[i]._withUnsafeGuaranteedRef(body)
    }
}

enum ReceiverVariable {
    case local(Int)
    case global(GlobalCell)

    /// The object the variable holds, without taking a reference (nil: unbound, or not a heap object). The caller
    /// must not run code that could rebind the variable while it uses the object without holding a reference.
    @inline(__always) func object(in f: Frame) -> Unmanaged<PyObject>? {
        switch self {
        case .local(let i): if case .object(let o)? = f.slots[i] { return .passUnretained(o) }
        case .global(let cell): if case .object(let o)? = cell.value { return .passUnretained(o) }
        }
        return nil
    }

    /// Whether another expression's code can rebind the variable while it is used in place: a global can be rebound
    /// by any code that runs; a local only by its own frame's statements (expressions cannot assign in Soma).
    func canBeRebound(by e: Expr) -> Bool {
        if case .local = self { return false }
        return !Compiler.runsNoCode(e)
    }
}

/// Compiles resolved syntax trees into trees of Swift closures (names already bound to slots, cells or global cells).
final class Compiler {
    let filename: String
    unowned let interp: Interpreter
    var scope: ScopeNode
    var globals: Globals
    /// Qualified-name prefix of the code being compiled (`Outer.<locals>.` or `Class.`).
    var qualPrefix = ""

    init(filename: String, interp: Interpreter) {
        self.filename = filename
        self.interp = interp
        scope = ScopeNode(kind: .module, name: "<module>", range: SourceRange(line: 1, col: 0, endLine: 1, endCol: 0))
        globals = interp.globals
    }

    /// Compiles a module; the closure returns the value of a final expression statement.
    func compileModule(_ module: ScopeNode, globals: Globals) throws -> (Frame) throws -> Value? {
        scope = module
        self.globals = globals
        var body = module.body
        var last: ExprCode?
        var lastRange = module.range
        if case .expr(let e)? = body.last?.kind {
            lastRange = body.last!.range
            body.removeLast()
            last = try expr(e)
        }
        let block = try self.block(body)
        return { f in
            _ = try block(f)
            guard let last = last else { return nil }
            do { return try last(f) } catch { throw Compiler.mark(error, lastRange) }
        }
    }

    /// Marks where an exception was raised, when nothing inner has yet.
    @inline(__always) static func mark(_ error: Error, _ r: SourceRange) -> Error {
        if let e = error as? PyException, e.pendingRange == nil { e.pendingRange = r }
        return error
    }

    /// Compiles a statement list into one closure. An exception leaving a statement is marked with the statement's
    /// range unless something inner marked it (the innermost statement running in a frame is its traceback line).
    func block(_ stmts: [Stmt]) throws -> StmtCode {
        let boxes = try stmts.map { StmtBox(try statement($0)) }
        let ranges = stmts.map(\.range)
        switch boxes.count {
        case 0: return { _ in .normal }
        case 1:
            let statement = OneStatement(boxes[0].run, ranges[0])
            return { f in try statement.run(f) }
        case 2:
            let pair = StatementPair(boxes[0].run, ranges[0], boxes[1].run, ranges[1])
            return { f in try pair.run(f) }
        default:
            let codes = CodeList(boxes)
            return { f in
                var i = 0
                while i < codes.count {
                    let r: Flow
                    do { r = try codes.with(i) { try $0.run(f) } } catch { throw Compiler.mark(error, ranges[i]) }
                    if case .normal = r { i += 1; continue }
                    return r
                }
                return .normal
            }
        }
    }

    // MARK: names

    /// Code that reads a name. The closures capture the name and its range in one object, so that the common path
    /// (the value is there) gets one pointer of context besides the slot or cell.
    func load(_ name: String, _ r: SourceRange) -> ExprCode {
        let site = NameSite(name: name, range: r)
        switch scope.ref(name) {
        case .local(let i):
            let local = LocalRead(slot: i, site)
            return { f in try local.read(f) }
        case .cell(let i):
            let free = !scope.symbols.ownCells.contains(name)
            return { f in
                if let v = f.cells[i].value { return v }
                throw site.unbound(free: free)
            }
        case .global(let n):
            let cell = globals.cell(n)
            guard let builtin = interp.builtins[n] else {
                return { _ in
                    if let v = cell.value { return v }
                    throw site.notDefined()
                }
            }
            return { _ in cell.value ?? builtin }
        case .classNamespace(let n):
            let cell = globals.cell(n)
            let builtin = interp.builtins[n]
            return { f in
                if let v = f.namespace?[n] { return v }
                if let v = cell.value { return v }
                if let b = builtin { return b }
                throw site.notDefined()
            }
        }
    }

    /// The slot of a target that is a local variable (loops bind it without a store closure), or -1.
    func localSlot(_ target: Expr) -> Int {
        if case .name(let n) = target.kind, case .local(let i) = scope.ref(n) { return i }
        return -1
    }

    /// Whether evaluating `e` runs no Soma code (so cannot rebind a variable): a name or a constant.
    static func runsNoCode(_ e: Expr) -> Bool {
        switch e.kind {
        case .name, .constant: return true
        case .unary(_, let x): if case .constant = x.kind { return true }
        default: break
        }
        return false
    }

    /// The variable `e` names, when it is a local or a global one (see `ReceiverVariable`).
    func receiverVariable(_ e: Expr) -> ReceiverVariable? {
        guard case .name(let name) = e.kind else { return nil }
        switch scope.ref(name) {
        case .local(let i): return .local(i)
        case .global(let g): return .global(globals.cell(g))
        default: return nil
        }
    }

    /// Code that binds a name.
    func storeName(_ name: String) -> (Frame, Value) -> Void {
        switch scope.ref(name) {
        case .local(let i): return { f, v in f.slots[i] = v }
        case .cell(let i): return { f, v in f.cells[i].value = v }
        case .global(let n):
            let cell = globals.cell(n)
            return { _, v in cell.value = v }
        case .classNamespace(let n): return { f, v in f.namespace![n] = v }
        }
    }

    /// Code that unbinds a name (`del x`).
    func deleteName(_ name: String, _ r: SourceRange) -> (Frame) throws -> Void {
        switch scope.ref(name) {
        case .local(let i):
            return { f in
                if f.slots[i] == nil { throw NameSite(name: name, range: r).unbound(free: false) }
                f.slots[i] = nil
            }
        case .cell(let i):
            return { f in
                if f.cells[i].value == nil { throw NameSite(name: name, range: r).unbound(free: false) }
                f.cells[i].value = nil
            }
        case .global(let n):
            let cell = globals.cell(n)
            return { _ in
                if cell.value == nil { throw NameSite(name: name, range: r).notDefined() }
                cell.value = nil
            }
        case .classNamespace(let n):
            return { f in
                if f.namespace?.removeValue(forKey: n) == nil { throw NameSite(name: name, range: r).notDefined() }
            }
        }
    }

    // MARK: assignment targets

    /// Code that assigns a value to a target (name, attribute, subscript, or tuple/list with one starred item).
    func store(_ target: Expr) throws -> (Frame, Value) throws -> Void {
        let r = target.range
        let interp = self.interp
        switch target.kind {
        case .name(let n):
            return storeName(n)
        case .attribute(let obj, let name):
            let o = try expr(obj)
            let site = AttributeSite(name)
            return { f, v in
                let target = try o(f)
                do { try interp.setAttribute(target, site, v) } catch { throw Compiler.mark(error, r) }
            }
        case .itemAccess(let obj, let index):
            let store = ItemAccess(interp, container: try expr(obj), key: try expr(index), r)
            if let variable = receiverVariable(obj), !variable.canBeRebound(by: index) {
                // `d[k] = v`: a dict or list variable written in place (see the same read in `expr`)
                return { f, v in try store.write(in: variable, f, v) }
            }
            return { f, v in try store.write(f, v) }
        case .tuple(let items), .list(let items):
            let starIndex = items.firstIndex { if case .starred = $0.kind { return true }; return false }
            let stores = CodeList(try items.map { item -> StoreBox in
                if case .starred(let inner) = item.kind { return StoreBox(try store(inner)) }
                return StoreBox(try store(item))
            })
            let count = items.count
            // Targets that are all plain locals (`for i, x in enumerate(xs)`): their slots written directly.
            let localSlots = items.map { item -> Int? in
                if case .name(let n) = item.kind, case .local(let slot) = scope.ref(n) { return slot }
                return nil
            }
            let slots: [Int]? = localSlots.contains(nil) ? nil : localSlots.map { $0! }
            return { f, v in
                // `i, x = t` of a tuple of as many items (immutable, so the stores cannot change them): items read in place
                if starIndex == nil, let object = v.unretainedObject, try object._withUnsafeGuaranteedRef({ o -> Bool in
                    guard type(of: o) == PyTuple.self else { return false }
                    let t = unsafeDowncast(o, to: PyTuple.self)
                    guard t.items.count == count else { return false }
                    if let slots {
                        for i in 0..<count { f.slots[slots[i]] = t.items[i] }
                    } else {
                        for i in 0..<count { try stores.with(i) { try $0.run(f, t.items[i]) } }
                    }
                    return true
                }) {
                    return
                }
                let values = try Compiler.unpack(v, count: count, starIndex: starIndex, interp: interp, r)
                for i in 0..<count { try stores.with(i) { try $0.run(f, values[i]) } }
            }
        default:
            throw SyntaxError("cannot assign to expression", r)
        }
    }

    /// Splits a value into `count` targets' values (the starred one gets a list).
    static func unpack(_ v: Value, count: Int, starIndex: Int?, interp: Interpreter, _ r: SourceRange) throws -> [Value] {
        var items: [Value]
        if let t = v.as(PyTuple.self) { items = t.items } else if let l = v.as(PyList.self) { items = l.items } else {
            do {
                items = try interp.iterate(v)
            } catch let e as PyException where e.isInstance(of: "TypeError") && e.traceback.isEmpty {
                throw Compiler.mark(PyException.typeError("cannot unpack non-iterable \(v.typeName) object"), r)
            }
        }
        if let s = starIndex {
            let fixed = count - 1
            guard items.count >= fixed else {
                throw Compiler.mark(PyException.valueError("not enough values to unpack (expected at least \(fixed), got \(items.count))"), r)
            }
            let after = count - 1 - s
            let middle = Array(items[s..<(items.count - after)])
            return Array(items[..<s]) + [.object(PyList(middle))] + Array(items[(items.count - after)...])
        }
        if items.count < count {
            throw Compiler.mark(PyException.valueError("not enough values to unpack (expected \(count), got \(items.count))"), r)
        }
        if items.count > count {
            throw Compiler.mark(PyException.valueError("too many values to unpack (expected \(count))"), r)
        }
        return items
    }
}

/// A compiled read of a local variable, in one object (the closure that runs it captures nothing else).
final class LocalRead {
    let slot: Int
    let site: NameSite
    init(slot: Int, _ site: NameSite) { self.slot = slot; self.site = site }

    @inline(__always) func read(_ f: Frame) throws -> Value {
        if let v = f.slots[slot] { return v }
        throw site.unbound(free: false)
    }
}

/// A name read in the source, for the errors of reading it.
final class NameSite {
    let name: String
    let range: SourceRange
    init(name: String, range: SourceRange) { self.name = name; self.range = range }

    func unbound(free: Bool) -> PyException {
        let e = free
            ? PyException.nameError("cannot access free variable '\(name)' where it is not associated with a value in enclosing scope")
            : PyException.make("UnboundLocalError", "cannot access local variable '\(name)' where it is not associated with a value")
        e.pendingRange = range
        return e
    }

    func notDefined() -> PyException {
        let e = PyException.nameError("name '\(name)' is not defined")
        e.pendingRange = range
        return e
    }
}
