import Foundation
import Synchronization
import XCTest
@testable import SomaTensor

/// Products large enough to be split across two threads (`BLASProduct`), against a Float64 product computed here.
final class GEMMThreadsTests: XCTestCase {
    /// `a @ b` in Float64 from the elements as stored, through any strides.
    private func reference(_ a: Tensor, _ b: Tensor) -> [Double] {
        let m = a.shape[0], k = a.shape[1], n = b.shape[1]
        let pa = a.pointer(Float.self), pb = b.pointer(Float.self)
        var out = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k { sum += Double(pa[i * a.strides[0] + p * a.strides[1]]) * Double(pb[p * b.strides[0] + j * b.strides[1]]) }
                out[i * n + j] = sum
            }
        }
        return out
    }

    private func assertClose(_ result: Tensor, _ expected: [Double], _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        let c = try! result.contiguous()
        let p = c.pointer(Float.self)
        var worst = 0.0
        for i in 0..<expected.count { worst = max(worst, abs(Double(p[i]) - expected[i]) / max(1, abs(expected[i]))) }
        XCTAssertLessThan(worst, 1e-4, label, file: file, line: line)
    }

    /// Each layout a training step uses (plain, transposed through the flags), with C cut by columns (small C, and a
    /// single row) and by rows (a C the size of a weight gradient).
    func testSplitProductsMatchFloat64() throws {
        manualSeed(3)
        XCTAssertGreaterThanOrEqual(64 * 784 * 128, BLASProduct.splitThreshold)
        for (m, k, n) in [(64, 784, 128), (784, 64, 128), (128, 64, 784), (65, 301, 67), (1, 16, 65_536)] {
            // The same values stored row-major and column-major (a transposed view of a contiguous transpose).
            let a = try Tensor.randn([m, k]), b = try Tensor.randn([k, n])
            let at = try a.t().contiguous().t(), bt = try b.t().contiguous().t()
            let expected = reference(a, b)
            for (x, y, name) in [(a, b, "NN"), (at, b, "TN"), (a, bt, "NT"), (at, bt, "TT")] {
                assertClose(try x.matmul(y), expected, "\(m)x\(k)x\(n) \(name)")
            }
            let bias = try Tensor.randn([n]), pb = bias.pointer(Float.self)
            assertClose(try Tensor.addmm(bias, a, bt), expected.indices.map { expected[$0] + Double(pb[$0 % n]) }, "addmm \(m)x\(k)x\(n)")
        }
    }

    /// Two threads multiplying at once: one of them gets the helper, the other runs its products alone.
    func testConcurrentProductsStayCorrect() throws {
        manualSeed(4)
        let a = try Tensor.randn([64, 784]), b = try Tensor.randn([784, 128]), c = try Tensor.randn([128, 784]), d = try Tensor.randn([784, 64])
        let ab = reference(a, b), cd = reference(c, d)
        let failures = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for _ in 0..<50 {
                let (x, y, expected) = worker == 0 ? (a, b, ab) : (c, d, cd)
                let result = try! x.matmul(y)
                let p = result.pointer(Float.self)
                for i in 0..<expected.count where abs(Double(p[i]) - expected[i]) > 1e-3 * max(1, abs(expected[i])) {
                    failures.add(1, ordering: .relaxed)
                    break
                }
            }
        }
        XCTAssertEqual(failures.load(ordering: .relaxed), 0)
    }
}
