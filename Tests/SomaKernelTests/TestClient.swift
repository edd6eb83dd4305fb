import CZeroMQ
import Foundation
@testable import SomaKernel
import XCTest

/// A small Jupyter client over real ZeroMQ sockets (DEALER shell/control/stdin, SUB iopub, REQ heartbeat).
final class TestClient {
    let context = ZMQContext()
    let shell: ZMQSocket
    let control: ZMQSocket
    let stdin: ZMQSocket
    let iopub: ZMQSocket
    let heartbeat: ZMQSocket
    let signer: MessageSigner
    let session = UUID().uuidString.lowercased()
    let connection: ConnectionInfo

    init(_ connection: ConnectionInfo, curveServerKey: String? = nil, key: String? = nil) throws {
        self.connection = connection
        signer = MessageSigner(key: key ?? connection.key)
        shell = try ZMQSocket(context, .dealer)
        control = try ZMQSocket(context, .dealer)
        stdin = try ZMQSocket(context, .dealer)
        iopub = try ZMQSocket(context, .sub)
        heartbeat = try ZMQSocket(context, .req)
        let identity = Array(session.utf8)
        try shell.setBytes(ZMQ_ROUTING_ID, identity)
        try stdin.setBytes(ZMQ_ROUTING_ID, identity)
        try iopub.setBytes(ZMQ_SUBSCRIBE, [])
        if let serverKey = curveServerKey {
            for s in [shell, control, stdin, iopub, heartbeat] {
                let pair = try ZMQContext.curveKeyPair()
                try s.makeCurveClient(serverKey: serverKey, publicKey: pair.publicKey, secretKey: pair.secretKey)
            }
        }
        try shell.connect(connection.endpoint(port: connection.shellPort))
        try control.connect(connection.endpoint(port: connection.controlPort))
        try stdin.connect(connection.endpoint(port: connection.stdinPort))
        try iopub.connect(connection.endpoint(port: connection.iopubPort))
        try heartbeat.connect(connection.endpoint(port: connection.hbPort))
    }

    func makeMessage(_ msgType: String, _ content: JSONObject) -> KernelMessage {
        var header = KernelMessage.makeHeader(msgType: msgType, session: session, username: "tester")
        header["msg_type"] = msgType
        return KernelMessage(header: header, content: content)
    }

    /// Sends a request; returns its msg_id.
    @discardableResult
    func send(_ socket: ZMQSocket, _ msgType: String, _ content: JSONObject = [:]) throws -> String {
        let m = makeMessage(msgType, content)
        try socket.send(m.serialize(signer: signer))
        return m.msgId
    }

    func receive(_ socket: ZMQSocket, timeout: Double = 5) throws -> KernelMessage? {
        guard socket.waitReadable(timeoutMs: Int(timeout * 1000)), let frames = try socket.receive(nonBlocking: true) else {
            return nil
        }
        return try KernelMessage.parse(frames, signer: signer)
    }

    /// Sends a request and waits for its reply on the same socket.
    func request(_ socket: ZMQSocket, _ msgType: String, _ content: JSONObject = [:], timeout: Double = 5) throws -> KernelMessage {
        let id = try send(socket, msgType, content)
        return try reply(to: id, on: socket, timeout: timeout)
    }

    func reply(to id: String, on socket: ZMQSocket, timeout: Double = 5) throws -> KernelMessage {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let m = try receive(socket, timeout: deadline.timeIntervalSinceNow), m.parentHeader["msg_id"] as? String == id {
                return m
            }
        }
        throw TestClientError.timeout("reply to \(id)")
    }

    /// Iopub messages whose parent is `id`, up to and including its status idle.
    func iopubUntilIdle(_ id: String, timeout: Double = 5) throws -> [KernelMessage] {
        var out: [KernelMessage] = []
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard let m = try receive(iopub, timeout: max(0, deadline.timeIntervalSinceNow)) else { break }
            guard m.parentHeader["msg_id"] as? String == id else { continue }
            out.append(m)
            if m.msgType == "status", m.content["execution_state"] as? String == "idle" { return out }
        }
        throw TestClientError.timeout("idle for \(id) (got \(out.map(\.msgType)))")
    }

    /// Waits for the iopub_welcome that says our subscription is live.
    func waitForWelcome(timeout: Double = 5) throws -> KernelMessage {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let m = try receive(iopub, timeout: max(0, deadline.timeIntervalSinceNow)), m.msgType == "iopub_welcome" { return m }
        }
        throw TestClientError.timeout("iopub_welcome")
    }

    /// One heartbeat ping; returns the round trip in seconds, nil when no echo within `timeout`.
    func ping(timeout: Double = 1) throws -> Double? {
        let start = Date()
        try heartbeat.send([Array("ping".utf8)])
        guard heartbeat.waitReadable(timeoutMs: Int(timeout * 1000)), let frames = try heartbeat.receive(nonBlocking: true) else {
            return nil
        }
        XCTAssertEqual(frames, [Array("ping".utf8)])
        return Date().timeIntervalSince(start)
    }

    func close() {
        for s in [shell, control, stdin, iopub, heartbeat] { s.close() }
    }
}

enum TestClientError: Error { case timeout(String) }

/// A kernel with the fake backend on background threads, and a client connected to it.
final class Harness {
    let backend = FakeBackend()
    let server: KernelServer
    let client: TestClient

    init(key: String = "test-key-\(UUID().uuidString)", historyPath: String = ":memory:", curve: Bool = false,
         transport: String = "tcp", handleSIGINT: Bool = false) throws {
        var conn = ConnectionInfo(key: key)
        var serverKey: String?
        if curve {
            let pair = try ZMQContext.curveKeyPair()
            conn.curvePublicKey = pair.publicKey
            conn.curveSecretKey = pair.secretKey
            serverKey = pair.publicKey
        }
        if transport == "ipc" {
            conn.transport = "ipc"
            conn.ip = NSTemporaryDirectory() + "soma-test-\(UUID().uuidString.prefix(8))"
            conn.shellPort = 1; conn.iopubPort = 2; conn.stdinPort = 3; conn.controlPort = 4; conn.hbPort = 5
        }
        server = try KernelServer(connection: conn, backend: backend,
                                  options: KernelOptions(historyPath: historyPath, handleSIGINT: handleSIGINT,
                                                        exitWhenParentDies: false))
        server.start()
        client = try TestClient(server.connection, curveServerKey: serverKey)
        _ = try client.waitForWelcome()
    }

    func execute(_ code: String, _ extra: JSONObject = [:]) throws -> (reply: KernelMessage, iopub: [KernelMessage]) {
        var content: JSONObject = ["code": code, "silent": false, "store_history": true, "user_expressions": [String: Any](),
                                   "allow_stdin": false, "stop_on_error": true]
        for (k, v) in extra { content[k] = v }
        let id = try client.send(client.shell, "execute_request", content)
        let reply = try client.reply(to: id, on: client.shell, timeout: 10)
        let pub = try client.iopubUntilIdle(id)
        return (reply, pub)
    }

    func shutdown() {
        _ = try? client.request(client.control, "shutdown_request", ["restart": false], timeout: 3)
        _ = server.waitUntilStopped(timeout: 5)
        client.close()
    }
}
