import XCTest
@testable import SomaTensor

/// Bad input is a thrown error with PyTorch's exception type and wording (`Data/errors.json`).
final class ErrorTests: XCTestCase {
    private static func ones(_ shape: [Int], _ dtype: DType = .float32) throws -> Tensor { try Tensor.ones(shape, dtype: dtype) }
    private static func long(_ values: [Int]) throws -> Tensor { try Tensor.make(values.map { .int($0) }, shape: [values.count]) }

    /// Soma's version of each recorded failing call, by the same name.
    static let calls: [String: () throws -> Any] = [
        "mm_shapes": { try Tensor.randn([64, 784]).matmul(Tensor.randn([128, 10])) },
        "mm_dtype": { try ones([2, 2]).matmul(ones([2, 2], .int64)) },
        "mv_shapes": { try ones([2, 3]).matmul(ones([4])) },
        "dot_shapes": { try ones([3]).matmul(ones([4])) },
        "bmm_shapes": { try ones([2, 3, 4]).matmul(ones([2, 5, 6])) },
        "broadcast": { try ones([2, 3]) + ones([4]) },
        "dim_out_of_range": { try ones([2, 3]).sum(dims: [2]) },
        "dim_of_scalar": { try Tensor.make([1], shape: []).softmax(dim: 1) },
        "index_out_of_range": { try ones([3]).index([.int(5)]) },
        "index_out_of_range_dim1": { try ones([3, 4]).index([.int(1), .int(7)]) },
        "tensor_index_out_of_range": { try ones([3]).index([.tensor(long([0, 5]))]) },
        "too_many_indices": { try ones([3]).index([.int(0), .int(0)]) },
        "mask_shape": { try ones([3, 4]).index([.tensor(ones([4], .bool))]) },
        "float_index": { try ones([3]).index([.tensor(Tensor.make([0]))]) },
        "index_0d": { try Tensor.make([1], shape: []).index([.int(0)]) },
        "backward_non_scalar": { try ones([3]).requiresGrad().mul(Tensor.scalar(.int(2))).backward() },
        "backward_no_grad": { try ones([3]).sum().backward() },
        "backward_gradient_shape": { try ones([3]).requiresGrad().mul(Tensor.scalar(.int(2))).backward(ones([2])) },
        "backward_twice": {
            let x = try ones([3]).requiresGrad()
            let y = try (x * x).sum()
            try y.backward()
            return try y.backward()
        },
        "inplace_leaf": { try ones([3]).requiresGrad().add_(Tensor.scalar(.int(1))) },
        "inplace_after_save": {
            let x = try ones([3]).requiresGrad()
            let y = try x.sigmoid()
            try y.mul_(Tensor.scalar(.int(2)))
            return try y.sum().backward()
        },
        "inplace_shape": { try ones([3]).add_(ones([2, 3])) },
        "inplace_type": { try ones([3], .int64).add_(Tensor.scalar(.double(1.5))) },
        "view_size": { try ones([2, 6]).view([5, -1]) },
        "view_stride": { try ones([2, 3]).t().view([6]) },
        "two_inferred": { try ones([6]).reshape([-1, -1]) },
        "allocation": { try Tensor.empty([10_000_000, 10_000_000]) },
        "mean_of_ints": { try Tensor.arange(.int(0), .int(3)).mean() },
        "item_of_many": { try ones([3]).item() },
        "cat_sizes": { try Tensor.cat([ones([2, 3]), ones([2, 4])]) },
        "stack_sizes": { try Tensor.stack([ones([2, 3]), ones([2, 4])]) },
        "expand_size": { try ones([2, 3]).expand([2, 4]) },
        "permute_length": { try ones([2, 3]).permute([0]) },
        "requires_grad_int": { try ones([3], .int64).requiresGrad() },
        "int_division_by_zero": { try long([1, 2]).floorDivide(long([0, 1])) },
        "randint_range": { try Tensor.randint(5, 5, [2]) },
        "negate_bool": { try Tensor.make([.bool(true)], shape: [1]).neg() },
        "where_condition": { try Tensor.where(ones([2]), ones([2]), ones([2])) },
        "one_hot_classes": { try long([1, 5]).oneHot(numClasses: 3) },
        "squeeze_dim": { try ones([2, 3]).squeeze(5) },
    ]

    struct Recorded: Decodable { let type: String; let message: String }

    func testEveryErrorMatchesPyTorch() throws {
        let recorded = try Reference.load("errors", as: [String: Recorded].self)
        XCTAssertEqual(Set(recorded.keys), Set(Self.calls.keys))
        for (name, r) in recorded.sorted(by: { $0.key < $1.key }) {
            do {
                _ = try Self.calls[name]!()
                XCTFail("\(name): no error, expected \(r.type): \(r.message)")
            } catch let e as TensorError {
                // PyTorch raises ZeroDivisionError as a RuntimeError with that text.
                XCTAssertEqual(e.kind == .zeroDivision ? "RuntimeError" : e.kind.rawValue, r.type, name)
                XCTAssertEqual(e.message, r.message, name)
            }
        }
    }
}
