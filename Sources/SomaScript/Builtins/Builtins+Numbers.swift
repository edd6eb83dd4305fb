import Foundation

/// Built-in numeric functions: abs, round, pow, divmod, chr, ord, bin, hex, oct.
extension Builtins {
    static func addNumericFunctions(_ fn: Define, _ unary: DefineUnary) {
        unary("abs", "(x, /)") { interp, v in
            switch v {
            case .int(let i):
                if i == .min { throw PyException.overflow() }
                return .int(abs(i))
            case .bool(let b): return .int(b ? 1 : 0)
            case .float(let d): return .float(abs(d))
            case .object(let o):
                if let m = o.pyType.lookup("__abs__") { return try interp.call(m, [v]) }
            default: break
            }
            throw PyException.typeError("bad operand type for abs(): '\(v.typeName)'")
        }
        fn("round", "(number, ndigits=None)") { interp, args in
            let b = try ParameterList("round", ["number", "ndigits"], defaults: ["ndigits": .none]).bind(args)
            return try round(b[0], b[1], interp)
        }
        fn("pow", "(base, exp, mod=None)") { interp, args in
            let b = try ParameterList("pow", ["base", "exp", "mod"], defaults: ["mod": .none]).bind(args)
            if case .none = b[2] { return try interp.binary(.pow, b[0], b[1]) }
            var base = try b[0].asInt(), e = try b[1].asInt()
            let m = try b[2].asInt()
            if m == 0 { throw PyException.valueError("pow() 3rd argument cannot be 0") }
            if e < 0 { throw PyException.valueError("base is not invertible for the given modulus") }
            var result = 1 % m
            base = ((base % m) + m) % m
            while e > 0 {
                if e & 1 == 1 { result = Int((Int64(result).multipliedFullWidth(by: Int64(base)).low % UInt64(m))) }
                base = Int(Int64(base).multipliedFullWidth(by: Int64(base)).low % UInt64(m))
                e >>= 1
            }
            return .int(result)
        }
        fn("divmod", "(x, y, /)") { interp, args in
            let a = try args.expect("divmod", min: 2, max: 2)
            return .object(PyTuple([try interp.binary(.floorDiv, a[0], a[1]), try interp.binary(.mod, a[0], a[1])]))
        }
        unary("chr", "(i, /)") { _, v in
            let i = try v.asInt()
            guard i >= 0, i < 0x110000, let u = Unicode.Scalar(UInt32(i)) else { throw PyException.valueError("chr() arg not in range(0x110000)") }
            return .str(String(u))
        }
        unary("ord", "(c, /)") { _, v in
            guard case .str(let s) = v else { throw PyException.typeError("ord() expected string of length 1, but \(v.typeName) found") }
            let u = Array(s.unicodeScalars)
            guard u.count == 1 else { throw PyException.typeError("ord() expected a character, but string of length \(u.count) found") }
            return .int(Int(u[0].value))
        }
        for (name, radix, prefix) in [("bin", 2, "0b"), ("oct", 8, "0o"), ("hex", 16, "0x")] {
            fn(name, "(number, /)") { _, args in
                let i = try args.expect(name, min: 1, max: 1)[0].asInt()
                return .str((i < 0 ? "-" : "") + prefix + String(i.magnitude, radix: radix))
            }
        }
    }

    static func round(_ x: Value, _ nd: Value, _ interp: Interpreter) throws -> Value {
        switch x {
        case .int, .bool:
            let i = try x.asInt()
            guard case .int(let n) = nd, n < 0 else { return .int(i) }
            if n < -18 { return .int(0) }
            let p = Int(Foundation.pow(10.0, Double(-n)))
            let q = try Arithmetic.int(.floorDiv, i, p), r = i - (try q.asInt()) * p
            var qq = try q.asInt()
            if r * 2 > p || (r * 2 == p && qq % 2 != 0) { qq += 1 }
            return .int(qq * p)
        case .float(let d):
            if case .none = nd {
                let r = d.rounded(.toNearestOrEven)
                return .int(try Arithmetic.toInt(r))
            }
            let n = try nd.asInt()
            if !d.isFinite { return .float(d) }
            if n > 300 { return .float(d) }
            if n < -308 { return .float(0 * d) }
            if n >= 0 {
                return .float(Double(String(format: "%.\(n)f", d)) ?? d)
            }
            let p = Foundation.pow(10.0, Double(-n))
            return .float((d / p).rounded(.toNearestOrEven) * p)
        case .object(let o):
            if let m = o.pyType.lookup("__round__") { return try interp.call(m, nd.isNone ? [x] : [x, nd]) }
        default: break
        }
        throw PyException.typeError("type \(x.typeName) doesn't define __round__ method")
    }
}
