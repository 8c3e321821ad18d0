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

    /// A fix helps when its runs beat the baseline's run for run (one-sided Wilcoxon signed-rank test on the
    /// paired differences, p ≤ 0.05: with five random states all five must gain; borderline cases get five more)
    /// and its median gain exceeds the standard error of the held-out score, so that it would likely hold on
    /// other rows too.
    func helps(_ before: TrialSummary, _ after: TrialSummary, _ candidate: Candidate? = nil) -> Bool {
        // A gain from below chance to chance is no fix: the fix's own score must stand above chance.
        if after.score - before.score > minimumGain(before) && pValue(before, after) <= Self.significance
            && beatsChance(after) { return true }
        guard let candidate, candidate.symptomMeasured, after.score >= before.score - minimumGain(before) else { return false }
        // Lower loss run for run (same test), the held-out score no worse: training faster, or overfitting less. Like
        // with like: the training loss curve includes the L2 penalty, so a fix that changes the penalty (alpha) or its
        // units (the target's scale) is judged on the training rows' loss without it.
        let loss: (TrialRun) -> Double = candidate.comparesHeldOutLoss ? { $0.validationLoss }
            : sameObjective(candidate.setup) ? { $0.finalLoss } : { $0.trainDataLoss }
        let count = min(before.runs.count, after.runs.count)
        let drops = (0..<count).map { i -> Double in
            let a = loss(before.runs[i]), b = loss(after.runs[i])
            if a.isFinite && b.isFinite { return a - b }
            return a.isFinite ? -Double.greatestFiniteMagnitude : (b.isFinite ? Double.greatestFiniteMagnitude : 0)
        }
        let medianBefore = Statistics.median(before.runs.map(loss)), medianAfter = Statistics.median(after.runs.map(loss))
        // The drop must exceed the standard error of a mean loss over the rows (relative √(2/n), as for R² in
        // `minimumGain`): a loss a ten-thousandth lower on a plateau is no proof, however consistent.
        let relativeError = (2 / Double(max(input.features.rows, 1))).squareRoot()
        guard medianAfter < medianBefore * (1 - relativeError) else { return false }
        // Training further proves nothing when the held-out rows pay for it (memorized noise): their loss must not
        // rise by more than its standard error.
        if !candidate.comparesHeldOutLoss, after.validationLoss > before.validationLoss * (1 + relativeError) { return false }
        return RankTest.signedRankPValue(drops) <= Self.significance
    }

    /// Whether `setup`'s training loss curve is in the given configuration's terms: the same L2 penalty, in the same
    /// units (a standardized target's penalty is scaled back with the loss, by the target's variance).
    func sameObjective(_ setup: TrialSetup) -> Bool {
        setup.parameters.alpha == baselineSetup.parameters.alpha && setup.scaleTarget == baselineSetup.scaleTarget
    }

    /// The standard error of the held-out score from its finite rows (never below one row's share).
    /// Balanced accuracy: √(Σ r(1 − r)/n_c) / k over the classes' recalls r and held-out counts n_c.
    /// R²: (1 − R²)·√(2/n), the relative error of a mean of n squared Gaussian residuals.
    func minimumGain(_ before: TrialSummary) -> Double {
        let n = Double(max(input.features.rows, 1))
        var error: Double
        if !data.isRegression {
            let counts = recallGroupCounts
            let middle = before.runs.sorted { $0.score < $1.score }[before.runs.count / 2]
            var sum = 0.0, present = 0.0
            for (c, recall) in middle.recalls.enumerated() where counts[c] > 0 && !recall.isNaN {
                sum += recall * (1 - recall) / counts[c]
                present += 1
            }
            error = present > 0 ? sum.squareRoot() / present : 0
        } else {
            error = max(1 - before.score, 0) * (2 / n).squareRoot()
        }
        return max(error, 1 / n)
    }

    /// Chance level: balanced accuracy 1/k over the k classes present, R² 0 (predicting the mean).
    var chanceLevel: Double {
        switch input.target {
        case .classes(let classes, _): return 1 / Double(max(Set(classes).count, 1))
        case .labelIndicators: return 0.5
        case .values, .valueColumns: return 0
        }
    }

    /// Rows per group of the classification metric over every row (`PreparedData.recallGroupCount`): per class, or
    /// per label its 0 rows then its 1 rows.
    var recallGroupCounts: [Double] {
        var counts = [Double](repeating: 0, count: data.recallGroupCount)
        switch input.target {
        case .classes(let classes, _): for c in classes { counts[c] += 1 }
        case .labelIndicators(let indicators, _):
            for (i, v) in indicators.storage.enumerated() { counts[2 * (i % indicators.columns) + (v == 1 ? 1 : 0)] += 1 }
        case .values, .valueColumns: break
        }
        return counts
    }

    /// Whether a configuration scores above chance: a one-sided z-test on its mean held-out score (the runs' folds
    /// partition the rows, so the mean has the standard error of one score over every row held out), with the
    /// standard error at chance, at the significance level divided among the configurations compared (Bonferroni:
    /// with no signal, one of seven configurations would pass a 5% test one time in three).
    func beatsChance(_ summary: TrialSummary) -> Bool {
        guard !summary.runs.isEmpty else { return false }
        let chance = chanceLevel
        // The share of the rows the runs held out: one fold per run, each fold once.
        let coverage = Double(min(summary.runs.count, trainer.folds.count)) / Double(trainer.folds.count)
        var error: Double
        if !data.isRegression {
            let counts = recallGroupCounts.map { $0 * coverage }
            let present = counts.filter { $0 > 0 }
            error = (present.map { chance * (1 - chance) / $0 }.reduce(0, +)).squareRoot() / Double(max(present.count, 1))
        } else {
            error = (2 / max(Double(input.features.rows) * coverage, 1)).squareRoot()
        }
        let mean = summary.runs.map(\.score).reduce(0, +) / Double(summary.runs.count)
        let level = Self.significance / Double(max(configurationsCompared, 1))
        return mean - chance > Self.normalQuantile(1 - level) * error
    }

    /// The standard normal's p-quantile (bisection on the complementary error function; p in (0, 1)).
    static func normalQuantile(_ p: Double) -> Double {
        var low = -40.0, high = 40.0
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if 1 - 0.5 * erfc(middle / 2.0.squareRoot()) < p { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }

    static let significance = 0.05

    /// The one-sided signed-rank test on the runs' paired differences (same fold, same run index).
    func pValue(_ before: TrialSummary, _ after: TrialSummary) -> Double {
        let count = min(before.runs.count, after.runs.count)
        return RankTest.signedRankPValue((0..<count).map { after.runs[$0].score - before.runs[$0].score })
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
                rangeTest = LearningRateRangeTest(parameters: input.parameters, layerSizes: layerSizes(input.parameters),
                                                  outputActivation: outputActivation, x: scaledInputs.train,
                                                  target: fittedTarget, targetWidth: data.targetWidth, seed: UInt64(input.parameters.randomState ?? 0),
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
            // A gain the rank test finds suggestive but not significant gets as many runs again, for both sides
            // (ties at a perfect score are what five runs cannot break).
            let p = pValue(baseline, summary)
            if p > Self.significance, p <= 0.25, summary.score - baseline.score > minimumGain(baseline),
               elapsed + 2 * projected + runSeconds <= input.timeBudget {
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

    // MARK: Candidate fixes

    func candidateFixes(baseline: TrialSummary, probed: [ProbeMeasurement],
                        rangeTest: LearningRateRangeTest?) -> [Candidate] {
        let p = input.parameters
        var candidates: [Candidate] = []
        let overfitting = overfits(baseline)
        func candidate(_ id: FindingID, _ name: String, slots: Set<String>, fix: [String], evidence: [String: Double] = [:],
                       cost: Double = 1, symptom: Bool = false, heldOutLoss: Bool = false,
                       change: (inout TrialSetup) -> Void) {
            var setup = baselineSetup
            change(&setup)
            candidates.append(Candidate(id: id, slots: slots, setup: setup, fix: fix, evidence: evidence,
                                        costFactor: cost, name: name, symptomMeasured: symptom,
                                        comparesHeldOutLoss: heldOutLoss || overfitting))
        }
        // An order of magnitude from unit scale: what Glorot initialization and default steps assume.
        func offScale(mean: Double, std: Double) -> Bool { std > 10 || (std > 0 && std < 0.1) || abs(mean) > 10 * max(std, 0.1) }

        // Inputs the network sees unscaled: standardize them.
        if input.scaling == .none {
            let (mean, std) = Statistics.columnMoments(data.trainX.storage, rows: data.trainX.rows, columns: data.trainX.columns)
            candidate(.unscaledFeatures, "scale inputs", slots: ["inputs"], fix: ["--scale", "standard"],
                      evidence: featureScaleEvidence(), symptom: zip(mean, std).contains { offScale(mean: $0, std: $1) }) {
                $0.scaling = .standard
            }
        }
        // Standardizing a target already within a factor of two of unit scale changes nothing a step cannot absorb.
        // Not when it is already standardized, nor for the Poisson loss (it refuses the negative values). Several
        // columns are judged one by one (--scale-target standardizes each apart): any column off scale calls for it.
        let (targetMeans, targetStds) = data.trainTargetMoments
        let offUnit = zip(targetMeans, targetStds).map { mean, std in std > 2 || std < 0.5 || abs(mean) > std }
        if data.isRegression && !input.scaleTarget && p.loss != .poisson && offUnit.contains(true) {
            candidate(.unscaledTarget, "scale target", slots: ["target"], fix: ["--scale-target", "standard"],
                      evidence: targetScaleEvidence(), symptom: zip(targetMeans, targetStds).contains(where: offScale)) {
                $0.scaleTarget = true
            }
            // Name the columns that call for it, the one the evidence describes first.
            let names = input.target.columnNames, first = targetScaleColumn
            if !names.isEmpty {
                candidates[candidates.count - 1].targetColumns = [names[first]]
                    + offUnit.indices.filter { offUnit[$0] && $0 != first }.map { names[$0] }
            }
        }
        if let classes = data.trainClasses, p.classWeight == nil {
            var counts = [Int](repeating: 0, count: data.classCount)
            for c in classes { counts[c] += 1 }
            let present = counts.filter { $0 > 0 }
            let ratio = Double(present.min() ?? 1) / Double(present.max() ?? 1)
            // Balanced weights are n / (k · count): they change the loss by more than ×2 only below a 1:2 ratio.
            if ratio < 0.5 {
                var evidence = ["minority_over_majority": ratio]
                let recalls = baseline.runs.first?.recalls.filter { !$0.isNaN } ?? []
                if let low = recalls.min(), let high = recalls.max() {
                    evidence["lowest_recall"] = low
                    evidence["highest_recall"] = high
                }
                candidate(.classImbalance, "balanced class weights", slots: ["weights"],
                          fix: ["--class-weight", "balanced"], evidence: evidence) {
                    $0.parameters.classWeight = .balanced
                }
            }
        }
        let hiddenLayers = p.hiddenLayerSizes.count
        let saturated = probed.last?.saturatedShare.max() ?? 0
        if (p.activation == .logistic || p.activation == .tanh) && (hiddenLayers >= 2 || saturated > 0) {
            let ratios = probed.map(gradientRatio).filter(\.isFinite)
            let ratio = ratios.isEmpty ? Double.nan : Statistics.median(ratios)
            // Each logistic layer passes at most a quarter of the gradient on: an order of magnitude lost between
            // the first and the last layer is a vanishing gradient; otherwise the units' saturation is the cause.
            let id: FindingID = ratio < 0.1 ? .vanishingGradient : .saturatedUnits
            candidate(id, "relu", slots: ["activation"], fix: ["--activation", "relu"],
                      evidence: ["gradient_first_over_last": ratio, "saturated_share": saturated,
                                 "hidden_layers": Double(hiddenLayers)]) { $0.parameters.activation = .relu }
        }
        let dead = probed.last?.deadShare.max() ?? 0
        // More dead units than live ones in a layer: a capacity loss that can matter; a few never do.
        if p.activation == .relu && dead >= 0.5 {
            candidate(.deadUnits, "leaky relu", slots: ["activation"], fix: ["--activation", "leaky_relu"],
                      evidence: ["dead_share": dead]) { $0.parameters.activation = .leakyRelu }
        }
        // A hidden layer whose live units are fewer than the outputs cannot carry what the output needs: too
        // narrow as configured (underfitting), or narrowed by units that died (dead units).
        let deadShares = probed.last?.deadShare ?? []
        let alive = p.hiddenLayerSizes.enumerated().map { l, width in
            Double(width) * (1 - (l < deadShares.count ? deadShares[l] : 0))
        }
        let narrowest = p.hiddenLayerSizes.min() ?? 0, narrowestAlive = alive.min() ?? 0
        if narrowestAlive < Double(max(outputCount, 2)) {
            let id: FindingID = Double(narrowest) >= Double(max(outputCount, 2)) ? .deadUnits : .underfitting
            let widths = p.hiddenLayerSizes.map { max(4 * $0, data.trainX.columns, outputCount, 16) }
            // Cost ∝ weights, plus a per-row overhead of about a thousand weights' work (reading, shuffling, loss).
            let growth = 1000 + Double(zip(layerSizes(p).dropLast(), layerSizes(p).dropFirst()).map(*).reduce(0, +))
            var wider = p
            wider.hiddenLayerSizes = widths
            let grown = 1000 + Double(zip(layerSizes(wider).dropLast(), layerSizes(wider).dropFirst()).map(*).reduce(0, +))
            candidate(id, "wider net", slots: ["width"],
                      fix: ["--hidden-layer-sizes", widths.map(String.init).joined(separator: ",")],
                      evidence: ["narrowest_layer": Double(narrowest), "narrowest_live_units": narrowestAlive, "dead_share": dead,
                                 "train_score": baseline.trainScore],
                      cost: max(1, grown / max(growth, 1))) { $0.parameters.hiddenLayerSizes = widths }
        }
        if p.solver != .lbfgs {
            candidates += stepCandidates(baseline: baseline, probed: probed, rangeTest: rangeTest)
        }
        if p.solver == .sgd && p.momentum == 0 {
            candidate(.slowOptimizer, "momentum 0.9", slots: ["optimizer"], fix: ["--momentum", "0.9"]) {
                $0.parameters.momentum = 0.9
            }
            candidate(.slowOptimizer, "adam", slots: ["optimizer", "step"],
                      fix: ["--solver", "adam", "--learning-rate-init", "0.001"]) {
                $0.parameters.solver = .adam
                $0.parameters.learningRateInit = 1e-3
            }
        }
        let gap = baseline.trainScore - baseline.score
        if overfitting {
            let evidence = ["train_score": baseline.trainScore, "validation_score": baseline.score, "gap": gap]
            // The penalty over decades, from scikit-learn's default: weight decay matters on this scale.
            for factor in [1e2, 1e4] {
                let alpha = TrainFlags.number(max(p.alpha, 1e-4) * factor)
                candidate(.overfitting, "alpha \(alpha)", slots: ["regularization"], fix: ["--alpha", alpha],
                          evidence: evidence, symptom: true, heldOutLoss: true) { $0.parameters.alpha = Double(alpha)! }
            }
            if !p.earlyStopping && data.trainX.rows >= 20 {
                candidate(.overfitting, "early stopping", slots: ["regularization"], fix: ["--early-stopping"],
                          evidence: evidence, symptom: true, heldOutLoss: true) { $0.parameters.earlyStopping = true }
            }
        }
        return candidates
    }

    /// Whether the given configuration overfits: its training score exceeds its held-out score by more than the
    /// score's standard error, run for run (the signed-rank test). Then training further is no gain, and a fix for a
    /// measured symptom is judged on the held-out loss.
    func overfits(_ baseline: TrialSummary) -> Bool {
        baseline.trainScore - baseline.score > minimumGain(baseline)
            && RankTest.signedRankPValue(baseline.runs.map { $0.trainScore - $0.score }) <= Self.significance
    }

    /// First over last layer's gradient RMS.
    func gradientRatio(_ m: ProbeMeasurement) -> Double {
        guard let first = m.gradientRMS.first, let last = m.gradientRMS.last, last > 0 else { return .nan }
        return first / last
    }

    func featureScaleEvidence() -> [String: Double] {
        let (mean, std) = Statistics.columnMoments(data.trainX.storage, rows: data.trainX.rows, columns: data.trainX.columns)
        let spreads = std.filter { $0 > 0 }
        let offsets = zip(mean, std).filter { $0.1 > 0 }.map { abs($0.0) / $0.1 }
        return ["largest_std": spreads.max() ?? 0, "smallest_std": spreads.min() ?? 0,
                "std_ratio": (spreads.max() ?? 1) / (spreads.min() ?? 1),
                "largest_abs_mean_over_std": offsets.max() ?? 0]
    }

    /// The target's mean and standard deviation; of several columns, those of the column farthest from unit scale
    /// (`targetScaleColumn`), with `target_column` its 0-based index.
    func targetScaleEvidence() -> [String: Double] {
        let (means, stds) = data.trainTargetMoments
        let column = targetScaleColumn
        var evidence = ["target_mean": means[column], "target_std": stds[column]]
        if data.targetWidth > 1 { evidence["target_column"] = Double(column) }
        return evidence
    }

    /// The target column farthest from unit scale: the largest |log₁₀ std| or |mean|/std, whichever is larger.
    var targetScaleColumn: Int {
        let (means, stds) = data.trainTargetMoments
        func distance(_ c: Int) -> Double {
            let std = stds[c]
            return std > 0 ? max(abs(log10(std)), log10(max(abs(means[c]) / std, 1))) : -.infinity
        }
        return (0..<data.targetWidth).max { distance($0) < distance($1) } ?? 0
    }

    // MARK: Findings

    func effect(_ before: TrialSummary, _ after: TrialSummary) -> Effect {
        Effect(metric: trainer.metricName, before: before.score, after: after.score)
    }

    /// One finding per id: its best ablation; a problem when that ablation helps, info otherwise.
    func ablationFindings(_ ablations: [Ablation], baseline: TrialSummary) -> [Finding] {
        // Per id, the ablation that helps with the highest score; failing that, the highest score.
        var best: [FindingID: Ablation] = [:], demoted: FindingID?
        for ablation in ablations {
            if let current = best[ablation.candidate.id] {
                let currentHelps = helps(baseline, current.summary, current.candidate)
                let thisHelps = helps(baseline, ablation.summary, ablation.candidate)
                if currentHelps && !thisHelps { continue }
                if currentHelps == thisHelps && current.summary.score >= ablation.summary.score { continue }
            }
            best[ablation.candidate.id] = ablation
        }
        // The step cannot be too high and too low at once: when a smaller and a larger step both help (a step that
        // overfits, say, where either change stops it short), only the one that gains more is the finding.
        if let high = best[.learningRateTooHigh], let low = best[.learningRateTooLow],
           helps(baseline, high.summary, high.candidate), helps(baseline, low.summary, low.candidate) {
            demoted = high.summary.score >= low.summary.score ? .learningRateTooLow : .learningRateTooHigh
        }
        let target = baseline.finalLoss
        return best.values.map { ablation in
            var evidence = ablation.candidate.evidence
            evidence["spread_before"] = baseline.spread
            evidence["spread_after"] = ablation.summary.spread
            evidence["p_value"] = pValue(baseline, ablation.summary)
            evidence["score_standard_error"] = minimumGain(baseline)
            evidence["final_loss_before"] = baseline.finalLoss
            evidence["final_loss_after"] = ablation.summary.finalLoss
            evidence["held_out_loss_before"] = baseline.validationLoss
            evidence["held_out_loss_after"] = ablation.summary.validationLoss
            evidence["train_data_loss_before"] = baseline.trainDataLoss
            evidence["train_data_loss_after"] = ablation.summary.trainDataLoss
            if target.isFinite {
                evidence["epochs_to_target_before"] = baseline.epochsToLoss(target)
                evidence["epochs_to_target_after"] = ablation.summary.epochsToLoss(target)
            }
            let proven = ablation.candidate.id != demoted && helps(baseline, ablation.summary, ablation.candidate)
            var finding = Finding(id: ablation.candidate.id, severity: proven ? .problem : .info,
                                  evidence: evidence.filter { $0.value.isFinite }, fix: ablation.candidate.fix,
                                  effect: effect(baseline, ablation.summary))
            finding.targetColumns = ablation.candidate.targetColumns
            return finding
        }
    }

    /// Symptoms with no ablation of their own: warnings that back the step findings, or say what to try next.
    func symptomFindings(baseline: TrialSummary, shape: LossCurveShape, probed: [ProbeMeasurement],
                         ablations: [Ablation]) -> [Finding] {
        var findings: [Finding] = []
        let smallerStep = ablations.filter { $0.candidate.id == .learningRateTooHigh }
            .max { $0.summary.score < $1.summary.score }
        let stepEffect = smallerStep.map { effect(baseline, $0.summary) }
        if shape.diverged || baseline.divergedShare > 0 {
            let growth = (probed.last?.gradientRMS.max() ?? .nan) / (probed.first?.gradientRMS.max() ?? .nan)
            findings.append(Finding(id: .explodingGradient, severity: .warning,
                                    evidence: ["peak_loss_over_first": shape.peakOverFirst,
                                               "diverged_share": baseline.divergedShare,
                                               "gradient_growth": growth].filter { $0.value.isFinite },
                                    fix: smallerStep?.candidate.fix ?? [], effect: stepEffect))
        } else if shape.zigzags && shape.lateDropShare >= 0 && shape.finalLoss > 0.5 * shape.firstLoss {
            // More than half of noise's 2/3 sign changes while the loss has not even halved.
            findings.append(Finding(id: .oscillatingLoss, severity: .warning,
                                    evidence: ["sign_change_share": shape.signChangeShare,
                                               "final_over_first_loss": shape.finalLoss / shape.firstLoss],
                                    fix: smallerStep?.candidate.fix ?? [], effect: stepEffect))
        }
        let maxIter = input.parameters.maxIter
        // More epochs cannot settle a loss that climbs or zigzags: that is the step's finding, not this one.
        if !shape.diverged, input.parameters.solver != .lbfgs, baseline.epochs >= Double(maxIter),
           !isMostlyUnstable(baseline) {
            findings.append(Finding(id: .notConverged, severity: .warning,
                                    evidence: ["epochs": baseline.epochs, "late_drop_share": shape.lateDropShare],
                                    fix: ["--max-iter", String(2 * maxIter)], effect: nil))
        }
        return findings
    }

    /// Candidates the time budget left out whose symptom was measured (inputs or target off unit scale, an unstable
    /// loss, a significant train/held-out gap): warnings with the fix to try, one per id, no effect.
    func skippedSymptomFindings(_ unmeasured: [Candidate], measured: [Ablation]) -> [Finding] {
        var findings: [Finding] = []
        for candidate in unmeasured where candidate.symptomMeasured {
            let id = candidate.id
            guard !measured.contains(where: { $0.candidate.id == id }), !findings.contains(where: { $0.id == id }) else { continue }
            var finding = Finding(id: id, severity: .warning, evidence: candidate.evidence.filter { $0.value.isFinite },
                                  fix: candidate.fix, effect: nil)
            finding.targetColumns = candidate.targetColumns
            findings.append(finding)
        }
        return findings
    }

    /// Problems first, along the causal chain: the data before the architecture before the optimizer before the
    /// regularization (a step tuned to an unscaled target only compensates; once the data is fixed the other
    /// effects change), each link by measured gain. Then warnings, then info.
    func rank(_ findings: [Finding]) -> [Finding] {
        findings.sorted { a, b in
            if a.severity != b.severity { return a.severity < b.severity }
            if a.severity == .problem, Self.causalOrder(a.id) != Self.causalOrder(b.id) {
                return Self.causalOrder(a.id) < Self.causalOrder(b.id)
            }
            return (a.effect?.gain ?? -.infinity) > (b.effect?.gain ?? -.infinity)
        }
    }

    static func causalOrder(_ id: FindingID) -> Int {
        switch id {
        case .unscaledFeatures, .unscaledTarget, .classImbalance: return 0
        case .vanishingGradient, .saturatedUnits, .underfitting: return 1
        // Units mostly die of a step too large, so they rank with the step by measured gain.
        case .deadUnits, .learningRateTooHigh, .learningRateTooLow, .slowOptimizer, .explodingGradient, .oscillatingLoss: return 2
        case .overfitting, .notConverged: return 3
        }
    }

    // MARK: Recommendation

    /// The fixes that help (the problems' ablations), in the findings' order (causal chain, then gain), one per slot,
    /// combined and measured. The combination, the first-ranked fix alone and the highest-scoring fix alone compete on
    /// their median score; within one standard error of the best, the option that keeps the first-ranked fix wins.
    mutating func recommend(_ ablations: [Ablation], baseline: TrialSummary, ranked: [Finding],
                            regression: Bool) -> Recommendation {
        let order = ranked.map(\.id)
        let proven = Set(ranked.filter { $0.severity == .problem }.map(\.id))
        let helping = ablations.filter { proven.contains($0.candidate.id) && helps(baseline, $0.summary, $0.candidate) }.sorted { a, b in
            let ia = order.firstIndex(of: a.candidate.id) ?? order.count, ib = order.firstIndex(of: b.candidate.id) ?? order.count
            return ia != ib ? ia < ib : a.summary.score > b.summary.score
        }
        var chosen: [Ablation] = [], slots: Set<String> = []
        for ablation in helping where ablation.candidate.slots.isDisjoint(with: slots)
            && !chosen.contains(where: { $0.candidate.id == ablation.candidate.id }) {
            chosen.append(ablation)
            slots.formUnion(ablation.candidate.slots)
        }
        guard let first = chosen.first else {
            return Recommendation(flags: TrainFlags.render(baselineSetup, regression: regression),
                                  before: baseline.summary(), after: baseline.summary(), combines: [])
        }
        var options: [(setup: TrialSetup, summary: TrialSummary, ids: [FindingID])] = [
            (first.candidate.setup, first.summary, [first.candidate.id]),
        ]
        if let top = chosen.max(by: { $0.summary.score < $1.summary.score }), top.candidate.id != first.candidate.id {
            options.append((top.candidate.setup, top.summary, [top.candidate.id]))
        }
        if chosen.count > 1 {
            var combined = baselineSetup
            for ablation in chosen { apply(ablation.candidate.setup, to: &combined) }
            if elapsed + elapsed / Double(max(ablations.count + 1, 1)) <= input.timeBudget {
                let summary = trainer.run(combined)
                lossCurves.append(("recommended", summary.runs.first?.lossCurve ?? []))
                options.append((combined, summary, chosen.map(\.candidate.id)))
            } else {
                skipped.append("combined recommendation")
            }
        }
        // Within one standard error of the best score, measured where that score lies (the baseline's error can be
        // far wider: an R² of −900 would make every option a tie): first the options that keep the first-ranked
        // fix, then the one that combines more fixes, then the higher score.
        let top = options.max { $0.summary.score < $1.summary.score }!
        let tolerance = minimumGain(top.summary)
        let best = options.filter { !(top.summary.score - $0.summary.score > tolerance) }.max { a, b in
            let aKeeps = a.ids.contains(first.candidate.id), bKeeps = b.ids.contains(first.candidate.id)
            if aKeeps != bKeeps { return bKeeps }
            if a.ids.count != b.ids.count { return a.ids.count < b.ids.count }
            return a.summary.score < b.summary.score
        }!
        return Recommendation(flags: TrainFlags.render(best.setup, regression: regression), before: baseline.summary(),
                              after: best.summary.summary(), combines: best.ids)
    }

    /// Copies what `changed` changes relative to the user's configuration into `setup`.
    func apply(_ changed: TrialSetup, to setup: inout TrialSetup) {
        let base = baselineSetup
        if changed.scaling != base.scaling { setup.scaling = changed.scaling }
        if changed.scaleTarget != base.scaleTarget { setup.scaleTarget = changed.scaleTarget }
        var p = setup.parameters
        let c = changed.parameters, b = base.parameters
        if c.learningRateInit != b.learningRateInit { p.learningRateInit = c.learningRateInit }
        if c.solver != b.solver { p.solver = c.solver }
        if c.momentum != b.momentum { p.momentum = c.momentum }
        if c.activation != b.activation { p.activation = c.activation }
        if c.hiddenLayerSizes != b.hiddenLayerSizes { p.hiddenLayerSizes = c.hiddenLayerSizes }
        if c.classWeight != b.classWeight { p.classWeight = c.classWeight }
        if c.alpha != b.alpha { p.alpha = c.alpha }
        if c.earlyStopping != b.earlyStopping { p.earlyStopping = c.earlyStopping }
        setup.parameters = p
    }
}
