import Foundation
import Synchronization

/// One Soma session: globals that persist across `execute` calls, loaded modules, output sink and interrupt flag.
public final class Interpreter: @unchecked Sendable {
    /// The globals of `__main__`, kept across executions.
    public let globals = Globals(moduleName: "__main__")
    /// Where print, errors and displays go.
    public var output: OutputSink
    /// The recursion limit (`sys.getrecursionlimit()`).
    public var recursionLimit = 1000
    /// `sys.argv`.
    public var argv: [String]

    let builtins: [String: Value]
    var modules: [String: PyModule] = [:]
    var moduleProviders: [String: (Interpreter) throws -> PyModule] = [:]
    /// Source lines of every cell or file run, by name (for tracebacks).
    var sources: [String: [String]] = [:]
    var depth = 0
    /// The exceptions being handled by enclosing `except` blocks (for bare `raise` and exception context).
    var handling: [PyException] = []
    private let interruptFlag = Atomic<Bool>(false)
    var randomState = MersenneTwister(seed: UInt32(truncatingIfNeeded: UInt64(Date().timeIntervalSince1970 * 1e6)))
    var displayCounter = 0
    var postCellHooks: [(Interpreter) throws -> Void] = []

    /// Creates a session writing to `output`.
    public init(output: OutputSink = StandardOutputSink(), argv: [String] = [""]) {
        self.output = output
        self.argv = argv
        builtins = Builtins.make()
        registerStandardModules()
    }

    /// Asks the running code to stop with KeyboardInterrupt at its next loop iteration or call. Safe from any thread.
    public func interrupt() { interruptFlag.store(true, ordering: .relaxed) }

    /// Throws KeyboardInterrupt when an interrupt was requested.
    @inline(__always) func checkInterrupt() throws {
        if interruptFlag.load(ordering: .relaxed) {
            interruptFlag.store(false, ordering: .relaxed)
            throw PyException(type: Types.exception("KeyboardInterrupt"))
        }
    }

    /// Registers a module the host provides; `build` runs on the first import of `name` (a dotted name like "soma.nn").
    public func registerModule(_ name: String, _ build: @escaping (Interpreter) throws -> PyModule) {
        moduleProviders[name] = build
    }

    /// Writes text to the output sink's stdout.
    public func print(_ text: String) { output.write(text, to: .stdout) }

    /// The stack a session's code runs on: deep recursion must raise RecursionError, not overflow Swift's stack.
    /// A host thread created with this much (the kernel's shell thread) runs code in place.
    public static let stackSize = 512 << 20

    /// Runs `body` where at least `stackSize` minus a megabyte of stack is left: in place on a host thread made for it,
    /// else on a new thread with `stackSize` (starting one costs tens of microseconds a cell).
    func onBigStack<T>(_ body: @escaping () throws -> T) throws -> T {
        if Interpreter.stackLeft() >= Interpreter.stackSize - (1 << 20) { return try body() }
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.result = Result { try body() }
            done.signal()
        }
        thread.stackSize = Interpreter.stackSize
        thread.start()
        done.wait()
        return try box.result!.get()
    }

    /// glibc's `pthread_getattr_np` (a GNU extension Swift's Glibc module does not import), or nil.
    private static let threadAttributes: (@convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32)? = {
        guard let symbol = dlsym(nil, "pthread_getattr_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32).self)
    }()

    /// Bytes of stack left below this point on the current thread (0 when unknown).
    static func stackLeft() -> Int {
        var attributes = pthread_attr_t()
        guard let threadAttributes, threadAttributes(pthread_self(), &attributes) == 0 else { return 0 }
        defer { pthread_attr_destroy(&attributes) }
        var low: UnsafeMutableRawPointer?, size = 0
        guard pthread_attr_getstack(&attributes, &low, &size) == 0, let low else { return 0 }
        var here = 0
        return withUnsafeMutablePointer(to: &here) { Int(bitPattern: UInt(bitPattern: $0)) } - Int(bitPattern: UInt(bitPattern: low))
    }

    /// Parses, compiles and runs `source` as the cell or file `cellName` in the session's globals.
    /// Returns the value of a final expression statement (what a notebook shows as `Out[n]`), or nil.
    public func execute(_ source: String, cellName: String = "<string>") throws -> Value? {
        interruptFlag.store(false, ordering: .relaxed)
        sources[cellName] = source.components(separatedBy: "\n")
        let code: (Frame) throws -> Value?
        do {
            let module = try Parser.parseModule(source)
            try Resolver.resolve(module)
            code = try Compiler(filename: cellName, interp: self).compileModule(module, globals: globals)
        } catch let e as SyntaxError {
            throw ScriptError.syntax(e, file: cellName)
        }
        return try onBigStack { [self] in
            let frame = Frame(slotCount: 0, cells: [], globals: globals, interp: self)
            depth = 0
            do {
                return try code(frame)
            } catch let e as PyException {
                addTraceback(e, file: cellName, function: "<module>", frame: frame)
                throw ScriptError.exception(e)
            }
        }
    }

    /// Records where an exception passed through a frame.
    func addTraceback(_ e: PyException, file: String, function: String, frame: Frame) {
        let r = e.pendingRange ?? SourceRange(line: 0, col: 0, endLine: 0, endCol: 0)
        e.pendingRange = nil
        e.traceback.insert(TraceEntry(file: file, function: function, range: r), at: 0)
    }
}

/// Carries a result from the big-stack thread back to the caller.
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}

/// An error from `Interpreter.execute`: a syntax error, or an exception the program did not catch.
public enum ScriptError: Error {
    case syntax(SyntaxError, file: String)
    case exception(PyException)
}
