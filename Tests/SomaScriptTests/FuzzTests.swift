import SomaScript
import XCTest

/// Random and mutated sources never crash or hang: each runs, or fails with a Python error or a SyntaxError.
final class FuzzTests: XCTestCase {
    struct Rng {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    static let seeds = [
        "x = [i * i for i in range(10) if i % 2]\nprint(x)\n",
        "def f(a, *b, c=1, **d):\n    return a, b, c, d\nprint(f(1, 2, c=3))\n",
        "class A:\n    def __init__(self):\n        self.v = {'k': (1, 2.5)}\nprint(A().v['k'][1:])\n",
        "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    print(f'{e!r:>10}')\nfinally:\n    pass\n",
        "s = 0\nfor i in range(3):\n    while s < 10:\n        s += i + 1\n    else:\n        s -= 1\n",
        "g = (x for x in 'abc')\nprint(next(g), *g, sep='-')\n",
    ]
    static let tokens = ["(", ")", "[", "]", ":", ",", "=", "+", "*", "**", "if", "else", "for", "in", "lambda", "yield",
                         "\n", "    ", "'", "\"\"\"", "{", "}", "f'{", "1", "x", ".", "def", "class", "return", "@", "\\", "#", "not"]

    func runOne(_ source: String) {
        let interp = Interpreter(output: BufferOutputSink())
        interp.recursionLimit = 200
        let deadline = DispatchTime.now() + .milliseconds(200)
        DispatchQueue.global().asyncAfter(deadline: deadline) { interp.interrupt() }
        do { _ = try interp.execute(source, cellName: "fuzz") } catch ScriptError.syntax {
        } catch ScriptError.exception(let e) {
            XCTAssertTrue(e.isInstance(of: Types.baseException))
        } catch {
            XCTFail("unexpected error \(error) for \(source.debugDescription)")
        }
    }

    func testMutatedSourcesNeverCrash() {
        var rng = Rng(state: 12345)
        for _ in 0..<300 {
            var chars = Array(FuzzTests.seeds[rng.next(FuzzTests.seeds.count)])
            for _ in 0..<(1 + rng.next(4)) {
                let i = rng.next(chars.count + 1)
                switch rng.next(3) {
                case 0 where !chars.isEmpty: chars.remove(at: min(i, chars.count - 1))
                case 1: chars.insert(contentsOf: Array(FuzzTests.tokens[rng.next(FuzzTests.tokens.count)]), at: i)
                default: if i < chars.count { chars.swapAt(i, rng.next(chars.count)) }
                }
            }
            runOne(String(chars))
        }
    }

    func testRandomTokenSoupNeverCrashes() {
        var rng = Rng(state: 999)
        for _ in 0..<300 {
            runOne((0..<(1 + rng.next(25))).map { _ in FuzzTests.tokens[rng.next(FuzzTests.tokens.count)] }.joined(separator: rng.next(2) == 0 ? " " : ""))
        }
    }
}
