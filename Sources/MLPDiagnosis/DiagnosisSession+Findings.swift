import MLPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Findings from the ablations and the symptoms, ranked along the causal chain.
extension DiagnosisSession {
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
}
