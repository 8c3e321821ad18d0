/// How far a column's values sit from the unit scale (mean 0, standard deviation 1) that Glorot initialization and
/// the default steps assume.
enum UnitScale {
    /// An order of magnitude away: a spread over 10 or under 0.1 (a constant column's spread of 0 is neither), or a
    /// mean more than ten spreads from zero, a spread counting as at least 0.1.
    static func isFarOff(mean: Double, std: Double) -> Bool {
        std > 10 || (std > 0 && std < 0.1) || abs(mean) > 10 * max(std, 0.1)
    }

    /// Beyond a factor of two: a spread over 2 or under 0.5, or a mean more than a spread from zero. Standardizing a
    /// target closer than this changes nothing a step cannot absorb.
    static func isOff(mean: Double, std: Double) -> Bool {
        std > 2 || std < 0.5 || abs(mean) > std
    }
}
