import XCTest
@testable import SomaTensor

/// `print(t)` texts against the ones PyTorch printed for the same tensors (`Data/format.json`).
final class FormatTests: XCTestCase {
    func testTextFormMatchesPyTorch() throws {
        let cases = try Reference.load("format", as: [String: Reference.FormatCase].self)
        XCTAssertGreaterThan(cases.count, 20)
        for (name, c) in cases.sorted(by: { $0.key < $1.key }) {
            var t = try c.spec.tensor()
            if name == "grad_fn_scalar" {
                t = try Tensor.make([1, 2]).requiresGrad().mul(Tensor.scalar(.int(2))).sum()
            } else if name == "grad_fn_vector" {
                t = try Tensor.make([1, 2]).requiresGrad().add(Tensor.scalar(.int(1)))
            } else if c.requires_grad {
                try t.requiresGrad()
            }
            XCTAssertEqual(t.description, c.text, name)
        }
    }

    func testNonContiguousViewPrintsInLogicalOrder() throws {
        let t = try Tensor.arange(.int(0), .int(6)).reshape([2, 3]).t()
        XCTAssertEqual(t.description, "tensor([[0, 3],\n        [1, 4],\n        [2, 5]])")
    }
}

/// `manual_seed` followed by random creation gives PyTorch's exact numbers (`Data/random.json`).
final class RandomTests: XCTestCase {
    struct Seed42: Decodable {
        let rand, randn_small, randn_large, randint, randperm, rand_double: [Reference.JSONNumber]
    }
    struct Linear: Decodable { let weight, bias: [Reference.JSONNumber] }
    struct Recorded: Decodable {
        let seed42: Seed42
        let linear_seed777: Linear
    }

    func testSeededDrawsMatchPyTorch() throws {
        let r = try Reference.load("random", as: Recorded.self).seed42
        manualSeed(42)
        assertClose(try Tensor.rand([5]).doubles(), r.rand.map(\.double), atol: 1e-7, rtol: 0, "rand")
        assertClose(try Tensor.randn([5]).doubles(), r.randn_small.map(\.double), atol: 1e-6, rtol: 0, "randn below 16")
        assertClose(try Tensor.randn([37]).doubles(), r.randn_large.map(\.double), atol: 1e-5, rtol: 0, "randn 16-wide")
        XCTAssertEqual(try Tensor.randint(0, 10, [8]).doubles(), r.randint.map(\.double))
        XCTAssertEqual(try Tensor.randperm(10).doubles(), r.randperm.map(\.double))
        assertClose(try Tensor.rand([3], dtype: .float64).doubles(), r.rand_double.map(\.double), atol: 1e-15, rtol: 0, "rand float64")
    }

    func testLinearDefaultInitialisationDrawsMatch() throws {
        // nn.Linear(3, 2) after manual_seed(777): kaiming_uniform_(a=√5) weight, then uniform bias, both bound 1/√3.
        let r = try Reference.load("random", as: Recorded.self).linear_seed777
        manualSeed(777)
        let bound = 1 / 3.0.squareRoot()
        let w = try Tensor.empty([2, 3]), b = try Tensor.empty([2])
        try w.uniform(-bound, bound)
        try b.uniform(-bound, bound)
        assertClose(w.doubles(), r.weight.map(\.double), atol: 1e-7, rtol: 0, "weight")
        assertClose(b.doubles(), r.bias.map(\.double), atol: 1e-7, rtol: 0, "bias")
    }

    func testSameSeedSameNumbers() throws {
        manualSeed(3)
        let a = try Tensor.randn([100]).doubles()
        manualSeed(3)
        XCTAssertEqual(try Tensor.randn([100]).doubles(), a)
    }
}
