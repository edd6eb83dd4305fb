import XCTest
import SomaTensor
@testable import SomaNN

/// Every layer against PyTorch: default initialisation (same seed, same numbers), forward values,
/// input and parameter gradients, and updated buffers (`Data/nn_layers.json`).
final class LayerTests: XCTestCase {
    struct Case: Decodable {
        let seed: UInt64
        let initial: [String: Reference.TensorSpec]
        let input: Reference.TensorSpec
        let output: Reference.TensorSpec
        let upstream: [Double]
        let input_grad: [Double]?
        let param_grads: [String: [Double]]
        let final: [String: Reference.TensorSpec]
    }

    /// Soma's version of each recorded layer, with the train flag the recording used.
    static let layers: [String: (make: () throws -> Module, train: Bool)] = [
        "linear": ({ try Linear(4, 3) }, true),
        "linear_nobias_3d": ({ try Linear(4, 3, bias: false) }, true),
        "conv2d": ({ try Conv2d(2, 3, kernelSize: 3, padding: 1) }, true),
        "conv2d_strided": ({ try Conv2d(1, 2, kernelSize: (2, 3), stride: (2, 2), dilation: (1, 2)) }, true),
        "maxpool2d": ({ try MaxPool2d(kernelSize: 2) }, true),
        "maxpool2d_padded": ({ try MaxPool2d(kernelSize: 3, stride: 2, padding: 1) }, true),
        "batchnorm1d_train": ({ try BatchNorm1d(3) }, true),
        "batchnorm1d_eval": ({ try BatchNorm1d(3) }, false),
        "batchnorm2d_train": ({ try BatchNorm2d(2) }, true),
        "embedding": ({ try Embedding(10, 4) }, true),
        "embedding_padding": ({ try Embedding(5, 3, paddingIdx: 0) }, true),
        "relu": ({ ReLU() }, true),
        "leaky_relu": ({ LeakyReLU(negativeSlope: 0.2) }, true),
        "sigmoid": ({ Sigmoid() }, true),
        "tanh": ({ Tanh() }, true),
        "gelu": ({ GELU() }, true),
        "softmax": ({ Softmax(dim: 1) }, true),
        "log_softmax": ({ LogSoftmax(dim: 1) }, true),
        "flatten": ({ Flatten() }, true),
        "sequential": ({ Sequential([try Linear(3, 5), ReLU(), try Linear(5, 2), Sigmoid()]) }, true),
    ]

    func testLayersMatchPyTorch() throws {
        let cases = try Reference.load("nn_layers", as: [String: Case].self)
        XCTAssertEqual(Set(cases.keys), Set(Self.layers.keys))
        for (name, c) in cases.sorted(by: { $0.key < $1.key }) {
            manualSeed(c.seed)
            let (make, train) = Self.layers[name]!
            let layer = try make()
            layer.train(train)
            let state = Dictionary(uniqueKeysWithValues: layer.stateDict())
            XCTAssertEqual(Set(state.keys), Set(c.initial.keys), "\(name): state_dict keys")
            for (key, spec) in c.initial {
                XCTAssertEqual(state[key]?.shape, spec.shape, "\(name).\(key): shape")
                assertClose(state[key]?.doubles() ?? [], spec.values, atol: 1e-6, rtol: 1e-5, "\(name).\(key): default initialisation")
            }
            let x = try c.input.tensor(requiresGrad: true)
            let out = try layer(x)
            XCTAssertEqual(out.shape, c.output.shape, "\(name): output shape")
            assertClose(out.doubles(), c.output.values, "\(name): forward")
            try out.backward(Tensor.make(c.upstream, shape: out.shape))
            if let expected = c.input_grad { assertClose(x.grad?.doubles() ?? [], expected, "\(name): input gradient") }
            let params = Dictionary(uniqueKeysWithValues: layer.namedParameters())
            for (key, expected) in c.param_grads {
                assertClose(params[key]?.grad?.doubles() ?? [], expected, "\(name).\(key): gradient")
            }
            let final = Dictionary(uniqueKeysWithValues: layer.stateDict())
            for (key, spec) in c.final { assertClose(final[key]?.doubles() ?? [], spec.values, "\(name).\(key): after forward") }
        }
    }

    /// Max pooling's choice among ties, NaNs and infinities, seen through where the gradient goes. Expected numbers from
    /// PyTorch 2.13: `F.max_pool2d(x, 2)` and `F.max_pool2d(x, 3, stride=2, padding=1)`, then `.sum().backward()`.
    func testMaxPoolingPicksTheWindowMaximumAsPyTorchDoes() throws {
        let nan = Double.nan
        let values: [Double] = [1, nan, 5, 2, nan, 0, 7, 7, 3, 3, -1, .infinity, 3, 2, 0, 1]
        for (kernel, stride, padding, expectedValues, expectedGrad) in [
            (2, 2, 0, [nan, 7, 3, .infinity], [0.0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0]),
            (3, 2, 1, [nan, nan, nan, .infinity], [0.0, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]),
        ] {
            let x = try Tensor.make(values, shape: [1, 1, 4, 4]).requiresGrad()
            let y = try Functional.maxPool2d(x, kernelSize: (kernel, kernel), stride: (stride, stride), padding: (padding, padding))
            XCTAssertEqual(y.doubles().map { $0.isNaN ? "nan" : "\($0)" }, expectedValues.map { $0.isNaN ? "nan" : "\($0)" }, "values, kernel \(kernel)")
            try y.sum().backward()
            XCTAssertEqual(x.grad?.doubles(), expectedGrad, "gradient, kernel \(kernel)")
        }
    }

    /// Convolution and pooling over a batch large enough to run on two threads give, image by image, what each image
    /// gives alone (one thread), forward and backward.
    func testBatchesSplitAcrossThreadsMatchImageByImage() throws {
        manualSeed(11)
        let conv = try Conv2d(4, 8, kernelSize: 3, padding: 1), pool = try MaxPool2d(kernelSize: 2)
        let batch = try Tensor.randn([16, 4, 32, 32]).requiresGrad()
        XCTAssertGreaterThanOrEqual(batch.numel, 1 << 16)
        let out = try pool(conv(batch))
        try out.sum().backward()
        let batchGrad = batch.grad!.doubles(), weightGrad = conv.weight.grad!.doubles()
        conv.weight.grad = nil
        var summed = [Double](repeating: 0, count: weightGrad.count)
        for n in 0..<16 {
            let image = try batch.detach().narrow(0, start: n, length: 1).contiguous().requiresGrad()
            let alone = try pool(conv(image))
            XCTAssertEqual(alone.doubles(), try out.narrow(0, start: n, length: 1).doubles(), "forward, image \(n)")
            try alone.sum().backward()
            XCTAssertEqual(image.grad!.doubles(), Array(batchGrad[(n * 4096)..<((n + 1) * 4096)]), "input gradient, image \(n)")
            summed = zip(summed, conv.weight.grad!.doubles()).map { $0 + $1 }
            conv.weight.grad = nil
        }
        assertClose(weightGrad, summed, atol: 1e-3, rtol: 1e-4, "weight gradient, summed over images")
    }

    /// Every layer's output, and a loss over it, is freed with its graph when the forward pass is never backwarded
    /// (a validation loss computed with grad on), as in PyTorch.
    func testForwardWithoutBackwardFreesOutputs() throws {
        let cases = try Reference.load("nn_layers", as: [String: Case].self)
        for (name, c) in cases.sorted(by: { $0.key < $1.key }) {
            let (make, train) = Self.layers[name]!
            let layer = try make()
            layer.train(train)
            let x = try c.input.tensor(requiresGrad: true)
            weak var output: Tensor?, loss: Tensor?
            do {
                let out = try layer(x)
                output = out
                if out.dtype.isFloatingPoint {
                    let flat = try out.reshape([-1, 1]).sigmoid()
                    loss = try BCELoss()(flat, flat.onesLike()).add(CrossEntropyLoss()(out.reshape([1, -1]), Tensor.make([0], shape: [1], dtype: .int64)))
                }
            }
            XCTAssertNil(output, "\(name): the output outlives its last reference")
            XCTAssertNil(loss, "\(name): the loss outlives its last reference")
        }
    }

    func testTextFormsMatchPyTorch() throws {
        let expected = try Reference.load("nn_repr", as: [String: String].self)
        let models: [String: Module] = [
            "sequential": Sequential([try Linear(2, 10), Sigmoid(), try Linear(10, 1, bias: false), ReLU(), try Dropout(p: 0.2), Flatten(),
                                      LeakyReLU(), Softmax(dim: 1), GELU(), Identity(), Tanh(), LogSoftmax(dim: -1)]),
            "cnn": Sequential([try Conv2d(1, 6, kernelSize: 5, padding: 2), try BatchNorm2d(6), try MaxPool2d(kernelSize: 2),
                               try Conv2d(6, 16, kernelSize: (3, 3), stride: (2, 2), bias: false), try BatchNorm1d(16, eps: 1e-3, momentum: nil),
                               try Embedding(10, 3), try Embedding(5, 2, paddingIdx: 0)]),
            "modulelist": ModuleList([try Linear(3, 3), try Linear(3, 3), try Linear(3, 3), ReLU()]),
            "nested": Sequential([Sequential([try Linear(1, 2)]), ReLU()]),
        ]
        XCTAssertEqual(Set(expected.keys), Set(models.keys))
        for (name, text) in expected { XCTAssertEqual(models[name]!.description, text, name) }
    }
}
