import XCTest
@testable import SomaPlot

/// Against numbers recorded from NumPy and tqdm by generate_reference.py.
final class OracleTests: XCTestCase {
    func testHistogramMatchesNumPy() throws {
        let ref = try Reference.load()
        XCTAssertGreaterThan(ref.histograms.count, 30)
        for c in ref.histograms {
            let h = try histogram(c.data, bins: c.bins, range: c.range.map { ($0[0], $0[1]) })
            XCTAssertEqual(h.counts, c.counts, "\(c.name) bins=\(c.bins)")
            XCTAssertEqual(h.edges, c.edges, "\(c.name) bins=\(c.bins)")
        }
        for c in ref.explicit_histograms {
            XCTAssertEqual(try histogram(c.data, edges: c.edges).counts, c.counts)
        }
    }

    func testHistogramSkipsNonFinite() throws {
        let h = try histogram([1, 2, .nan, 3, .infinity, -.infinity], bins: 2)
        XCTAssertEqual(h.counts, [1, 2])
        XCTAssertEqual(h.skipped, 3)
        XCTAssertThrowsError(try histogram([1], bins: 0))
    }

    func testFormatMeterMatchesTqdm() throws {
        let ref = try Reference.load()
        for m in ref.meters {
            let a = m.args
            let line = ProgressBar.formatMeter(n: a.n, total: a.total, elapsed: a.elapsed, ncols: a.ncols, prefix: a.prefix ?? "",
                                               ascii: a.ascii ?? false, unit: a.unit ?? "it", rate: a.rate, postfix: a.postfix)
            XCTAssertEqual(line, m.line)
        }
    }

    func testFormatNumberAndIntervalMatchTqdm() throws {
        let ref = try Reference.load()
        for c in ref.numbers {
            XCTAssertEqual(c.isInt ? ProgressBar.formatNumber(Int(c.value)) : ProgressBar.formatNumber(c.value), c.text, "\(c.value)")
        }
        for c in ref.intervals { XCTAssertEqual(ProgressBar.formatInterval(c.t), c.text) }
    }
}
