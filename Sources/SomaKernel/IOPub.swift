import CZeroMQ
import Foundation

/// The iopub channel. The XPUB socket is shared under a lock: a thread that publishes (the shell
/// thread running a cell, the control thread) serializes and sends its message itself, so a
/// message is with libzmq when `publish` returns and no other thread has to wake up on the way
/// (each wake-up costs tens of microseconds). A small timer thread answers subscriptions with
/// `iopub_welcome` (protocol 5.4) and sends batched stream text when it is due. Stream text is
/// batched: consecutive chunks for the same stream and parent go out as one message after
/// `flushInterval` or when anything else is published.
///
/// libzmq's socket descriptor (ZMQ_FD) is edge-triggered: whoever holds the lock reads the
/// waiting subscriptions after each send, so none is left unseen when the send consumed the
/// descriptor's signal.
final class IOPubChannel: @unchecked Sendable {
    private let xpub: ZMQSocket
    private let xpubFD: Int32
    /// Wakes the timer thread when a stream batch starts or the channel stops.
    private var wakePipe: [Int32] = [-1, -1]
    private let lock = NSLock()
    private let signer: MessageSigner
    private let session: String
    private let done = DispatchSemaphore(value: 0)
    var flushInterval: Double = 0.05
    var maxBatchBytes = 1 << 20

    // Guarded by `lock`.
    private var stopping = false
    private var closed = false
    private var pendingName = ""
    private var pendingParent: JSONObject = [:]
    private var pendingParentId = ""
    private var pendingText: [String] = []
    private var pendingBytes = 0
    private var pendingSince = 0.0

    init(context: ZMQContext, xpub: ZMQSocket, signer: MessageSigner, session: String) throws {
        self.xpub = xpub
        self.signer = signer
        self.session = session
        xpubFD = xpub.fileDescriptor
        guard pipe(&wakePipe) == 0 else { throw ZMQError("pipe", code: errno) }
        for fd in wakePipe { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    func start() {
        let t = Thread { [self] in self.loop() }
        t.name = "soma-iopub"
        t.start()
    }

    /// Publishes a message (after any stream text waiting in a batch).
    func publish(_ msgType: String, content: JSONObject, parent: JSONObject, metadata: JSONObject = [:]) {
        var header = KernelMessage.makeHeader(msgType: msgType, session: session)
        header["msg_type"] = msgType
        let msg = KernelMessage(identities: [Array(topic(msgType).utf8)], header: header, parentHeader: parent,
                                metadata: metadata, content: content)
        let frames = msg.serialize(signer: signer)
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        flushStreamLocked()
        sendLocked(frames)
        serveSubscriptionsLocked()
    }

    func stream(_ name: String, _ text: String, parent: JSONObject) {
        if text.isEmpty { return }
        let pid = parent["msg_id"] as? String ?? ""
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        if !pendingText.isEmpty && (name != pendingName || pid != pendingParentId) { flushStreamLocked() }
        if pendingText.isEmpty {
            pendingName = name
            pendingParent = parent
            pendingParentId = pid
            pendingSince = now()
            wake()  // the timer thread now has a deadline
        }
        pendingText.append(text)
        pendingBytes += text.utf8.count
        if pendingBytes >= maxBatchBytes { flushStreamLocked() }
        serveSubscriptionsLocked()
    }

    /// Sends the stream text waiting in a batch; afterwards everything published so far is with libzmq.
    func flush() {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        flushStreamLocked()
        serveSubscriptionsLocked()
    }

    /// Sends what is waiting, then stops the timer thread and closes the socket.
    func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
        wake()
        _ = done.wait(timeout: .now() + 3)
    }

    private func topic(_ msgType: String) -> String {
        "kernel.\(session).\(msgType)"
    }

    private func wake() {
        var b: UInt8 = 1
        _ = write(wakePipe[1], &b, 1)
    }

    private func loop() {
        var fds = [pollfd(fd: xpubFD, events: Int16(POLLIN), revents: 0), pollfd(fd: wakePipe[0], events: Int16(POLLIN), revents: 0)]
        var drain = [UInt8](repeating: 0, count: 64)
        while true {
            lock.lock()
            if stopping {
                flushStreamLocked()
                closed = true
                xpub.close()
                lock.unlock()
                break
            }
            if !pendingText.isEmpty && (now() - pendingSince >= flushInterval || pendingBytes >= maxBatchBytes) {
                flushStreamLocked()
            }
            repeat { serveSubscriptionsLocked() } while xpub.events() & ZMQ_POLLIN != 0  // rearms the descriptor
            let timeout = pendingText.isEmpty ? -1 : max(0, Int32(((pendingSince + flushInterval - now()) * 1000).rounded(.up)))
            lock.unlock()
            fds[0].revents = 0
            fds[1].revents = 0
            _ = poll(&fds, 2, timeout)
            if fds[1].revents != 0 { while read(wakePipe[0], &drain, drain.count) > 0 {} }
        }
        close(wakePipe[0])
        close(wakePipe[1])
        done.signal()
    }

    /// Answers every subscription waiting on the socket (and lets libzmq process its commands).
    private func serveSubscriptionsLocked() {
        while let frames = try? xpub.receive(nonBlocking: true) {
            guard let first = frames.first, first.first == 1 else { continue }
            let topic = String(decoding: first.dropFirst(), as: UTF8.self)
            var header = KernelMessage.makeHeader(msgType: "iopub_welcome", session: session)
            header["msg_type"] = "iopub_welcome"
            let msg = KernelMessage(identities: topic.isEmpty ? [] : [Array(topic.utf8)], header: header,
                                    content: ["subscription": topic])
            sendLocked(msg.serialize(signer: signer))
        }
    }

    private func flushStreamLocked() {
        guard !pendingText.isEmpty else { return }
        let text = pendingText.joined()
        pendingText = []
        pendingBytes = 0
        var header = KernelMessage.makeHeader(msgType: "stream", session: session)
        header["msg_type"] = "stream"
        let msg = KernelMessage(identities: [Array("stream.\(pendingName)".utf8)], header: header,
                                parentHeader: pendingParent, content: ["name": pendingName, "text": text])
        sendLocked(msg.serialize(signer: signer))
    }

    private func sendLocked(_ frames: [[UInt8]]) {
        do {
            try xpub.send(frames)
        } catch {
            logError("iopub send failed: \(error)")
        }
    }
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
