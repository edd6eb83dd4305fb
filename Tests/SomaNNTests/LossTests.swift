import XCTest
import SomaTensor
@testable import SomaNN

/// Every loss and reduction against PyTorch's values and input gradients (`Data/nn_losses.json`).
final class LossTests: XCTestCase {
    struct Case: Decodable {
        let input: Reference.TensorSpec
        let target: Reference.TensorSpec
        let output: Reference.TensorSpec
        let upstream: [Double]
        let input_grad: [Double]
        let weight: [Double]?
        let pos_weight: [Double]?
    }

    /// Soma's loss for each recorded case, with the recorded weights where the case used them.
    static func loss(_ name: String, weight: Tensor?, posWeight: Tensor?) throws -> Loss {
        switch name {
        case "mse_mean": return MSELoss()
        case "mse_sum": return MSELoss(reduction: .sum)
        case "mse_none": return MSELoss(reduction: .none)
        case "l1_mean": return L1Loss()
        case "bce_mean": return BCELoss()
        case "bce_weighted_sum": return BCELoss(weight: weight, reduction: .sum)
        case "bce_logits": return BCEWithLogitsLoss()
        case "bce_logits_pos_weight": return BCEWithLogitsLoss(posWeight: posWeight)
        case "ce_indices", "ce_probabilities", "ce_spatial", "ce_single": return CrossEntropyLoss()
        case "ce_indices_sum": return CrossEntropyLoss(reduction: .sum)
        case "ce_indices_none": return CrossEntropyLoss(reduction: .none)
        case "ce_weight": return CrossEntropyLoss(weight: weight)
        case "ce_smoothing": return CrossEntropyLoss(labelSmoothing: 0.1)
        case "ce_weight_smoothing": return CrossEntropyLoss(weight: weight, labelSmoothing: 0.2)
        case "ce_ignore_index": return CrossEntropyLoss(ignoreIndex: 2)
        case "ce_probabilities_smoothing_weight": return CrossEntropyLoss(weight: weight, labelSmoothing: 0.1)
        case "nll": return NLLLoss()
        case "nll_weight": return NLLLoss(weight: weight)
        default: throw NNError(.value, "no Soma loss for \(name)")
        }
    }

    func testLossesMatchPyTorch() throws {
        let cases = try Reference.load("nn_losses", as: [String: Case].self)
        XCTAssertEqual(cases.count, 21)
        for (name, c) in cases.sorted(by: { $0.key < $1.key }) {
            let shapeOfWeight = name.hasPrefix("bce") ? c.input.shape : [c.weight?.count ?? 0]
            let weight = try c.weight.map { try Tensor.make($0, shape: shapeOfWeight) }
            let loss = try Self.loss(name, weight: weight, posWeight: try c.pos_weight.map { try Tensor.make($0) })
            let x = try c.input.tensor(requiresGrad: true)
            let out = try loss(x, try c.target.tensor())
            XCTAssertEqual(out.shape, c.output.shape, "\(name): shape")
            assertClose(out.doubles(), c.output.values, "\(name): value")
            try out.backward(Tensor.make(c.upstream, shape: out.shape))
            assertClose(x.grad?.doubles() ?? [], c.input_grad, "\(name): input gradient")
        }
    }
}
