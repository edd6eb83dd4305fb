import Foundation

/// Python arithmetic on ints and floats (64-bit ints raise OverflowError instead of wrapping).
enum Arithmetic {
    static func int(_ op: BinOp, _ a: Int, _ b: Int) throws -> Value {
        switch op {
        case .add: let (r, o) = a.addingReportingOverflow(b); if o { throw PyException.overflow() }; return .int(r)
        case .sub: let (r, o) = a.subtractingReportingOverflow(b); if o { throw PyException.overflow() }; return .int(r)
        case .mul: let (r, o) = a.multipliedReportingOverflow(by: b); if o { throw PyException.overflow() }; return .int(r)
        case .div:
            if b == 0 { throw PyException.zeroDivision("division by zero") }
            return .float(Double(a) / Double(b))
        case .floorDiv:
            if b == 0 { throw PyException.zeroDivision("integer division or modulo by zero") }
            if a == .min && b == -1 { throw PyException.overflow() }
            let q = a / b
            return .int((a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q)
        case .mod:
            if b == 0 { throw PyException.zeroDivision("integer modulo by zero") }
            if b == -1 { return .int(0) }
            let r = a % b
            return .int((r != 0 && (r < 0) != (b < 0)) ? r + b : r)
        case .pow:
            if b < 0 {
                if a == 0 { throw PyException.zeroDivision("0.0 cannot be raised to a negative power") }
                return .float(Foundation.pow(Double(a), Double(b)))
            }
            var result = 1, base = a, e = b
            while e > 0 {
                if e & 1 == 1 {
                    let (r, o) = result.multipliedReportingOverflow(by: base)
                    if o { throw PyException.overflow() }
                    result = r
                }
                e >>= 1
                if e > 0 {
                    let (sq, o) = base.multipliedReportingOverflow(by: base)
                    if o { throw PyException.overflow() }
                    base = sq
                }
            }
            return .int(result)
        case .lshift:
            if b < 0 { throw PyException.valueError("negative shift count") }
            if a == 0 { return .int(0) }
            if b >= 63 || (a << b) >> b != a { throw PyException.overflow() }
            return .int(a << b)
        case .rshift:
            if b < 0 { throw PyException.valueError("negative shift count") }
            return .int(b >= 64 ? (a < 0 ? -1 : 0) : a >> b)
        case .bitAnd: return .int(a & b)
        case .bitOr: return .int(a | b)
        case .bitXor: return .int(a ^ b)
        case .matMul: throw unsupported(op, "int", "int")
        }
    }

    static func float(_ op: BinOp, _ a: Double, _ b: Double, _ ta: String, _ tb: String) throws -> Value {
        switch op {
        case .add: return .float(a + b)
        case .sub: return .float(a - b)
        case .mul: return .float(a * b)
        case .div:
            if b == 0 { throw PyException.zeroDivision("float division by zero") }
            return .float(a / b)
        case .floorDiv:
            if b == 0 { throw PyException.zeroDivision("float floor division by zero") }
            return .float(divmod(a, b).0)
        case .mod:
            if b == 0 { throw PyException.zeroDivision("float modulo") }
            return .float(divmod(a, b).1)
        case .pow:
            if a == 0 && b < 0 { throw PyException.zeroDivision("0.0 cannot be raised to a negative power") }
            if a < 0 && b != b.rounded() && b.isFinite {
                throw PyException.valueError("complex numbers are not supported in Soma")
            }
            let r = Foundation.pow(a, b)
            if r.isInfinite && a.isFinite && b.isFinite { throw PyException.make("OverflowError", "(34, 'Numerical result out of range')") }
            return .float(r)
        default: throw unsupported(op, ta, tb)
        }
    }

    /// Python's float divmod (floor quotient, remainder with the divisor's sign).
    static func divmod(_ vx: Double, _ wx: Double) -> (Double, Double) {
        var mod = fmod(vx, wx)
        var div = (vx - mod) / wx
        if mod != 0 {
            if (wx < 0) != (mod < 0) { mod += wx; div -= 1 }
        } else {
            mod = copysign(0, wx)
        }
        var floordiv: Double
        if div != 0 {
            floordiv = floor(div)
            if div - floordiv > 0.5 { floordiv += 1 }
        } else {
            floordiv = copysign(0, vx / wx)
        }
        return (floordiv, mod)
    }

    /// The TypeError of `a op b` (`inPlace`: of `a op= b`) for operand types that do not support it.
    static func unsupported(_ op: BinOp, _ a: String, _ b: String, inPlace: Bool = false) -> PyException {
        let sym = inPlace ? op.rawValue + "=" : op == .pow ? "** or pow()" : op.rawValue
        return PyException.typeError("unsupported operand type(s) for \(sym): '\(a)' and '\(b)'")
    }

    /// Converts a float to int like Python's int(x).
    static func toInt(_ d: Double) throws -> Int {
        if d.isNaN { throw PyException.valueError("cannot convert float NaN to integer") }
        if d.isInfinite { throw PyException.overflow("cannot convert float infinity to integer") }
        let t = d.rounded(.towardZero)
        guard t >= -9.223372036854775808e18 && t < 9.223372036854775808e18 else { throw PyException.overflow() }
        return Int(t)
    }
}
