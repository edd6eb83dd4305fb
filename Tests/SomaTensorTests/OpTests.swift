import XCTest
@testable import SomaTensor

/// Every differentiable op, forward and backward, against PyTorch's recorded numbers and against
/// central finite differences in Float64 (the pattern of tinygrad's `helper_test_op`).
final class OpTests: XCTestCase {
    private static func s(_ v: Double) -> Tensor { Tensor.scalar(.double(v)) }

    /// Soma's version of each case recorded in `Data/ops.json`, by the same name.
    static let ops: [String: ([Tensor]) throws -> Tensor] = [
        "add_broadcast": { try $0[0] + $0[1] },
        "add_scalar": { try $0[0] + 2.5 },
        "add_alpha": { try $0[0].add($0[1], alpha: -0.5) },
        "sub_broadcast": { try $0[0] - $0[1] },
        "rsub_scalar": { try 1 - $0[0] },
        "mul_broadcast": { try $0[0] * $0[1] },
        "div": { try $0[0] / $0[1] },
        "rdiv_scalar": { try 2 / $0[0] },
        "pow_tensor": { try $0[0].pow($0[1]) },
        "pow_scalar3": { try $0[0].pow(3) },
        "pow_square": { try $0[0].pow(s(2)) },
        "pow_half": { try $0[0].pow(0.5) },
        "neg": { try -$0[0] },
        "exp": { try $0[0].exp() },
        "log": { try $0[0].log() },
        "sqrt": { try $0[0].sqrt() },
        "abs": { try $0[0].abs() },
        "sin": { try $0[0].sin() },
        "cos": { try $0[0].cos() },
        "tanh": { try $0[0].tanh() },
        "sigmoid": { try $0[0].sigmoid() },
        "relu": { try $0[0].relu() },
        "leaky_relu": { try $0[0].leakyRelu(0.1) },
        "gelu": { try $0[0].gelu() },
        "clamp": { try $0[0].clamp(min: -0.5, max: 0.5) },
        "clamp_min": { try $0[0].clamp(min: 0.1) },
        "maximum": { try $0[0].maximum($0[1]) },
        "minimum": { try $0[0].minimum($0[1]) },
        "where": { try Tensor.where($0[0], $0[1], $0[2]) },
        "mm": { try $0[0].mm($0[1]) },
        "matmul_transposed": { try $0[0].t().matmul($0[1].t()) },
        "matmul_dot": { try $0[0].matmul($0[1]) },
        "matmul_mv": { try $0[0].matmul($0[1]) },
        "matmul_vm": { try $0[0].matmul($0[1]) },
        "matmul_batched": { try $0[0].matmul($0[1]) },
        "matmul_broadcast": { try $0[0].matmul($0[1]) },
        "matmul_batch_broadcast": { try $0[0].matmul($0[1]) },
        "sum_all": { try $0[0].sum() },
        "sum_dim": { try $0[0].sum(dims: [1]) },
        "sum_dims_keepdim": { try $0[0].sum(dims: [0, 2], keepdim: true) },
        "mean_all": { try $0[0].mean() },
        "mean_dim": { try $0[0].mean(dims: [0]) },
        "mean_neg_dim_keepdim": { try $0[0].mean(dims: [-1], keepdim: true) },
        "max_all": { try $0[0].max() },
        "min_all": { try $0[0].min() },
        "max_dim": { try $0[0].max(dim: 1).values },
        "min_dim_keepdim": { try $0[0].min(dim: 0, keepdim: true).values },
        "prod_all": { try $0[0].prod() },
        "prod_dim": { try $0[0].prod(dim: 1) },
        "var_all": { try $0[0].variance() },
        "var_dim_biased": { try $0[0].variance(dims: [1], correction: 0) },
        "std_all": { try $0[0].std() },
        "std_dim": { try $0[0].std(dims: [0]) },
        "softmax_dim1": { try $0[0].softmax(dim: 1) },
        "softmax_dim0": { try $0[0].softmax(dim: 0) },
        "log_softmax_dim1": { try $0[0].logSoftmax(dim: 1) },
        "log_softmax_3d": { try $0[0].logSoftmax(dim: 1) },
        "cat_dim0": { try Tensor.cat([$0[0], $0[1]], dim: 0) },
        "cat_dim1": { try Tensor.cat([$0[0], $0[1]], dim: 1) },
        "stack": { try Tensor.stack([$0[0], $0[1]], dim: 1) },
        "split_piece": { try $0[0].split(2)[2] },
        "chunk_piece": { try $0[0].chunk(3, dim: 1)[1] },
        "reshape": { try $0[0].reshape([3, -1]) },
        "view": { try $0[0].view([4, 3]) },
        "transpose_reshape": { try $0[0].transpose(0, 2).reshape([-1]) },
        "permute": { try $0[0].permute([2, 0, 1]) },
        "unsqueeze_squeeze": { x in
            try x[0].squeeze().unsqueeze(0).mul(Tensor.arange(.int(0), .int(6)).float().reshape([1, 3, 2]).to(x[0].dtype))
        },
        "expand": { x in
            try x[0].expand([2, 3, 4]).mul(Tensor.arange(.int(0), .int(24)).reshape([2, 3, 4]).to(x[0].dtype))
        },
        "flatten": { try $0[0].flatten(1) },
        "index_int": { try $0[0].index([.int(1)]) },
        "index_slices": { try $0[0].index([.slice(start: 1, stop: nil, step: nil), .slice(start: nil, stop: nil, step: 2)]) },
        "index_negative_step_free": { try $0[0].index([.slice(start: -4, stop: -1, step: nil)]) },
        "index_none_ellipsis": { try $0[0].index([.none, .ellipsis, .int(1)]) },
        "index_mask": { try $0[0].index([.tensor($0[1])]) },
        "index_tensor": { try $0[0].index([.tensor($0[1])]) },
        "index_tensor_dim1": { try $0[0].index([.slice(start: nil, stop: nil, step: nil), .tensor($0[1])]) },
        "index_two_tensors": { try $0[0].index([.tensor($0[1]), .tensor($0[2])]) },
        "index_split_tensors": { try $0[0].index([.tensor($0[1]), .slice(start: nil, stop: nil, step: nil), .tensor($0[2])]) },
        "gather": { try $0[0].gather(1, $0[1]) },
        "addmm_transposed": { try Tensor.addmm($0[0], $0[1], $0[2].t()) },
        "addmm_matrix_bias": { try Tensor.addmm($0[0], $0[1], $0[2]) },
        "mse_composite": { try ($0[0] - $0[1]).pow(2).mean() },
        "linear_composite": { try $0[0].matmul($0[1].t()).add($0[2]).sigmoid() },
    ]

    private func cases() throws -> [(String, Reference.OpCase)] {
        try Reference.load("ops", as: [String: Reference.OpCase].self).sorted { $0.key < $1.key }
    }

    func testEveryRecordedCaseHasASomaOp() throws {
        XCTAssertEqual(Set(try cases().map(\.0)), Set(Self.ops.keys))
    }

    func testForwardAndGradientsMatchPyTorch() throws {
        for (name, c) in try cases() {
            let inputs = try c.inputs.map { try $0.tensor() }
            let out = try Self.ops[name]!(inputs)
            XCTAssertEqual(out.shape, c.output.shape, "\(name): shape")
            XCTAssertEqual(out.dtype, c.output.dtypeValue, "\(name): dtype")
            assertClose(out.doubles(), c.output.values.map(\.double), "\(name): forward")
            try out.backward(Tensor.make(c.upstream.map(\.scalar), shape: out.shape, dtype: out.dtype))
            for (i, expected) in c.grads.enumerated() {
                guard let expected else { continue }
                guard let grad = inputs[i].grad else {
                    XCTFail("\(name): input \(i) has no gradient")
                    continue
                }
                assertClose(grad.doubles(), expected.map(\.double), "\(name): gradient of input \(i)")
            }
        }
    }

    func testGradientsMatchFiniteDifferencesInFloat64() throws {
        let eps = 1e-6
        for (name, c) in try cases() {
            let op = Self.ops[name]!
            let inputs = try c.inputs.map { try $0.tensor(float64: true) }
            let upstream = try Tensor.make(c.upstream.map(\.scalar), shape: c.output.shape, dtype: .float64)
            let out = try op(inputs)
            try out.backward(upstream)
            func loss() throws -> Double {
                try GradMode.with(enabled: false) { try op(inputs).mul(upstream).sum().item().double }
            }
            for (i, x) in inputs.enumerated() where x.requiresGrad {
                let analytic = x.grad!.doubles()
                var numeric: [Double] = []
                let p = x.pointer(Double.self)
                for k in 0..<x.numel {
                    let saved = p[k]
                    p[k] = saved + eps
                    let plus = try loss()
                    p[k] = saved - eps
                    let minus = try loss()
                    p[k] = saved
                    numeric.append((plus - minus) / (2 * eps))
                }
                assertClose(analytic, numeric, atol: 1e-6, rtol: 1e-5, "\(name): gradient of input \(i) vs finite differences")
            }
        }
    }
}
