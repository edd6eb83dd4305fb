import COpenBLAS
import Foundation
import SomaNN
import SomaTensor

/// Tensor-runtime benchmarks; prints one JSON object for bench/run.py to set beside PyTorch's figures.

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Best time of `rounds` runs of `body`, each repeated `iterations` times, per iteration.
func best(rounds: Int = 5, iterations: Int, _ body: () throws -> Void) rethrows -> Double {
    var bestTime = Double.infinity
    for _ in 0..<rounds {
        let t = try seconds { for _ in 0..<iterations { try body() } }
        bestTime = min(bestTime, t / Double(iterations))
    }
    return bestTime
}

func gemm(_ n: Int) throws -> [String: Double] {
    let a = try Tensor.randn([n, n]), b = try Tensor.randn([n, n])
    let flops = 2.0 * Double(n * n * n)
    let soma = try best(iterations: 5) { _ = try a.mm(b) }
    let somaTransposed = try best(iterations: 5) { _ = try a.t().mm(b.t()) }
    let out = try Tensor.zeros([n, n])
    let pa = a.storage.bytes.assumingMemoryBound(to: Float.self), pb = b.storage.bytes.assumingMemoryBound(to: Float.self)
    let po = out.storage.bytes.assumingMemoryBound(to: Float.self)
    let raw = best(iterations: 5) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, pa, Int32(n), pb, Int32(n), 0, po, Int32(n))
    }
    return ["soma_gflops": flops / soma / 1e9, "soma_transposed_gflops": flops / somaTransposed / 1e9,
            "openblas_gflops": flops / raw / 1e9]
}

func tinyAdd() throws -> [String: Double] {
    let a = try Tensor.randn([1, 6]).requiresGrad(), b = try Tensor.randn([1, 6]).requiresGrad()
    let withGrad = try best(iterations: 200_000) { _ = try a + b }
    let noGrad = try GradMode.with(enabled: false) { try best(iterations: 200_000) { _ = try a + b } }
    return ["add_autograd_ns": withGrad * 1e9, "add_nograd_ns": noGrad * 1e9]
}

/// One SGD step of the 784-128-64-10 ReLU MLP on a batch of 64, written with tensor ops: as tutorials
/// write it (`x @ w.t() + b`, `p -= lr * p.grad`), or with the fused forms (`addmm`, `p.add_(g, alpha=-lr)`).
func mlp(fused: Bool) throws -> [String: Double] {
    manualSeed(0)
    func layer(_ i: Int, _ o: Int) throws -> (Tensor, Tensor) {
        let bound = 1 / Double(i).squareRoot()
        let w = try Tensor.empty([o, i]), b = try Tensor.empty([o])
        try w.uniform(-bound, bound)
        try b.uniform(-bound, bound)
        return (try w.requiresGrad(), try b.requiresGrad())
    }
    let (w1, b1) = try layer(784, 128), (w2, b2) = try layer(128, 64), (w3, b3) = try layer(64, 10)
    let params = [w1, b1, w2, b2, w3, b3]
    let x = try Tensor.rand([64, 784])
    let y = try Tensor.randint(0, 10, [64, 1])
    let lr = Tensor.scalar(.double(0.01))
    func linear(_ x: Tensor, _ w: Tensor, _ b: Tensor) throws -> Tensor {
        fused ? try Tensor.addmm(b, x, w.t()) : try x.matmul(w.t()).add(b)
    }
    func step() throws {
        let h1 = try linear(x, w1, b1).relu()
        let h2 = try linear(h1, w2, b2).relu()
        let logits = try linear(h2, w3, b3)
        let loss = try logits.logSoftmax(dim: 1).gather(1, y).mean().neg()
        for p in params { p.grad = nil }
        try loss.backward()
        try GradMode.with(enabled: false) {
            for p in params { if fused { try p.add_(p.grad!, alpha: -0.01) } else { try p.sub_(p.grad!.mul(lr)) } }
        }
    }
    let perStep = try best(iterations: 200, step)
    let key = fused ? "mlp_fused" : "mlp"
    return ["\(key)_step_us": perStep * 1e6, "\(key)_samples_per_s": 64 / perStep]
}

/// The tutorial's cubic fit (shared/seeds/000_*): Linear(1,6)-ReLU-Linear(6,1), Adam, one sample per step.
func cubic() throws -> [String: Double] {
    manualSeed(0)
    let net = Sequential([try Linear(1, 6), ReLU(), try Linear(6, 1)])
    let lossFunction = MSELoss()
    let optimizer = try Adam(net.parameters(), lr: 0.01)
    let half = Tensor.scalar(.double(0.5)), ten = Tensor.scalar(.int(10)), one = Tensor.scalar(.int(1))
    let steps = 10_000
    let t = try seconds {
        for _ in 0..<steps {
            let x = try Tensor.rand([1]).sub(half).mul(ten)
            let y = try x.pow(3).add(x.pow(2)).sub(x).sub(one)
            try optimizer.zeroGrad()
            let loss = try lossFunction(y, net(x))
            try loss.backward()
            try optimizer.step()
        }
    }
    return ["cubic_step_us": t / Double(steps) * 1e6]
}

/// A small CNN step (conv 3-16-32 with ReLU and 2x2 max pooling, then Linear, CrossEntropyLoss, SGD momentum) on a batch
/// of 64 32x32 RGB images, as an image-classifier tutorial trains it.
func cnn() throws -> [String: Double] {
    manualSeed(0)
    let model = Sequential([try Conv2d(3, 16, kernelSize: 3, padding: 1), ReLU(), try MaxPool2d(kernelSize: (2, 2)),
                            try Conv2d(16, 32, kernelSize: 3, padding: 1), ReLU(), try MaxPool2d(kernelSize: (2, 2)),
                            Flatten(), try Linear(32 * 8 * 8, 10)])
    let x = try Tensor.randn([64, 3, 32, 32]), y = try Tensor.randint(0, 10, [64])
    let criterion = CrossEntropyLoss()
    let optimizer = try SGD(model.parameters(), lr: 0.01, momentum: 0.9)
    let perStep = try best(rounds: 3, iterations: 20) {
        try optimizer.zeroGrad()
        try criterion(model(x), y).backward()
        try optimizer.step()
    }
    return ["cnn_step_ms": perStep * 1e3]
}

/// One Adam step over the 784-128-64-10 MLP's parameters, gradients given (the optimizer's pass alone).
func adam() throws -> [String: Double] {
    manualSeed(0)
    let params = try [[128, 784], [128], [64, 128], [64], [10, 64], [10]].map { try Tensor.randn($0).requiresGrad() }
    for p in params { p.grad = try Tensor.randn(p.shape) }
    let optimizer = try Adam(params, lr: 1e-3)
    return ["adam_step_us": try best(iterations: 200) { try optimizer.step() } * 1e6]
}

/// The tutorial's XOR network (shared/seeds/001_*): 2-10-10-10-1 sigmoid, BCELoss, SGD lr 1, full batch.
func xor() throws -> [String: Double] {
    manualSeed(777)
    let x = try Tensor.make(rows: [[0, 0], [0, 1], [1, 0], [1, 1]]), y = try Tensor.make(rows: [[0], [1], [1], [0]])
    let model = Sequential([try Linear(2, 10), Sigmoid(), try Linear(10, 10), Sigmoid(), try Linear(10, 10), Sigmoid(), try Linear(10, 1), Sigmoid()])
    let criterion = BCELoss()
    let optimizer = try SGD(model.parameters(), lr: 1)
    let steps = Int(ProcessInfo.processInfo.environment["SOMA_BENCH_STEPS"] ?? "") ?? 10_001
    let t = try seconds {
        for _ in 0..<steps {
            try optimizer.zeroGrad()
            let cost = try criterion(model(x), y)
            try cost.backward()
            try optimizer.step()
        }
    }
    return ["xor_step_us": t / Double(steps) * 1e6]
}

/// Peak resident set size of this process so far, in MB.
func peakRSSMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return .nan }
    return kb / 1024
}

/// Fashion-MNIST with the 784-128-64-10 ReLU MLP as shared/seeds/002_* trains it: ToTensor + Normalize((0.5,), (0.5,)),
/// CrossEntropyLoss, SGD lr 0.01 momentum 0.9, batch 64, shuffled.
/// One epoch timed (samples/s); with SOMA_BENCH_EPOCHS=N, N epochs and the test accuracy; SOMA_BENCH_LR changes the learning rate,
/// SOMA_BENCH_SCHEDULE=cosine anneals it to zero over the epochs (CosineAnnealingLR stepped once an epoch).
func fashion() throws -> [String: Double] {
    manualSeed(UInt64(ProcessInfo.processInfo.environment["SOMA_BENCH_SEED"] ?? "") ?? 0)
    let transform = Compose([ToTensor(), try Normalize(mean: [0.5], std: [0.5])])
    let train = try FashionMNIST(train: true, transform: transform), test = try FashionMNIST(train: false, transform: transform)
    let loader = try DataLoader(train, batchSize: 64, shuffle: true)
    let model = Sequential([Flatten(), try Linear(784, 128), ReLU(), try Linear(128, 64), ReLU(), try Linear(64, 10)])
    let criterion = CrossEntropyLoss()
    let lr = Double(ProcessInfo.processInfo.environment["SOMA_BENCH_LR"] ?? "") ?? 0.01
    let optimizer = try SGD(model.parameters(), lr: lr, momentum: 0.9)
    let epochs = Int(ProcessInfo.processInfo.environment["SOMA_BENCH_EPOCHS"] ?? "") ?? 1
    let scheduler = ProcessInfo.processInfo.environment["SOMA_BENCH_SCHEDULE"] == "cosine" ? try CosineAnnealingLR(optimizer, tMax: epochs) : nil
    var firstEpoch = 0.0
    for epoch in 0..<epochs {
        let t = try seconds {
            let it = loader.makeIterator()
            while let batch = try it.nextBatch() {
                guard let parts = batch.elements, let images = parts[0].tensor, let labels = parts[1].tensor else { continue }
                try optimizer.zeroGrad()
                let loss = try criterion(model(images), labels)
                try loss.backward()
                try optimizer.step()
            }
        }
        if epoch == 0 { firstEpoch = t }
        try scheduler?.step()
    }
    model.eval()
    var correct = 0.0, total = 0.0
    try GradMode.with(enabled: false) {
        let it = try DataLoader(test, batchSize: 1000).makeIterator()
        while let batch = try it.nextBatch() {
            guard let parts = batch.elements, let images = parts[0].tensor, let labels = parts[1].tensor else { continue }
            let predicted = try model(images).argmax(dim: 1)
            correct += try predicted.eq(labels).sum().item().double
            total += Double(labels.numel)
        }
    }
    return ["fashion_samples_per_s": 60_000 / firstEpoch, "fashion_epoch_s": firstEpoch, "fashion_epochs": Double(epochs),
            "fashion_test_accuracy": correct / total, "fashion_peak_rss_mb": peakRSSMegabytes()]
}

/// `soma-bench [gemm|add|mlp|mlp_fused|adam|cnn|cubic|xor|fashion ...]`: the named parts only (all by default), e.g. to profile one.
let parts: [String: () throws -> [String: Double]] = ["gemm": { try gemm(1024) }, "add": tinyAdd, "mlp": { try mlp(fused: false) }, "mlp_fused": { try mlp(fused: true) }, "adam": adam, "cnn": cnn, "cubic": cubic, "xor": xor, "fashion": fashion]
let chosen = CommandLine.arguments.count > 1 ? Array(CommandLine.arguments.dropFirst()) : ["gemm", "add", "mlp", "mlp_fused", "cubic", "xor"]
var results: [String: Double] = [:]
for name in chosen {
    guard let part = parts[name] else { fatalError("unknown part \(name); choose from \(parts.keys.sorted())") }
    results.merge(try part()) { $1 }
}
let json = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys])
print(String(data: json, encoding: .utf8)!)
