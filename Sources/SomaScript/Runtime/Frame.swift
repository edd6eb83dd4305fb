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
    /// The variable's value. While calls borrow the object it holds (see `beginBorrow`), a value it loses is kept alive
    /// in `retired` until the last of them ends.
    var value: Value? {
        get { current }
        set {
            if borrowers != 0, let old = current { retired.append(old) }
            current = newValue
            assignments &+= 1
        }
    }
    private var current: Value?
    /// How many times `value` was set: a call site that saw a function here knows the variable still holds it while
    /// the count is the same.
    private(set) var assignments = 0
    /// The calls running with the variable's object in their frames without a reference (`Frame.borrowFirstArgument`).
    private var borrowers = 0
    private var retired: [Value] = []

    init(name: String) { self.name = name }

    /// Marks the start of a call that borrows the variable's object: it stays alive until `endBorrow`, whatever the
    /// variable is set to meanwhile.
    @inline(__always) func beginBorrow() { borrowers &+= 1 }

    /// Marks the end of a call begun with `beginBorrow`; the values the variable lost meanwhile go when no call borrows.
    @inline(__always) func endBorrow() {
        borrowers &-= 1
        if borrowers == 0 && !retired.isEmpty { retired.removeAll() }
    }
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
    /// Whether the first slot holds an object without a reference of the frame's own (see `borrowFirstArgument`).
    private var firstArgumentBorrowed = false

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

    /// Stores `o` as the first argument of a frame being filled for a call, without taking a reference (saves an
    /// atomic count per method call): the caller keeps `o` alive until the call ends, and the code never rebinds its
    /// first parameter (`CodeObject.borrowsFirstArgument`), so the slot holds `o` until `reset` clears it.
    @inline(__always) func borrowFirstArgument(_ o: Unmanaged<PyObject>) {
        slots.initialize(to: .object(o.takeRetainedValue()))  // a reference not counted: `reset` drops it uncounted
        firstArgumentBorrowed = true
    }

    /// Clears the first slot when it holds a borrowed object, without releasing it.
    @inline(__always) private func dropBorrowedArgument() {
        if firstArgumentBorrowed {
            slots.initialize(to: nil)
            firstArgumentBorrowed = false
        }
    }

    /// Clears the frame for reuse by the next call of the same code (see `CodeObject.spareFrame`).
    @inline(__always) func reset() {
        dropBorrowedArgument()
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
        dropBorrowedArgument()
        slots.deinitialize(count: max(slotCount, 1))
        slots.deallocate()
    }
}
