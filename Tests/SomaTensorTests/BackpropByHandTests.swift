import XCTest
@testable import SomaTensor

/// The 2-2-2 sigmoid network worked by hand in shared/seeds/001_*.txt, section 5.3.
final class BackpropByHandTests: XCTestCase {
    func testForwardErrorAndOneSGDStepMatchTheTutorial() throws {
        let x = try Tensor.make([0.1, 0.2]), target = try Tensor.make([0.4, 0.6])
        let hidden = try Tensor.make(rows: [[0.3, 0.25], [0.4, 0.35]]).requiresGrad()   // W1 W2 / W3 W4
        let output = try Tensor.make(rows: [[0.45, 0.4], [0.7, 0.6]]).requiresGrad()    // W5 W6 / W7 W8
        let h = try hidden.matmul(x).sigmoid()
        let o = try output.matmul(h).sigmoid()
        let error = try (target - o).pow(2).mul(Tensor.scalar(.double(0.5))).sum()

        assertClose(o.doubles(), [0.60944600, 0.66384491], atol: 5e-8, rtol: 0, "outputs o1, o2")
        assertClose([try error.item().double], [0.02397190], atol: 5e-8, rtol: 0, "E_total")

        try error.backward()
        try GradMode.with(enabled: false) {
            try output.sub_(output.grad!.mul(Tensor.scalar(.double(0.5))))
            try hidden.sub_(hidden.grad!.mul(Tensor.scalar(.double(0.5))))
        }
        // W6..W8 and W2..W4 as printed in the tutorial; W5 and W1 (not printed there) from PyTorch.
        assertClose(output.doubles(), [0.437039, 0.386852, 0.696296, 0.596242], atol: 1e-6, rtol: 0, "W5..W8 after one step")
        assertClose(hidden.doubles(), [0.299596, 0.249191, 0.399645, 0.349290], atol: 1e-6, rtol: 0, "W1..W4 after one step")
    }
}
