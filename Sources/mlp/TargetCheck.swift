import MLP

/// Checks on a target column that name the option to change.
enum TargetCheck {
    /// A note when a classifier's numeric target has so many distinct values that it looks continuous
    /// (diabetes' 214 values in 442 rows), suggesting --regression; nil otherwise.
    static func continuousTargetNote(_ table: DataTable) -> String? {
        guard let labels = try? ClassLabels(table.targetLabels), labels.isNumeric else { return nil }
        let classCount = labels.classes.count
        guard classCount > max(20, table.rowCount / 10) else { return nil }
        return "the target '\(table.targetName ?? "")' has \(classCount) distinct numeric values in \(table.rowCount) "
            + "rows, so the classifier learns \(classCount) classes; if it is a quantity, add --regression"
    }

    /// A note when a regression target is far from unit scale and --scale-target was not given: the bare
    /// MLPRegressor (scikit-learn's default, kept for parity) fits such targets badly; nil otherwise.
    static func unscaledTargetNote(_ table: DataTable) -> String? {
        guard let found = table.firstUnscaledTarget else { return nil }
        return "the target '\(table.targetNames[found.column])' has mean \(Output.significant(found.mean)) and standard "
            + "deviation \(Output.significant(found.deviation)); a network fits a standardized target far better: add "
            + "--scale-target standard (or --scale-target none to keep scikit-learn's bare MLPRegressor and silence this note)"
    }

    /// The estimator's message with the option that controls it, where scikit-learn's words name a parameter.
    static func withOption(_ message: String) -> String {
        if message.contains("test_size") || message.contains("validation") {
            return message + " (the early-stopping split: raise --validation-fraction or turn off --early-stopping)"
        }
        return message
    }
}

/// Why training stopped, in words, from the fitted attributes.
struct StopReason {
    var text: String
    /// "epoch" for sgd/adam, "iteration" for L-BFGS.
    var unit: String

    init(metadata m: ModelMetadata, converged: Bool) {
        let p = m.parameters
        unit = p.solver == .lbfgs ? "iteration" : "epoch"
        if !converged {
            text = p.solver == .lbfgs && m.nIter < p.maxIter
                ? "L-BFGS stopped before converging (max_fun=\(p.maxFun) function evaluations or a failed line search)"
                : "max_iter=\(p.maxIter) reached without converging"
        } else if p.solver == .lbfgs {
            text = "L-BFGS converged (the gradient or the loss change fell below tol=\(p.tol))"
        } else if p.earlyStopping {
            text = "early stopping: the validation score did not improve by tol=\(p.tol) for "
                + "n_iter_no_change=\(Output.significant(p.nIterNoChange)) epochs"
        } else {
            text = "the training loss did not improve by tol=\(p.tol) for n_iter_no_change=\(Output.significant(p.nIterNoChange)) epochs"
        }
    }
}
