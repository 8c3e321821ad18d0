import MLPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The fixes worth measuring, each from a symptom the baseline and the probe measured.
extension DiagnosisSession {
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
        // Inputs the network sees unscaled: standardize them.
        if input.scaling == .none {
            let (mean, std) = Statistics.columnMoments(data.trainX.storage, rows: data.trainX.rows, columns: data.trainX.columns)
            candidate(.unscaledFeatures, "scale inputs", slots: ["inputs"], fix: ["--scale", "standard"],
                      evidence: featureScaleEvidence(), symptom: zip(mean, std).contains(where: UnitScale.isFarOff)) {
                $0.scaling = .standard
            }
        }
        // A target beyond a factor of two of unit scale; not when it is already standardized, nor for the Poisson
        // loss (it refuses the negative values). Several columns are judged one by one (--scale-target standardizes
        // each apart): any column off scale calls for it.
        let (targetMeans, targetStds) = data.trainTargetMoments
        let offUnit = zip(targetMeans, targetStds).map(UnitScale.isOff)
        if data.isRegression && !input.scaleTarget && p.loss != .poisson && offUnit.contains(true) {
            candidate(.unscaledTarget, "scale target", slots: ["target"], fix: ["--scale-target", "standard"],
                      evidence: targetScaleEvidence(), symptom: zip(targetMeans, targetStds).contains(where: UnitScale.isFarOff)) {
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
}
