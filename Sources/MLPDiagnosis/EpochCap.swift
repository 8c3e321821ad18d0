/// Fewer epochs than the configuration's `maxIter` for every configuration a diagnosis trained, because its full runs
/// would not have fit the time budget. The random states are never cut: each proof stays over all of them.
public struct EpochCap: Equatable, Sendable {
    /// The epochs (lbfgs: iterations) every configuration was trained for.
    public var epochs: Int
    /// The configuration's own `maxIter`.
    public var maxIter: Int
    /// One epoch of the given configuration, measured on its first run, seconds.
    public var secondsPerEpoch: Double
    /// The time budget that would have trained all `maxIter` epochs (an estimate from `secondsPerEpoch`), seconds.
    public var budgetForMaxIter: Double

    /// - Parameters:
    ///   - epochs: The epochs every configuration was trained for.
    ///   - maxIter: The configuration's own `maxIter`.
    ///   - secondsPerEpoch: One epoch of the given configuration, seconds.
    ///   - budgetForMaxIter: The time budget that would have trained all `maxIter` epochs, seconds.
    public init(epochs: Int, maxIter: Int, secondsPerEpoch: Double, budgetForMaxIter: Double) {
        self.epochs = epochs
        self.maxIter = maxIter
        self.secondsPerEpoch = secondsPerEpoch
        self.budgetForMaxIter = budgetForMaxIter
    }
}
