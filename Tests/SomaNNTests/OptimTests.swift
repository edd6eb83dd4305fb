import Foundation
import XCTest
import SomaTensor
@testable import SomaNN

/// Five steps of every optimizer from the same weights, and every schedule over twelve epochs,
/// against PyTorch (`Data/nn_optim.json`, `Data/nn_sched.json`).
final class OptimTests: XCTestCase {
    struct Step: Decodable { let loss: Double; let weight: [Double]; let bias: [Double] }
    struct Recorded: Decodable {
        let x, y, weight, bias: [Double]
        let runs: [String: [Step]]
    }

    static let optimizers: [String: ([Tensor]) throws -> Optimizer] = [
        "sgd": { try SGD($0, lr: 0.1) },
        "sgd_momentum": { try SGD($0, lr: 0.1, momentum: 0.9) },
        "sgd_nesterov_wd": { try SGD($0, lr: 0.05, momentum: 0.9, weightDecay: 0.01, nesterov: true) },
        "sgd_dampening": { try SGD($0, lr: 0.05, momentum: 0.8, dampening: 0.3) },
        "adam": { try Adam($0, lr: 0.01) },
        "adam_amsgrad_wd": { try Adam($0, lr: 0.02, weightDecay: 0.1, amsgrad: true) },
        "adamw": { try AdamW($0, lr: 0.01) },
        "rmsprop": { try RMSprop($0) },
        "rmsprop_momentum_centered": { try RMSprop($0, lr: 0.005, weightDecay: 0.01, momentum: 0.9, centered: true) },
        "adagrad": { try Adagrad($0, lr: 0.1, lrDecay: 0.01, weightDecay: 0.01, initialAccumulatorValue: 0.1) },
    ]

    func testOptimizersMatchPyTorchStepForStep() throws {
        let r = try Reference.load("nn_optim", as: Recorded.self)
        XCTAssertEqual(Set(r.runs.keys), Set(Self.optimizers.keys))
        let x = try Tensor.make(r.x, shape: [8, 3]), y = try Tensor.make(r.y, shape: [8, 2])
        for (name, steps) in r.runs.sorted(by: { $0.key < $1.key }) {
            let w = try Tensor.make(r.weight, shape: [2, 3]).requiresGrad(), b = try Tensor.make(r.bias).requiresGrad()
            let opt = try Self.optimizers[name]!([w, b])
            for (i, expected) in steps.enumerated() {
                try opt.zeroGrad()
                let loss = try Functional.mseLoss(Functional.linear(x, w, b), y)
                try loss.backward()
                try opt.step()
                assertClose([try loss.item().double], [expected.loss], atol: 1e-5, rtol: 1e-5, "\(name) step \(i + 1): loss")
                assertClose(w.doubles(), expected.weight, atol: 1e-5, rtol: 1e-5, "\(name) step \(i + 1): weight")
                assertClose(b.doubles(), expected.bias, atol: 1e-5, rtol: 1e-5, "\(name) step \(i + 1): bias")
            }
        }
    }

    func testParamGroupsAreReadableAndWritable() throws {
        let a = try Tensor.make([1, 2]).requiresGrad(), b = try Tensor.make([3]).requiresGrad()
        let opt = try SGD(groups: [([a], [:]), ([b], ["lr": .number(0.5)])], lr: 0.1, momentum: 0.9)
        XCTAssertEqual(opt.paramGroups[0]["lr"], .number(0.1))
        XCTAssertEqual(opt.paramGroups[1]["lr"], .number(0.5))
        XCTAssertEqual(opt.paramGroups[1]["momentum"], .number(0.9))
        for g in opt.paramGroups { g["lr"] = .number(1) }
        try (a.sum() + b.sum()).backward()
        try opt.step()
        XCTAssertEqual(a.doubles(), [0, 1])
        XCTAssertEqual(b.doubles(), [2])
    }

    func testStateDictRoundTripContinuesIdentically() throws {
        func run(_ steps: Int, resumeAt: Int?) throws -> [Double] {
            let w = try Tensor.make([0.5, -1, 2]).requiresGrad()
            var opt = try Adam([w], lr: 0.1)
            for i in 0..<steps {
                if i == resumeAt {
                    let saved = opt.stateDict()
                    opt = try Adam([w], lr: 0.5)
                    try opt.loadStateDict(saved)
                }
                try opt.zeroGrad()
                try w.mul(w).sum().backward()
                try opt.step()
            }
            return w.doubles()
        }
        XCTAssertEqual(try run(6, resumeAt: 3), try run(6, resumeAt: nil))
    }

    func testZeroGradAndConstructorErrors() throws {
        let w = try Tensor.make([1]).requiresGrad()
        let opt = try SGD([w], lr: 0.1)
        try w.sum().backward()
        try opt.zeroGrad(setToNone: false)
        XCTAssertEqual(w.grad?.doubles(), [0])
        try opt.zeroGrad()
        XCTAssertNil(w.grad)
        XCTAssertThrowsError(try SGD([w], lr: -1)) { XCTAssertEqual(($0 as? NNError)?.message, "Invalid learning rate: -1.0") }
        XCTAssertThrowsError(try SGD([], lr: 0.1)) { XCTAssertEqual(($0 as? NNError)?.message, "optimizer got an empty parameter list") }
        XCTAssertThrowsError(try SGD([w], lr: 0.1, nesterov: true)) {
            XCTAssertEqual(($0 as? NNError)?.message, "Nesterov momentum requires a momentum and zero dampening")
        }
        XCTAssertThrowsError(try Adam([w], betas: (1.0, 0.999))) {
            XCTAssertEqual(($0 as? NNError)?.message, "Invalid beta parameter at index 0: 1.0")
        }
    }

    struct Schedules: Decodable {
        let step, multistep, exponential, cosine, lambda, plateau, plateau_metrics: [Double]
    }

    func testSchedulesMatchPyTorch() throws {
        let r = try Reference.load("nn_sched", as: Schedules.self)
        func run(_ make: (Optimizer) throws -> LRScheduler) throws -> [Double] {
            let opt = try SGD([try Tensor.zeros([1]).requiresGrad()], lr: 0.1)
            let s = try make(opt)
            var lrs = [s.lastLR()[0]]
            for _ in 0..<12 {
                try s.step()
                lrs.append(opt.paramGroups[0]["lr"]!.number!)
            }
            return lrs
        }
        assertClose(try run { try StepLR($0, stepSize: 3, gamma: 0.5) }, r.step, atol: 1e-12, rtol: 1e-9, "StepLR")
        assertClose(try run { try MultiStepLR($0, milestones: [2, 5, 5], gamma: 0.1) }, r.multistep, atol: 1e-12, rtol: 1e-9, "MultiStepLR")
        assertClose(try run { try ExponentialLR($0, gamma: 0.9) }, r.exponential, atol: 1e-12, rtol: 1e-9, "ExponentialLR")
        assertClose(try run { try CosineAnnealingLR($0, tMax: 5, etaMin: 0.001) }, r.cosine, atol: 1e-12, rtol: 1e-9, "CosineAnnealingLR")
        assertClose(try run { try LambdaLR($0, lrLambda: [{ Foundation.pow(0.95, Double($0)) }]) }, r.lambda, atol: 1e-12, rtol: 1e-9, "LambdaLR")
        let opt = try SGD([try Tensor.zeros([1]).requiresGrad()], lr: 0.1)
        let plateau = try ReduceLROnPlateau(opt, factor: 0.5, patience: 2)
        var lrs = [plateau.lastLR()[0]]
        for m in r.plateau_metrics {
            plateau.step(m)
            lrs.append(opt.paramGroups[0]["lr"]!.number!)
        }
        assertClose(lrs, r.plateau, atol: 1e-12, rtol: 1e-9, "ReduceLROnPlateau")
        // PyTorch's StepLR(step_size=0) fails at its first step with "integer modulo by zero": an error, not a crash.
        let zero = try StepLR(try SGD([try Tensor.zeros([1]).requiresGrad()], lr: 0.1), stepSize: 0)
        XCTAssertThrowsError(try zero.step()) { XCTAssertEqual(($0 as? NNError)?.message, "integer modulo by zero") }
    }
}

/// An optimizer's state survives a safetensors checkpoint and training continues identically.
final class OptimizerCheckpointTests: XCTestCase {
    func testAdamStateThroughACheckpointFile() throws {
        func train(_ w: Tensor, _ opt: Optimizer, steps: Int) throws {
            for _ in 0..<steps {
                try opt.zeroGrad()
                try w.mul(w).sum().backward()
                try opt.step()
            }
        }
        let reference = try Tensor.make([0.5, -1, 2]).requiresGrad()
        try train(reference, try Adam([reference], lr: 0.1, amsgrad: true), steps: 6)

        let w = try Tensor.make([0.5, -1, 2]).requiresGrad()
        let opt = try Adam([w], lr: 0.1, amsgrad: true)
        try train(w, opt, steps: 3)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("soma-optim-\(UUID()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let entries = try opt.stateDict().checkpointEntries()
        try Checkpoint.save(tensors: entries.tensors, metadata: entries.metadata, to: path)

        let loaded = try Checkpoint.load(path)
        let resumed = try Adam([w], lr: 0.7)
        try resumed.loadStateDict(try OptimizerState(checkpoint: loaded.tensors, metadata: loaded.metadata))
        XCTAssertEqual(resumed.paramGroups[0]["lr"], .number(0.1))
        XCTAssertEqual(resumed.paramGroups[0]["betas"], .pair(0.9, 0.999))
        XCTAssertEqual(resumed.paramGroups[0]["amsgrad"], .flag(true))
        XCTAssertEqual(resumed.paramGroups[0]["weight_decay"], .number(0))
        XCTAssertEqual(resumed.paramGroups[0]["maximize"], .flag(false))
        try train(w, resumed, steps: 3)
        XCTAssertEqual(w.doubles(), reference.doubles())
    }
}
