import MLP

// What `mlp train` makes of the live monitors: one warning line per symptom, with its id from `mlp diagnose`'s
// vocabulary and the flags of its fix, and the JSON of a run that blew up (no model is written then).

/// One warning line per monitor finding: "[id] what was seen (fix: flags)".
enum TrainMonitor {
    /// The `mlp train` flags that fix `id` for this configuration (empty when there is no flag to give).
    static func fix(_ id: FindingID, parameters p: MLPParameters, scaling: ScalerKind) -> [String] {
        // L-BFGS chooses its own step: only scaling can help it.
        let smallerStep = p.solver == .lbfgs ? [] : ["--learning-rate-init", String(p.learningRateInit / 10)]
        switch id {
        case .notConverged: return ["--max-iter", String(2 * p.maxIter)]
        case .oscillatingLoss, .learningRateTooHigh: return smallerStep
        case .explodingGradient: return smallerStep + (scaling == .none ? ["--scale", "standard"] : [])
        case .saturatedUnits: return (scaling == .none ? ["--scale", "standard"] : []) + ["--activation", "relu"]
        case .deadUnits: return ["--activation", "leaky_relu"]
        case .unscaledTarget: return ["--scale-target", "standard"]
        case .unscaledFeatures: return ["--scale", "standard"]
        default: return []
        }
    }

    /// The line for a finding: its id, the message, and the fix flags when there are any.
    static func line(_ id: FindingID, _ message: String, fix: [String]) -> String {
        "[\(id.rawValue)] \(message)" + (fix.isEmpty ? "" : " (fix: \(fix.joined(separator: " ")))")
    }

    /// A library warning on one line. L-BFGS's ConvergenceWarning is scikit-learn's several lines, of which the first
    /// two say what happened (the others give the advice that the fix flags give); every other warning is one line.
    static func oneLine(_ warning: MLPWarning) -> String {
        warning.kind == .convergence ? warning.message.split(separator: "\n").prefix(2).joined(separator: " ") : warning.message
    }

    /// The lines for the estimator's warnings. The max_iter ConvergenceWarning is said in scikit-learn's words.
    static func lines(_ warnings: [MLPWarning], parameters p: MLPParameters, scaling: ScalerKind) -> [String] {
        warnings.compactMap { warning in
            // The unscaled-target note comes from the data (TargetCheck) before training, honouring --scale-target.
            if warning.findingID == .unscaledTarget { return nil }
            var message = warning.message
            if warning.kind == .convergence {
                message = p.solver == .lbfgs
                    ? oneLine(warning)
                    : "Maximum iterations (\(p.maxIter)) reached and the optimization hasn't converged yet."
            }
            guard let id = warning.findingID else { return message }
            return line(id, message, fix: fix(id, parameters: p, scaling: scaling))
        }
    }
}

/// `mlp train --json` for a run that blew up: no model, `converged` false, the stop reason and the curve so far
/// (a non-finite loss as null).
struct DivergedTrainJSON: Encodable {
    var n_iter: Int
    var loss_curve: [Double?]
    var converged = false
    var diverged = true
    var stop_reason: String
    var finding: String = FindingID.explodingGradient.rawValue
    var fix: [String]
    /// No model was written: null, so the key is always there.
    @NullWhenNil var model: String? = nil
}
