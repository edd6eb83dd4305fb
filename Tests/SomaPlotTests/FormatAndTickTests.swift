import XCTest
@testable import SomaPlot

final class FormatStringTests: XCTestCase {
    // Expected (linestyle, marker, colour) follow matplotlib's _process_plot_format.
    func testMatplotlibRules() throws {
        let blue = RGBColor(0, 0, 1), red = RGBColor(1, 0, 0), green = RGBColor(0, 0.5, 0), black = RGBColor(0, 0, 0)
        let cases: [(String, String, String, RGBColor?)] = [
            ("", "-", "None", nil),
            ("b", "-", "None", blue),
            ("r--", "--", "None", red),
            ("o-", "-", "o", nil),
            ("g:", ":", "None", green),
            ("k.", "None", ".", black),
            ("o", "None", "o", nil),
            ("--r", "--", "None", red),
            ("-.", "-.", "None", nil),
            ("s-.b", "-.", "s", blue),
            ("^k:", ":", "^", black),
            ("C1", "-", "None", RGBColor.cycle[1]),
            ("C2--", "--", "None", RGBColor.cycle[2]),
            ("1", "None", "1", nil),  // "1" is the tri_down marker, not the grey level 1
            ("red", "-", "None", red),
            ("0.5", "-", "None", RGBColor(0.5, 0.5, 0.5)),
            ("#ff0000", "-", "None", red),
            ("x", "None", "x", nil),
            ("+-", "-", "+", nil),
        ]
        for (fmt, ls, m, c) in cases {
            let s = try FormatSpec(parsing: fmt)
            XCTAssertEqual(s.linestyle, ls, "linestyle of '\(fmt)'")
            XCTAssertEqual(s.marker, m, "marker of '\(fmt)'")
            XCTAssertEqual(s.color, c, "colour of '\(fmt)'")
        }
    }

    func testErrorsInMatplotlibWords() {
        let bad: [(String, String)] = [
            ("rr", "'rr' is not a valid format string (two color symbols)"),
            ("o.", "'o.' is not a valid format string (two marker symbols)"),
            ("---", "'---' is not a valid format string (two linestyle symbols)"),
            ("z", "'z' is not a valid format string (unrecognized character 'z')"),
            ("Cx", "'Cx' is not a valid format string ('C' must be followed by a number)"),
        ]
        for (fmt, msg) in bad {
            XCTAssertThrowsError(try FormatSpec(parsing: fmt), fmt) { XCTAssertEqual(($0 as? PlotError)?.message, msg) }
        }
    }
}

final class TickTests: XCTestCase {
    func steps(_ v: [Double]) -> [Double] { zip(v.dropFirst(), v).map { $0 - $1 } }

    func assertNice(_ v: [Double], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertGreaterThanOrEqual(v.count, 2, file: file, line: line)
        guard let measured = steps(v).first else { return }
        let d = Ticks.niceNumber(measured, round: true)
        XCTAssertEqual(measured, d, accuracy: d * 1e-6, "step \(measured) is not 1-2-5", file: file, line: line)
        for s in steps(v) { XCTAssertEqual(s, d, accuracy: d * 1e-6, file: file, line: line) }
        for x in v { XCTAssertEqual((x / d).rounded() * d, x, accuracy: d * 1e-6, "tick \(x) not a multiple", file: file, line: line) }
    }

    func testNiceNumbers() {
        XCTAssertEqual(Ticks.niceNumber(0.13, round: true), 0.1, accuracy: 1e-12)
        XCTAssertEqual(Ticks.niceNumber(2.6, round: true), 2)
        XCTAssertEqual(Ticks.niceNumber(3.1, round: true), 5)
        XCTAssertEqual(Ticks.niceNumber(7.5, round: true), 10)
        XCTAssertEqual(Ticks.niceNumber(1.2, round: false), 2)
        let t = Ticks.linear(0, 10).values
        XCTAssertEqual(t, [0, 2, 4, 6, 8, 10])
    }

    func testAwkwardRanges() {
        for (lo, hi) in [(-3.7, -0.2), (-5.0, 5.0), (1e-9, 3e-9), (0, 1e12), (-2e12, 7e11), (0.999, 1.001), (123456.0, 123457.0), (-1e-12, 1e-12)] {
            let (v, _) = Ticks.linear(lo, hi)
            assertNice(v)
            for x in v { XCTAssertTrue(x >= lo - 1e-9 * (hi - lo) && x <= hi + 1e-9 * (hi - lo)) }
            XCTAssertLessThanOrEqual(v.count, 12)
        }
        XCTAssertEqual(Ticks.labels([0, 5e11, 1e12], step: 5e11), ["0", "5e11", "1e12"])
        XCTAssertEqual(Ticks.labels([1e-9, 2e-9, 3e-9], step: 1e-9), ["1e-9", "2e-9", "3e-9"])
        XCTAssertEqual(Ticks.labels([-0.5, 0, 0.5], step: 0.5), ["-0.5", "0.0", "0.5"])
        XCTAssertEqual(Ticks.log(0.5, 30), [0.5, 1, 2, 5, 10, 20])
        XCTAssertEqual(Ticks.log(1e-3, 1e6), [1e-3, 1e-2, 1e-1, 1, 10, 100, 1000, 1e4, 1e5, 1e6])
        XCTAssertEqual(Ticks.logLabels([1e-3, 1, 100, 1e6]), ["0.001", "1", "100", "1e6"])
    }

    func testSingleValueAndConstantSeries() {
        let (lo, hi) = Ticks.nonsingular(5, 5)
        XCTAssertLessThan(lo, 5); XCTAssertGreaterThan(hi, 5)
        assertNice(Ticks.linear(lo, hi).values)
        let z = Ticks.nonsingular(0, 0)
        XCTAssertEqual(z.0, -0.05); XCTAssertEqual(z.1, 0.05)
    }
}

final class FixedTickTests: XCTestCase {
    func testDefaultLabelsFollowSpacing() {
        XCTAssertEqual(Axes.defaultLabels([0, 0.5, 1]), ["0.0", "0.5", "1.0"])
        XCTAssertEqual(Axes.defaultLabels([0, 10, 20]), ["0", "10", "20"])
        XCTAssertEqual(Axes.defaultLabels([3]), ["3"])
    }
}
