/// CPython's Mersenne Twister, so `random.seed(n)` gives the same numbers as Python.
struct MersenneTwister {
    private var mt = [UInt32](repeating: 0, count: 624)
    private var index = 625
    /// The cached second value of the last `gauss` pair.
    var gaussNext: Double?

    init(seed value: UInt32) { seed(key: [value]) }

    private mutating func initGenrand(_ s: UInt32) {
        mt[0] = s
        for i in 1..<624 { mt[i] = 1812433253 &* (mt[i - 1] ^ (mt[i - 1] >> 30)) &+ UInt32(i) }
        index = 624
    }

    /// Seeds from an array of 32-bit words (CPython's init_by_array).
    mutating func seed(key: [UInt32]) {
        initGenrand(19650218)
        var i = 1, j = 0
        let n = 624
        var k = max(n, key.count)
        while k > 0 {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1664525)) &+ key[j] &+ UInt32(j)
            i += 1; j += 1
            if i >= n { mt[0] = mt[n - 1]; i = 1 }
            if j >= key.count { j = 0 }
            k -= 1
        }
        k = n - 1
        while k > 0 {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1566083941)) &- UInt32(i)
            i += 1
            if i >= n { mt[0] = mt[n - 1]; i = 1 }
            k -= 1
        }
        mt[0] = 0x8000_0000
        gaussNext = nil
    }

    /// Seeds from a Python int the way `random.seed(int)` does.
    mutating func seed(_ value: Int) {
        var m = value.magnitude
        var key: [UInt32] = []
        repeat { key.append(UInt32(truncatingIfNeeded: m)); m >>= 32 } while m > 0
        seed(key: key)
    }

    mutating func next32() -> UInt32 {
        if index >= 624 {
            for k in 0..<624 {
                let y = (mt[k] & 0x8000_0000) | (mt[(k + 1) % 624] & 0x7fff_ffff)
                mt[k] = mt[(k + 397) % 624] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908_b0df : 0)
            }
            index = 0
        }
        var y = mt[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// `random.random()`: 53 random bits in [0, 1).
    mutating func random() -> Double {
        let a = Double(next32() >> 5), b = Double(next32() >> 6)
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)
    }

    /// `getrandbits(k)` for k <= 64.
    mutating func bits(_ k: Int) -> UInt64 {
        if k <= 32 { return UInt64(next32() >> (32 - UInt32(k))) }
        let low = UInt64(next32())
        let high = UInt64(next32() >> (64 - UInt32(k)))
        return (high << 32) | low
    }

    /// `_randbelow(n)`: a uniform int in [0, n) by rejection sampling.
    mutating func below(_ n: Int) -> Int {
        n <= 0 ? 0 : Int(below(wide: UInt64(n)))
    }

    /// `_randbelow(n)` for any 64-bit bound (a range from a negative to a positive int may be wider than Int.max).
    mutating func below(wide n: UInt64) -> UInt64 {
        if n == 0 { return 0 }
        let k = UInt64.bitWidth - n.leadingZeroBitCount
        var r = bits(k)
        while r >= n { r = bits(k) }
        return r
    }
}
