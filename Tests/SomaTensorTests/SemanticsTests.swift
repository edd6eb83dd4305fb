import XCTest
@testable import SomaTensor

/// Type promotion, views, index assignment and autograd bookkeeping, against PyTorch's behaviour.
final class SemanticsTests: XCTestCase {
    private func operand(_ name: String) throws -> Tensor {
        switch name {
        case "f32": return try Tensor.ones([2])
        case "f64": return try Tensor.ones([2], dtype: .float64)
        case "i64": return try Tensor.ones([2], dtype: .int64)
        case "bool": return try Tensor.ones([2], dtype: .bool)
        case "f64_0d": return try Tensor.ones([], dtype: .float64)
        case "i64_0d": return try Tensor.ones([], dtype: .int64)
        case "int": return Tensor.scalar(.int(2))
        case "float": return Tensor.scalar(.double(2.5))
        default: return Tensor.scalar(.bool(true))
        }
    }

    func testTypePromotionMatchesPyTorch() throws {
        let table = try Reference.load("promotion", as: [String: String].self)
        XCTAssertEqual(table.count, 162)
        for (key, expected) in table {
            let parts = key.split(separator: " ").map(String.init)
            let a = try operand(parts[0]), b = try operand(parts[2])
            let result: Tensor
            switch parts[1] {
            case "add": result = try a + b
            case "mul": result = try a * b
            default: result = try a / b
            }
            XCTAssertEqual(result.dtype.description, "torch." + expected, key)
        }
    }

    func testIndexAssignmentMatchesPyTorch() throws {
        let expected = try Reference.load("setitem", as: [String: [Double]].self)
        let f = { (v: Double) in Tensor.scalar(.double(v)) }
        let all = TensorIndex.slice(start: nil, stop: nil, step: nil)
        let edits: [String: (Tensor) throws -> Void] = [
            "int_row": { try $0.indexPut([.int(1)], f(0.5)) },
            "column_slice": { try $0.indexPut([all, .int(1)], Tensor.make([7, 8, 9])) },
            "mask": { x in try x.indexPut([.tensor(x.gt(f(5)))], f(-1)) },
            "index_tensor": { try $0.indexPut([.tensor(Tensor.make([.int(2), .int(0)], shape: [2]))], Tensor.make(rows: [[1, 2, 3, 4]])) },
            "slice_and_index": { try $0.indexPut([.slice(start: 1, stop: 3, step: nil), .tensor(Tensor.make([.int(0), .int(3)], shape: [2]))], f(100)) },
            "two_index_tensors": {
                try $0.indexPut([.tensor(Tensor.make([.int(0), .int(2)], shape: [2])), .tensor(Tensor.make([.int(1), .int(3)], shape: [2]))],
                                Tensor.make([5, 6]))
            },
            "ellipsis_step": { try $0.indexPut([.ellipsis, .slice(start: nil, stop: nil, step: 2)], f(0)) },
            "inplace_sub": { try $0.index([.slice(start: 1, stop: nil, step: nil)]).sub_(Tensor.ones([4])) },
        ]
        XCTAssertEqual(Set(expected.keys), Set(edits.keys))
        for (name, values) in expected {
            let x = try Tensor.arange(.double(0), .double(12)).reshape([3, 4])
            try edits[name]!(x)
            XCTAssertEqual(x.doubles(), values, name)
        }
    }

    func testBroadcastShapes() throws {
        XCTAssertEqual(try (Tensor.ones([2, 1, 3]) + Tensor.ones([4, 1])).shape, [2, 4, 3])
        XCTAssertEqual(try (Tensor.ones([5]) * Tensor.ones([])).shape, [5])
        XCTAssertEqual(try (Tensor.ones([0, 3]) + Tensor.ones([3])).shape, [0, 3])
    }

    func testViewsShareStorage() throws {
        let x = try Tensor.zeros([2, 3])
        let views = [try x.view([6]), try x.t(), try x.index([.int(1)]), try x.unsqueeze(0), try x.expand([4, 2, 3]),
                     try x.permute([1, 0]), try x.index([.slice(start: nil, stop: nil, step: 2)]), try x.reshape([3, 2])]
        for v in views { XCTAssertTrue(v.storage === x.storage) }
        try views[2].fill(.double(7))
        XCTAssertEqual(x.doubles(), [0, 0, 0, 7, 7, 7])
        XCTAssertEqual(try x.t().contiguous().doubles(), [0, 7, 0, 7, 0, 7])
        XCTAssertFalse(try x.t().contiguous().storage === x.storage)
        XCTAssertFalse(try x.t().reshape([6]).storage === x.storage, "reshape of a non-viewable layout copies")
    }

    func testGradientsAccumulateAcrossBackwardCallsAndFanOut() throws {
        let w = try Tensor.make([1, 2, 3]).requiresGrad()
        let y = try (w * w + w).sum()          // w used three times
        try y.backward()
        XCTAssertEqual(w.grad!.doubles(), [3, 5, 7])
        try (w * 2).sum().backward()
        XCTAssertEqual(w.grad!.doubles(), [5, 7, 9], "second backward adds to .grad")
        w.grad = nil
        try w.sum().backward()
        XCTAssertEqual(w.grad!.doubles(), [1, 1, 1])
    }

    func testBackwardWithGradientAndRetainGraph() throws {
        let x = try Tensor.make([1, 2]).requiresGrad()
        let y = try x * x
        try y.backward(Tensor.make([1, 0.5]), retainGraph: true)
        XCTAssertEqual(x.grad!.doubles(), [2, 2])
        try y.backward(Tensor.make([1, 1]))
        XCTAssertEqual(x.grad!.doubles(), [4, 6])
    }

    func testLeafAndNonLeafSemantics() throws {
        let x = try Tensor.make([1, 2]).requiresGrad()
        let h = try x * 3
        let k = try x * 2
        try k.retainGrad()
        try (h + k).sum().backward()
        XCTAssertTrue(x.isLeaf)
        XCTAssertFalse(h.isLeaf)
        XCTAssertNil(h.grad, "non-leaf gradients are not kept")
        XCTAssertEqual(k.grad?.doubles(), [1, 1], "unless retain_grad() asked for them")
        XCTAssertEqual(h.gradFn?.name, "MulBackward0")
    }

    func testNoGradAndDetach() throws {
        let w = try Tensor.make([1, 2]).requiresGrad()
        let y = try GradMode.with(enabled: false) { try w * 2 }
        XCTAssertFalse(y.requiresGrad)
        XCTAssertNil(y.gradFn)
        let d = w.detach()
        XCTAssertFalse(d.requiresGrad)
        XCTAssertTrue(d.storage === w.storage)
        try GradMode.with(enabled: false) { try w.sub_(Tensor.make([0.5, 0.5])) }
        XCTAssertEqual(w.doubles(), [0.5, 1.5], "in-place update of a leaf under no_grad")
        XCTAssertTrue(w.isLeaf)
    }

    /// A forward pass that is never backwarded (a validation loss computed with grad on) frees its graph and outputs
    /// when the last reference goes, as PyTorch's does: no op may keep its own output alive through its gradient rule.
    func testGraphWithoutBackwardIsFreedWithItsOutput() throws {
        let x = try Tensor.make([0.5, 1.5, 2.5, 3.5]).reshape([2, 2]).requiresGrad()
        let ops: [(String, (Tensor) throws -> Tensor)] = [
            ("exp", { try $0.exp() }), ("log", { try $0.log() }), ("sqrt", { try $0.sqrt() }), ("abs", { try $0.abs() }),
            ("sin", { try $0.sin() }), ("tanh", { try $0.tanh() }), ("sigmoid", { try $0.sigmoid() }),
            ("relu", { try $0.relu() }), ("leakyRelu", { try $0.leakyRelu() }), ("gelu", { try $0.gelu() }),
            ("clamp", { try $0.clamp(min: 1) }), ("softmax", { try $0.softmax(dim: 1) }),
            ("logSoftmax", { try $0.logSoftmax(dim: 1) }), ("max", { try $0.max() }), ("min", { try $0.min() }),
            ("pow", { try $0.pow(Tensor.make([2, 3])) }), ("pow scalar", { try $0.pow(2) }), ("matmul", { try $0.matmul($0) }),
            ("mul", { try $0 * $0 }), ("sum", { try $0.sum() }), ("mean", { try $0.mean(dims: [1], keepdim: false) }),
            ("max dim", { try $0.max(dim: 1).values }), ("transpose", { try $0.t() }), ("view", { try $0.reshape([4]) }),
        ]
        for (name, op) in ops {
            weak var output: Tensor?
            do {
                let y = try op(x)
                XCTAssertNotNil(y.gradFn, name)
                output = y
            }
            XCTAssertNil(output, "\(name): the output outlives its last reference")
        }
    }

    func testInPlaceOnNonLeafRebasesHistory() throws {
        let x = try Tensor.make([1, 2]).requiresGrad()
        let y = try x * 3
        try y.add_(Tensor.make([1, 1]))
        try y.mul_(Tensor.scalar(.double(2)))
        try y.sum().backward()
        XCTAssertEqual(x.grad!.doubles(), [6, 6])
    }

    func testIntegerAndBoolKernels() throws {
        let a = try Tensor.make([.int(7), .int(-7)], shape: [2]), b = try Tensor.make([.int(2), .int(2)], shape: [2])
        XCTAssertEqual(try a.floorDivide(b).doubles(), [3, -4])
        XCTAssertEqual(try a.remainder(b).doubles(), [1, 1])
        XCTAssertEqual(try a.floorDivide(Tensor.scalar(.int(-2))).doubles(), [-4, 3])
        XCTAssertEqual(try (a / b).doubles(), [3.5, -3.5])
        XCTAssertEqual(try a.pow(Tensor.scalar(.int(2))).dtype, .int64)
        let mask = try a.gt(Tensor.scalar(.int(0)))
        XCTAssertEqual(mask.dtype, .bool)
        XCTAssertEqual(try mask.sum().item(), .int(1))
        XCTAssertEqual(try (mask + mask).dtype, .bool)
        XCTAssertEqual(try Tensor.make([1.5, -2.7]).long().doubles(), [1, -2], "float to int truncates toward zero")
    }

    func testCreation() throws {
        XCTAssertEqual(try Tensor.arange(.int(0), .int(10), .int(3)).doubles(), [0, 3, 6, 9])
        XCTAssertEqual(try Tensor.arange(.int(0), .int(10), .int(3)).dtype, .int64)
        XCTAssertEqual(try Tensor.arange(.double(0), .double(1), .double(0.25)).doubles(), [0, 0.25, 0.5, 0.75])
        XCTAssertEqual(try Tensor.linspace(-1, 1, steps: 5).doubles(), [-1, -0.5, 0, 0.5, 1])
        XCTAssertEqual(try Tensor.eye(2, 3).doubles(), [1, 0, 0, 0, 1, 0])
        XCTAssertEqual(try Tensor.full([2], .double(1.5)).doubles(), [1.5, 1.5])
        XCTAssertEqual(try Tensor.ones([2, 2]).onesLike(dtype: .int64).dtype, .int64)
        XCTAssertEqual(try Tensor.make([.int(1), .double(2)], shape: [2]).dtype, .float32, "inferred like torch.tensor")
        XCTAssertEqual(try Tensor.make([.int(3), .int(0)], shape: [2]).oneHot().doubles(), [0, 0, 0, 1, 1, 0, 0, 0])
    }

    func testNestedListsAsTorchTensorReadsThem() throws {
        func list(_ items: [NestedList]) -> NestedList { .list(items) }
        func n(_ v: Int) -> NestedList { .scalar(.int(v)) }
        let t = try Tensor.make(list([list([n(1), n(2)]), list([n(3), n(4)])]))
        XCTAssertEqual(t.shape, [2, 2])
        XCTAssertEqual(t.dtype, .int64)
        XCTAssertEqual(try Tensor.make(list([list([])])).shape, [1, 0])
        XCTAssertEqual(try Tensor.make(.scalar(.double(3.5))).shape, [])
        XCTAssertEqual(try Tensor.make(list([.scalar(.bool(true)), n(2)])).dtype, .int64)
        // PyTorch's messages for ragged input (torch.tensor([[1, 2], [3]]) and torch.tensor([[1, 2], 3])).
        assertTensorError(.value, "expected sequence of length 2 at dim 1 (got 1)") { try Tensor.make(list([list([n(1), n(2)]), list([n(3)])])) }
        assertTensorError(.type, "not a sequence") { try Tensor.make(list([list([n(1), n(2)]), n(3)])) }
    }

    func testShapeQueries() throws {
        let t = try Tensor.zeros([2, 3, 4])
        XCTAssertEqual(t.numel, 24)
        XCTAssertEqual(t.dim, 3)
        XCTAssertEqual(try t.size(-1), 4)
        XCTAssertEqual(try Tensor.make([3]).item(), .double(3))
        XCTAssertEqual(try Tensor.make(rows: [[1, 2]]).tolist(), .list([.list([.scalar(.double(1)), .scalar(.double(2))])]))
        XCTAssertTrue(try Tensor.make([1, 2]).allclose(Tensor.make([1, 2.000001])))
        XCTAssertFalse(try Tensor.make([1, 2]).allclose(Tensor.make([1, 2.1])))
        XCTAssertTrue(try Tensor.make([1, 2]).equal(Tensor.make([1, 2])))
        XCTAssertEqual(try t.split(sizes: [1, 2], dim: 1).map(\.shape), [[2, 1, 4], [2, 2, 4]])
        XCTAssertEqual(try t.chunk(3, dim: 2).map(\.shape), [[2, 3, 2], [2, 3, 2]])
    }
}
