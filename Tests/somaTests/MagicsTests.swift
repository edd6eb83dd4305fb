import XCTest
@testable import soma

/// The kernel's IPython magics: how a cell is split, and times written as IPython writes them.
final class MagicsTests: XCTestCase {
    /// Expected strings from IPython 8's `IPython.core.magics.execution._format_time` on the same values.
    func testTimesAreFormattedAsIPythonFormatsThem() {
        let ipython: [(Double, String)] = [
            (0, "0 ns"), (3.2e-10, "0.32 ns"), (5e-9, "5 ns"), (4.21e-3, "4.21 ms"), (0.0505, "50.5 ms"), (0.999999, "1e+03 ms"),
            (1.0, "1 s"), (12.345, "12.3 s"), (59.9996, "60 s"), (60, "1min"), (65.4, "1min 5s"), (3725.2, "1h 2min 5s"),
            (90061.5, "1d 1h 1min 1s"),
        ]
        for (seconds, expected) in ipython { XCTAssertEqual(Magics.format(seconds), expected, "\(seconds) s") }
        XCTAssertEqual(Magics.report(user: 4.21e-3, system: 0, wall: 4.3e-3),
                       "CPU times: user 4.21 ms, sys: 0 ns, total: 4.21 ms\nWall time: 4.3 ms\n")
    }

    func testCellsAreSplitAroundTimedStatementsKeepingLineNumbers() throws {
        let plan = try Magics.plan(of: "%matplotlib inline\na = 1\n%time b = f(a)\nc = b\nc")
        XCTAssertFalse(plan.timesCell)
        XCTAssertEqual(plan.pieces, [Magics.Piece(code: "\na = 1", timed: false), Magics.Piece(code: "\n\nb = f(a)", timed: true),
                                     Magics.Piece(code: "\n\n\nc = b\nc", timed: false)])
        let cell = try Magics.plan(of: "%%time\nfor i in range(3):\n    print(i)")
        XCTAssertTrue(cell.timesCell)
        XCTAssertEqual(cell.pieces, [Magics.Piece(code: "\nfor i in range(3):\n    print(i)", timed: false)])
        XCTAssertEqual(try Magics.source(of: "%time for i in range(3):\n    pass"), "for i in range(3):\n    pass")
        let accepted = "%config InlineBackend.figure_format = 'retina'\n%config Completer.use_jedi = False\n%load_ext autoreload\n%autoreload 2\nx = 1"
        XCTAssertEqual(try Magics.plan(of: accepted).pieces, [Magics.Piece(code: "\n\n\n\nx = 1", timed: false)])
        XCTAssertThrowsError(try Magics.plan(of: "%load_ext tensorboard"))
    }

    func testUnknownMagicsAndShellCommandsAreUsageErrors() {
        XCTAssertThrowsError(try Magics.plan(of: "%timeit f()")) { error in
            XCTAssertEqual(error as? Magics.UsageError,
                           Magics.UsageError(message: "Line magic function `%timeit` not found (Soma has \(Magics.available))."))
        }
        XCTAssertThrowsError(try Magics.plan(of: "%%bash\nls")) { error in
            XCTAssertEqual((error as? Magics.UsageError)?.message, "Cell magic `%%bash` not found (Soma has \(Magics.available)).")
        }
        XCTAssertThrowsError(try Magics.plan(of: "x = 1\n!pip install torch"))
        XCTAssertFalse(Magics.mayHaveMagics("x = 10 % 3\nprint('!')"))
        XCTAssertTrue(Magics.mayHaveMagics("x = 1\n%time x"))
    }
}
