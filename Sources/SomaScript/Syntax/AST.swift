/// An expression node with its source range.
struct Expr {
    var kind: ExprKind
    var range: SourceRange
}

/// A literal constant.
enum Constant {
    case int(Int)
    case float(Double)
    case str(String)
    case bool(Bool)
    case none
    case ellipsis
}

/// The binary operators.
public enum BinOp: String {
    case add = "+", sub = "-", mul = "*", div = "/", floorDiv = "//", mod = "%", pow = "**", matMul = "@"
    case lshift = "<<", rshift = ">>", bitAnd = "&", bitOr = "|", bitXor = "^"
}

/// The unary operators.
public enum UnaryOp: String {
    case neg = "-", pos = "+", invert = "~", not = "not"
}

/// The comparison operators.
public enum CmpOp: String {
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">=", `is` = "is", isNot = "is not", `in` = "in", notIn = "not in"
}

/// One argument at a call site.
enum CallArg {
    case positional(Expr)
    case star(Expr)
    case keyword(String, Expr)
    case doubleStar(Expr)
}

/// One piece of an f-string.
enum FStringPart {
    case literal(String)
    case value(Expr, conversion: Character?, spec: [FStringPart]?)
}

/// One `for ... in ... if ...` clause of a comprehension.
struct ComprehensionClause {
    var target: Expr
    var iter: Expr
    var conditions: [Expr]
}

/// The kinds of expression.
indirect enum ExprKind {
    case name(String)
    case constant(Constant)
    case fstring([FStringPart])
    case binary(BinOp, Expr, Expr)
    case unary(UnaryOp, Expr)
    case boolOp(isAnd: Bool, [Expr])
    case compare(Expr, [(CmpOp, Expr)])
    case ifExp(cond: Expr, then: Expr, orElse: Expr)
    case call(Expr, [CallArg])
    case attribute(Expr, String)
    case itemAccess(Expr, Expr)
    case slice(Expr?, Expr?, Expr?)
    case tuple([Expr])
    case list([Expr])
    case set([Expr])
    /// A dict display; a nil key marks a `**mapping` entry.
    case dict([(Expr?, Expr)])
    case starred(Expr)
    case lambda(ScopeNode)
    /// A list, set or dict comprehension or generator expression (the scope holds the clauses).
    case comprehension(ScopeNode)
    case yield(Expr?)
    case yieldFrom(Expr)
}

/// A parameter list of a def or lambda.
struct Parameters {
    var positional: [(name: String, defaultValue: Expr?)] = []
    var varArgs: String?
    var keywordOnly: [(name: String, defaultValue: Expr?)] = []
    var varKeywords: String?

    /// All parameter names in slot order.
    var allNames: [String] {
        positional.map(\.name) + (varArgs.map { [$0] } ?? []) + keywordOnly.map(\.name) + (varKeywords.map { [$0] } ?? [])
    }
}

/// What a comprehension builds.
enum ComprehensionKind {
    case list, set, dict, generator
}

/// The kinds of code block that get their own scope.
enum ScopeKind {
    case module, function, lambda, classBody, comprehension(ComprehensionKind)
}

/// A block with its own scope: module, def, lambda, class body or comprehension. The resolver fills in its symbols.
final class ScopeNode {
    let kind: ScopeKind
    var name: String
    var params = Parameters()
    var body: [Stmt] = []
    /// The element (or key) expression of a comprehension, or a lambda's body.
    var element: Expr?
    /// The value expression of a dict comprehension.
    var value: Expr?
    var clauses: [ComprehensionClause] = []
    var decorators: [Expr] = []
    var bases: [Expr] = []
    var docstring: String?
    /// True when a def's body contains `yield` (calling it makes a generator).
    var isGenerator = false
    var range: SourceRange
    var symbols = Symbols()

    init(kind: ScopeKind, name: String, range: SourceRange) {
        self.kind = kind; self.name = name; self.range = range
    }
}

/// One `except` clause.
struct ExceptHandler {
    var type: Expr?
    var name: String?
    var body: [Stmt]
    var range: SourceRange
}

/// A statement node with its source range.
struct Stmt {
    var kind: StmtKind
    var range: SourceRange
}

/// The kinds of statement.
indirect enum StmtKind {
    case expr(Expr)
    case assign(targets: [Expr], value: Expr)
    case augAssign(Expr, BinOp, Expr)
    case annAssign(Expr, Expr?)
    case del([Expr])
    case pass
    case breakLoop
    case continueLoop
    case returnValue(Expr?)
    case ifElse(Expr, [Stmt], [Stmt])
    case whileLoop(Expr, [Stmt], orElse: [Stmt])
    case forLoop(target: Expr, iter: Expr, body: [Stmt], orElse: [Stmt])
    case funcDef(ScopeNode)
    case classDef(ScopeNode)
    case tryStmt(body: [Stmt], handlers: [ExceptHandler], orElse: [Stmt], finally: [Stmt])
    case raise(Expr?, cause: Expr?)
    case assert(Expr, Expr?)
    case with(items: [(Expr, Expr?)], body: [Stmt])
    case importModule([(path: String, alias: String?)])
    case importFrom(module: String, names: [(name: String, alias: String?)])
    case global([String])
    case nonlocal([String])
}
