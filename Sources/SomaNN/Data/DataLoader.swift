import Foundation
import SomaTensor

/// Batches of a data set (`torch.utils.data.DataLoader`, single process).
///
/// Random numbers are drawn exactly where PyTorch draws them, so that after the same
/// `manual_seed` a shuffled loader visits samples in PyTorch's order: creating an iterator
/// draws a 64-bit "base seed" from `generator` (or the global generator) even when not
/// shuffling; with `shuffle`, the first batch then draws a seed from the global generator,
/// seeds a fresh generator with it and takes `randperm(n)` (or takes `randperm(n)` straight
/// from `generator` when one is given), as `RandomSampler` does.
public final class DataLoader: Sequence {
    public let dataset: Dataset
    /// Samples per batch; nil disables batching (`batch_size=None`): each sample as it is.
    public let batchSize: Int?
    public let shuffle: Bool
    public let dropLast: Bool
    public let generator: SomaTensor.Generator?
    /// Replaces `defaultCollate` (`collate_fn`); the fast batch path is off when set.
    public let collate: (([Sample]) throws -> Sample)?

    public init(_ dataset: Dataset, batchSize: Int? = 1, shuffle: Bool = false, dropLast: Bool = false,
                generator: SomaTensor.Generator? = nil, collate: (([Sample]) throws -> Sample)? = nil) throws {
        if let b = batchSize, b <= 0 {
            throw NNError(.value, "batch_size should be a positive integer value, but got batch_size=\(b)")
        }
        if batchSize == nil && dropLast {
            throw NNError(.value, "batch_size=None option disables auto-batching and is mutually exclusive with drop_last")
        }
        if shuffle, let n = try? dataset.count, n == 0 {
            throw NNError(.value, "num_samples should be a positive integer value, but got num_samples=0")
        }
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.generator = generator
        self.collate = collate
    }

    /// Number of batches (`len(loader)`).
    public var count: Int {
        get throws {
            let n = try dataset.count
            guard let b = batchSize else { return n }
            return dropLast ? n / b : (n + b - 1) / b
        }
    }

    /// A new pass over the data (`iter(loader)`); draws the base seed as PyTorch does.
    public func makeIterator() -> Iterator { Iterator(self) }

    /// One pass over the data. `nextBatch()` throws the data set's errors; `next()` (used by
    /// `for ... in`) ends the pass at an error and leaves it in `error`.
    public final class Iterator: IteratorProtocol {
        let loader: DataLoader
        /// Drawn at creation as PyTorch's `_base_seed` (used by worker processes there).
        public let baseSeed: UInt64
        private var order: [Int]?
        private var position = 0
        private var total = -1
        private var exhausted = false
        /// The error that ended a `for ... in` pass early, if any.
        public private(set) var error: Error?

        init(_ loader: DataLoader) {
            self.loader = loader
            baseSeed = (loader.generator ?? .global).next64() & 0x7fff_ffff_ffff_ffff
        }

        /// The next batch, or nil at the end of the pass.
        public func nextBatch() throws -> Sample? {
            if order == nil {
                let n = try loader.dataset.count
                total = n
                if loader.shuffle {
                    let g: SomaTensor.Generator
                    if let given = loader.generator {
                        g = given
                    } else {
                        g = SomaTensor.Generator(seed: SomaTensor.Generator.global.next64() & 0x7fff_ffff_ffff_ffff)
                    }
                    let perm = try Tensor.randperm(n, generator: g)
                    let p = perm.unsafeData(as: Int64.self)
                    order = (0..<n).map { Int(p[$0]) }
                } else {
                    order = Array(0..<n)
                }
            }
            guard let order else { return nil }
            guard let b = loader.batchSize else {
                guard position < total else {
                    try exhaustSampler()
                    return nil
                }
                defer { position += 1 }
                return try loader.dataset.item(at: order[position])
            }
            let remaining = total - position
            if remaining < b { try exhaustSampler() }
            guard remaining > 0, !(loader.dropLast && remaining < b) else { return nil }
            let indices = Array(order[position..<position + Swift.min(b, remaining)])
            position += indices.count
            if let c = loader.collate {
                return try c(indices.map { try loader.dataset.item(at: $0) })
            }
            if let fast = try loader.dataset.batch(at: indices) { return fast }
            return try defaultCollate(indices.map { try loader.dataset.item(at: $0) })
        }

        /// PyTorch's `RandomSampler` runs one more `randperm(n)` (for `num_samples % n` = 0
        /// samples) when the batches ask past the end of the permutation; with a loader's own
        /// generator those draws advance it, so they are made here too.
        private func exhaustSampler() throws {
            guard !exhausted else { return }
            exhausted = true
            if loader.shuffle, let g = loader.generator { _ = try Tensor.randperm(total, generator: g) }
        }

        public func next() -> Sample? {
            guard error == nil else { return nil }
            do {
                return try nextBatch()
            } catch let e {
                error = e
                return nil
            }
        }
    }
}
