import XCTest
@testable import SomaPlot

final class FakeClock: @unchecked Sendable {
    var now = 100.0
    func read() -> Double { now }
}

final class ProgressBarTests: XCTestCase {
    func testTextLikeTqdm() {
        let clock = FakeClock()
        let bar = ProgressBar(total: 1000, description: "desc", clock: clock.read)
        clock.now += 2.5
        bar.update(450)
        bar.setPostfix(numbers: [("loss", 0.123456)])
        XCTAssertEqual(bar.text(), "desc:  45%|████▌     | 450/1000 [00:02<00:03, 180.00it/s, loss=0.123]")
        XCTAssertTrue(bar.html.contains("450/1000 [00:02&lt;00:03, 180.00it/s, loss=0.123]"))
        XCTAssertTrue(bar.html.contains("aria-valuenow=\"450\""))
        XCTAssertEqual(bar.mimeBundle().mimeTypes, ["text/plain", "text/html"])
    }

    func testUnknownTotal() {
        let clock = FakeClock()
        let bar = ProgressBar(description: "batches", clock: clock.read)
        clock.now += 30
        bar.update(12)
        XCTAssertEqual(bar.text(), "batches: 12it [00:30,  2.50s/it]")
        XCTAssertFalse(bar.html.contains("progressbar"))
    }

    func testThrottleAtMostTenPerSecondAndAlwaysTheLast() {
        let clock = FakeClock()
        let bar = ProgressBar(total: 50_000, clock: clock.read)
        var emitted = 1  // the initial display
        for _ in 0..<50_000 {
            clock.now += 0.0001  // 5 seconds in all
            if bar.update() { emitted += 1 }
        }
        XCTAssertEqual(bar.n, 50_000)
        XCTAssertLessThanOrEqual(emitted, 5 * 10 + 2)
        XCTAssertGreaterThanOrEqual(emitted, 5 * 10 - 2)
        // The final update (n == total) was emitted even though it came 0.1 ms after the previous one.
        XCTAssertEqual(bar.throttle.lastEmit, clock.now)
        XCTAssertTrue(bar.close())
        XCTAssertTrue(bar.text().hasPrefix("100%|██████████| 50000/50000 [00:05<00:00"))
    }

    func testThrottleAlone() {
        var t = Throttle(minInterval: 0.1)
        XCTAssertTrue(t.shouldEmit(now: 0))
        XCTAssertFalse(t.shouldEmit(now: 0.05))
        XCTAssertTrue(t.shouldEmit(now: 0.1))
        XCTAssertFalse(t.shouldEmit(now: 0.15))
        XCTAssertTrue(t.shouldEmit(now: 0.15, force: true))
        XCTAssertEqual(t.emitted, 3)
    }

    func testCloseAndLeave() {
        let clock = FakeClock()
        let bar = ProgressBar(total: 10, description: "x", leave: false, clock: clock.read)
        bar.update(3)
        clock.now += 1
        bar.close()
        clock.now += 100  // elapsed is frozen at close
        XCTAssertTrue(bar.text().contains("[00:01<"))
        XCTAssertEqual(bar.mimeBundle().plain, "")
        let kept = ProgressBar(total: 10, clock: clock.read)
        kept.update(3)
        kept.close()
        XCTAssertTrue(kept.html.contains("#D55E00"), "closed early shows the warning colour")
        kept.setDescription("a <b> & c")
        XCTAssertTrue(kept.html.contains("a &lt;b&gt; &amp; c:"))
    }
}

#if canImport(FoundationXML)
import FoundationXML
#endif

final class ProgressBarMarkupTests: XCTestCase {
    func testHTMLIsWellFormedAndTerminalLineClears() throws {
        let clock = FakeClock()
        let bar = ProgressBar(total: 4, description: "Epoch <1>", clock: clock.read)
        clock.now += 1
        bar.update(2)
        bar.setPostfix([("loss", "0.5 ")])
        let doc = try XMLDocument(xmlString: bar.html, options: [])
        XCTAssertEqual(try doc.nodes(forXPath: "//*[@role='progressbar']").count, 1)
        XCTAssertTrue(bar.html.contains("width:50.0%"))
        let first = bar.terminalLine()
        XCTAssertEqual(first, "\r" + bar.text())
        XCTAssertTrue(bar.text().hasSuffix("loss=0.5]"))
        bar.setPostfix([])
        let second = bar.terminalLine()
        XCTAssertEqual(second.count, first.count, "spaces cover the longer previous line")
        bar.update(2)
        XCTAssertTrue(bar.html.contains("#009E73"), "complete is green")
    }
}
