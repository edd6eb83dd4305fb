import Foundation
import SomaTensor

/// Base of the epoch-based learning-rate schedules (`optim.lr_scheduler`): records each group's
/// `initial_lr`, takes the first step on construction as PyTorch does, and sets `lr` on every `step()`.
open class LRScheduler {
    public let optimizer: Optimizer
    /// The learning rates the schedule starts from.
    public private(set) var baseLRs: [Double] = []
    /// Number of `step()` calls so far (0 after construction).
    public private(set) var lastEpoch = -1
    private var lastLRs: [Double] = []

    public init(_ optimizer: Optimizer) throws {
        self.optimizer = optimizer
        for g in optimizer.paramGroups where g["initial_lr"] == nil { g["initial_lr"] = g["lr"] }
        baseLRs = optimizer.paramGroups.map { $0.number("initial_lr") }
    }

    /// Runs the constructor's first step; subclasses call it at the end of their initialiser.
    func start() throws { try step() }

    /// Advances one epoch and sets each group's learning rate.
    public func step() throws {
        lastEpoch += 1
        let lrs = try nextLRs()
        for (g, lr) in zip(optimizer.paramGroups, lrs) { g["lr"] = .number(lr) }
        lastLRs = lrs
    }

    /// The learning rates set by the last step (`get_last_lr()`).
    public func lastLR() -> [Double] { lastLRs }

    /// Each group's learning rate for `lastEpoch`, from its current one (PyTorch's chainable form).
    open func nextLRs() throws -> [Double] { currentLRs }

    var currentLRs: [Double] { optimizer.paramGroups.map { $0.number("lr") } }
}

/// Multiplies the rate by `gamma` every `stepSize` epochs (`StepLR`).
public final class StepLR: LRScheduler {
    public let stepSize: Int, gamma: Double
    public init(_ optimizer: Optimizer, stepSize: Int, gamma: Double = 0.1) throws {
        self.stepSize = stepSize
        self.gamma = gamma
        try super.init(optimizer)
        try start()
    }
    public override func nextLRs() throws -> [Double] {
        if lastEpoch == 0 { return currentLRs }
        guard stepSize != 0 else { throw NNError(.zeroDivision, "integer modulo by zero") }  // PyTorch's own failure
        return lastEpoch % stepSize != 0 ? currentLRs : currentLRs.map { $0 * gamma }
    }
}

/// Multiplies the rate by `gamma` at each milestone epoch (`MultiStepLR`).
public final class MultiStepLR: LRScheduler {
    public let milestones: [Int], gamma: Double
    public init(_ optimizer: Optimizer, milestones: [Int], gamma: Double = 0.1) throws {
        self.milestones = milestones.sorted()
        self.gamma = gamma
        try super.init(optimizer)
        try start()
    }
    public override func nextLRs() throws -> [Double] {
        let hits = milestones.filter { $0 == lastEpoch }.count
        return hits == 0 ? currentLRs : currentLRs.map { $0 * Foundation.pow(gamma, Double(hits)) }
    }
}

/// Multiplies the rate by `gamma` every epoch (`ExponentialLR`).
public final class ExponentialLR: LRScheduler {
    public let gamma: Double
    public init(_ optimizer: Optimizer, gamma: Double) throws {
        self.gamma = gamma
        try super.init(optimizer)
        try start()
    }
    public override func nextLRs() throws -> [Double] { lastEpoch == 0 ? currentLRs : currentLRs.map { $0 * gamma } }
}

/// Cosine annealing from the base rate to `etaMin` over `tMax` epochs (`CosineAnnealingLR`).
public final class CosineAnnealingLR: LRScheduler {
    public let tMax: Int, etaMin: Double
    public init(_ optimizer: Optimizer, tMax: Int, etaMin: Double = 0) throws {
        self.tMax = tMax
        self.etaMin = etaMin
        try super.init(optimizer)
        try start()
    }
    public override func nextLRs() throws -> [Double] {
        if lastEpoch == 0 { return currentLRs }
        let t = Double(tMax), e = Double(lastEpoch)
        if (lastEpoch - 1 - tMax) % (2 * tMax) == 0 {
            return zip(currentLRs, baseLRs).map { lr, base in lr + (base - etaMin) * (1 - Foundation.cos(Double.pi / t)) / 2 }
        }
        return currentLRs.map { lr in
            (1 + Foundation.cos(Double.pi * e / t)) / (1 + Foundation.cos(Double.pi * (e - 1) / t)) * (lr - etaMin) + etaMin
        }
    }
}

/// The base rate times a function of the epoch (`LambdaLR`), one function per group or one for all.
public final class LambdaLR: LRScheduler {
    public let lambdas: [(Int) throws -> Double]
    public init(_ optimizer: Optimizer, lrLambda: [(Int) throws -> Double]) throws {
        guard lrLambda.count == 1 || lrLambda.count == optimizer.paramGroups.count else {
            throw NNError(.value, "Expected \(optimizer.paramGroups.count) lr_lambdas, but got \(lrLambda.count)")
        }
        lambdas = lrLambda.count == 1 ? Array(repeating: lrLambda[0], count: optimizer.paramGroups.count) : lrLambda
        try super.init(optimizer)
        try start()
    }
    public override func nextLRs() throws -> [Double] {
        try zip(baseLRs, lambdas).map { base, f in base * (try f(lastEpoch)) }
    }
}

/// Lowers the rate by `factor` when a watched metric stops improving for `patience` epochs (`ReduceLROnPlateau`).
public final class ReduceLROnPlateau {
    public let optimizer: Optimizer
    public let mode: String, factor: Double, patience: Int, threshold: Double, thresholdMode: String, cooldown: Int
    public let minLRs: [Double], eps: Double
    public private(set) var best: Double
    public private(set) var numBadEpochs = 0
    private var cooldownCounter = 0
    public private(set) var lastEpoch = 0
    private var lastLRs: [Double]

    public init(_ optimizer: Optimizer, mode: String = "min", factor: Double = 0.1, patience: Int = 10, threshold: Double = 1e-4,
                thresholdMode: String = "rel", cooldown: Int = 0, minLR: [Double] = [0], eps: Double = 1e-8) throws {
        guard factor < 1 else { throw NNError(.value, "Factor should be < 1.0.") }
        guard mode == "min" || mode == "max" else { throw NNError(.value, "mode \(mode) is unknown!") }
        guard thresholdMode == "rel" || thresholdMode == "abs" else { throw NNError(.value, "threshold mode \(thresholdMode) is unknown!") }
        guard minLR.count == 1 || minLR.count == optimizer.paramGroups.count else {
            throw NNError(.value, "expected \(optimizer.paramGroups.count) min_lrs, got \(minLR.count)")
        }
        self.optimizer = optimizer
        self.mode = mode
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.thresholdMode = thresholdMode
        self.cooldown = cooldown
        self.minLRs = minLR.count == 1 ? Array(repeating: minLR[0], count: optimizer.paramGroups.count) : minLR
        self.eps = eps
        best = mode == "min" ? .infinity : -.infinity
        lastLRs = optimizer.paramGroups.map { $0.number("lr") }
    }

    private func isBetter(_ a: Double) -> Bool {
        switch (mode, thresholdMode) {
        case ("min", "rel"): return a < best * (1 - threshold)
        case ("min", _): return a < best - threshold
        case (_, "rel"): return a > best * (threshold + 1)
        default: return a > best + threshold
        }
    }

    /// Records one epoch's metric and lowers the rates after `patience` epochs without improvement.
    public func step(_ metric: Double) {
        lastEpoch += 1
        if isBetter(metric) {
            best = metric
            numBadEpochs = 0
        } else {
            numBadEpochs += 1
        }
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            numBadEpochs = 0
        }
        if numBadEpochs > patience {
            for (g, minLR) in zip(optimizer.paramGroups, minLRs) {
                let old = g.number("lr"), new = Swift.max(old * factor, minLR)
                if old - new > eps { g["lr"] = .number(new) }
            }
            cooldownCounter = cooldown
            numBadEpochs = 0
        }
        lastLRs = optimizer.paramGroups.map { $0.number("lr") }
    }

    /// The learning rates after the last step (`get_last_lr()`).
    public func lastLR() -> [Double] { lastLRs }
}
