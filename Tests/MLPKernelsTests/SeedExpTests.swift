import CMLPKernels
import Foundation
import Testing

// The seed engine's vector exp must equal glibc's exp bit for bit (the numpy-exact counts depend on it).
// Any slip (a table word, a fused or unfused step) shows up only on a few inputs in a million, hence the count.
@Suite struct SeedExpTests {
    /// Deterministic xorshift64 stream.
    struct Stream {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        mutating func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
        mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
    }

    static func inputs() -> [Double] {
        var s = Stream(), x: [Double] = []
        x.reserveCapacity(4_100_000)
        for _ in 0..<1_500_000 { x.append((s.unit() * 2 - 1) * 50) }  // the sigmoids' range
        for _ in 0..<1_000_000 {  // magnitudes 2^-60 ... 2^10, both signs
            let v = Double(sign: s.next() & 1 == 0 ? .plus : .minus, exponent: Int(s.next() % 70) - 60, significand: 1 + s.unit())
            x.append(v)
        }
        for _ in 0..<1_000_000 { x.append(-745.2 + s.unit() * (709.8 + 745.2)) }  // up to overflow/underflow
        for _ in 0..<500_000 { x.append(Double(bitPattern: s.next())) }  // anything, NaNs included
        // Fast-path limits (2^-54, 512), overflow and underflow thresholds, and their neighbours.
        let edges: [Double] = [0x1p-54, 0x1p-53, 512, 1024, 709.782712893384, 708.3964185322641, 745.1332191019411,
                               0x1p-1022, 0x1p-1074, 0.5, 1, 0x1.62e42fefa39efp-8]
        for e in edges {
            for sign in [1.0, -1.0] {
                var up = sign * e, down = sign * e
                for _ in 0..<500 { x.append(up); x.append(down); up = up.nextUp; down = down.nextDown }
            }
        }
        x += [0, -0.0, .infinity, -.infinity, .nan, -.nan, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        // Inputs where unfusing tail + r + r²(C2 + rC3) or scale + scale·tmp changes the result (found by search
        // over 2e8 inputs; the other steps of glibc's FMA build never changed a result there).
        x += [-0x1.685d9ae0f63bfp+5, 0x1.942aaaef7cd46p+3, 0x1.85ec638c594fdp+3,
              -0x1.48128a5b322adp+4, -0x1.fe8bd02b41ea8p+4, 0x1.1e6692ef8fb5dp+4]
        return x
    }

    @Test func vectorExpEqualsGlibcBitForBit() {
        #if canImport(Glibc)
        let x = Self.inputs()
        var y = [Double](repeating: 0, count: x.count)
        // Without AVX2+FMA glibc runs another exp and the engine keeps calling it: nothing to compare.
        guard mlp_seed_exp_f64(x, &y, x.count) == 1 else { return }
        var mismatches = 0, first = ""
        for i in x.indices where y[i].bitPattern != exp(x[i]).bitPattern {
            if mismatches == 0 { first = "exp(\(x[i])) = \(y[i]), glibc \(exp(x[i]))" }
            mismatches += 1
        }
        #expect(mismatches == 0, "\(mismatches) of \(x.count) differ; first: \(first)")
        #endif
        // Elsewhere (musl, Darwin) the system exp is another function; the engine only targets glibc's.
    }
}
