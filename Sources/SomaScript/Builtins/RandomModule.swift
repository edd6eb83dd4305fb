import Foundation

/// The `random` module, with CPython's algorithms so seeded runs match Python.
extension StandardModules {
    static func random(_ interp: Interpreter) -> PyModule {
        let m = PyModule(name: "random")
        m.addFunction("seed", signature: "(a=None)") { interp, args in
            let a = try args.expect("seed", min: 0, max: 1)
            switch a.first ?? .none {
            case .none: interp.randomState.seed(Int(Date().timeIntervalSince1970 * 1e6))
            case .float(let d): interp.randomState.seed(Int(d.bitPattern & 0x7fff_ffff_ffff_ffff))
            case let v: interp.randomState.seed(try interp.hashValue(v))
            }
            return .none
        }
        m.addFunction("random", signature: "()") { interp, _ in .float(interp.randomState.random()) }
        m.addFunction("getrandbits", signature: "(k, /)") { interp, args in
            let k = try args.expect("getrandbits", min: 1, max: 1)[0].asInt()
            guard k >= 0 && k <= 63 else { throw PyException.valueError("getrandbits() supports 0 to 63 bits in Soma") }
            return .int(k == 0 ? 0 : Int(interp.randomState.bits(k)))
        }
        m.addFunction("uniform", signature: "(a, b)") { interp, args in
            let a = try args.expect("uniform", min: 2, max: 2)
            let lo = try a[0].asDouble(), hi = try a[1].asDouble()
            return .float(lo + (hi - lo) * interp.randomState.random())
        }
        m.addFunction("randint", signature: "(a, b)") { interp, args in
            let a = try args.expect("randint", min: 2, max: 2)
            return .int(try randrange(interp, try a[0].asInt(), Int128(try a[1].asInt()) + 1, 1))
        }
        m.addFunction("randrange", signature: "(start, stop=None, step=1)") { interp, args in
            let a = try args.expect("randrange", min: 1, max: 3).map { try $0.asInt() }
            if a.count == 1 {
                if a[0] <= 0 { throw PyException.valueError("empty range for randrange()") }
                return .int(interp.randomState.below(a[0]))
            }
            return .int(try randrange(interp, a[0], Int128(a[1]), a.count > 2 ? a[2] : 1))
        }
        m.addFunction("choice", signature: "(seq)") { interp, args in
            let seq = try args.expect("choice", min: 1, max: 1)[0]
            let n = try interp.length(seq)
            if n == 0 { throw PyException.indexError("Cannot choose from an empty sequence") }
            return try interp.getItem(seq, .int(interp.randomState.below(n)))
        }
        m.addFunction("shuffle", signature: "(x)") { interp, args in
            guard let l = try args.expect("shuffle", min: 1, max: 1)[0].as(PyList.self) else {
                throw PyException.typeError("shuffle() needs a list")
            }
            var i = l.items.count - 1
            while i >= 1 {
                let j = interp.randomState.below(i + 1)
                l.items.swapAt(i, j)
                i -= 1
            }
            return .none
        }
        m.addFunction("gauss", signature: "(mu=0.0, sigma=1.0)") { interp, args in
            let b = try ParameterList("gauss", ["mu", "sigma"], defaults: ["mu": .float(0), "sigma": .float(1)]).bind(args)
            var z: Double
            if let g = interp.randomState.gaussNext {
                z = g
                interp.randomState.gaussNext = nil
            } else {
                let x2pi = interp.randomState.random() * 2 * Double.pi
                let g2rad = (-2.0 * Foundation.log(1.0 - interp.randomState.random())).squareRoot()
                z = Foundation.cos(x2pi) * g2rad
                interp.randomState.gaussNext = Foundation.sin(x2pi) * g2rad
            }
            return .float(try b[0].asDouble() + z * b[1].asDouble())
        }
        m.addFunction("sample", signature: "(population, k)") { interp, args in
            let b = try ParameterList("sample", ["population", "k"]).bind(args)
            let population = try interp.iterate(b[0])
            let n = population.count, k = try b[1].asInt()
            guard k >= 0 && k <= n else { throw PyException.valueError("Sample larger than population or is negative") }
            var result: [Value] = []
            var setsize = 21
            if k > 5 { setsize += Int(Foundation.pow(4, Foundation.ceil(Foundation.log(Double(k * 3)) / Foundation.log(4)))) }
            if n <= setsize {
                var pool = population
                for i in 0..<k {
                    let j = interp.randomState.below(n - i)
                    result.append(pool[j])
                    pool[j] = pool[n - i - 1]
                }
            } else {
                var selected = Set<Int>()
                for _ in 0..<k {
                    var j = interp.randomState.below(n)
                    while selected.contains(j) { j = interp.randomState.below(n) }
                    selected.insert(j)
                    result.append(population[j])
                }
            }
            return .object(PyList(result))
        }
        m.addFunction("choices", signature: "(population, weights=None, *, cum_weights=None, k=1)") { interp, args in
            let b = try ParameterList("choices", ["population", "weights"], defaults: ["weights": .none, "k": .int(1), "cum_weights": .none],
                                      keywordOnly: ["cum_weights", "k"]).bind(args)
            let population = try interp.iterate(b[0])
            let k = try b[3].asInt()
            let n = Double(population.count)
            if b[1].isNone && b[2].isNone {
                return .object(PyList((0..<k).map { _ in population[Int((interp.randomState.random() * n).rounded(.down))] }))
            }
            var cum: [Double] = []
            if !b[2].isNone { cum = try interp.iterate(b[2]).map { try $0.asDouble() } } else {
                var total = 0.0
                for w in try interp.iterate(b[1]) { total += try w.asDouble(); cum.append(total) }
            }
            guard cum.count == population.count else { throw PyException.valueError("The number of weights does not match the population") }
            let total = cum.last ?? 0
            return .object(PyList((0..<k).map { _ in
                let x = interp.randomState.random() * total
                var lo = 0, hi = cum.count - 1
                while lo < hi { let mid = (lo + hi) / 2; if x < cum[mid] { hi = mid } else { lo = mid + 1 } }
                return population[lo]
            }))
        }
        return m
    }

    /// `randrange(start, stop, step)`, in 128-bit arithmetic: the width of a range of 64-bit ints may not fit in one.
    private static func randrange(_ interp: Interpreter, _ start: Int, _ stop: Int128, _ step: Int) throws -> Int {
        let width = stop - Int128(start)
        if step == 1 {
            if width <= 0 { throw PyException.valueError("empty range for randrange() (\(start), \(stop), \(width))") }
            if width > Int128(UInt64.max) { return Int(truncatingIfNeeded: interp.randomState.bits(64)) }
            return Int(Int128(start) + Int128(interp.randomState.below(wide: UInt64(width))))
        }
        if step == 0 { throw PyException.valueError("zero step for randrange()") }
        let n = step > 0 ? (width + Int128(step) - 1) / Int128(step) : (width + Int128(step) + 1) / Int128(step)
        if n <= 0 { throw PyException.valueError("empty range for randrange()") }
        return Int(Int128(start) + Int128(step) * Int128(interp.randomState.below(wide: UInt64(n))))
    }
}
