import CZeroMQ
import Foundation

/// An error from libzmq, with its errno and message.
public struct ZMQError: Error, CustomStringConvertible {
    public let code: Int32
    public let operation: String
    public init(_ operation: String, code: Int32 = zmq_errno()) {
        self.operation = operation
        self.code = code
    }
    public var description: String {
        "\(operation): \(String(cString: zmq_strerror(code))) (errno \(code))"
    }
}

/// A ZeroMQ context (thread-safe).
public final class ZMQContext: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    public init() {
        handle = zmq_ctx_new()
    }

    deinit {
        zmq_ctx_term(handle)
    }

    /// A new CurveZMQ key pair as Z85 strings (40 characters each).
    public static func curveKeyPair() throws -> (publicKey: String, secretKey: String) {
        var pub = [CChar](repeating: 0, count: 41)
        var sec = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&pub, &sec) == 0 else { throw ZMQError("zmq_curve_keypair") }
        return (String(cString: pub), String(cString: sec))
    }

    /// Whether this libzmq was built with CURVE.
    public static var hasCurve: Bool { zmq_has("curve") != 0 }
}

/// A small wrapper over one libzmq socket. Not thread-safe: use a socket from one thread at a time.
public final class ZMQSocket: @unchecked Sendable {
    public enum Kind {
        case router, dealer, pub, sub, xpub, xsub, rep, req, push, pull, pair
        var raw: Int32 {
            switch self {
            case .router: return ZMQ_ROUTER
            case .dealer: return ZMQ_DEALER
            case .pub: return ZMQ_PUB
            case .sub: return ZMQ_SUB
            case .xpub: return ZMQ_XPUB
            case .xsub: return ZMQ_XSUB
            case .rep: return ZMQ_REP
            case .req: return ZMQ_REQ
            case .push: return ZMQ_PUSH
            case .pull: return ZMQ_PULL
            case .pair: return ZMQ_PAIR
            }
        }
    }

    let handle: UnsafeMutableRawPointer
    private var closed = false

    public init(_ context: ZMQContext, _ kind: Kind) throws {
        guard let h = zmq_socket(context.handle, kind.raw) else { throw ZMQError("zmq_socket") }
        handle = h
        setInt(ZMQ_LINGER, 200)
    }

    deinit { close() }

    public func close() {
        if !closed {
            closed = true
            zmq_close(handle)
        }
    }

    @discardableResult
    public func setInt(_ option: Int32, _ value: Int32) -> Bool {
        var v = value
        return zmq_setsockopt(handle, option, &v, MemoryLayout<Int32>.size) == 0
    }

    public func setBytes(_ option: Int32, _ value: [UInt8]) throws {
        let rc = value.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
        if rc != 0 { throw ZMQError("zmq_setsockopt(\(option))") }
    }

    public func setString(_ option: Int32, _ value: String) throws {
        try setBytes(option, Array(value.utf8))
    }

    /// Makes this socket a CurveZMQ server with the given Z85 secret key.
    public func makeCurveServer(secretKey: String) throws {
        guard setInt(ZMQ_CURVE_SERVER, 1) else { throw ZMQError("ZMQ_CURVE_SERVER") }
        try setString(ZMQ_CURVE_SECRETKEY, secretKey)
    }

    /// Makes this socket a CurveZMQ client of the server with the given Z85 public key.
    public func makeCurveClient(serverKey: String, publicKey: String, secretKey: String) throws {
        try setString(ZMQ_CURVE_SERVERKEY, serverKey)
        try setString(ZMQ_CURVE_PUBLICKEY, publicKey)
        try setString(ZMQ_CURVE_SECRETKEY, secretKey)
    }

    public func bind(_ endpoint: String) throws {
        guard zmq_bind(handle, endpoint) == 0 else { throw ZMQError("zmq_bind(\(endpoint))") }
    }

    public func connect(_ endpoint: String) throws {
        guard zmq_connect(handle, endpoint) == 0 else { throw ZMQError("zmq_connect(\(endpoint))") }
    }

    /// The endpoint the socket is bound to last (resolves wildcard ports).
    public var lastEndpoint: String {
        var buf = [CChar](repeating: 0, count: 512)
        var len = buf.count
        zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buf, &len)
        return String(cString: buf)
    }

    /// The socket's signalling descriptor (ZMQ_FD): readable when libzmq has commands for the socket;
    /// edge-triggered, see `events`.
    public var fileDescriptor: Int32 {
        var fd: Int32 = -1
        var len = MemoryLayout<Int32>.size
        zmq_getsockopt(handle, ZMQ_FD, &fd, &len)
        return fd
    }

    /// ZMQ_EVENTS (ZMQ_POLLIN, ZMQ_POLLOUT): processes libzmq's pending commands, which resets `fileDescriptor`.
    @discardableResult
    public func events() -> Int32 {
        var ev: Int32 = 0
        var len = MemoryLayout<Int32>.size
        zmq_getsockopt(handle, ZMQ_EVENTS, &ev, &len)
        return ev
    }

    /// Sends all frames as one multipart message. Retries on EINTR.
    public func send(_ frames: [[UInt8]]) throws {
        for (i, frame) in frames.enumerated() {
            let flags: Int32 = i < frames.count - 1 ? ZMQ_SNDMORE : 0
            while true {
                let rc = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
                if rc >= 0 { break }
                let e = zmq_errno()
                if e == EINTR { continue }
                throw ZMQError("zmq_send", code: e)
            }
        }
    }

    /// Receives one multipart message; nil when `nonBlocking` and nothing is waiting.
    public func receive(nonBlocking: Bool = false) throws -> [[UInt8]]? {
        var frames: [[UInt8]] = []
        var msg = zmq_msg_t()
        zmq_msg_init(&msg)
        defer { zmq_msg_close(&msg) }
        while true {
            let rc = zmq_msg_recv(&msg, handle, (nonBlocking && frames.isEmpty) ? ZMQ_DONTWAIT : 0)
            if rc < 0 {
                let e = zmq_errno()
                if e == EINTR { continue }
                if e == EAGAIN && frames.isEmpty { return nil }
                throw ZMQError("zmq_msg_recv", code: e)
            }
            let size = zmq_msg_size(&msg)
            if size > 0, let data = zmq_msg_data(&msg) {
                frames.append(Array(UnsafeRawBufferPointer(start: data, count: size)))
            } else {
                frames.append([])
            }
            if zmq_msg_more(&msg) == 0 { break }
        }
        return frames
    }

    /// Waits up to `timeoutMs` (-1: forever) until the socket can be read.
    public func waitReadable(timeoutMs: Int) -> Bool {
        ZMQSocket.poll([self], timeoutMs: timeoutMs).first ?? false
    }

    /// Polls sockets for reading; returns which ones are readable.
    public static func poll(_ sockets: [ZMQSocket], timeoutMs: Int) -> [Bool] {
        var items = sockets.map { zmq_pollitem_t(socket: $0.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
        let rc = zmq_poll(&items, Int32(items.count), timeoutMs)
        if rc <= 0 { return Array(repeating: false, count: sockets.count) }
        return items.map { ($0.revents & Int16(ZMQ_POLLIN)) != 0 }
    }
}
