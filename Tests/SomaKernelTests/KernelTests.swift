import CZeroMQ
import Foundation
@testable import SomaKernel
import XCTest

final class KernelTests: XCTestCase {
    var h: Harness!

    override func setUpWithError() throws {
        h = try Harness()
    }

    override func tearDown() {
        h?.shutdown()
        h = nil
    }

    func types(_ ms: [KernelMessage]) -> [String] {
        ms.map { $0.msgType == "status" ? "status:\($0.content["execution_state"] as? String ?? "")" : $0.msgType }
    }

    func testIopubWelcome() throws {
        // Harness already waited for one; a second subscriber gets its own.
        let sub = try ZMQSocket(h.client.context, .sub)
        try sub.setBytes(ZMQ_SUBSCRIBE, [])
        try sub.connect(h.server.connection.endpoint(port: h.server.connection.iopubPort))
        XCTAssertTrue(sub.waitReadable(timeoutMs: 3000))
        let m = try KernelMessage.parse(try XCTUnwrap(sub.receive(nonBlocking: true)), signer: h.client.signer)
        XCTAssertEqual(m.msgType, "iopub_welcome")
        XCTAssertEqual(m.content["subscription"] as? String, "")
        sub.close()
    }

    func testKernelInfoOnShellWithBusyIdle() throws {
        let id = try h.client.send(h.client.shell, "kernel_info_request")
        let reply = try h.client.reply(to: id, on: h.client.shell)
        XCTAssertEqual(reply.msgType, "kernel_info_reply")
        XCTAssertEqual(reply.header["version"] as? String, "5.3")
        let c = reply.content
        XCTAssertEqual(c["status"] as? String, "ok")
        XCTAssertEqual(c["protocol_version"] as? String, "5.3")
        XCTAssertEqual(c["implementation"] as? String, "soma")
        XCTAssertEqual(c["implementation_version"] as? String, "0.0.1-test")
        let li = try XCTUnwrap(c["language_info"] as? JSONObject)
        XCTAssertEqual(li["name"] as? String, "python")
        XCTAssertEqual(li["version"] as? String, "3")
        XCTAssertEqual(li["mimetype"] as? String, "text/x-python")
        XCTAssertEqual(li["file_extension"] as? String, ".py")
        XCTAssertEqual(li["pygments_lexer"] as? String, "python3")
        XCTAssertEqual(li["nbconvert_exporter"] as? String, "python")
        XCTAssertEqual((li["codemirror_mode"] as? JSONObject)?["name"] as? String, "python")
        XCTAssertTrue((c["banner"] as? String ?? "").contains("Soma"))
        XCTAssertFalse((c["help_links"] as? [Any] ?? []).isEmpty)
        let pub = try h.client.iopubUntilIdle(id)
        XCTAssertEqual(types(pub), ["status:busy", "status:idle"])
        XCTAssertEqual(pub[0].parentHeader["msg_type"] as? String, "kernel_info_request")
    }

    func testExecuteStreamsResultAndCounts() throws {
        let (reply, pub) = try h.execute("print hello\neprint oops\nset x 42\nget x")
        XCTAssertEqual(reply.content["status"] as? String, "ok")
        XCTAssertEqual(reply.content["execution_count"] as? Int, 1)
        XCTAssertEqual(reply.content["user_expressions"] as? JSONObject as NSDictionary?, [:] as NSDictionary)
        XCTAssertEqual(reply.metadata["status"] as? String, "ok")
        XCTAssertEqual(types(pub), ["status:busy", "execute_input", "stream", "stream", "execute_result", "status:idle"])
        XCTAssertEqual(pub[1].content["code"] as? String, "print hello\neprint oops\nset x 42\nget x")
        XCTAssertEqual(pub[1].content["execution_count"] as? Int, 1)
        XCTAssertEqual(pub[2].content["name"] as? String, "stdout")
        XCTAssertEqual(pub[2].content["text"] as? String, "hello\n")
        XCTAssertEqual(pub[3].content["name"] as? String, "stderr")
        XCTAssertEqual(pub[4].content["execution_count"] as? Int, 1)
        XCTAssertEqual((pub[4].content["data"] as? JSONObject)?["text/plain"] as? String, "42")
        XCTAssertNotNil(pub[4].content["metadata"] as? JSONObject)

        let second = try h.execute("get x")
        XCTAssertEqual(second.reply.content["execution_count"] as? Int, 2)

        // silent: no execute_input, no result, count unchanged; store_history false: count unchanged.
        let silent = try h.execute("get x", ["silent": true])
        XCTAssertEqual(types(silent.iopub), ["status:busy", "status:idle"])
        XCTAssertEqual(silent.reply.content["execution_count"] as? Int, 2)
        let nohist = try h.execute("get x", ["store_history": false])
        XCTAssertEqual(nohist.reply.content["execution_count"] as? Int, 2)
        XCTAssertEqual(h.backend.executed.last?.storeHistory, false)
        XCTAssertEqual(try h.execute("print a").reply.content["execution_count"] as? Int, 3)
    }

    func testUserExpressions() throws {
        _ = try h.execute("set y 7")
        let (reply, _) = try h.execute("print hi", ["user_expressions": ["a": "y", "b": "nope"]])
        let ue = try XCTUnwrap(reply.content["user_expressions"] as? JSONObject)
        let a = try XCTUnwrap(ue["a"] as? JSONObject)
        XCTAssertEqual(a["status"] as? String, "ok")
        XCTAssertEqual((a["data"] as? JSONObject)?["text/plain"] as? String, "7")
        XCTAssertEqual((ue["b"] as? JSONObject)?["status"] as? String, "error")
        XCTAssertEqual((ue["b"] as? JSONObject)?["ename"] as? String, "NameError")
    }

    func testErrorMessageAndTraceback() throws {
        let (reply, pub) = try h.execute("get missing")
        XCTAssertEqual(reply.content["status"] as? String, "error")
        XCTAssertEqual(reply.content["ename"] as? String, "NameError")
        XCTAssertEqual(reply.content["evalue"] as? String, "name 'missing' is not defined")
        XCTAssertEqual(types(pub), ["status:busy", "execute_input", "error", "status:idle"])
        let tb = try XCTUnwrap(pub[2].content["traceback"] as? [String])
        XCTAssertTrue(tb.joined().contains("\u{1b}[0;31mNameError\u{1b}[0m"))
        XCTAssertTrue(tb.joined().contains("In[1], line 1"))
        // A backend error without traceback gets a red one-liner.
        let (r2, p2) = try h.execute("raise ValueError bad value")
        XCTAssertEqual(r2.content["traceback"] as? [String], ["\u{1b}[0;31mValueError\u{1b}[0m: bad value"])
        XCTAssertEqual(p2.filter { $0.msgType == "error" }.count, 1)
    }

    func testStopOnErrorAbortsQueuedCells() throws {
        let c = h.client
        let base: JSONObject = ["silent": false, "store_history": true, "user_expressions": [String: Any](), "allow_stdin": false]
        var first = base; first["code"] = "sleep 0.3\nraise RuntimeError boom"; first["stop_on_error"] = true
        var next = base; next["code"] = "set ran yes"; next["stop_on_error"] = true
        let id1 = try c.send(c.shell, "execute_request", first)
        let id2 = try c.send(c.shell, "execute_request", next)
        let id3 = try c.send(c.shell, "execute_request", next)
        XCTAssertEqual(try c.reply(to: id1, on: c.shell).content["status"] as? String, "error")
        XCTAssertEqual(try c.reply(to: id2, on: c.shell).content["status"] as? String, "aborted")
        XCTAssertEqual(try c.reply(to: id3, on: c.shell).content["status"] as? String, "aborted")
        XCTAssertNil(h.backend.variables["ran"])
        // After the abort, the kernel runs cells again.
        XCTAssertEqual(try h.execute("set ran later").reply.content["status"] as? String, "ok")
        XCTAssertEqual(h.backend.variables["ran"], "later")

        // stop_on_error false: the next cell runs.
        first["stop_on_error"] = false
        let id4 = try c.send(c.shell, "execute_request", first)
        let id5 = try c.send(c.shell, "execute_request", next)
        XCTAssertEqual(try c.reply(to: id4, on: c.shell).content["status"] as? String, "error")
        XCTAssertEqual(try c.reply(to: id5, on: c.shell).content["status"] as? String, "ok")
        XCTAssertEqual(h.backend.variables["ran"], "yes")
    }

    func testForgedAndMalformedMessagesAreDropped() throws {
        let c = h.client
        let good = c.makeMessage("kernel_info_request", [:]).serialize(signer: c.signer)
        var forged = good
        forged[5] = Array(#"{"code": "evil"}"#.utf8)  // content changed after signing
        let wrongKey = c.makeMessage("execute_request", ["code": "set hacked 1"]).serialize(signer: MessageSigner(key: "wrong"))
        let unsigned = c.makeMessage("execute_request", ["code": "set hacked 1"]).serialize(signer: MessageSigner(key: ""))
        let parts: [[UInt8]] = [Array("{not json".utf8), Array("{}".utf8), Array("{}".utf8), Array("{}".utf8)]
        let badJSON = [Array("<IDS|MSG>".utf8), Array(c.signer.signature(parts).utf8)] + parts
        let noType: [[UInt8]] = {
            let p = [Array(#"{"msg_id":"x","session":"s"}"#.utf8), Array("{}".utf8), Array("{}".utf8), Array("{}".utf8)]
            return [Array("<IDS|MSG>".utf8), Array(c.signer.signature(p).utf8)] + p
        }()
        let noDelimiter: [[UInt8]] = [Array("garbage".utf8), [0, 1, 2]]
        let tooShort: [[UInt8]] = [Array("<IDS|MSG>".utf8), Array("abc".utf8)]
        let notObject: [[UInt8]] = {
            let p = [Array("[1,2]".utf8), Array("{}".utf8), Array("{}".utf8), Array("{}".utf8)]
            return [Array("<IDS|MSG>".utf8), Array(c.signer.signature(p).utf8)] + p
        }()
        for frames in [forged, wrongKey, unsigned, badJSON, noType, noDelimiter, tooShort, notObject] {
            try c.shell.send(frames)
            try c.control.send(frames)
        }
        XCTAssertNil(try c.receive(c.shell, timeout: 0.3))
        XCTAssertNil(try c.receive(c.control, timeout: 0.1))
        XCTAssertNil(h.backend.variables["hacked"])
        XCTAssertTrue(h.backend.executed.isEmpty)
        // Still alive on both channels.
        XCTAssertEqual(try c.request(c.shell, "kernel_info_request").msgType, "kernel_info_reply")
        XCTAssertEqual(try c.request(c.control, "kernel_info_request").msgType, "kernel_info_reply")
    }

    func testInterruptStopsLoopAndKeepsState() throws {
        let c = h.client
        _ = try h.execute("set counter 5\nset keep me")
        let id = try c.send(c.shell, "execute_request", ["code": "loop", "silent": false, "allow_stdin": false])
        Thread.sleep(forTimeInterval: 0.2)
        let start = Date()
        let ir = try c.request(c.control, "interrupt_request")
        XCTAssertEqual(ir.msgType, "interrupt_reply")
        XCTAssertEqual(ir.content["status"] as? String, "ok")
        let reply = try c.reply(to: id, on: c.shell, timeout: 2)
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.0)
        XCTAssertEqual(reply.content["status"] as? String, "error")
        XCTAssertEqual(reply.content["ename"] as? String, "KeyboardInterrupt")
        _ = try c.iopubUntilIdle(id)
        XCTAssertEqual(h.backend.variables["keep"], "me")
        XCTAssertGreaterThan(Int(h.backend.variables["counter"] ?? "0") ?? 0, 5)
        let after = try h.execute("get keep")
        XCTAssertEqual(after.iopub.first { $0.msgType == "execute_result" }.flatMap {
            ($0.content["data"] as? JSONObject)?["text/plain"] as? String }, "me",
                       "\(after.reply.content) \(types(after.iopub))")
    }

    func testHeartbeatAndControlAnswerDuringLongCell() throws {
        let c = h.client
        let id = try c.send(c.shell, "execute_request", ["code": "sleep 3", "silent": false])
        Thread.sleep(forTimeInterval: 0.2)
        var pings: [Double] = []
        let end = Date().addingTimeInterval(2.0)
        while Date() < end {
            pings.append(try XCTUnwrap(try c.ping(timeout: 1)))
            let info = try c.request(c.control, "kernel_info_request", timeout: 1)
            XCTAssertEqual(info.content["implementation"] as? String, "soma")
            Thread.sleep(forTimeInterval: 0.3)
        }
        XCTAssertGreaterThanOrEqual(pings.count, 4)
        XCTAssertLessThan(pings.max() ?? 1, 0.2)
        XCTAssertNil(try c.receive(c.shell, timeout: 0), "the cell is still running")
        XCTAssertEqual(try c.reply(to: id, on: c.shell, timeout: 5).content["status"] as? String, "ok")
    }

    func testCompleteInspectIsComplete() throws {
        let c = h.client
        _ = try h.execute("set pr_value 1")
        let comp = try c.request(c.shell, "complete_request", ["code": "x = pr", "cursor_pos": 6])
        XCTAssertEqual(comp.content["status"] as? String, "ok")
        XCTAssertEqual(comp.content["matches"] as? [String], ["print", "printn", "pr_value"])
        XCTAssertEqual(comp.content["cursor_start"] as? Int, 4)
        XCTAssertEqual(comp.content["cursor_end"] as? Int, 6)
        let typesMeta = try XCTUnwrap((comp.content["metadata"] as? JSONObject)?["_jupyter_types_experimental"] as? [JSONObject])
        XCTAssertEqual(typesMeta.map { $0["type"] as? String }, ["function", "function", "instance"])
        XCTAssertEqual(typesMeta.first?["start"] as? Int, 4)
        // Cursor in code points: "é" is one.
        let uni = try c.request(c.shell, "complete_request", ["code": "é; pri", "cursor_pos": 6])
        XCTAssertEqual(uni.content["cursor_start"] as? Int, 3)

        let found = try c.request(c.shell, "inspect_request", ["code": "sleep 1", "cursor_pos": 2, "detail_level": 1])
        XCTAssertEqual(found.content["status"] as? String, "ok")
        XCTAssertEqual(found.content["found"] as? Bool, true)
        XCTAssertEqual((found.content["data"] as? JSONObject)?["text/plain"] as? String, "sleep: a fake command")
        XCTAssertNotNil((found.content["data"] as? JSONObject)?["text/markdown"])
        let missing = try c.request(c.shell, "inspect_request", ["code": "zzz", "cursor_pos": 1, "detail_level": 0])
        XCTAssertEqual(missing.content["found"] as? Bool, false)

        XCTAssertEqual(try c.request(c.shell, "is_complete_request", ["code": "print 1"]).content["status"] as? String, "complete")
        let inc = try c.request(c.shell, "is_complete_request", ["code": "def f():"])
        XCTAssertEqual(inc.content["status"] as? String, "incomplete")
        XCTAssertEqual(inc.content["indent"] as? String, "    ")
        XCTAssertEqual(try c.request(c.shell, "is_complete_request", ["code": "$"]).content["status"] as? String, "invalid")
    }

    func testHistoryRequests() throws {
        let c = h.client
        _ = try h.execute("print one")
        _ = try h.execute("print two")
        _ = try h.execute("set z 1")
        let tail = try c.request(c.shell, "history_request", ["hist_access_type": "tail", "n": 2, "output": false, "raw": true])
        XCTAssertEqual(tail.content["status"] as? String, "ok")
        let entries = try XCTUnwrap(tail.content["history"] as? [[Any]])
        XCTAssertEqual(entries.map { $0[2] as? String }, ["print two", "set z 1"])
        XCTAssertEqual(entries.map { $0[1] as? Int }, [2, 3])
        let range = try c.request(c.shell, "history_request", ["hist_access_type": "range", "session": 0, "start": 1, "stop": 3,
                                                               "output": true, "raw": true])
        let r = try XCTUnwrap(range.content["history"] as? [[Any]])
        XCTAssertEqual(r.count, 2)
        XCTAssertEqual((r[0][2] as? [Any])?.first as? String, "print one")
        let search = try c.request(c.shell, "history_request", ["hist_access_type": "search", "pattern": "print*", "n": 10,
                                                                "unique": true, "output": false, "raw": true])
        XCTAssertEqual((search.content["history"] as? [[Any]])?.map { $0[2] as? String }, ["print one", "print two"])
    }

    func testCommInfoAndUnknownCommOpen() throws {
        let c = h.client
        let info = try c.request(c.shell, "comm_info_request", [:])
        XCTAssertEqual(info.content["status"] as? String, "ok")
        XCTAssertEqual((info.content["comms"] as? JSONObject)?.count, 0)
        let id = try c.send(c.shell, "comm_open", ["comm_id": "c-1", "target_name": "jupyter.widget", "data": [String: Any]()])
        let pub = try c.iopubUntilIdle(id)
        XCTAssertEqual(types(pub), ["status:busy", "comm_close", "status:idle"])
        XCTAssertEqual(pub[1].content["comm_id"] as? String, "c-1")
    }

    func testDisplayUpdateClearAndPager() throws {
        let (reply, pub) = try h.execute("display first d1\nupdate d1 second\nclear wait\ndisplay plain\nhelp tensor")
        XCTAssertEqual(types(pub), ["status:busy", "execute_input", "display_data", "update_display_data", "clear_output",
                                    "display_data", "status:idle"])
        XCTAssertEqual((pub[2].content["transient"] as? JSONObject)?["display_id"] as? String, "d1")
        XCTAssertEqual((pub[2].content["data"] as? JSONObject)?["text/html"] as? String, "<b>first</b>")
        XCTAssertEqual((pub[3].content["transient"] as? JSONObject)?["display_id"] as? String, "d1")
        XCTAssertEqual((pub[3].content["data"] as? JSONObject)?["text/plain"] as? String, "second")
        XCTAssertEqual(pub[4].content["wait"] as? Bool, true)
        let payload = try XCTUnwrap(reply.content["payload"] as? [JSONObject])
        XCTAssertEqual(payload.count, 1)
        XCTAssertEqual(payload[0]["source"] as? String, "page")
        XCTAssertEqual(payload[0]["start"] as? Int, 0)
        XCTAssertTrue(((payload[0]["data"] as? JSONObject)?["text/plain"] as? String ?? "").contains("Help on tensor"))
    }

    func testExitAndNextInputPayloads() throws {
        let (reply, _) = try h.execute("next print again\nexit")
        let payload = try XCTUnwrap(reply.content["payload"] as? [JSONObject])
        XCTAssertEqual(payload.count, 2)
        XCTAssertEqual(payload[0]["source"] as? String, "set_next_input")
        XCTAssertEqual(payload[0]["text"] as? String, "print again")
        XCTAssertEqual(payload[1]["source"] as? String, "ask_exit")
        XCTAssertEqual(payload[1]["keepkernel"] as? Bool, false)
    }

    func testStdinInputRequestAndReply() throws {
        let c = h.client
        let id = try c.send(c.shell, "execute_request", ["code": "input Your name: ", "allow_stdin": true, "silent": false])
        let req = try XCTUnwrap(try c.receive(c.stdin, timeout: 3))
        XCTAssertEqual(req.msgType, "input_request")
        XCTAssertEqual(req.content["prompt"] as? String, "Your name: ")
        XCTAssertEqual(req.content["password"] as? Bool, false)
        XCTAssertEqual(req.parentHeader["msg_id"] as? String, id)
        var header = KernelMessage.makeHeader(msgType: "input_reply", session: c.session)
        header["msg_type"] = "input_reply"
        try c.stdin.send(KernelMessage(header: header, parentHeader: req.header, content: ["value": "Ada"]).serialize(signer: c.signer))
        XCTAssertEqual(try c.reply(to: id, on: c.shell).content["status"] as? String, "ok")
        let out = try c.iopubUntilIdle(id).filter { $0.msgType == "stream" }.compactMap { $0.content["text"] as? String }.joined()
        XCTAssertEqual(out, "got: Ada\n")

        // allow_stdin false: a clear error, no hang.
        let (reply, _) = try h.execute("input x", ["allow_stdin": false])
        XCTAssertEqual(reply.content["status"] as? String, "error")
        XCTAssertTrue((reply.content["evalue"] as? String ?? "").contains("input"))

        // An interrupt while waiting for input ends the wait.
        let id2 = try c.send(c.shell, "execute_request", ["code": "input wait", "allow_stdin": true])
        XCTAssertNotNil(try c.receive(c.stdin, timeout: 3))
        _ = try c.request(c.control, "interrupt_request")
        XCTAssertEqual(try c.reply(to: id2, on: c.shell, timeout: 2).content["ename"] as? String, "KeyboardInterrupt")
    }

    func testTenThousandLinesArriveCompleteAndInOrder() throws {
        let (reply, pub) = try h.execute("printn 10000\nprint done", [:])
        XCTAssertEqual(reply.content["status"] as? String, "ok")
        let streams = pub.filter { $0.msgType == "stream" }
        let text = streams.compactMap { $0.content["text"] as? String }.joined()
        let expected = (0..<10000).map { "line \($0)\n" }.joined() + "done\n"
        XCTAssertEqual(text, expected)
        XCTAssertLessThan(streams.count, 100, "stream output is batched")
    }

    func testShutdownWithRestart() throws {
        let c = h.client
        let id = try c.send(c.control, "shutdown_request", ["restart": true])
        let reply = try c.reply(to: id, on: c.control)
        XCTAssertEqual(reply.content["status"] as? String, "ok")
        XCTAssertEqual(reply.content["restart"] as? Bool, true)
        XCTAssertTrue(h.server.waitUntilStopped(timeout: 5))
        XCTAssertEqual(h.backend.shutdownCalls, [true])
        h.client.close()
        h = nil
    }
}

final class KernelTransportTests: XCTestCase {
    func testCurveEncryption() throws {
        try XCTSkipUnless(ZMQContext.hasCurve, "libzmq without CURVE")
        let h = try Harness(curve: true)
        defer { h.shutdown() }
        let (reply, pub) = try h.execute("print secret")
        XCTAssertEqual(reply.content["status"] as? String, "ok")
        XCTAssertEqual(pub.first { $0.msgType == "stream" }?.content["text"] as? String, "secret\n")
        XCTAssertNotNil(try h.client.ping())

        // A client without the server's key gets nothing.
        let plain = try TestClient(h.server.connection)
        defer { plain.close() }
        try plain.send(plain.shell, "kernel_info_request")
        XCTAssertNil(try plain.receive(plain.shell, timeout: 0.5))
    }

    /// Signal mode: SIGINT to the process interrupts the running cell.
    func testSIGINTInterruptsRunningCell() throws {
        let h = try Harness(handleSIGINT: true)
        defer { h.shutdown() }
        let c = h.client
        let id = try c.send(c.shell, "execute_request", ["code": "loop", "silent": false])
        Thread.sleep(forTimeInterval: 0.2)
        let start = Date()
        kill(getpid(), SIGINT)
        let reply = try c.reply(to: id, on: c.shell, timeout: 2)
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.0)
        XCTAssertEqual(reply.content["ename"] as? String, "KeyboardInterrupt")
        _ = try c.iopubUntilIdle(id)
        XCTAssertEqual(try h.execute("print after").reply.content["status"] as? String, "ok")
    }

    func testIPCTransport() throws {
        let h = try Harness(transport: "ipc")
        defer { h.shutdown() }
        XCTAssertEqual(try h.execute("print over ipc").reply.content["status"] as? String, "ok")
    }

    func testEmptyKeyMeansNoSigning() throws {
        let h = try Harness(key: "")
        defer { h.shutdown() }
        let (reply, _) = try h.execute("print x")
        XCTAssertEqual(reply.content["status"] as? String, "ok")
    }

    func testHistoryPersistsAcrossKernels() throws {
        let path = NSTemporaryDirectory() + "soma-kernel-history-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let h = try Harness(historyPath: path)
            _ = try h.execute("print from the first session")
            h.shutdown()
        }
        let h = try Harness(historyPath: path)
        defer { h.shutdown() }
        _ = try h.execute("print second")
        let tail = try h.client.request(h.client.shell, "history_request", ["hist_access_type": "tail", "n": 5, "output": false, "raw": true])
        let entries = try XCTUnwrap(tail.content["history"] as? [[Any]])
        XCTAssertEqual(entries.map { $0[2] as? String }, ["print from the first session", "print second"])
        XCTAssertEqual(entries.map { $0[0] as? Int }, [1, 2])
    }
}

final class KernelTimingTests: XCTestCase {
    /// Text printed before a long computation shows up while the cell still runs.
    func testStreamIsFlushedWhileCellRuns() throws {
        let h = try Harness()
        defer { h.shutdown() }
        let c = h.client
        let start = Date()
        let id = try c.send(c.shell, "execute_request", ["code": "print early\nsleep 1.5", "silent": false])
        var streamAt: Double?
        while Date().timeIntervalSince(start) < 1.2 {
            if let m = try c.receive(c.iopub, timeout: 0.1), m.msgType == "stream" {
                XCTAssertEqual(m.content["text"] as? String, "early\n")
                streamAt = Date().timeIntervalSince(start)
                break
            }
        }
        XCTAssertLessThan(try XCTUnwrap(streamAt), 0.5)
        XCTAssertEqual(try c.reply(to: id, on: c.shell, timeout: 5).content["status"] as? String, "ok")
    }

    /// Deep recursion in a cell needs the shell thread's large stack.
    func testShellThreadHasLargeStack() throws {
        final class DeepBackend: KernelBackend {
            func interrupt() {}
            func depth(_ n: Int) -> Int {
                var pad = (n, n, n, n, n, n, n, n)  // ~64 bytes per frame at least
                withUnsafeMutablePointer(to: &pad) { _ in }
                return n == 0 ? 0 : 1 + depth(n - 1)
            }
            func execute(_ request: ExecuteRequest, context: ExecutionContext) -> ExecuteOutcome {
                .value(["text/plain": String(depth(Int(request.code) ?? 0))])
            }
        }
        let server = try KernelServer(connection: ConnectionInfo(key: "k"), backend: DeepBackend(),
                                      options: KernelOptions(historyPath: ":memory:", handleSIGINT: false, exitWhenParentDies: false))
        server.start()
        let client = try TestClient(server.connection)
        defer { client.close() }
        _ = try client.waitForWelcome()
        let id = try client.send(client.shell, "execute_request", ["code": "200000"])
        XCTAssertEqual(try client.reply(to: id, on: client.shell, timeout: 10).content["status"] as? String, "ok")
        _ = try client.request(client.control, "shutdown_request", ["restart": false])
        XCTAssertTrue(server.waitUntilStopped(timeout: 5))
    }
}
