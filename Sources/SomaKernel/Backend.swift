import Foundation

/// What `SomaKernel` needs from a language: the kernel speaks the wire, the backend runs code.
///
/// Every method except `interrupt()` is called on the kernel's shell thread, one at a time.
/// `interrupt()` is called from another thread (control channel or SIGINT) while `execute`
/// may be running; the backend then stops its running code soon (e.g. by checking a flag on
/// loop back-edges) and returns an error outcome (conventionally `KeyboardInterrupt`),
/// keeping its state. Cursor positions are offsets in Unicode scalars (code points), as in
/// the Jupyter protocol 5.2+.
public protocol KernelBackend: AnyObject {
    /// Runs one cell. Output goes through `context` while the cell runs.
    func execute(_ request: ExecuteRequest, context: ExecutionContext) -> ExecuteOutcome
    /// Evaluates one of a request's `user_expressions` after the cell ran (default: not supported).
    func evaluateUserExpression(_ expression: String) -> ExecuteOutcome
    /// Completions at `cursorPosition` in `code`.
    func complete(code: String, cursorPosition: Int) -> CompletionResult
    /// Help for the name at `cursorPosition` (detail 0 or 1); nil when nothing is found.
    func inspect(code: String, cursorPosition: Int, detailLevel: Int) -> InspectResult?
    /// Whether `code` is ready to run (for consoles deciding between "run" and "new line").
    func isComplete(code: String) -> IsCompleteResult
    /// Stops the code `execute` is running. Called from another thread (control or SIGINT), at
    /// any time: an interrupt that arrives while no cell runs should be forgotten when the next
    /// `execute` starts (reset the flag there).
    func interrupt()
    /// The kernel is shutting down (`restart`: a new kernel process will follow). Called on the
    /// shell thread after the last cell returned, just before `KernelServer.run()` returns.
    func shutdown(restart: Bool)
    /// The banner shown by consoles (kernel_info_reply). Read once, when the kernel starts.
    var banner: String { get }
    /// The implementation's version (kernel_info_reply's implementation_version). Read once.
    var implementationVersion: String { get }
    /// Links for the frontends' Help menu (kernel_info_reply's help_links). Read once.
    var helpLinks: [(text: String, url: String)] { get }
}

public extension KernelBackend {
    func evaluateUserExpression(_ expression: String) -> ExecuteOutcome {
        .error(KernelErrorInfo(ename: "NotImplementedError", evalue: "user_expressions are not supported"))
    }
    func complete(code: String, cursorPosition: Int) -> CompletionResult {
        CompletionResult(matches: [], cursorStart: cursorPosition, cursorEnd: cursorPosition)
    }
    func inspect(code: String, cursorPosition: Int, detailLevel: Int) -> InspectResult? { nil }
    func isComplete(code: String) -> IsCompleteResult { .unknown }
    func shutdown(restart: Bool) {}
    var banner: String { "Soma — a Python-flavoured language whose library mirrors PyTorch" }
    var implementationVersion: String { "0.1.0" }
    var helpLinks: [(text: String, url: String)] {
        [("PyTorch documentation (the names Soma mirrors)", "https://pytorch.org/docs/stable/index.html"),
         ("Python documentation", "https://docs.python.org/3/")]
    }
}

/// One execute_request as the backend sees it.
public struct ExecuteRequest {
    public var code: String
    public var silent: Bool
    /// False when `silent` is true.
    public var storeHistory: Bool
    public var allowStdin: Bool
    public var stopOnError: Bool
    /// The cell's number (`In[n]`): already incremented when `storeHistory` is true.
    public var executionCount: Int
    public var userExpressions: [String: String]

    public init(code: String, silent: Bool = false, storeHistory: Bool = true, allowStdin: Bool = false,
                stopOnError: Bool = true, executionCount: Int = 1, userExpressions: [String: String] = [:]) {
        self.code = code; self.silent = silent; self.storeHistory = storeHistory; self.allowStdin = allowStdin
        self.stopOnError = stopOnError; self.executionCount = executionCount; self.userExpressions = userExpressions
    }
}

/// An exception as the frontends show it.
public struct KernelErrorInfo: Error {
    public var ename: String
    public var evalue: String
    /// Lines of the traceback (ANSI colours allowed). Empty: the kernel writes `ename: evalue` in red.
    public var traceback: [String]

    public init(ename: String, evalue: String, traceback: [String] = []) {
        self.ename = ename; self.evalue = evalue; self.traceback = traceback
    }
}

/// How a cell ended.
public enum ExecuteOutcome {
    /// Success; `result` is the MIME bundle of the last expression's value (execute_result), if any.
    case ok(result: MimeBundle?, metadata: JSONObject)
    case error(KernelErrorInfo)

    public static var ok: ExecuteOutcome { .ok(result: nil, metadata: [:]) }
    public static func value(_ bundle: MimeBundle) -> ExecuteOutcome { .ok(result: bundle, metadata: [:]) }
}

public struct CompletionResult {
    public var matches: [String]
    public var cursorStart: Int
    public var cursorEnd: Int
    /// Optional per-match kinds ("function", "class", "module", "keyword", "instance", ...) for
    /// `_jupyter_types_experimental`; same order as `matches` when given.
    public var types: [String]?
    public var metadata: JSONObject

    public init(matches: [String], cursorStart: Int, cursorEnd: Int, types: [String]? = nil, metadata: JSONObject = [:]) {
        self.matches = matches; self.cursorStart = cursorStart; self.cursorEnd = cursorEnd
        self.types = types; self.metadata = metadata
    }
}

public struct InspectResult {
    /// text/plain always; text/markdown for docstrings where there is one.
    public var data: MimeBundle
    public var metadata: JSONObject
    public init(data: MimeBundle, metadata: JSONObject = [:]) {
        self.data = data; self.metadata = metadata
    }
}

public enum IsCompleteResult: Equatable {
    case complete
    /// More lines are needed; `indent` is the suggested indentation of the next line.
    case incomplete(indent: String)
    case invalid
    case unknown
}

public enum StreamName: String {
    case stdout, stderr
}

/// Why `ExecutionContext.input` did not return a line.
public enum InputError: Error, CustomStringConvertible {
    /// The frontend does not accept input (allow_stdin is false).
    case notAllowed
    /// The kernel was interrupted while waiting.
    case interrupted
    /// The kernel is shutting down.
    case shutdown
    /// Standard input is at its end (outside Jupyter; Python's EOFError).
    case endOfInput

    public var description: String {
        switch self {
        case .notAllowed: return "input() is not available: this frontend does not support input requests"
        case .interrupted: return "interrupted while waiting for input"
        case .shutdown: return "the kernel is shutting down"
        case .endOfInput: return "EOF when reading a line"
        }
    }
}

/// What a running cell can do to the frontend. Provided by the kernel to `execute`;
/// methods are for the thread that runs `execute` (the shell thread).
public protocol ExecutionContext: AnyObject {
    /// The request being run.
    var request: ExecuteRequest { get }
    /// Writes text to stdout or stderr (batched by the kernel, in order).
    func stream(_ name: StreamName, _ text: String)
    /// Shows a MIME bundle (display_data); with `displayId`, a later `updateDisplay` replaces it.
    func display(_ data: MimeBundle, metadata: JSONObject, displayId: String?)
    /// Replaces the output shown with `displayId` (update_display_data).
    func updateDisplay(_ data: MimeBundle, metadata: JSONObject, displayId: String)
    /// Clears the cell's output (`wait`: when the next output arrives).
    func clearOutput(wait: Bool)
    /// Asks the frontend for one line (input_request on stdin) and waits for it.
    func input(prompt: String, password: Bool) throws -> String
    /// Adds a pager page (the `payload` of execute_reply), as `help(x)` does in IPython.
    func page(_ data: MimeBundle, start: Int)
    /// Asks the frontend to end the session (`exit` / `quit`: jupyter console quits; with
    /// `keepKernel` the kernel stays up). An `ask_exit` payload of execute_reply.
    func askExit(keepKernel: Bool)
    /// Proposes the text of the next input cell (a `set_next_input` payload).
    func setNextInput(_ text: String, replace: Bool)
    /// Whether an interrupt arrived since this cell started.
    var isInterrupted: Bool { get }
}

public extension ExecutionContext {
    func display(_ data: MimeBundle, displayId: String? = nil) { display(data, metadata: [:], displayId: displayId) }
    func updateDisplay(_ data: MimeBundle, displayId: String) { updateDisplay(data, metadata: [:], displayId: displayId) }
    func input(prompt: String) throws -> String { try input(prompt: prompt, password: false) }
    func page(_ text: String) { page(["text/plain": text], start: 0) }
}
