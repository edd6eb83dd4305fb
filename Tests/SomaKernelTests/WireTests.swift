import Foundation
@testable import SomaKernel
import XCTest

final class WireTests: XCTestCase {
    // Computed once with CPython:
    //   h = hmac.new(b"soma-test-key", digestmod=hashlib.sha256); for p in parts: h.update(p); h.hexdigest()
    let header = #"{"msg_id":"a1","msg_type":"kernel_info_request","session":"s1","username":"u","date":"2026-01-01T00:00:00.000000Z","version":"5.3"}"#
    let content = #"{"code":"print(\"h\u00e9llo\")"}"#
    let expected = "c3125d01248846afcbd8fc7ace4be104b6c82f5eb6a55e9c4ea1ab2370836fee"

    func testSignatureMatchesPythonHMAC() {
        let signer = MessageSigner(key: "soma-test-key")
        let parts = [header, "{}", "{}", content].map { Array($0.utf8) }
        XCTAssertEqual(signer.signature(parts), expected)
        XCTAssertTrue(signer.verify(signature: Array(expected.utf8), parts: parts))
        var bad = Array(expected.utf8)
        bad[10] = UInt8(ascii: "0") == bad[10] ? UInt8(ascii: "1") : UInt8(ascii: "0")
        XCTAssertFalse(signer.verify(signature: bad, parts: parts))
        XCTAssertFalse(signer.verify(signature: Array(expected.utf8.dropLast()), parts: parts))
        XCTAssertFalse(signer.verify(signature: [], parts: parts))
    }

    func testParseVerifiesAndKeepsIdentitiesAndBuffers() throws {
        let signer = MessageSigner(key: "soma-test-key")
        let frames: [[UInt8]] = [Array("id1".utf8), Array("id2".utf8), Array("<IDS|MSG>".utf8), Array(expected.utf8),
                                 Array(header.utf8), Array("{}".utf8), Array("{}".utf8), Array(content.utf8),
                                 [0, 1, 2], [255]]
        let m = try KernelMessage.parse(frames, signer: signer)
        XCTAssertEqual(m.identities, [Array("id1".utf8), Array("id2".utf8)])
        XCTAssertEqual(m.msgType, "kernel_info_request")
        XCTAssertEqual(m.content["code"] as? String, "print(\"héllo\")")
        XCTAssertEqual(m.buffers, [[0, 1, 2], [255]])

        var forged = frames
        forged[7] = Array(#"{"code":"rm -rf"}"#.utf8)
        XCTAssertThrowsError(try KernelMessage.parse(forged, signer: signer))
        var unsigned = frames
        unsigned[3] = []
        XCTAssertThrowsError(try KernelMessage.parse(unsigned, signer: signer))
        XCTAssertThrowsError(try KernelMessage.parse(Array(frames.prefix(6)), signer: signer))
        XCTAssertThrowsError(try KernelMessage.parse(frames.filter { $0 != Array("<IDS|MSG>".utf8) }, signer: signer))
        // No key: no signature needed.
        XCTAssertNoThrow(try KernelMessage.parse(unsigned, signer: MessageSigner(key: "")))
    }

    func testRoundTripSerialization() throws {
        let signer = MessageSigner(key: "k")
        var header = KernelMessage.makeHeader(msgType: "stream", session: "s")
        header["msg_type"] = "stream"
        let m = KernelMessage(identities: [Array("x".utf8)], header: header, parentHeader: ["msg_id": "p"],
                              content: ["name": "stdout", "text": "é\n\u{1b}[0m \"quoted\" / slash"], buffers: [[9]])
        let frames = m.serialize(signer: signer)
        XCTAssertEqual(frames[1], Array("<IDS|MSG>".utf8))
        XCTAssertEqual(String(decoding: frames[2], as: UTF8.self), signer.signature(Array(frames[3...6])))
        let back = try KernelMessage.parse(frames, signer: signer)
        XCTAssertEqual(back.content["text"] as? String, "é\n\u{1b}[0m \"quoted\" / slash")
        XCTAssertEqual(back.header["version"] as? String, "5.3")
        XCTAssertEqual(back.buffers, [[9]])
        let date = back.header["date"] as? String ?? ""
        XCTAssertNotNil(date.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$"#, options: .regularExpression), date)
    }

    func testMessageDatesAreISO8601UTCWithMicroseconds() throws {
        let before = Date()
        let text = isoNow()
        XCTAssertNotNil(text.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$"#, options: .regularExpression), text)
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let date = try XCTUnwrap(parser.date(from: text.replacingOccurrences(of: #"(\.\d{3})\d{3}Z"#, with: "$1Z", options: .regularExpression)))
        XCTAssertLessThan(abs(date.timeIntervalSince(before)), 2)
    }

    func testConnectionFile() throws {
        let pair = try ZMQContext.curveKeyPair()
        XCTAssertEqual(pair.publicKey.count, 40)
        let json = """
        {"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005,
         "ip": "127.0.0.1", "key": "abc", "transport": "tcp", "signature_scheme": "hmac-sha256", "kernel_name": "soma",
         "curve_publickey": "\(pair.publicKey)", "curve_secretkey": "\(pair.secretKey)"}
        """
        let path = NSTemporaryDirectory() + "soma-conn-\(UUID().uuidString).json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let c = try ConnectionInfo.load(path: path)
        XCTAssertEqual([c.shellPort, c.iopubPort, c.stdinPort, c.controlPort, c.hbPort], [5001, 5002, 5003, 5004, 5005])
        XCTAssertEqual(c.key, "abc")
        XCTAssertTrue(c.usesCurve)
        XCTAssertEqual(c.endpoint(port: c.shellPort), "tcp://127.0.0.1:5001")
        var ipc = c
        ipc.transport = "ipc"
        ipc.ip = "/tmp/kernel"
        XCTAssertEqual(ipc.endpoint(port: 3), "ipc:///tmp/kernel-3")
        let minimal = try JSONDecoder().decode(ConnectionInfo.self, from: Data(#"{"shell_port": 1}"#.utf8))
        XCTAssertFalse(minimal.usesCurve)
        XCTAssertEqual(minimal.signatureScheme, "hmac-sha256")
    }

    func testTracebackFormat() {
        let tb = Traceback.format(ename: "ZeroDivisionError", evalue: "division by zero",
                                  frames: [.init(location: "Cell In[3]", line: 2, source: "y = 1/0", caretStart: 4, caretEnd: 7)])
        XCTAssertEqual(tb.count, 4)
        XCTAssertTrue(tb[1].hasPrefix("\u{1b}[0;31mZeroDivisionError\u{1b}[0m"))
        XCTAssertTrue(tb[1].hasSuffix("Traceback (most recent call last)"))
        XCTAssertTrue(tb[2].contains("Cell \u{1b}[0;32mIn[3], line 2\u{1b}[0m"))
        XCTAssertTrue(tb[2].contains("----> 2\u{1b}[0m y = 1/0"))
        XCTAssertTrue(tb[2].contains("^^^"))
        XCTAssertEqual(tb[3], "\u{1b}[0;31mZeroDivisionError\u{1b}[0m: division by zero")
    }

    func testKernelspecInstallIntoPrefix() throws {
        let prefix = NSTemporaryDirectory() + "soma-prefix-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        let dir = try KernelspecInstaller.install(prefix: prefix, binaryPath: "/opt/soma/bin/soma")
        XCTAssertEqual(dir, prefix + "/share/jupyter/kernels/soma")
        let spec = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/kernel.json"))) as? JSONObject
        XCTAssertEqual(spec?["argv"] as? [String], ["/opt/soma/bin/soma", "kernel", "-f", "{connection_file}"])
        XCTAssertEqual(spec?["display_name"] as? String, "Soma")
        XCTAssertEqual(spec?["language"] as? String, "python")
        XCTAssertEqual(spec?["interrupt_mode"] as? String, "message")
        XCTAssertEqual((spec?["metadata"] as? JSONObject)?["supported_encryption"] as? [String], ["curve"])
        for f in ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/" + f), f)
        }
        XCTAssertEqual(try KernelspecInstaller.destination(prefix: "/p", name: "x"), "/p/share/jupyter/kernels/x")
        XCTAssertTrue(try KernelspecInstaller.destination(user: true).hasSuffix("/jupyter/kernels/soma"))
    }

    /// The embedded copies are the repository's kernelspec/soma files, byte for byte.
    func testEmbeddedKernelspecMatchesRepository() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = repo.appendingPathComponent("kernelspec/soma")
        let template = try String(contentsOf: folder.appendingPathComponent("kernel.json"), encoding: .utf8)
        XCTAssertEqual(KernelspecInstaller.kernelJSON(binaryPath: "soma"), template)
        for (name, bytes) in KernelspecInstaller.logos {
            XCTAssertEqual(Array(try Data(contentsOf: folder.appendingPathComponent(name))), bytes, name)
        }
        XCTAssertEqual(Array(try Data(contentsOf: folder.appendingPathComponent("logo-64x64.png")).prefix(8)),
                       [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    func testHistoryStoreAcrossSessions() throws {
        let path = NSTemporaryDirectory() + "soma-history-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let h = HistoryStore(path: path)
            h.store(line: 1, source: "a = 1")
            h.store(line: 2, source: "print(a)")
        }
        let h = HistoryStore(path: path)
        XCTAssertEqual(h.session, 2)
        h.store(line: 1, source: "b = 2")
        h.store(line: 2, source: "print(b)")
        XCTAssertEqual(h.tail(3).map(\.source), ["print(a)", "b = 2", "print(b)"])
        XCTAssertEqual(h.range(session: 0, start: 1, stop: 0).map(\.source), ["b = 2", "print(b)"])
        XCTAssertEqual(h.range(session: -1, start: 2, stop: 3).map(\.source), ["print(a)"])
        XCTAssertEqual(h.search(pattern: "print*", n: nil, unique: false).map(\.source), ["print(a)", "print(b)"])
        XCTAssertEqual(h.search(pattern: "print*", n: 1, unique: false).map(\.source), ["print(b)"])
        h.store(line: 3, source: "print(a)")
        XCTAssertEqual(h.search(pattern: "print(a)", n: nil, unique: true).count, 1)
    }
}

final class JSONWriterTests: XCTestCase {
    let booleanType: AnyClass = type(of: NSNumber(value: true))

    func reparse(_ obj: JSONObject) throws -> JSONObject {
        let bytes = encodeJSON(obj)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(bytes)) as? JSONObject, String(decoding: bytes, as: UTF8.self))
    }

    func isBool(_ v: Any?) -> Bool {
        guard let v = v as AnyObject? else { return false }
        return type(of: v) == booleanType
    }

    func testNativeValues() throws {
        let none: String? = nil
        let some: String? = "x"
        let obj: JSONObject = [
            "s": "quote \" backslash \\ newline \n tab \t bell \u{7} é 😀 </script>",
            "t": true, "f": false, "i": 42, "neg": -7, "d": 1.5, "tiny": 1e-5, "whole": 2.0, "nan": Double.nan,
            "float": Float(0.25), "i32": Int32(3), "u8": UInt8(200), "none": none as Any, "some": some as Any,
            "arr": [1, "two", [3.5], ["k": false]] as [Any], "strs": ["a", "b"], "dict": ["x": ["y": 1]],
            "empty": [String: Any](), "emptyArr": [Any](), "null": NSNull(),
        ]
        let back = try reparse(obj)
        XCTAssertEqual(back["s"] as? String, obj["s"] as? String)
        XCTAssertTrue(isBool(back["t"])); XCTAssertTrue(isBool(back["f"]))
        XCTAssertEqual(back["t"] as? Bool, true); XCTAssertEqual(back["f"] as? Bool, false)
        XCTAssertFalse(isBool(back["i"]))
        XCTAssertEqual(back["i"] as? Int, 42); XCTAssertEqual(back["neg"] as? Int, -7)
        XCTAssertEqual(back["d"] as? Double, 1.5); XCTAssertEqual(back["tiny"] as? Double, 1e-5)
        XCTAssertEqual(back["whole"] as? Double, 2.0)
        XCTAssertTrue(back["nan"] is NSNull)
        XCTAssertEqual(back["float"] as? Double, 0.25)
        XCTAssertEqual(back["i32"] as? Int, 3); XCTAssertEqual(back["u8"] as? Int, 200)
        XCTAssertTrue(back["none"] is NSNull); XCTAssertEqual(back["some"] as? String, "x")
        let arr = try XCTUnwrap(back["arr"] as? [Any])
        XCTAssertEqual(arr[1] as? String, "two")
        XCTAssertTrue(isBool((arr[3] as? JSONObject)?["k"]))
        XCTAssertEqual(back["strs"] as? [String], ["a", "b"])
        XCTAssertEqual(((back["dict"] as? JSONObject)?["x"] as? JSONObject)?["y"] as? Int, 1)
        XCTAssertEqual((back["empty"] as? JSONObject)?.count, 0)
        XCTAssertTrue(back["null"] is NSNull)
    }

    /// Values parsed by JSONSerialization (NSNumber, booleans among them) are written back unchanged.
    func testParsedValuesRoundTrip() throws {
        let text = #"{"b": true, "c": false, "one": 1, "zero": 0, "d": 1.5, "big": 12345678901234, "n": null, "a": [true, 1, "x"]}"#
        let parsed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? JSONObject)
        let back = try reparse(parsed)
        XCTAssertTrue(isBool(back["b"])); XCTAssertTrue(isBool(back["c"]))
        XCTAssertFalse(isBool(back["one"])); XCTAssertFalse(isBool(back["zero"]))
        XCTAssertEqual(back["one"] as? Int, 1); XCTAssertEqual(back["zero"] as? Int, 0)
        XCTAssertEqual(back["d"] as? Double, 1.5)
        XCTAssertEqual(back["big"] as? Int, 12345678901234)
        XCTAssertTrue(back["n"] is NSNull)
        let a = try XCTUnwrap(back["a"] as? [Any])
        XCTAssertTrue(isBool(a[0])); XCTAssertFalse(isBool(a[1]))
    }
}

final class JSONReaderTests: XCTestCase {
    func decode(_ text: String) -> JSONObject? { decodeJSONObject(Array(text.utf8)) }

    /// The reader gives what JSONSerialization gives (numbers as Int or Double, booleans as Bool).
    func testAgreesWithJSONSerialization() throws {
        let text = #"""
            { "s": "a\"b\\c\/d\b\f\n\r\t\u00e9\u20ac\ud83d\ude00 héllo", "t": true, "f": false, "n": null,
              "i": 42, "neg": -7, "zero": 0, "d": 1.5, "e": -2.5e-3, "E": 1E2, "big": 12345678901234,
              "a": [1, [2, [3]], {"k": "v"}, [], {}], "o": {"x": {"y": [true, false, null]}}, "empty": "" }
            """#
        let mine = try XCTUnwrap(decode(text))
        let theirs = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? JSONObject)
        XCTAssertEqual(mine as NSDictionary, theirs as NSDictionary)
        XCTAssertEqual(mine["s"] as? String, "a\"b\\c/d\u{8}\u{c}\n\r\té€😀 héllo")
        XCTAssertTrue(mine["t"] is Bool); XCTAssertTrue(mine["i"] is Int); XCTAssertTrue(mine["d"] is Double)
        XCTAssertEqual(mine["E"] as? Double, 100)
    }

    func testRoundTripThroughWriter() throws {
        let obj: JSONObject = ["code": "print(\"x\")\n\u{1}\u{7f} 😀", "n": 3, "d": 0.1, "l": [true, NSNull(), ["k": -1]] as [Any]]
        let back = try XCTUnwrap(decodeJSONObject(encodeJSON(obj)))
        XCTAssertEqual(back as NSDictionary, obj as NSDictionary)
    }

    func testRejectsWhatIsNotOneObject() {
        let deep = String(repeating: #"{"a":"#, count: 600) + "1" + String(repeating: "}", count: 600)
        for bad in ["", "[]", "1", #""s""#, "{", #"{"a"}"#, #"{"a":}"#, #"{"a":1,}"#, #"{"a":1} x"#, #"{"a":tru}"#,
                    "{\"a\":\"\n\"}", #"{"a":"\x"}"#, #"{"a":"\u12"}"#, #"{"a":-}"#, #"{"a":[1 2]}"#, "{'a':1}", deep] {
            XCTAssertNil(decode(bad), bad)
        }
        XCTAssertNotNil(decode(#" {"a" : [ 1 , 2 ] } "# + "\n"))
    }
}

final class TerminalContextTests: XCTestCase {
    func testTerminalContextRunsTheFakeBackend() {
        var shown: [(StreamName, String)] = []
        var lines = ["Ada"]
        let ctx = TerminalExecutionContext(request: ExecuteRequest(code: "", allowStdin: true),
                                           write: { shown.append(($0, $1)) },
                                           readLine: { lines.isEmpty ? nil : lines.removeFirst() })
        let backend = FakeBackend()
        let outcome = backend.execute(ExecuteRequest(code: "print hi\neprint err\ninput name? \ndisplay pic\nhelp x"), context: ctx)
        guard case .ok = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(shown.map(\.1), ["hi\n", "err\n", "name? ", "got: Ada\n", "pic\n", "Help on x:\n\nx(...) does things.\n"])
        XCTAssertEqual(shown[1].0, .stderr)
        XCTAssertThrowsError(try ctx.input(prompt: "again")) { XCTAssertEqual("\($0)", "EOF when reading a line") }
    }
}
