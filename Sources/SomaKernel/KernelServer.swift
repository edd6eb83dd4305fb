import CZeroMQ
import Dispatch
import Foundation

/// Options of a kernel beyond its connection file.
public struct KernelOptions {
    /// The history database; nil: `HistoryStore.defaultPath`; ":memory:": kept for this session only.
    public var historyPath: String?
    /// Catch SIGINT (signal-mode interrupt) and turn it into `backend.interrupt()`.
    public var handleSIGINT: Bool
    /// How long stream text may wait to be batched into one message (seconds).
    public var streamFlushInterval: Double
    /// Shut down when the process that started the kernel goes away (as ipykernel's parent poller):
    /// the parent changes, or $JPY_PARENT_PID names a process that no longer exists. When the
    /// running cell does not stop within 3 s, the process exits.
    public var exitWhenParentDies: Bool
    /// Stack size of the shell thread, where `backend.execute` runs.
    public var shellStackSize: Int

    public init(historyPath: String? = nil, handleSIGINT: Bool = true, streamFlushInterval: Double = 0.05,
                exitWhenParentDies: Bool = true, shellStackSize: Int = 256 << 20) {
        self.historyPath = historyPath
        self.handleSIGINT = handleSIGINT
        self.streamFlushInterval = streamFlushInterval
        self.exitWhenParentDies = exitWhenParentDies
        self.shellStackSize = shellStackSize
    }
}

/// A Jupyter kernel (messaging protocol 5.3 plus the 5.4 iopub welcome) over ZeroMQ, running
/// code through a `KernelBackend`.
///
///     let server = try KernelServer(connectionFile: path, backend: MyBackend())
///     server.run()   // returns after shutdown_request
public final class KernelServer: @unchecked Sendable {
    public let backend: KernelBackend
    /// The connection as bound (ports chosen by the system where the file said 0).
    public private(set) var connection: ConnectionInfo
    public let session = UUID().uuidString.lowercased()

    let context = ZMQContext()
    let signer: MessageSigner
    let options: KernelOptions
    private let shell: ZMQSocket
    private let control: ZMQSocket
    private let stdin: ZMQSocket
    private let heartbeat: ZMQSocket
    let iopub: IOPubChannel
    /// Touched only on `historyQueue`.
    private var history: HistoryStore?
    /// The database is opened here (so start-up does not wait for it), writes happen here, off the shell thread,
    /// and reads go through it too, so they see every write.
    private let historyQueue = DispatchQueue(label: "soma.history")
    /// Cells not yet written: they are written together a moment after the first of them ran (cells in quick
    /// succession cost one transaction, and the writes do not compete with the replies for the CPU).
    private var historyPending: [(line: Int, source: String)] = []
    private let historyLock = NSLock()

    private let stateLock = NSLock()
    private var _stopping = false
    private var _interrupted = false
    private var _busy = false
    private var executionCount = 0
    private var started = false
    private var sigintSource: DispatchSourceSignal?
    /// kernel_info_reply's content, made once (the control thread answers it while a cell runs).
    private var kernelInfo: JSONObject = [:]
    /// Set by a shutdown_request: the restart flag for `backend.shutdown`.
    private var shutdownRestart: Bool?
    private let heartbeatDone = DispatchSemaphore(value: 0)
    private let controlDone = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)

    /// Reads a connection file and binds every socket.
    public convenience init(connectionFile: String, backend: KernelBackend, options: KernelOptions = KernelOptions()) throws {
        try self.init(connection: ConnectionInfo.load(path: connectionFile), backend: backend, options: options)
    }

    /// Binds every socket of `connection` (port 0 over tcp: a free port, see `connection`).
    public init(connection: ConnectionInfo, backend: KernelBackend, options: KernelOptions = KernelOptions()) throws {
        guard connection.signatureScheme == "hmac-sha256" || connection.key.isEmpty else {
            throw ConnectionError.unsupportedScheme(connection.signatureScheme)
        }
        guard connection.transport == "tcp" || connection.transport == "ipc" else {
            throw ConnectionError.unsupportedTransport(connection.transport)
        }
        self.backend = backend
        self.options = options
        self.signer = MessageSigner(key: connection.key)
        var conn = connection
        shell = try ZMQSocket(context, .router)
        control = try ZMQSocket(context, .router)
        stdin = try ZMQSocket(context, .router)
        heartbeat = try ZMQSocket(context, .rep)
        let xpub = try ZMQSocket(context, .xpub)
        xpub.setInt(ZMQ_XPUB_VERBOSE, 1)
        xpub.setInt(ZMQ_SNDHWM, 0)
        for s in [shell, control, stdin] { s.setInt(ZMQ_ROUTER_HANDOVER, 1) }
        if connection.usesCurve {
            guard ZMQContext.hasCurve else { throw ZMQError("CURVE requested but libzmq has no CURVE", code: EINVAL) }
            for s in [shell, control, stdin, heartbeat, xpub] {
                try s.makeCurveServer(secretKey: connection.curveSecretKey!)
            }
        }
        func bind(_ s: ZMQSocket, _ port: Int) throws -> Int {
            try s.bind(conn.endpoint(port: port))
            if conn.transport == "tcp", let p = Int(s.lastEndpoint.split(separator: ":").last ?? "") { return p }
            return port
        }
        conn.shellPort = try bind(shell, conn.shellPort)
        conn.iopubPort = try bind(xpub, conn.iopubPort)
        conn.stdinPort = try bind(stdin, conn.stdinPort)
        conn.controlPort = try bind(control, conn.controlPort)
        conn.hbPort = try bind(heartbeat, conn.hbPort)
        self.connection = conn
        iopub = try IOPubChannel(context: context, xpub: xpub, signer: signer, session: session)
        iopub.flushInterval = options.streamFlushInterval
    }

    // MARK: life cycle

    /// Serves until a shutdown_request (or `stop()`), then returns. Cells run on the shell thread,
    /// which has `options.shellStackSize` bytes of stack (deep recursion in an interpreter).
    public func run() {
        start()
        waitUntilStopped()
    }

    /// Serves on background threads; returns at once. `waitUntilStopped()` waits for shutdown.
    public func start() {
        stateLock.lock()
        let already = started
        started = true
        stateLock.unlock()
        if already { return }
        let t = Thread { [self] in
            self.startThreads()
            self.shellLoop()
            self.finish()
        }
        t.name = "soma-shell"
        t.stackSize = options.shellStackSize
        t.start()
    }

    /// Waits until the kernel has shut down and closed its sockets.
    @discardableResult
    public func waitUntilStopped(timeout: Double = .infinity) -> Bool {
        let ok: Bool
        if timeout.isInfinite { stopped.wait(); ok = true } else { ok = stopped.wait(timeout: .now() + timeout) == .success }
        if ok { stopped.signal() }
        return ok
    }

    /// Asks the kernel to stop (as a shutdown_request would, without a reply).
    public func stop() {
        stateLock.lock(); _stopping = true; stateLock.unlock()
        backend.interrupt()
    }

    var stopping: Bool { stateLock.lock(); defer { stateLock.unlock() }; return _stopping }
    var interrupted: Bool { stateLock.lock(); defer { stateLock.unlock() }; return _interrupted }

    private func startThreads() {
        kernelInfo = makeKernelInfo()
        let historyPath = options.historyPath ?? HistoryStore.defaultPath
        historyQueue.async { [self] in history = HistoryStore(path: historyPath) }
        iopub.start()
        iopub.publish("status", content: ["execution_state": "starting"], parent: [:])
        let hb = Thread { [self] in self.heartbeatLoop() }
        hb.name = "soma-heartbeat"
        hb.start()
        let ctl = Thread { [self] in self.controlLoop() }
        ctl.name = "soma-control"
        ctl.start()
        if options.exitWhenParentDies {
            let poller = Thread { [self] in self.parentPollLoop() }
            poller.name = "soma-parent-poller"
            poller.start()
        }
        if options.handleSIGINT {
            signal(SIGINT, SIG_IGN)
            let src = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
            src.setEventHandler { [weak self] in self?.interrupt() }
            src.resume()
            sigintSource = src
        }
    }

    private func finish() {
        stateLock.lock(); let restart = shutdownRestart ?? false; stateLock.unlock()
        backend.shutdown(restart: restart)
        _ = heartbeatDone.wait(timeout: .now() + 2)
        _ = controlDone.wait(timeout: .now() + 2)
        iopub.stop()
        shell.close()
        stdin.close()
        sigintSource?.cancel()
        sigintSource = nil
        if options.handleSIGINT { signal(SIGINT, SIG_DFL) }
        historyQueue.sync {
            writePendingHistory()
            history = nil
        }
        stopped.signal()
    }

    /// Interrupts the running cell (as interrupt_request or SIGINT do).
    public func interrupt() {
        stateLock.lock(); _interrupted = true; stateLock.unlock()
        backend.interrupt()
    }

    // MARK: threads

    private func parentPollLoop() {
        let initialParent = getppid()
        let jpyParent = ProcessInfo.processInfo.environment["JPY_PARENT_PID"].flatMap { pid_t($0) }
        while !stopping {
            Thread.sleep(forTimeInterval: 0.5)
            var gone = getppid() != initialParent
            if let p = jpyParent, p > 1, kill(p, 0) != 0, errno == ESRCH { gone = true }
            if gone {
                logError("the parent process is gone; shutting down")
                stop()
                if !waitUntilStopped(timeout: 3) { exit(0) }
                return
            }
        }
    }

    private func heartbeatLoop() {
        while !stopping {
            if heartbeat.waitReadable(timeoutMs: 100), let frames = try? heartbeat.receive(nonBlocking: true) {
                try? heartbeat.send(frames)
            }
        }
        heartbeat.close()
        heartbeatDone.signal()
    }

    private func controlLoop() {
        while !stopping {
            guard control.waitReadable(timeoutMs: 100), let frames = try? control.receive(nonBlocking: true) else { continue }
            guard let msg = parse(frames, channel: "control") else { continue }
            iopub.publish("status", content: ["execution_state": "busy"], parent: msg.header)
            switch msg.msgType {
            case "kernel_info_request":
                reply(control, to: msg, "kernel_info_reply", kernelInfo)
            case "interrupt_request":
                interrupt()
                reply(control, to: msg, "interrupt_reply", ["status": "ok"])
            case "shutdown_request":
                shutdown(msg, on: control)
            case "comm_info_request":
                reply(control, to: msg, "comm_info_reply", ["status": "ok", "comms": [String: Any]()])
            default:
                logError("control: ignoring \(msg.msgType)")
            }
            iopub.publish("status", content: ["execution_state": "idle"], parent: msg.header)
        }
        control.close()
        controlDone.signal()
    }

    private func shellLoop() {
        while !stopping {
            guard shell.waitReadable(timeoutMs: 100), let frames = try? shell.receive(nonBlocking: true) else { continue }
            guard let msg = parse(frames, channel: "shell") else { continue }
            handleShell(msg)
        }
    }

    private func parse(_ frames: [[UInt8]], channel: String) -> KernelMessage? {
        do {
            return try KernelMessage.parse(frames, signer: signer)
        } catch {
            logError("\(channel): dropping message: \(error)")
            return nil
        }
    }

    func reply(_ socket: ZMQSocket, to request: KernelMessage, _ msgType: String, _ content: JSONObject,
               metadata: JSONObject = [:]) {
        var header = KernelMessage.makeHeader(msgType: msgType, session: session)
        header["msg_type"] = msgType
        let msg = KernelMessage(identities: request.identities, header: header, parentHeader: request.header,
                                metadata: metadata, content: content)
        do {
            try socket.send(msg.serialize(signer: signer))
        } catch {
            logError("cannot send \(msgType): \(error)")
        }
    }

    private func shutdown(_ msg: KernelMessage, on socket: ZMQSocket) {
        let restart = msg.content["restart"] as? Bool ?? false
        stateLock.lock(); _stopping = true; _interrupted = true; shutdownRestart = restart; stateLock.unlock()
        backend.interrupt()
        let content: JSONObject = ["status": "ok", "restart": restart]
        reply(socket, to: msg, "shutdown_reply", content)
        iopub.publish("shutdown_reply", content: content, parent: msg.header)
    }

    // MARK: shell

    private func handleShell(_ msg: KernelMessage) {
        iopub.publish("status", content: ["execution_state": "busy"], parent: msg.header)
        var toAbort: [KernelMessage] = []
        switch msg.msgType {
        case "execute_request":
            toAbort = execute(msg)
        case "kernel_info_request":
            reply(shell, to: msg, "kernel_info_reply", kernelInfo)
        case "complete_request":
            complete(msg)
        case "inspect_request":
            inspect(msg)
        case "is_complete_request":
            isComplete(msg)
        case "history_request":
            historyReply(msg)
        case "comm_info_request":
            reply(shell, to: msg, "comm_info_reply", ["status": "ok", "comms": [String: Any]()])
        case "comm_open":
            let id = msg.content["comm_id"] as? String ?? ""
            iopub.publish("comm_close", content: ["comm_id": id, "data": [String: Any]()], parent: msg.header)
        case "comm_msg", "comm_close":
            break
        case "shutdown_request":
            shutdown(msg, on: shell)
        case "interrupt_request":
            interrupt()
            reply(shell, to: msg, "interrupt_reply", ["status": "ok"])
        default:
            logError("shell: ignoring unknown message type \(msg.msgType)")
        }
        iopub.publish("status", content: ["execution_state": "idle"], parent: msg.header)
        abort(toAbort)
    }

    /// After a failing cell with stop_on_error, every request already waiting is taken, so that its execute_requests
    /// are answered "aborted" (as ipykernel does). The queue is read before the failing cell's reply is sent, so a
    /// request a client sends once it has that reply always runs.
    private func drainQueued() -> [KernelMessage] {
        var queued: [KernelMessage] = []
        while !stopping, let frames = try? shell.receive(nonBlocking: true) {
            if let msg = parse(frames, channel: "shell") { queued.append(msg) }
        }
        return queued
    }

    private func abort(_ queued: [KernelMessage]) {
        for msg in queued {
            if msg.msgType == "execute_request" {
                iopub.publish("status", content: ["execution_state": "busy"], parent: msg.header)
                reply(shell, to: msg, "execute_reply", ["status": "aborted", "execution_count": executionCount],
                      metadata: ["status": "aborted", "dependencies_met": true, "engine": session])
                iopub.publish("status", content: ["execution_state": "idle"], parent: msg.header)
            } else {
                handleShell(msg)
            }
        }
    }

    func makeKernelInfo() -> JSONObject {
        [
            "status": "ok",
            "protocol_version": "5.3",
            "implementation": "soma",
            "implementation_version": backend.implementationVersion,
            "language_info": [
                "name": "python",
                "version": "3",
                "mimetype": "text/x-python",
                "file_extension": ".py",
                "codemirror_mode": ["name": "python", "version": 3] as JSONObject,
                "pygments_lexer": "python3",
                "nbconvert_exporter": "python",
            ] as JSONObject,
            "banner": backend.banner,
            "help_links": backend.helpLinks.map { ["text": $0.text, "url": $0.url] },
            "debugger": false,
        ]
    }

    /// Runs a cell; returns the requests that were queued behind it when it failed with stop_on_error.
    private func execute(_ msg: KernelMessage) -> [KernelMessage] {
        let c = msg.content
        let code = c["code"] as? String ?? ""
        let silent = c["silent"] as? Bool ?? false
        let storeHistory = silent ? false : (c["store_history"] as? Bool ?? true)
        let allowStdin = c["allow_stdin"] as? Bool ?? false
        let stopOnError = c["stop_on_error"] as? Bool ?? true
        var userExpressions: [String: String] = [:]
        for (k, v) in c["user_expressions"] as? JSONObject ?? [:] { if let s = v as? String { userExpressions[k] = s } }
        if storeHistory { executionCount += 1 }
        let count = executionCount
        let startedAt = isoNow()
        if !silent {
            iopub.publish("execute_input", content: ["code": code, "execution_count": count], parent: msg.header)
        }
        stateLock.lock(); _interrupted = false; _busy = true; stateLock.unlock()
        let request = ExecuteRequest(code: code, silent: silent, storeHistory: storeHistory, allowStdin: allowStdin,
                                     stopOnError: stopOnError, executionCount: count, userExpressions: userExpressions)
        let ctx = ShellExecutionContext(server: self, message: msg, request: request)
        let outcome = backend.execute(request, context: ctx)
        stateLock.lock(); _busy = false; stateLock.unlock()
        if storeHistory { addHistory(line: count, source: code) }
        var content: JSONObject = ["execution_count": count]
        var failed = false
        switch outcome {
        case .ok(let result, let metadata):
            if let result, !silent {
                iopub.publish("execute_result", content: ["execution_count": count, "data": result, "metadata": metadata],
                              parent: msg.header)
            }
            content["status"] = "ok"
            content["payload"] = ctx.payloads
            var results: JSONObject = [:]
            for (name, expr) in userExpressions {
                results[name] = expressionResult(backend.evaluateUserExpression(expr))
            }
            content["user_expressions"] = results
        case .error(let e):
            let traceback = e.traceback.isEmpty ? ["\u{1b}[0;31m\(e.ename)\u{1b}[0m: \(e.evalue)"] : e.traceback
            iopub.publish("error", content: ["ename": e.ename, "evalue": e.evalue, "traceback": traceback], parent: msg.header)
            content["status"] = "error"
            content["ename"] = e.ename
            content["evalue"] = e.evalue
            content["traceback"] = traceback
            content["payload"] = [Any]()
            content["user_expressions"] = [String: Any]()
            failed = true
        }
        iopub.flush()
        var metadata: JSONObject = ["started": startedAt, "dependencies_met": true, "engine": session,
                                    "status": content["status"] ?? "ok"]
        if failed, let ename = content["ename"] { metadata["ename"] = ename }
        let queued = failed && stopOnError && !silent ? drainQueued() : []
        reply(shell, to: msg, "execute_reply", content, metadata: metadata)
        return queued
    }

    private func addHistory(line: Int, source: String) {
        historyLock.lock()
        let first = historyPending.isEmpty
        historyPending.append((line, source))
        historyLock.unlock()
        if first { historyQueue.asyncAfter(deadline: .now() + 0.02) { [self] in writePendingHistory() } }
    }

    /// On `historyQueue`.
    private func writePendingHistory() {
        historyLock.lock()
        let cells = historyPending
        historyPending = []
        historyLock.unlock()
        if !cells.isEmpty { history?.store(cells) }
    }

    private func expressionResult(_ outcome: ExecuteOutcome) -> JSONObject {
        switch outcome {
        case .ok(let result, let metadata):
            return ["status": "ok", "data": result ?? ["text/plain": "None"], "metadata": metadata]
        case .error(let e):
            return ["status": "error", "ename": e.ename, "evalue": e.evalue, "traceback": e.traceback]
        }
    }

    private func complete(_ msg: KernelMessage) {
        let code = msg.content["code"] as? String ?? ""
        let cursor = msg.content["cursor_pos"] as? Int ?? code.unicodeScalars.count
        let r = backend.complete(code: code, cursorPosition: cursor)
        var metadata = r.metadata
        metadata["_jupyter_types_experimental"] = r.matches.enumerated().map { i, m -> JSONObject in
            var t: JSONObject = ["start": r.cursorStart, "end": r.cursorEnd, "text": m]
            if let types = r.types, i < types.count { t["type"] = types[i] } else { t["type"] = "<unknown>" }
            return t
        }
        reply(shell, to: msg, "complete_reply", ["status": "ok", "matches": r.matches, "cursor_start": r.cursorStart,
                                                 "cursor_end": r.cursorEnd, "metadata": metadata])
    }

    private func inspect(_ msg: KernelMessage) {
        let code = msg.content["code"] as? String ?? ""
        let cursor = msg.content["cursor_pos"] as? Int ?? code.unicodeScalars.count
        let detail = msg.content["detail_level"] as? Int ?? 0
        if let r = backend.inspect(code: code, cursorPosition: cursor, detailLevel: detail) {
            reply(shell, to: msg, "inspect_reply", ["status": "ok", "found": true, "data": r.data, "metadata": r.metadata])
        } else {
            reply(shell, to: msg, "inspect_reply", ["status": "ok", "found": false, "data": [String: Any](),
                                                    "metadata": [String: Any]()])
        }
    }

    private func isComplete(_ msg: KernelMessage) {
        let code = msg.content["code"] as? String ?? ""
        let content: JSONObject
        switch backend.isComplete(code: code) {
        case .complete: content = ["status": "complete"]
        case .incomplete(let indent): content = ["status": "incomplete", "indent": indent]
        case .invalid: content = ["status": "invalid"]
        case .unknown: content = ["status": "unknown"]
        }
        reply(shell, to: msg, "is_complete_reply", content)
    }

    private func historyReply(_ msg: KernelMessage) {
        let c = msg.content
        let output = c["output"] as? Bool ?? false
        let access = c["hist_access_type"] as? String ?? "tail"
        var entries: [HistoryStore.Entry] = []
        historyQueue.sync {
            writePendingHistory()
            guard let history else { return }
            switch access {
            case "tail":
                entries = history.tail(c["n"] as? Int ?? 10)
            case "range":
                entries = history.range(session: c["session"] as? Int ?? 0, start: c["start"] as? Int ?? 1,
                                        stop: c["stop"] as? Int ?? 0)
            case "search":
                entries = history.search(pattern: c["pattern"] as? String ?? "*", n: c["n"] as? Int,
                                         unique: c["unique"] as? Bool ?? false)
            default:
                break
            }
        }
        let list: [Any] = entries.map { e -> [Any] in
            output ? [e.session, e.line, [e.source, NSNull()] as [Any]] : [e.session, e.line, e.source]
        }
        reply(shell, to: msg, "history_reply", ["status": "ok", "history": list])
    }

    // MARK: stdin

    /// Sends input_request on stdin to the frontend of `request` and waits for its input_reply.
    func readInput(prompt: String, password: Bool, request: KernelMessage) throws -> String {
        while (try? stdin.receive(nonBlocking: true)) != nil {}  // drop stale replies
        iopub.flush()
        var header = KernelMessage.makeHeader(msgType: "input_request", session: session)
        header["msg_type"] = "input_request"
        let msg = KernelMessage(identities: request.identities, header: header, parentHeader: request.header,
                                content: ["prompt": prompt, "password": password])
        try stdin.send(msg.serialize(signer: signer))
        while true {
            if stopping { throw InputError.shutdown }
            if interrupted { throw InputError.interrupted }
            guard stdin.waitReadable(timeoutMs: 50), let frames = try? stdin.receive(nonBlocking: true) else { continue }
            guard let reply = parse(frames, channel: "stdin") else { continue }
            if reply.msgType == "input_reply" {
                return reply.content["value"] as? String ?? ""
            }
            logError("stdin: ignoring \(reply.msgType)")
        }
    }
}

/// The context a cell runs in: publishes on iopub with the execute_request as parent.
final class ShellExecutionContext: ExecutionContext {
    unowned let server: KernelServer
    let message: KernelMessage
    let request: ExecuteRequest
    var payloads: [Any] = []

    init(server: KernelServer, message: KernelMessage, request: ExecuteRequest) {
        self.server = server
        self.message = message
        self.request = request
    }

    func stream(_ name: StreamName, _ text: String) {
        server.iopub.stream(name.rawValue, text, parent: message.header)
    }

    func display(_ data: MimeBundle, metadata: JSONObject, displayId: String?) {
        var content: JSONObject = ["data": data, "metadata": metadata]
        content["transient"] = displayId.map { ["display_id": $0] as JSONObject } ?? [String: Any]()
        server.iopub.publish("display_data", content: content, parent: message.header)
    }

    func updateDisplay(_ data: MimeBundle, metadata: JSONObject, displayId: String) {
        server.iopub.publish("update_display_data",
                             content: ["data": data, "metadata": metadata, "transient": ["display_id": displayId]],
                             parent: message.header)
    }

    func clearOutput(wait: Bool) {
        server.iopub.publish("clear_output", content: ["wait": wait], parent: message.header)
    }

    func input(prompt: String, password: Bool) throws -> String {
        guard request.allowStdin else { throw InputError.notAllowed }
        return try server.readInput(prompt: prompt, password: password, request: message)
    }

    func page(_ data: MimeBundle, start: Int) {
        payloads.append(["source": "page", "data": data, "start": start] as JSONObject)
    }

    func askExit(keepKernel: Bool) {
        payloads.append(["source": "ask_exit", "keepkernel": keepKernel] as JSONObject)
    }

    func setNextInput(_ text: String, replace: Bool) {
        payloads.append(["source": "set_next_input", "text": text, "replace": replace] as JSONObject)
    }

    var isInterrupted: Bool { server.interrupted }
}
