import XCTest
import SomaTensor
@testable import SomaNN

/// The tutorials' training runs, written with SomaNN, against the same runs in PyTorch
/// (`Data/nn_end_to_end.json`, made by `generate_end_to_end.py`).
final class EndToEndTests: XCTestCase {
    struct XOR: Decodable { let costs_every_100: [Double]; let hypothesis: [Double] }
    struct Recorded: Decodable { let xor: XOR; let cubic_mse_by_seed: [String: Double] }

    /// shared/seeds/001_*: 2-10-10-10-1 sigmoid network, BCELoss, SGD lr 1, 10,001 full-batch steps from seed 777.
    func testXORReachesFullAccuracyAlongPyTorchsPath() throws {
        let r = try Reference.load("nn_end_to_end", as: Recorded.self).xor
        manualSeed(777)
        let x = try Tensor.make(rows: [[0, 0], [0, 1], [1, 0], [1, 1]]), y = try Tensor.make(rows: [[0], [1], [1], [0]])
        let model = Sequential([try Linear(2, 10), Sigmoid(), try Linear(10, 10), Sigmoid(), try Linear(10, 10), Sigmoid(),
                                try Linear(10, 1), Sigmoid()])
        let criterion = BCELoss()
        let optimizer = try SGD(model.parameters(), lr: 1)
        var costs: [Double] = []
        for epoch in 0...10_000 {
            try optimizer.zeroGrad()
            let cost = try criterion(model(x), y)
            try cost.backward()
            try optimizer.step()
            if epoch % 100 == 0 { costs.append(try cost.item().double) }
        }
        assertClose(Array(costs.prefix(20)), Array(r.costs_every_100.prefix(20)), atol: 1e-5, rtol: 0, "cost every 100 steps (first 2,000)")
        let hypothesis = try GradMode.with(enabled: false) { try model(x) }
        let predicted = try hypothesis.gt(Tensor.scalar(.double(0.5))).float()
        XCTAssertEqual(try predicted.eq(y).float().mean().item().double, 1.0, "accuracy")
        assertClose(hypothesis.doubles(), r.hypothesis, atol: 2e-3, rtol: 0, "final outputs")
    }

    /// shared/seeds/000_*: Linear(1,6)-ReLU-Linear(6,1), Adam lr 0.01, 10,000 single-sample steps on y = x³ + x² - x - 1.
    func testCubicFitMatchesPyTorchsError() throws {
        let recorded = try Reference.load("nn_end_to_end", as: Recorded.self).cubic_mse_by_seed
        var soma = 0.0, torch = 0.0
        for (seed, torchMSE) in recorded.sorted(by: { $0.key < $1.key }) {
            manualSeed(UInt64(seed)!)
            let net = Sequential([try Linear(1, 6), ReLU(), try Linear(6, 1)])
            let lossFunction = MSELoss()
            let optimizer = try Adam(net.parameters(), lr: 0.01)
            func cubic(_ x: Tensor) throws -> Tensor { try x.pow(3).add(x.pow(2)).sub(x).sub(Tensor.scalar(.int(1))) }
            for _ in 0..<10_000 {
                let x = try Tensor.rand([1]).sub(Tensor.scalar(.double(0.5))).mul(Tensor.scalar(.int(10)))
                try optimizer.zeroGrad()
                let loss = try lossFunction(cubic(x), net(x))
                try loss.backward()
                try optimizer.step()
            }
            let grid = try Tensor.linspace(-5, 5, steps: 101).reshape([-1, 1])
            let mse = try GradMode.with(enabled: false) { try lossFunction(net(grid), cubic(grid)).item().double }
            print("cubic fit, seed \(seed): Soma MSE \(mse), PyTorch MSE \(torchMSE)")
            soma += mse
            torch += torchMSE
        }
        XCTAssertLessThanOrEqual(soma, torch * 1.001, "Soma's mean grid error over the seeds is no worse than PyTorch's")
    }
}
