/// SplitMix64: a small seeded generator, so the test suites (and benchmarks) see the same numbers on every run.
/// Not numpy's stream; `NumPyRandomState` in MLP is that.
public struct SeededGenerator: RandomNumberGenerator {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Array where Element: BinaryFloatingPoint, Element.RawSignificand: FixedWidthInteger {
    /// `count` values uniform in [-1, 1), drawn from `rng`.
    ///
    /// - Parameters:
    ///   - count: How many values.
    ///   - rng: The seeded generator to draw from.
    public static func random(count: Int, using rng: inout SeededGenerator) -> [Element] {
        (0..<count).map { _ in Element.random(in: -1..<1, using: &rng) }
    }
}
