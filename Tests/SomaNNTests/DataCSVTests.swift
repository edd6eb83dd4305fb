import Foundation
import XCTest
import SomaTensor
@testable import SomaNN

final class DataCSVTests: XCTestCase {
    func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "soma-\(UUID().uuidString).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testNumericFeaturesAndIntegerTarget() throws {
        let path = try write("x1,x2,label\n0.5,1,0\n-2,3e1,1\n\n4,\"5\",1\n")
        let ds = try CSVDataset(path, target: "label")
        XCTAssertEqual(ds.featureColumns, ["x1", "x2"])
        XCTAssertEqual(ds.count, 3)
        XCTAssertEqual(ds.features.dtype, .float32)
        XCTAssertEqual(ds.features.doubles(), [0.5, 1, -2, 30, 4, 5])
        XCTAssertEqual(ds.targets!.dtype, .int64)
        XCTAssertEqual(ints(ds.targets!), [0, 1, 1])
        guard case .tuple(let b)? = try DataLoader(ds, batchSize: 2).makeIterator().nextBatch() else { return XCTFail() }
        XCTAssertEqual(b[0].tensor!.shape, [2, 2])
        XCTAssertEqual(ints(b[1].tensor!), [0, 1])
    }

    func testFloatTargetNamedClassesAndChosenFeatures() throws {
        let path = try write("a,b,y,species\r\n1,2,0.5,setosa\r\n3,4,1.5,virginica\r\n5,6,2,setosa\r\n")
        let reg = try CSVDataset(path, target: "y", features: ["b", "a"])
        XCTAssertEqual(reg.features.doubles(), [2, 1, 4, 3, 6, 5])
        XCTAssertEqual(reg.targets!.dtype, .float32)
        XCTAssertEqual(reg.targets!.doubles(), [0.5, 1.5, 2])
        let cls = try CSVDataset(path, target: "species", features: ["a", "b", "y"])
        XCTAssertEqual(cls.classes, ["setosa", "virginica"])
        XCTAssertEqual(ints(cls.targets!), [0, 1, 0])
    }

    func testErrorsNameFileLineAndColumn() throws {
        let path = try write("a,b\n1,2\n3,oops\n")
        XCTAssertThrowsError(try CSVDataset(path)) { e in
            XCTAssertEqual((e as? NNError)?.message, "'\(path)', line 3, column 'b': could not convert string to float: 'oops'")
        }
        XCTAssertThrowsError(try CSVDataset(path, target: "c")) { e in
            XCTAssertTrue(((e as? NNError)?.message ?? "").contains("has no column 'c'"))
        }
        let ragged = try write("a,b\n1,2,3\n")
        XCTAssertThrowsError(try CSVDataset(ragged)) { e in
            XCTAssertTrue(((e as? NNError)?.message ?? "").contains("line 2: 3 fields, the header has 2"))
        }
    }
}
