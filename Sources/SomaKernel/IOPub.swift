import CZeroMQ
import Foundation

/// The iopub channel: one thread owns the XPUB socket, answers subscriptions with
/// `iopub_welcome` (protocol 5.4) and sends what other threads queue, in order. Stream text is
/// batched: consecutive chunks for the same stream and parent go out as one message after
/// `flushInterval` or when anything else is published.
final class IOPubChannel: @unchecked Sendable {
    enum Item {
        case message(KernelMessage)
        case stream(name: String, text: String, parent: JSONObject)
        case barrier(DispatchSemaphore)
    }

    private let xpub: ZMQSocket
    private let pull: ZMQSocket
    private let push: ZMQSocket
    private let lock = NSLock()
    private var queue: [Item] = []
    private var stopping = false
    private let signer: MessageSigner
    private let session: String
    private let done = DispatchSemaphore(value: 0)
    var flushInterval: Double = 0.05
    var maxBatchBytes = 1 << 20

    // Owned by the iopub thread.
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
        let name = "inproc://soma-iopub-\(UUID().uuidString)"
        pull = try ZMQSocket(context, .pull)
        try pull.bind(name)
        push = try ZMQSocket(context, .push)
        push.setInt(ZMQ_SNDHWM, 0)
        pull.setInt(ZMQ_RCVHWM, 0)
        try push.connect(name)
    }

    func start() {
        let t = Thread { [self] in self.loop() }
        t.name = "soma-iopub"
        t.start()
    }

    /// Queues a message to publish.
    func publish(_ msgType: String, content: JSONObject, parent: JSONObject, metadata: JSONObject = [:]) {
        var header = KernelMessage.makeHeader(msgType: msgType, session: session)
        header["msg_type"] = msgType
        let msg = KernelMessage(identities: [Array(topic(msgType).utf8)], header: header, parentHeader: parent,
                                metadata: metadata, content: content)
        enqueue(.message(msg))
    }

    func stream(_ name: String, _ text: String, parent: JSONObject) {
        if text.isEmpty { return }
        enqueue(.stream(name: name, text: text, parent: parent))
    }

    /// Waits until everything queued so far has been handed to libzmq.
    func flush() {
        let s = DispatchSemaphore(value: 0)
        enqueue(.barrier(s))
        _ = s.wait(timeout: .now() + 5)
    }

    /// Sends what is queued, then stops the thread and closes the sockets.
    func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
        ring()
        _ = done.wait(timeout: .now() + 3)
    }

    private func topic(_ msgType: String) -> String {
        "kernel.\(session).\(msgType)"
    }

    private func enqueue(_ item: Item) {
        lock.lock()
        if stopping {
            lock.unlock()
            if case .barrier(let s) = item { s.signal() }
            return
        }
        queue.append(item)
        if queue.count == 1 { try? push.send([[]]) }
        lock.unlock()
    }

    private func ring() {
        lock.lock()
        try? push.send([[]])
        lock.unlock()
    }

    private func loop() {
        while true {
            var timeout = 100
            if !pendingText.isEmpty {
                let left = pendingSince + flushInterval - now()
                timeout = max(0, Int(left * 1000))
            }
            let ready = ZMQSocket.poll([xpub, pull], timeoutMs: timeout)
            if ready[0] {
                while let frames = try? xpub.receive(nonBlocking: true) {
                    handleSubscription(frames)
                }
            }
            var items: [Item] = []
            var stop = false
            if ready[1] {
                while (try? pull.receive(nonBlocking: true)) != nil {}
            }
            lock.lock()
            items = queue
            queue = []
            stop = stopping
            lock.unlock()
            for item in items { process(item) }
            if !pendingText.isEmpty && (now() - pendingSince >= flushInterval || pendingBytes >= maxBatchBytes) {
                flushStream()
            }
            if stop {
                flushStream()
                break
            }
        }
        xpub.close()
        pull.close()
        lock.lock()
        push.close()
        lock.unlock()
        done.signal()
    }

    private func handleSubscription(_ frames: [[UInt8]]) {
        guard let first = frames.first, let kind = first.first else { return }
        if kind == 1 {
            let topic = String(decoding: first.dropFirst(), as: UTF8.self)
            var header = KernelMessage.makeHeader(msgType: "iopub_welcome", session: session)
            header["msg_type"] = "iopub_welcome"
            let msg = KernelMessage(identities: topic.isEmpty ? [] : [Array(topic.utf8)], header: header,
                                    content: ["subscription": topic])
            send(msg)
        }
    }

    private func process(_ item: Item) {
        switch item {
        case .message(let m):
            flushStream()
            send(m)
        case .stream(let name, let text, let parent):
            let pid = parent["msg_id"] as? String ?? ""
            if !pendingText.isEmpty && (name != pendingName || pid != pendingParentId) { flushStream() }
            if pendingText.isEmpty {
                pendingName = name
                pendingParent = parent
                pendingParentId = pid
                pendingSince = now()
            }
            pendingText.append(text)
            pendingBytes += text.utf8.count
            if pendingBytes >= maxBatchBytes { flushStream() }
        case .barrier(let s):
            flushStream()
            s.signal()
        }
    }

    private func flushStream() {
        guard !pendingText.isEmpty else { return }
        let text = pendingText.joined()
        pendingText = []
        pendingBytes = 0
        var header = KernelMessage.makeHeader(msgType: "stream", session: session)
        header["msg_type"] = "stream"
        let msg = KernelMessage(identities: [Array("stream.\(pendingName)".utf8)], header: header,
                                parentHeader: pendingParent, content: ["name": pendingName, "text": text])
        send(msg)
    }

    private func send(_ msg: KernelMessage) {
        do {
            try xpub.send(msg.serialize(signer: signer))
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
