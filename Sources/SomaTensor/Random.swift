import Foundation

/// PyTorch's CPU generator: a 32-bit Mersenne Twister with the same seeding and the same
/// transformations, so `manual_seed(s)` followed by `rand`, `randn`, `randint`, `randperm` or a
/// default layer initialisation gives PyTorch's numbers.
public final class Generator {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 624
    private var cachedNormal: Double?
    /// The seed last set.
    public private(set) var initialSeed: UInt64

    /// The process-wide default generator (`torch.default_generator`).
    nonisolated(unsafe) public static let global = Generator(seed: 67_280_421_310_721)

    public init(seed: UInt64) {
        initialSeed = seed
        manualSeed(seed)
    }

    /// Re-seeds the generator (`manual_seed`).
    public func manualSeed(_ seed: UInt64) {
        initialSeed = seed
        state[0] = UInt32(truncatingIfNeeded: seed)
        for j in 1..<624 {
            state[j] = 1_812_433_253 &* (state[j - 1] ^ (state[j - 1] >> 30)) &+ UInt32(j)
        }
        index = 624
        cachedNormal = nil
    }

    /// The next 32 random bits.
    public func next32() -> UInt32 {
        if index >= 624 { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// The next 64 random bits (two draws, the first in the high half).
    public func next64() -> UInt64 {
        let hi = UInt64(next32()), lo = UInt64(next32())
        return (hi << 32) | lo
    }

    private func twist() {
        for i in 0..<624 {
            let y = (state[i] & 0x8000_0000) | (state[(i + 1) % 624] & 0x7fff_ffff)
            var v = state[(i + 397) % 624] ^ (y >> 1)
            if y & 1 != 0 { v ^= 0x9908_b0df }
            state[i] = v
        }
        index = 0
    }

    /// Uniform float32 in [from, to) as PyTorch draws it: 24 random bits, scaled in double.
    func uniformFloat(_ from: Float, _ to: Float) -> Float {
        let x = Double(next32() & 0xff_ffff) * (1.0 / 16_777_216.0)
        return Float(x * Double(to - from) + Double(from))
    }

    /// Uniform double in [from, to): 53 random bits.
    func uniformDouble(_ from: Double, _ to: Double) -> Double {
        let x = Double(next64() & ((1 << 53) - 1)) * (1.0 / 9_007_199_254_740_992.0)
        return x * (to - from) + from
    }

    /// One standard-normal double by Box–Muller, caching the second value as PyTorch does.
    func normalDouble() -> Double {
        if let c = cachedNormal {
            cachedNormal = nil
            return c
        }
        let u1 = uniformDouble(0, 1), u2 = uniformDouble(0, 1)
        let r = (-2.0 * Foundation.log1p(-u2)).squareRoot()
        let theta = 2.0 * Double.pi * u1
        cachedNormal = r * Foundation.sin(theta)
        return r * Foundation.cos(theta)
    }

    /// Fills `p[0..<n]` with uniform values in [from, to).
    func fillUniform<T: FloatElement>(_ p: UnsafeMutablePointer<T>, _ n: Int, _ from: Double, _ to: Double) {
        if T.self == Float.self {
            let f = Float(from), t = Float(to)
            for i in 0..<n { p[i] = T(uniformFloat(f, t)) }
        } else {
            for i in 0..<n { p[i] = T(uniformDouble(from, to)) }
        }
    }

    /// Fills `p[0..<n]` with normal values: PyTorch's 16-wide Box–Muller for n ≥ 16, scalar draws below.
    func fillNormal<T: FloatElement>(_ p: UnsafeMutablePointer<T>, _ n: Int, mean: Double, std: Double) {
        guard n >= 16 else {
            for i in 0..<n { p[i] = T(normalDouble() * std + mean) }
            return
        }
        fillUniform(p, n, 0, 1)
        func box16(_ d: UnsafeMutablePointer<T>) {
            for j in 0..<8 {
                let u1 = 1 - d[j], u2 = d[j + 8]
                let radius = (-2 * T.log(u1)).squareRoot()
                let theta = T(2.0 * Double.pi) * u2
                d[j] = radius * T.cos(theta) * T(std) + T(mean)
                d[j + 8] = radius * T.sin(theta) * T(std) + T(mean)
            }
        }
        var i = 0
        while i + 16 <= n {
            box16(p + i)
            i += 16
        }
        if n % 16 != 0 {
            let tail = p + n - 16
            fillUniform(tail, 16, 0, 1)
            box16(tail)
        }
    }

    /// A uniformly random integer in [0, range) as PyTorch's `random_from_to` draws it.
    func below(_ range: UInt64) -> UInt64 {
        range >= (1 << 32) ? next64() % range : UInt64(next32()) % range
    }
}

/// Seeds the global generator (`torch.manual_seed`).
public func manualSeed(_ seed: UInt64) {
    Generator.global.manualSeed(seed)
}
