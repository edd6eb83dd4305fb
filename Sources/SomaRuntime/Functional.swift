import SomaNN
import SomaScript
import SomaTensor

/// `soma.nn.functional` and `soma.nn.init`.
enum FunctionalModule {
    static func build(_ interp: Interpreter) throws -> PyModule {
        let m = PyModule(name: "soma.nn.functional")
        let unary: [(String, (Tensor) throws -> Tensor)] = [
            ("relu", { try $0.relu() }), ("sigmoid", { try $0.sigmoid() }), ("tanh", { try $0.tanh() }), ("gelu", { try $0.gelu() }),
        ]
        for (name, op) in unary {
            m.def(name, ["input", "inplace"], defaults: ["inplace": .bool(false)]) { _, a in wrap(try op(try tensorOnly(a[0], "input"))) }
        }
        m.def("leaky_relu", ["input", "negative_slope", "inplace"], defaults: ["negative_slope": .float(0.01), "inplace": .bool(false)]) { _, a in
            wrap(try tensorOnly(a[0], "input").leakyRelu(try a[1].number("negative_slope")))
        }
        for (name, log) in [("softmax", false), ("log_softmax", true)] {
            m.def(name, ["input", "dim"], defaults: ["dim": .none], keywordOnly: ["dtype"]) { _, a in
                var x = try tensorOnly(a[0], "input")
                if let d = try dtypeArgument(a.count > 2 ? a[2] : .none) { x = try x.to(d) }
                let dim = try a[1].optionalInteger("dim") ?? (x.dim == 0 || x.dim == 1 || x.dim == 3 ? 0 : 1)
                return wrap(log ? try x.logSoftmax(dim: dim) : try x.softmax(dim: dim))
            }
        }
        m.def("linear", ["input", "weight", "bias"], defaults: ["bias": .none]) { _, a in
            wrap(try Functional.linear(try tensorOnly(a[0], "input"), try tensorOnly(a[1], "weight"), try NNModule.optionalTensor(a[2])))
        }
        m.def("dropout", ["input", "p", "training", "inplace"], defaults: ["p": .float(0.5), "training": .bool(true), "inplace": .bool(false)]) { _, a in
            wrap(try Functional.dropout(try tensorOnly(a[0], "input"), p: try a[1].number("p"), training: a[2].truthy))
        }
        m.def("one_hot", ["tensor", "num_classes"], defaults: ["num_classes": .int(-1)]) { _, a in
            wrap(try tensorOnly(a[0], "tensor").oneHot(numClasses: try a[1].integer("num_classes")))
        }
        let lossDefaults: [String: Value] = ["size_average": .none, "reduce": .none, "reduction": .str("mean")]
        m.def("mse_loss", ["input", "target", "size_average", "reduce", "reduction"], defaults: lossDefaults) { _, a in
            wrap(try Functional.mseLoss(try tensorOnly(a[0], "input"), try tensorArgument(a[1]), reduction: try NNModule.reduction(a[4])))
        }
        m.def("l1_loss", ["input", "target", "size_average", "reduce", "reduction"], defaults: lossDefaults) { _, a in
            wrap(try Functional.l1Loss(try tensorOnly(a[0], "input"), try tensorArgument(a[1]), reduction: try NNModule.reduction(a[4])))
        }
        m.def("binary_cross_entropy", ["input", "target", "weight", "size_average", "reduce", "reduction"],
              defaults: lossDefaults.merging(["weight": .none]) { $1 }) { _, a in
            wrap(try Functional.binaryCrossEntropy(try tensorOnly(a[0], "input"), try tensorArgument(a[1]), weight: try NNModule.optionalTensor(a[2]),
                                                   reduction: try NNModule.reduction(a[5])))
        }
        m.def("binary_cross_entropy_with_logits", ["input", "target", "weight", "size_average", "reduce", "reduction", "pos_weight"],
              defaults: lossDefaults.merging(["weight": .none, "pos_weight": .none]) { $1 }) { _, a in
            wrap(try Functional.binaryCrossEntropyWithLogits(try tensorOnly(a[0], "input"), try tensorArgument(a[1]),
                                                             weight: try NNModule.optionalTensor(a[2]), posWeight: try NNModule.optionalTensor(a[6]),
                                                             reduction: try NNModule.reduction(a[5])))
        }
        m.def("cross_entropy", ["input", "target", "weight", "size_average", "ignore_index", "reduce", "reduction", "label_smoothing"],
              defaults: lossDefaults.merging(["weight": .none, "ignore_index": .int(-100), "label_smoothing": .float(0)]) { $1 }) { _, a in
            wrap(try Functional.crossEntropy(try tensorOnly(a[0], "input"), try tensorOnly(a[1], "target"), weight: try NNModule.optionalTensor(a[2]),
                                             ignoreIndex: try a[4].integer("ignore_index"), reduction: try NNModule.reduction(a[6]),
                                             labelSmoothing: try a[7].number("label_smoothing")))
        }
        m.def("nll_loss", ["input", "target", "weight", "size_average", "ignore_index", "reduce", "reduction"],
              defaults: lossDefaults.merging(["weight": .none, "ignore_index": .int(-100)]) { $1 }) { _, a in
            wrap(try Functional.nllLoss(try tensorOnly(a[0], "input"), try tensorOnly(a[1], "target"), weight: try NNModule.optionalTensor(a[2]),
                                        ignoreIndex: try a[4].integer("ignore_index"), reduction: try NNModule.reduction(a[6])))
        }
        m.def("conv2d", ["input", "weight", "bias", "stride", "padding", "dilation", "groups"],
              defaults: ["bias": .none, "stride": .int(1), "padding": .int(0), "dilation": .int(1), "groups": .int(1)]) { _, a in
            guard try a[6].integer("groups") == 1 else { throw PyException.make("NotImplementedError", "conv2d with groups != 1 is not supported in Soma") }
            return wrap(try Functional.conv2d(try tensorOnly(a[0], "input"), try tensorOnly(a[1], "weight"), try NNModule.optionalTensor(a[2]),
                                              stride: try NNModule.pair(a[3], "stride"), padding: try NNModule.pair(a[4], "padding"),
                                              dilation: try NNModule.pair(a[5], "dilation")))
        }
        m.def("max_pool2d", ["input", "kernel_size", "stride", "padding"], defaults: ["stride": .none, "padding": .int(0)]) { _, a in
            wrap(try Functional.maxPool2d(try tensorOnly(a[0], "input"), kernelSize: try NNModule.pair(a[1], "kernel_size"),
                                          stride: a[2].isNone ? nil : try NNModule.pair(a[2], "stride"), padding: try NNModule.pair(a[3], "padding")))
        }
        return m
    }

    static func buildInit(_ interp: Interpreter) throws -> PyModule {
        let m = PyModule(name: "soma.nn.init")
        func t(_ v: Value) throws -> Tensor { try tensorOnly(v, "tensor") }
        m.def("xavier_uniform_", ["tensor", "gain"], defaults: ["gain": .float(1)]) { _, a in
            try Init.xavierUniform(try t(a[0]), gain: try a[1].number("gain")); return a[0]
        }
        m.def("xavier_normal_", ["tensor", "gain"], defaults: ["gain": .float(1)]) { _, a in
            try Init.xavierNormal(try t(a[0]), gain: try a[1].number("gain")); return a[0]
        }
        for (name, normal) in [("kaiming_uniform_", false), ("kaiming_normal_", true)] {
            m.def(name, ["tensor", "a", "mode", "nonlinearity"], defaults: ["a": .int(0), "mode": .str("fan_in"), "nonlinearity": .str("leaky_relu")]) { _, a in
                let x = try t(a[0]), slope = try a[1].number("a"), mode = try a[2].asString(), nl = try a[3].asString()
                if normal { try Init.kaimingNormal(x, a: slope, mode: mode, nonlinearity: nl) } else {
                    try Init.kaimingUniform(x, a: slope, mode: mode, nonlinearity: nl)
                }
                return a[0]
            }
        }
        m.def("uniform_", ["tensor", "a", "b"], defaults: ["a": .float(0), "b": .float(1)]) { _, a in
            try Init.uniform(try t(a[0]), a: try a[1].number("a"), b: try a[2].number("b")); return a[0]
        }
        m.def("normal_", ["tensor", "mean", "std"], defaults: ["mean": .float(0), "std": .float(1)]) { _, a in
            try Init.normal(try t(a[0]), mean: try a[1].number("mean"), std: try a[2].number("std")); return a[0]
        }
        m.def("constant_", ["tensor", "val"]) { _, a in try Init.constant(try t(a[0]), try a[1].number("val")); return a[0] }
        m.def("zeros_", ["tensor"]) { _, a in try Init.zeros(try t(a[0])); return a[0] }
        m.def("ones_", ["tensor"]) { _, a in try Init.ones(try t(a[0])); return a[0] }
        m.def("calculate_gain", ["nonlinearity", "param"], defaults: ["param": .none]) { _, a in
            .float(try Init.gain(try a[0].asString(), param: a[1].isNone ? nil : try a[1].number("param")))
        }
        return m
    }
}
