import Foundation

/// The contents of a Jupyter connection file.
public struct ConnectionInfo: Codable, Equatable, Sendable {
    public var transport: String
    public var ip: String
    public var shellPort: Int
    public var iopubPort: Int
    public var stdinPort: Int
    public var controlPort: Int
    public var hbPort: Int
    public var key: String
    public var signatureScheme: String
    public var kernelName: String?
    /// CurveZMQ keys (Z85); when both are present every socket is a CURVE server.
    public var curvePublicKey: String?
    public var curveSecretKey: String?

    enum CodingKeys: String, CodingKey {
        case transport, ip, key
        case shellPort = "shell_port", iopubPort = "iopub_port", stdinPort = "stdin_port"
        case controlPort = "control_port", hbPort = "hb_port"
        case signatureScheme = "signature_scheme", kernelName = "kernel_name"
        case curvePublicKey = "curve_publickey", curveSecretKey = "curve_secretkey"
    }

    public init(transport: String = "tcp", ip: String = "127.0.0.1", shellPort: Int = 0, iopubPort: Int = 0,
                stdinPort: Int = 0, controlPort: Int = 0, hbPort: Int = 0, key: String = "",
                signatureScheme: String = "hmac-sha256", kernelName: String? = nil,
                curvePublicKey: String? = nil, curveSecretKey: String? = nil) {
        self.transport = transport; self.ip = ip
        self.shellPort = shellPort; self.iopubPort = iopubPort; self.stdinPort = stdinPort
        self.controlPort = controlPort; self.hbPort = hbPort
        self.key = key; self.signatureScheme = signatureScheme; self.kernelName = kernelName
        self.curvePublicKey = curvePublicKey; self.curveSecretKey = curveSecretKey
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        transport = try c.decodeIfPresent(String.self, forKey: .transport) ?? "tcp"
        ip = try c.decodeIfPresent(String.self, forKey: .ip) ?? "127.0.0.1"
        shellPort = try c.decodeIfPresent(Int.self, forKey: .shellPort) ?? 0
        iopubPort = try c.decodeIfPresent(Int.self, forKey: .iopubPort) ?? 0
        stdinPort = try c.decodeIfPresent(Int.self, forKey: .stdinPort) ?? 0
        controlPort = try c.decodeIfPresent(Int.self, forKey: .controlPort) ?? 0
        hbPort = try c.decodeIfPresent(Int.self, forKey: .hbPort) ?? 0
        key = try c.decodeIfPresent(String.self, forKey: .key) ?? ""
        signatureScheme = try c.decodeIfPresent(String.self, forKey: .signatureScheme) ?? "hmac-sha256"
        kernelName = try c.decodeIfPresent(String.self, forKey: .kernelName)
        curvePublicKey = try c.decodeIfPresent(String.self, forKey: .curvePublicKey)
        curveSecretKey = try c.decodeIfPresent(String.self, forKey: .curveSecretKey)
    }

    /// Reads a connection file.
    public static func load(path: String) throws -> ConnectionInfo {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONDecoder().decode(ConnectionInfo.self, from: data)
    }

    /// Whether every socket should be a CurveZMQ server.
    public var usesCurve: Bool {
        guard let p = curvePublicKey, let s = curveSecretKey else { return false }
        return !p.isEmpty && !s.isEmpty
    }

    /// The endpoint for a port; port 0 over tcp binds a free port chosen by the system.
    public func endpoint(port: Int) -> String {
        if transport == "ipc" {
            return "ipc://\(ip)-\(port)"
        }
        let host = ip.contains(":") && !ip.hasPrefix("[") ? "[\(ip)]" : ip
        return "tcp://\(host):\(port == 0 ? "*" : String(port))"
    }
}

enum ConnectionError: Error, CustomStringConvertible {
    case unsupportedScheme(String)
    case unsupportedTransport(String)
    var description: String {
        switch self {
        case .unsupportedScheme(let s): return "unsupported signature_scheme \(s) (Soma supports hmac-sha256)"
        case .unsupportedTransport(let t): return "unsupported transport \(t) (Soma supports tcp and ipc)"
        }
    }
}
