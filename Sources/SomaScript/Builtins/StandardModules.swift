import Foundation

/// The modules beside soma: math, random, time, sys.
extension Interpreter {
    func registerStandardModules() {
        registerModule("math") { _ in StandardModules.math() }
        registerModule("random") { interp in StandardModules.random(interp) }
        registerModule("time") { _ in StandardModules.time() }
        registerModule("sys") { interp in StandardModules.sys(interp) }
    }
}

/// A text stream object (`sys.stdout`, `sys.stderr`).
final class TextStream: PyObject {
    static let type: PyType = {
        let t = PyType.nativeClass("TextIOWrapper", module: "_io")
        t.addMethod("write", signature: "(s, /)") { interp, receiver, args in
            let s = try args.expect("write", min: 1, max: 1)[0]
            guard case .str(let text) = s else { throw PyException.typeError("write() argument must be str, not \(s.typeName)") }
            interp.output.write(text, to: receiver.as(TextStream.self)!.kind)
            return .int(text.unicodeScalars.count)
        }
        t.addMethod("flush") { _, _, _ in .none }
        return t
    }()

    let kind: OutputStreamKind
    init(_ kind: OutputStreamKind) { self.kind = kind; super.init(type: TextStream.type) }
}

enum StandardModules {
    static func math() -> PyModule {
        let m = PyModule(name: "math")
        m["pi"] = .float(Double.pi)
        m["e"] = .float(M_E)
        m["tau"] = .float(2 * Double.pi)
        m["inf"] = .float(.infinity)
        m["nan"] = .float(.nan)
        let unary: [(String, (Double) -> Double, (Double) -> Bool)] = [
            ("sqrt", { $0.squareRoot() }, { $0 < 0 }), ("exp", Foundation.exp, { _ in false }),
            ("log10", Foundation.log10, { $0 <= 0 }), ("log2", Foundation.log2, { $0 <= 0 }),
            ("sin", Foundation.sin, { $0.isInfinite }), ("cos", Foundation.cos, { $0.isInfinite }), ("tan", Foundation.tan, { $0.isInfinite }),
            ("asin", Foundation.asin, { abs($0) > 1 }), ("acos", Foundation.acos, { abs($0) > 1 }), ("atan", Foundation.atan, { _ in false }),
            ("sinh", Foundation.sinh, { _ in false }), ("cosh", Foundation.cosh, { _ in false }), ("tanh", Foundation.tanh, { _ in false }),
            ("fabs", { abs($0) }, { _ in false }), ("log1p", Foundation.log1p, { $0 <= -1 }), ("expm1", Foundation.expm1, { _ in false }),
            ("erf", Foundation.erf, { _ in false }), ("erfc", Foundation.erfc, { _ in false }),
            ("gamma", Foundation.tgamma, { $0 <= 0 && $0 == $0.rounded() }), ("lgamma", Foundation.lgamma, { _ in false }),
            ("degrees", { $0 * 180 / Double.pi }, { _ in false }), ("radians", { $0 * Double.pi / 180 }, { _ in false }),
        ]
        for (name, f, domainError) in unary {
            m.addFunction(name, signature: "(x, /)") { _, args in
                let x = try args.expect(name, min: 1, max: 1)[0].asDouble()
                if domainError(x) { throw PyException.valueError("math domain error") }
                let r = f(x)
                if r.isInfinite && x.isFinite { throw PyException.overflow("math range error") }
                return .float(r)
            }
        }
        m.addFunction("log", signature: "(x[, base])") { _, args in
            let a = try args.expect("log", min: 1, max: 2)
            let x = try a[0].asDouble()
            if x <= 0 { throw PyException.valueError("math domain error") }
            if a.count == 2 { return .float(Foundation.log(x) / Foundation.log(try a[1].asDouble())) }
            return .float(Foundation.log(x))
        }
        m.addFunction("pow", signature: "(x, y, /)") { _, args in
            let a = try args.expect("pow", min: 2, max: 2)
            return .float(Foundation.pow(try a[0].asDouble(), try a[1].asDouble()))
        }
        m.addFunction("atan2", signature: "(y, x, /)") { _, args in
            let a = try args.expect("atan2", min: 2, max: 2)
            return .float(Foundation.atan2(try a[0].asDouble(), try a[1].asDouble()))
        }
        m.addFunction("hypot", signature: "(*coordinates)") { _, args in
            .float(try args.positional.map { try $0.asDouble() }.reduce(0) { $0 + $1 * $1 }.squareRoot())
        }
        for (name, rule) in [("floor", FloatingPointRoundingRule.down), ("ceil", .up), ("trunc", .towardZero)] {
            m.addFunction(name, signature: "(x, /)") { interp, args in
                let v = try args.expect(name, min: 1, max: 1)[0]
                if case .int = v { return v }
                if case .object(let o) = v, let f = o.pyType.lookup("__\(name)__") { return try interp.call(f, [v]) }
                return .int(try Arithmetic.toInt(try v.asDouble().rounded(rule)))
            }
        }
        for (name, test) in [("isnan", { (d: Double) in d.isNaN }), ("isinf", { $0.isInfinite }), ("isfinite", { $0.isFinite })] {
            m.addFunction(name, signature: "(x, /)") { _, args in .bool(test(try args.expect(name, min: 1, max: 1)[0].asDouble())) }
        }
        m.addFunction("isclose", signature: "(a, b, *, rel_tol=1e-09, abs_tol=0.0)") { _, args in
            let b = try ParameterList("isclose", ["a", "b"], defaults: ["rel_tol": .float(1e-9), "abs_tol": .float(0)],
                                      keywordOnly: ["rel_tol", "abs_tol"]).bind(args)
            let x = try b[0].asDouble(), y = try b[1].asDouble(), rel = try b[2].asDouble(), absTol = try b[3].asDouble()
            if x == y { return .bool(true) }
            let diff = abs(x - y)
            return .bool(diff <= abs(rel * y) || diff <= abs(rel * x) || diff <= absTol)
        }
        m.addFunction("factorial", signature: "(n, /)") { _, args in
            let n = try args.expect("factorial", min: 1, max: 1)[0].asInt()
            if n < 0 { throw PyException.valueError("factorial() not defined for negative values") }
            var r = 1
            for i in stride(from: 2, through: n, by: 1) {
                let (p, o) = r.multipliedReportingOverflow(by: i)
                if o { throw PyException.overflow() }
                r = p
            }
            return .int(r)
        }
        m.addFunction("gcd", signature: "(*integers)") { _, args in
            var g = 0
            for v in args.positional {
                var a = abs(try v.asInt()), b = g
                while b != 0 { (a, b) = (b, a % b) }
                g = a
            }
            return .int(g)
        }
        m.addFunction("fsum", signature: "(seq, /)") { interp, args in
            .float(try interp.iterate(try args.expect("fsum", min: 1, max: 1)[0]).map { try $0.asDouble() }.reduce(0, +))
        }
        m.addFunction("prod", signature: "(iterable, /, *, start=1)") { interp, args in
            var r = args.keyword("start") ?? .int(1)
            for v in try interp.iterate(args.positional.first ?? .none) { r = try interp.binary(.mul, r, v) }
            return r
        }
        return m
    }

    static func time() -> PyModule {
        let m = PyModule(name: "time")
        m.addFunction("time", signature: "()") { _, _ in .float(Date().timeIntervalSince1970) }
        m.addFunction("perf_counter", signature: "()") { _, _ in .float(Double(DispatchTime.now().uptimeNanoseconds) / 1e9) }
        m.addFunction("monotonic", signature: "()") { _, _ in .float(Double(DispatchTime.now().uptimeNanoseconds) / 1e9) }
        m.addFunction("sleep", signature: "(seconds, /)") { interp, args in
            let s = try args.expect("sleep", min: 1, max: 1)[0].asDouble()
            if s < 0 { throw PyException.valueError("sleep length must be non-negative") }
            let end = Date().addingTimeInterval(s)
            while Date() < end {
                try interp.checkInterrupt()
                Thread.sleep(forTimeInterval: min(0.01, end.timeIntervalSinceNow))
            }
            return .none
        }
        return m
    }

    static func sys(_ interp: Interpreter) -> PyModule {
        let m = PyModule(name: "sys")
        m["stdout"] = .object(TextStream(.stdout))
        m["stderr"] = .object(TextStream(.stderr))
        m["argv"] = .object(PyList(interp.argv.map { .str($0) }))
        m["version"] = .str("3.11.0 (Soma)")
        m["maxsize"] = .int(Int.max)
        m["platform"] = .str("linux")
        m.addFunction("getrecursionlimit", signature: "()") { interp, _ in .int(interp.recursionLimit) }
        m.addFunction("setrecursionlimit", signature: "(limit, /)") { interp, args in
            let n = try args.expect("setrecursionlimit", min: 1, max: 1)[0].asInt()
            if n < 1 { throw PyException.valueError("recursion limit must be greater or equal than 1") }
            interp.recursionLimit = min(n, 10000)
            return .none
        }
        m.addFunction("exit", signature: "(status=None, /)") { _, args in
            throw PyException(type: Types.exception("SystemExit"), args: args.positional)
        }
        return m
    }
}
