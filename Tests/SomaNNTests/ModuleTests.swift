import XCTest
import SomaTensor
@testable import SomaNN

/// Module bookkeeping as PyTorch does it (names, order, modes, state dicts and their errors).
final class ModuleTests: XCTestCase {
    /// A user-defined network, as `class Net(nn.Module)` will be from the language.
    final class Net: Module {
        let hidden: Linear, out: Linear
        override init() {
            hidden = try! Linear(2, 3)
            out = try! Linear(3, 1)
            super.init()
            registerModule("hidden", hidden)
            registerModule("out", out)
        }
        override func forward(_ input: Tensor) throws -> Tensor { try out(hidden(input).relu()) }
    }

    func testNamesAndOrder() throws {
        let net = Net()
        XCTAssertEqual(net.namedParameters().map(\.0), ["hidden.weight", "hidden.bias", "out.weight", "out.bias"])
        XCTAssertEqual(net.namedModules().map(\.0), ["", "hidden", "out"])
        XCTAssertEqual(net.children().count, 2)
        let seq = Sequential([try Linear(2, 3), ReLU(), try Linear(3, 1)])
        XCTAssertEqual(seq.stateDict().map(\.0), ["0.weight", "0.bias", "2.weight", "2.bias"])
        XCTAssertEqual(seq.parameters().count, 4)
        XCTAssertTrue(try seq.layer(at: -1) is Linear)
        seq.append(Sigmoid())
        XCTAssertEqual(seq.count, 4)
        XCTAssertEqual(try net(Tensor.ones([5, 2])).shape, [5, 1])
    }

    func testSharedParametersCountOnce() throws {
        let shared = try Linear(2, 2)
        let seq = Sequential([shared, shared])
        XCTAssertEqual(seq.parameters().count, 2)
    }

    func testTrainEvalPropagates() throws {
        let seq = Sequential([try Linear(2, 2), try Dropout(p: 0.5)])
        XCTAssertTrue(seq.modules().allSatisfy(\.training))
        seq.eval()
        XCTAssertFalse(seq.modules().contains(where: \.training))
        seq.train()
        XCTAssertTrue(try seq.layer(at: 1).training)
    }

    func testDropoutScalesInTrainingAndPassesThroughInEval() throws {
        manualSeed(0)
        let drop = try Dropout(p: 0.25)
        let x = try Tensor.ones([10_000])
        let y = try drop(x).doubles()
        let kept = y.filter { $0 != 0 }
        XCTAssertTrue(kept.allSatisfy { Swift.abs($0 - 4.0 / 3.0) < 1e-6 }, "kept values are scaled by 1/(1-p)")
        XCTAssertEqual(Double(kept.count) / 10_000, 0.75, accuracy: 0.02)
        drop.eval()
        XCTAssertEqual(try drop(x).doubles(), x.doubles())
        XCTAssertThrowsError(try Dropout(p: 1.5)) {
            XCTAssertEqual(($0 as? NNError)?.message, "dropout probability has to be between 0 and 1, but got 1.5")
        }
    }

    func testLoadStateDictCopiesAndReportsProblemsLikePyTorch() throws {
        let a = Sequential([try Linear(2, 3), ReLU(), try Linear(3, 1)])
        let b = Sequential([try Linear(2, 3), ReLU(), try Linear(3, 1)])
        try b.loadStateDict(a.stateDict())
        XCTAssertEqual(b.stateDict().map { $0.1.doubles() }, a.stateDict().map { $0.1.doubles() })
        XCTAssertFalse(b.parameters()[0].storage === a.parameters()[0].storage, "values are copied, not shared")

        var state = a.stateDict().filter { $0.0 != "0.bias" }
        state.append(("extra.weight", try Tensor.zeros([1])))
        state = state.map { $0.0 == "2.weight" ? ($0.0, try! Tensor.zeros([2, 3])) : $0 }
        XCTAssertThrowsError(try b.loadStateDict(state)) {
            XCTAssertEqual(($0 as? NNError)?.message,
                "Error(s) in loading state_dict for Sequential:\n\tMissing key(s) in state_dict: \"0.bias\". \n\tUnexpected key(s) in state_dict: \"extra.weight\". \n\tsize mismatch for 2.weight: copying a param with shape torch.Size([2, 3]) from checkpoint, the shape in current model is torch.Size([1, 3]).")
        }
        let result = try b.loadStateDict(a.stateDict().filter { $0.0 != "0.bias" }, strict: false)
        XCTAssertEqual(result.missing, ["0.bias"])
        XCTAssertEqual(result.unexpected, [])
    }

    func testToDtypeAndRequiresGrad() throws {
        let l = try Linear(2, 2)
        try l.to(.float64)
        XCTAssertEqual(l.weight.dtype, .float64)
        XCTAssertTrue(l.weight.requiresGrad)
        try l.requiresGrad_(false)
        XCTAssertFalse(l.parameters().contains(where: \.requiresGrad))
        XCTAssertEqual(try l(Tensor.ones([1, 2], dtype: .float64)).dtype, .float64)
    }

    func testZeroGrad() throws {
        let l = try Linear(2, 1)
        try l(Tensor.ones([1, 2])).sum().backward()
        try l.zeroGrad(setToNone: false)
        XCTAssertEqual(l.weight.grad?.doubles(), [0, 0])
        try l.zeroGrad()
        XCTAssertNil(l.weight.grad)
    }
}
