@testable import SomaScript
import XCTest

/// Dict keys hash by their text, however Swift stores the string (inside the value when short, or on the heap).
final class KeyHashTests: XCTestCase {
    /// `text` copied into a heap buffer (a string with reserved capacity is never stored inline).
    private func heapCopy(_ text: String) -> String {
        var s = String()
        s.reserveCapacity(64)
        s += text
        return s
    }

    private func isSmall(_ s: String) -> Bool { inlineUTF8(s) != nil }

    func testShortTextHashesAlikeInlineAndOnTheHeap() throws {
        for text in ["", "a", "k123", "seven77", "eightchr", "fifteen-bytes!!", "é", "naïve", "日本語", "e\u{301}"] {
            let inline = String(decoding: Array(text.utf8), as: UTF8.self)
            let heap = heapCopy(text)
            XCTAssertTrue(isSmall(inline), text)
            XCTAssertFalse(isSmall(heap), text)
            XCTAssertEqual(try KeyHash.of(.str(inline)), try KeyHash.of(.str(heap)), text)
        }
        XCTAssertNotEqual(try KeyHash.of(.str("e\u{301}")), try KeyHash.of(.str("\u{e9}")))
    }

    /// The strings `s[i]` makes from ASCII bytes are the strings Swift makes from those characters.
    func testOneCharacterStringsOfASCIIBytesAreSwiftsOwn() throws {
        for byte in UInt8(0)..<128 {
            let made = asciiCharacter(byte), expected = String(Character(Unicode.Scalar(byte)))
            XCTAssertEqual(made, expected)
            XCTAssertEqual(Array(made.utf8), [byte])
            XCTAssertEqual(made.count, 1)
            XCTAssertEqual(made.hashValue, expected.hashValue)
            XCTAssertEqual(made + "x", expected + "x")
            XCTAssertEqual(try KeyHash.of(.str(made)), try KeyHash.of(.str(heapCopy(expected))))
        }
    }

    /// `f"k{i}"` appends the digits in the small string's words: the same string as Swift's `+` and `String(n)`.
    func testDecimalsAppendedInPlaceAreSwiftsStrings() throws {
        let numbers = [0, 7, -7, 10, 99, 12345, -12345, 9_999_999, -9_999_999, 10_000_000, -10_000_000, 99_999_999,
                       100_000_000, 1_000_000_007, Int.max, Int.min, 123_456_789_012_345]
        for text in ["", "k", "k_", "abcdefgh", "fourteen chars", "fifteen chars!!"] {
            for n in numbers {
                let expected = text + String(n)
                guard let made = appendingDecimal(text, n) else {
                    XCTAssertTrue(expected.utf8.count > 15 || String(n).utf8.count > 8, expected)
                    continue
                }
                XCTAssertLessThanOrEqual(String(n).utf8.count, 8)
                XCTAssertEqual(made, expected)
                XCTAssertEqual(made.utf8.count, expected.utf8.count)
                XCTAssertEqual(made.hashValue, expected.hashValue)
                XCTAssertEqual(try KeyHash.of(.str(made)), try KeyHash.of(.str(heapCopy(expected))))
            }
        }
        XCTAssertNil(appendingDecimal("é", 1))
        XCTAssertNil(appendingDecimal(heapCopy("k"), 1))
    }

    func testShortASCIIStringsAreReadFromTheValue() {
        for text in ["", "a", "k123", "eightchr", "fifteen-bytes!!"] {
            guard let (bytes, count) = inlineASCII(text) else { return XCTFail(text) }
            XCTAssertEqual(count, text.utf8.count)
            XCTAssertEqual((0..<count).map { inlineByte(bytes, $0) }, Array(text.utf8))
        }
        for text in ["é", "naïve", "sixteen-bytes!!!", heapCopy("abc")] { XCTAssertNil(inlineASCII(text), text) }
    }

    func testDictFindsKeysStoredEitherWay() throws {
        let d = PyDict()
        for i in 0..<200 { try d.set(.str("k\(i)"), .int(i)) }
        for i in 0..<200 {
            guard case .int(let found)? = try d.get(.str(heapCopy("k\(i)"))) else { return XCTFail("k\(i) not found") }
            XCTAssertEqual(found, i)
        }
        try d.set(.str(heapCopy("k5")), .int(-5))
        XCTAssertEqual(d.count, 200)
        guard case .int(-5)? = try d.get(.str("k5")) else { return XCTFail("k5 not replaced") }
    }
}
