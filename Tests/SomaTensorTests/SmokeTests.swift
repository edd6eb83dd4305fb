import XCTest
@testable import SomaTensor

final class SmokeTests: XCTestCase {
    func testAdd() throws {
        let a = try Tensor.make([1, 2, 3])
        let b = try a + 1.5
        XCTAssertEqual(b.doubles(), [2.5, 3.5, 4.5])
    }
}
