import MLPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One diagnosis from start to end: symptoms, ablations, findings, recommendation.
struct DiagnosisSession {
    let input: DiagnosisInput
    /// The first fold: what the probe, the range test and the data's evidence look at.
    let data: PreparedData
    var trainer: Trainer
    let baselineSetup: TrialSetup
    let clock = ContinuousClock()
    let start: ContinuousClock.Instant
    var lossCurves: [(name: String, curve: [Double])] = []
    var skipped: [String] = []
    /// Seconds of work the budget left out (skipped fixes, a skipped range test): what a larger budget must add.
    var untriedBudget = 0.0
    /// Set when the given configuration's runs of `maxIter` epochs would not fit the time budget.
    var epochCap: EpochCap?
    /// How many configurations were measured (the given one and each fix): the chance test divides its
    /// significance level among them.
    var configurationsCompared = 1

    init(_ input: DiagnosisInput) throws {
        try input.check()
        self.input = input
        start = clock.now
        let seed = input.parameters.randomState ?? 0
        let states = input.randomStateCount
        // One fold per random state (at least two), each holding out its share of the rows.
        let folds = try PreparedData.folds(input, count: input.foldCount, seed: seed)
        data = folds[0]
        trainer = try Trainer(folds: folds, randomStates: (0..<states).map { seed + $0 })
        baselineSetup = TrialSetup(parameters: input.parameters, scaling: input.scaling, scaleTarget: input.scaleTarget)
    }

    var elapsed: Double {
        let d = clock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    mutating func run(progress: (String) -> Void) throws -> DiagnosisReport {
        let regression = data.isRegression
        progress("baseline: \(trainer.randomStates.count) runs of the given configuration")
        var baseline = try trainBaseline(progress: progress)
        let runSeconds = elapsed
        lossCurves.append(("given", baseline.runs.first?.lossCurve ?? []))
        let shape = LossCurveShape(baseline.runs.first?.lossCurve ?? [])

        progress("probe: gradient norms and unit activity per epoch")
        let scaledInputs = try data.scaled(input.scaling)
        let probe = NetworkProbe(x: scaledInputs.train, target: fittedTarget, targetWidth: data.targetWidth)
        let probed = probeEpochs(probe, x: scaledInputs.train, epochs: max(Int(baseline.epochs), 1),
                                 measuring: runSeconds / Double(trainer.randomStates.count))

        var rangeTest: LearningRateRangeTest?
        if input.parameters.solver != .lbfgs {
            // It runs when one fix and the recommendation still fit after it; when the full test does not, a short one
            // does (coarser, a quarter of the cost): the steps tried come from a measurement, not from a blind ×0.1.
            let left = input.timeBudget - elapsed - 2 * runSeconds
            if let steps = LearningRateRangeTest.stepsFitting(left, probed: probed) {
                progress("learning-rate range test" + (steps < LearningRateRangeTest.steps ? " (\(steps) steps)" : ""))
                if steps < LearningRateRangeTest.steps {
                    skipped.append("learning-rate range test at full resolution (\(steps) of its \(LearningRateRangeTest.steps) steps ran)")
                    untriedBudget += LearningRateRangeTest.projectedSeconds(probed)
                        - LearningRateRangeTest.projectedSeconds(probed, steps: steps)
                }
                rangeTest = .median(parameters: input.parameters, layerSizes: layerSizes(input.parameters),
                                    outputActivation: outputActivation, x: scaledInputs.train, target: fittedTarget,
                                    targetWidth: data.targetWidth, seed: UInt64(input.parameters.randomState ?? 0),
                                    steps: steps)
            } else {
                skipped.append("learning-rate range test")
                skipped += uncheckedSteps()
                untriedBudget += LearningRateRangeTest.projectedSeconds(probed)
            }
        }

        let candidates = candidateFixes(baseline: baseline, probed: probed, rangeTest: rangeTest)
        var ablations: [Ablation] = [], unmeasured: [Candidate] = []
        // Keep room for the recommendation's own runs.
        for candidate in candidates {
            let projected = runSeconds * candidate.costFactor
            if elapsed + projected + runSeconds > input.timeBudget {
                skipped.append(candidate.name)
                unmeasured.append(candidate)
                untriedBudget += projected
                continue
            }
            progress("ablation: \(candidate.name)")
            var summary = trainer.run(candidate.setup)
            if isBorderline(baseline, summary), elapsed + 2 * projected + runSeconds <= input.timeBudget {
                progress("ablation: \(candidate.name), more random states")
                if baseline.runs.count == trainer.randomStates.count { trainer.extend(&baseline, baselineSetup) }
                trainer.extend(&summary, candidate.setup)
            }
            lossCurves.append((candidate.name, summary.runs.first?.lossCurve ?? []))
            ablations.append(Ablation(candidate: candidate, summary: summary))
        }

        configurationsCompared = ablations.count + 1
        var findings = ablationFindings(ablations, baseline: baseline)
        findings += symptomFindings(baseline: baseline, shape: shape, probed: probed, ablations: ablations)
        let untried = skippedSymptomFindings(unmeasured, measured: ablations)
        findings += untried
        // Had the budget held the skipped work too, the recommendation's runs would still come after it.
        let budgetToTrySkipped = untriedBudget > 0 ? elapsed + untriedBudget + runSeconds : nil
        let aboveChance = beatsChance(baseline) || ablations.contains { beatsChance($0.summary) }
        if !aboveChance {
            // No configuration tried beats chance: a lower loss (a held-out log loss that drops toward ln k once the
            // network stops memorizing noise, say) makes no model useful. What was measured stays, as warnings.
            findings = findings.map { f in
                var f = f
                if f.severity == .problem { f.severity = .warning }
                return f
            }
        }
        findings = rank(findings)

        progress("recommendation")
        let recommendation = recommend(ablations, baseline: baseline, ranked: findings, regression: regression)
        let charted = probed.prefix(1000)
        return DiagnosisReport(findings: findings, recommendation: recommendation, metric: trainer.metricName,
                               lossCurves: lossCurves, gradientNorms: charted.map(\.gradientRMS),
                               gradientEpochs: charted.map(\.epoch),
                               rangeTest: (rangeTest?.rates ?? [], rangeTest?.losses ?? []),
                               activationHistograms: probed.last?.histograms ?? [], skipped: skipped,
                               seconds: elapsed, ablationCount: ablations.count, aboveChance: aboveChance,
                               chance: chanceLevel, randomStates: trainer.randomStates.count, epochCap: epochCap,
                               untriedSymptoms: untried.map(\.id), budgetToTrySkipped: budgetToTrySkipped)
    }

    // MARK: Measuring

    var outputCount: Int { data.outputCount }

    /// The first fold's training target as the user's configuration fits it, row-major (rows, `data.targetWidth`):
    /// each column standardized with --scale-target standard (as `Trainer` does), else as read.
    var fittedTarget: [Double] {
        guard data.isRegression, input.scaleTarget else { return data.trainTarget }
        let (means, stds) = data.trainTargetMoments, width = data.targetWidth
        return data.trainTarget.indices.map { i in
            (data.trainTarget[i] - means[i % width]) / (stds[i % width] > 0 ? stds[i % width] : 1)
        }
    }

    var outputActivation: Activation {
        if data.isRegression { return input.parameters.loss == .poisson ? .exp : .identity }
        return data.classCount > 2 ? .softmax : .logistic
    }

    func layerSizes(_ parameters: MLPParameters) -> [Int] {
        [data.trainX.columns] + parameters.hiddenLayerSizes + [outputCount]
    }
}
