/// Where a name lives at run time, decided at compile time.
enum NameRef {
    /// A fast local slot of the current frame.
    case local(Int)
    /// A cell of the current frame (captured by an inner function, or free here).
    case cell(Int)
    /// A module-level (global) name.
    case global(String)
    /// A class body's namespace entry.
    case classNamespace(String)
}

/// A scope's names, filled in by the resolver.
struct Symbols {
    var assigned = Set<String>()
    /// Names the scope's own statements bind or delete (parameters are in `assigned` from the start, here only when
    /// rebound).
    var rebound = Set<String>()
    var used = Set<String>()
    var declaredGlobal = Set<String>()
    var declaredNonlocal = Set<String>()
    var children: [ScopeNode] = []
    unowned(unsafe) var parent: ScopeNode?

    /// Slot index of each fast local (parameters first, in order).
    var slots: [String: Int] = [:]
    /// Names whose variables live in cells owned by this scope.
    var ownCells: [String] = []
    /// Names this scope reads from enclosing scopes' cells.
    var freeVars: [String] = []
    /// Index into the frame's cells of every own cell and free variable.
    var cellIndex: [String: Int] = [:]

    var slotCount: Int { slots.count }

    func isFunctionLike(_ kind: ScopeKind) -> Bool {
        switch kind { case .module, .classBody: return false; default: return true }
    }
}

extension ScopeNode {
    /// Where `name` lives for code of this scope.
    func ref(_ name: String) -> NameRef {
        if let c = symbols.cellIndex[name], !isClassBody || symbols.freeVars.contains(name) && !symbols.assigned.contains(name) {
            return .cell(c)
        }
        switch kind {
        case .module: return .global(name)
        case .classBody:
            if symbols.declaredGlobal.contains(name) { return .global(name) }
            return .classNamespace(name)
        default:
            if let s = symbols.slots[name] { return .local(s) }
            return .global(name)
        }
    }

    var isClassBody: Bool { if case .classBody = kind { return true }; return false }
}
