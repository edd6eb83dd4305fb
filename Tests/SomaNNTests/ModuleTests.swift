import XCTest
import SomaTensor
@testable import SomaNN

final class ModuleTests: XCTestCase {
    func testLinearRegistersAndPrints() throws {
        let l = try Linear(2, 10)
        XCTAssertEqual(l.namedParameters().map(\.0), ["weight", "bias"])
        XCTAssertEqual(l.description, "Linear(in_features=2, out_features=10, bias=True)")
    }
}
