/// How a statement finished.
enum Flow {
    case normal, breakLoop, continueLoop, returnValue
}

typealias ExprCode = (Frame) throws -> Value
typealias StmtCode = (Frame) throws -> Flow

/// A module's global variables: one cell per name, so compiled code holds the cell itself.
public final class Globals {
    private(set) var cells: [String: GlobalCell] = [:]
    let moduleName: String

    init(moduleName: String) { self.moduleName = moduleName }

    /// The cell for `name`, created empty on first use.
    func cell(_ name: String) -> GlobalCell {
        if let c = cells[name] { return c }
        let c = GlobalCell(name: name)
        cells[name] = c
        return c
    }

    /// The value bound to `name`.
    public subscript(name: String) -> Value? {
        get { cells[name]?.value }
        set { cell(name).value = newValue }
    }

    /// The names currently bound, sorted.
    public var names: [String] { cells.filter { $0.value.value != nil }.keys.sorted() }
}

/// A global variable.
final class GlobalCell {
    let name: String
    var value: Value? { didSet { assignments &+= 1 } }
    /// How many times `value` was set: a call site that saw a function here knows the variable still holds it while
    /// the count is the same.
    private(set) var assignments = 0
    init(name: String) { self.name = name }
}

/// The activation record of one running function, class body or module.
final class Frame {
    let slots: UnsafeMutablePointer<Value?>
    let slotCount: Int
    var cells: [Cell]
    let globals: Globals
    /// The interpreter outlives every frame it runs (frames live only while their code runs, or inside generators it owns).
    unowned(unsafe) let interp: Interpreter
    var returnValue: Value = .none
    /// The class namespace while running a class body.
    var namespace: [String: Value]?
    /// The function running in this frame (for `super()`). Not retained: the caller holds the function for the
    /// duration of the call; a frame that outlives its call (a generator's) also holds it in `functionOwner`.
    unowned(unsafe) var function: PyFunction?
    var functionOwner: PyFunction?
    /// A comprehension's first iterable (evaluated in the enclosing scope) and the container it fills.
    var comprehensionSource: Value = .none
    var comprehensionResult: PyObject?

    /// The container a running comprehension fills, without taking a reference (the frame holds one meanwhile).
    @inline(__always) var comprehensionContainer: Unmanaged<PyObject> { .passUnretained(comprehensionResult.unsafelyUnwrapped) }
    /// The generator this frame runs in, when it is one.
    var generator: GeneratorRunner?
    /// The next cleared frame of the same code in its free list (see `CodeObject.spareFrame`).
    var nextSpare: Unmanaged<Frame>?

    init(slotCount: Int, cells: [Cell], globals: Globals, interp: Interpreter) {
        self.slotCount = slotCount
        slots = UnsafeMutablePointer<Value?>.allocate(capacity: max(slotCount, 1))
        slots.initialize(repeating: nil, count: max(slotCount, 1))
        self.cells = cells
        self.globals = globals
        self.interp = interp
    }

    /// Stores argument `i` into a frame being filled for a call, whose slots are all empty (no old value to release).
    @inline(__always) func setArgument(_ i: Int, _ v: consuming Value) { (slots + i).initialize(to: v) }

    /// Clears the frame for reuse by the next call of the same code (see `CodeObject.spareFrame`).
    @inline(__always) func reset() {
        for i in 0..<slotCount {
            switch slots[i] {
            case nil: break
            case .str?, .object?: slots[i] = nil
            default: (slots + i).initialize(to: nil)  // no reference to release
            }
        }
        if !cells.isEmpty { cells = [] }
        if case .none = returnValue {} else { returnValue = .none }  // usually taken by `takeReturnValue` already
        function = nil
    }

    /// The return value, moved out (the frame keeps None).
    @inline(__always) func takeReturnValue() -> Value {
        var r = Value.none
        swap(&r, &returnValue)
        return r
    }

    deinit {
        slots.deinitialize(count: max(slotCount, 1))
        slots.deallocate()
    }
}
