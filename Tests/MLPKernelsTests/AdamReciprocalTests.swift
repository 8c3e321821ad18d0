import MLPTestSupport
import Testing
@testable import MLPKernels

// Adam's l2 form finishes the weight gradient, (g + αp) / n, with a reciprocal and a Markstein correction instead of
// a division on FMA instruction sets. It must give the division's bits for every value: blocks of ordinary values
// take the reciprocal, blocks holding a zero, −0, a tiny or huge value, NaN or an infinity take the division.
@Suite struct AdamReciprocalTests {
    /// Values spanning many binades; `specialEvery` > 0 mixes in the values the reciprocal path must not take.
    static func values<T: KernelFloat>(_ count: Int, specialEvery: Int, seed: UInt64) -> [T] {
        var rng = SeededGenerator(seed: seed)
        let specials: [T] = [0, -0.0, .leastNonzeroMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude / 4, .nan,
                             .infinity, T(0x1p-70)]
        return (0..<count).map { i in
            if specialEvery > 0, i % specialEvery == specialEvery - 1 { return specials[(i / specialEvery) % specials.count] }
            let magnitude = T(Double.random(in: 1..<2, using: &rng)) * T(Double(sign: .plus, exponent: Int.random(in: -30...20, using: &rng), significand: 1))
            return Bool.random(using: &rng) ? -magnitude : magnitude
        }
    }

    static func check<T: KernelFloat>(_ type: T.Type, normalizer: T, specialEvery: Int, seed: UInt64) {
        let count = 1000  // 31 blocks of 32 and a tail of 8
        let p0: [T] = values(count, specialEvery: specialEvery, seed: seed)
        let g0: [T] = values(count, specialEvery: specialEvery, seed: seed + 1)
        let m0: [T] = values(count, specialEvery: 0, seed: seed + 2).map { $0 * T(0.001) }
        let v0: [T] = values(count, specialEvery: 0, seed: seed + 3).map { abs($0) * T(0.001) }
        let (b1, b2, c1, c2, step, eps, alpha): (T, T, T, T, T, T, T) = (0.9, 0.999, 0.1, 0.001, -0.001, 1e-8, 1e-4)
        var p = p0, g = g0, m = m0, v = v0
        FusedPasses.adam(&p, gradient: &g, m: &m, v: &v, count: count, b1: b1, b2: b2, c1: c1, c2: c2, negativeStep: step,
                         epsilon: eps, l2: (alpha, normalizer))
        for i in 0..<count {
            let gi = (g0[i] + alpha * p0[i]) / normalizer
            let mi = b1 * m0[i] + c1 * gi
            let vi = b2 * v0[i] + c2 * (gi * gi)
            let pi = p0[i] + step * mi / (vi.squareRoot() + eps)
            let same = { (a: T, b: T) in Double(a).bitPattern == Double(b).bitPattern || (a.isNaN && b.isNaN) }
            #expect(same(g[i], gi) && same(m[i], mi) && same(v[i], vi) && same(p[i], pi),
                    "\(T.self) n \(normalizer) element \(i): g \(g[i]) vs \(gi), p \(p[i]) vs \(pi)")
        }
    }

    @Test(arguments: [0, 5, 97])
    func matchesTheDivisionBitForBit(specialEvery: Int) {
        for (index, n) in [200.0, 1, 3, 7, 77, 1797, 65535, 12345.678, 1e9].enumerated() {
            Self.check(Double.self, normalizer: n, specialEvery: specialEvery, seed: UInt64(index * 10))
            Self.check(Float.self, normalizer: Float(n), specialEvery: specialEvery, seed: UInt64(index * 10 + 5))
        }
        // Outside [1, 2^40] the pass divides throughout.
        Self.check(Double.self, normalizer: 0.5, specialEvery: specialEvery, seed: 1)
        Self.check(Double.self, normalizer: 0x1p50, specialEvery: specialEvery, seed: 2)
    }
}
