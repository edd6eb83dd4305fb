import Foundation
import XCTest
@testable import SomaTensor

/// Elementwise ops large enough to run in two halves on two threads, against the same formula computed here
/// element by element.
final class SplitElementwiseTests: XCTestCase {
    private func values(_ t: Tensor) -> [Float] {
        let c = try! t.contiguous()
        return Array(UnsafeBufferPointer(start: c.pointer(Float.self), count: c.numel))
    }

    func testSplitOpsMatchElementByElement() throws {
        manualSeed(5)
        let n = Elementwise.splitThreshold * 2 + 3  // odd: the halves differ in length
        let a = try Tensor.randn([n]), b = try Tensor.randn([n])
        let x = values(a), y = values(b)
        XCTAssertEqual(values(try a.mul(b)), zip(x, y).map { $0 * $1 }, "a * b")
        XCTAssertEqual(values(try a.sub(Tensor.scalar(.double(0.25)))), x.map { $0 - 0.25 }, "a - scalar")
        XCTAssertEqual(values(try a.relu()), x.map { $0 > 0 ? $0 : 0 }, "relu")
        XCTAssertEqual(values(try a.exp()), x.map { Foundation.exp($0) }, "exp")
        let c = try a.clone()
        try GradMode.with(enabled: false) { try c.sub_(b.mul(Tensor.scalar(.double(0.5)))) }
        XCTAssertEqual(values(c), zip(x, y).map { $0 - $1 * 0.5 }, "in place p -= lr * g")
        let w = try Tensor.randn([n]).requiresGrad()
        try w.sigmoid().sum().backward()
        let s = values(w).map { 1 / (1 + Foundation.exp(-$0)) }
        let expected = s.map { $0 * (1 - $0) }
        let got = values(w.grad!)
        XCTAssertEqual(got.count, n)
        XCTAssertTrue(zip(got, expected).allSatisfy { abs($0 - $1) <= 1e-6 }, "sigmoid gradient")
    }

    /// Two threads running large ops at once: one of them gets the helper, the other runs its ops alone.
    func testConcurrentCallersGetTheirOwnResults() throws {
        let n = Elementwise.splitThreshold + 1
        let inputs = try (0..<2).map { k in try Tensor.full([n], .double(Double(k + 1))) }
        var results = [[Float]](repeating: [], count: 2)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            var last = inputs[k]
            for _ in 0..<50 { last = try! inputs[k].mul(inputs[k]) }
            let v = values(last)
            lock.lock(); results[k] = v; lock.unlock()
        }
        XCTAssertTrue(results[0].allSatisfy { $0 == 1 })
        XCTAssertTrue(results[1].allSatisfy { $0 == 4 })
    }
}
