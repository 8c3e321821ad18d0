/// The share of the time budget the given configuration's runs may take, and what follows when they would take more.
///
/// The baseline runs come first and every later step is measured against them (the probe trains about one run more,
/// each fix as many runs again, the recommendation once more), so they get a sixth of the budget: with the probe
/// and the range test, that leaves room for about three fixes and the combined recommendation.
struct BaselineBudget {
    static let share = 1.0 / 6
    /// Fewer epochs show no loss curve to speak of (its late drop is measured over the last tenth of the epochs), and
    /// a comparison after a few minibatch steps says which configuration starts fastest, not what is wrong.
    static let fewestEpochs = 10

    let budget: Double
    let runs: Int
    let maxIter: Int

    /// Seconds each baseline run may take.
    var perRun: Double { budget * Self.share / Double(max(runs, 1)) }

    /// Whether training should stop after `epoch` epochs that took `seconds`: the next one would pass the allowance.
    func stopsAfter(epoch: Int, seconds: Double) -> Bool {
        epoch > 0 && seconds * Double(epoch + 1) / Double(epoch) > perRun
    }

    /// The epoch cap for every run, from the first run's `epochs` in `seconds` (nil when `maxIter` epochs fit).
    /// - Throws: ``DiagnosisError/timeBudgetTooSmall(secondsPerEpoch:runs:epochs:needed:)`` when fewer than
    ///   `fewestEpochs` would fit.
    func cap(firstRunEpochs epochs: Int, seconds: Double, stopped: Bool) throws -> EpochCap? {
        let perEpoch = seconds / Double(max(epochs, 1))
        let fitting = stopped ? epochs : max(epochs, Int(perRun / max(perEpoch, .leastNonzeroMagnitude)))
        guard fitting < maxIter else { return nil }
        let fewest = min(Self.fewestEpochs, maxIter)
        if fitting < fewest {
            throw DiagnosisError.timeBudgetTooSmall(secondsPerEpoch: perEpoch, runs: runs, epochs: fewest,
                                                    needed: needed(perEpoch, epochs: fewest))
        }
        return EpochCap(epochs: fitting, maxIter: maxIter, secondsPerEpoch: perEpoch,
                        budgetForMaxIter: needed(perEpoch, epochs: maxIter))
    }

    /// The budget whose share trains `runs` runs of `epochs` epochs, rounded up to a whole second.
    func needed(_ perEpoch: Double, epochs: Int) -> Double {
        (perEpoch * Double(epochs * runs) / Self.share).rounded(.up)
    }
}
