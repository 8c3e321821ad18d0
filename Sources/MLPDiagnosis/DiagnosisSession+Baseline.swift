import MLPCore

extension DiagnosisSession {
    /// The given configuration's runs, within their share of the time budget: the first run is timed epoch by epoch
    /// and stopped before it passes its allowance; when `maxIter` epochs would not fit, every configuration is then
    /// trained for the epochs that do (`epochCap`), and the report says so.
    /// - Throws: ``DiagnosisError/timeBudgetTooSmall(secondsPerEpoch:runs:epochs:needed:)`` when not even the
    ///   fewest epochs a comparison needs fit; ``DiagnosisError/cannotTrain(rows:message:)`` when a run's fit fails
    ///   for another reason than divergence.
    mutating func trainBaseline(progress: (String) -> Void) throws -> TrialSummary {
        let budget = BaselineBudget(budget: input.timeBudget, runs: trainer.randomStates.count,
                                    maxIter: input.parameters.maxIter)
        let clock = ContinuousClock(), runStart = clock.now
        // The callback outlives this call's stack frame only as long as the fit does; a class holds what it records.
        final class Stop { var stopped = false }
        let stop = Stop()
        let first = trainer.run(baselineSetup, index: 0) { report in
            let seconds = Self.seconds(clock.now - runStart)
            guard budget.stopsAfter(epoch: report.epoch, seconds: seconds) else { return .continue }
            stop.stopped = true
            return .stop
        }
        let firstSeconds = Self.seconds(clock.now - runStart)
        epochCap = try budget.cap(firstRunEpochs: max(first.lossCurve.count, 1), seconds: firstSeconds,
                                  stopped: stop.stopped)
        if let epochCap {
            trainer.epochCap = epochCap.epochs
            progress("baseline: \(epochCap.epochs) of \(epochCap.maxIter) epochs per run fit the time budget")
        }
        var runs = [first]
        for index in 1..<trainer.randomStates.count { runs.append(trainer.run(baselineSetup, index: index)) }
        // A configuration that cannot train on these rows at all is no evidence of divergence, nor of any cause.
        if let failed = runs.firstIndex(where: { $0.failure != nil }) {
            throw DiagnosisError.cannotTrain(rows: trainer.trainingRows(ofRun: failed), message: runs[failed].failure!)
        }
        return TrialSummary(runs: runs)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
