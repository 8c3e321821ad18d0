// Typed errors and warnings of the estimators. Messages follow scikit-learn's wording where it
// has one, so users can search for them; where sklearn has none (or a poor one) they say what to do.

/// An error from an MLP estimator. `description` is a one- or two-line message a user can act on.
public enum MLPError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A hyper-parameter outside its allowed range, in sklearn's shape:
    /// "The 'alpha' parameter of MLPClassifier must be a float in the range [0.0, inf). Got -1.0 instead."
    case invalidParameter(String)
    /// NaN or infinity in the input. `what` is "X", "y" or "sample_weight".
    case nonFiniteInput(what: String, row: Int, column: Int, value: Double)
    /// No samples, or no features.
    case emptyData(String)
    /// X's column count differs from the one seen at fit.
    case featureCountMismatch(got: Int, expected: Int, estimator: String)
    /// X and y (or sample_weight) row counts differ.
    case inconsistentLength(String)
    /// A classifier's target has a single class.
    case singleClass(ClassLabel)
    /// Labels not among the classes fixed by the first fit / partial_fit.
    case unseenLabels(known: [ClassLabel], unseen: [ClassLabel])
    /// A classifier was given real-valued (non-integral) targets.
    case continuousTarget
    /// partial_fit without `classes` on the first call, or other misuse of partial_fit.
    case partialFit(String)
    /// warm_start with different classes.
    case warmStartClassesChanged(previous: [ClassLabel], now: [ClassLabel])
    /// Early-stopping validation split too small.
    case validationSetTooSmall
    /// Predicting (or continuing) before any fit.
    case notFitted(String)
    /// Poisson regression with negative targets.
    case negativeTargetForPoisson
    /// Training blew up (the loss above 10³ × the first epoch's, or non-finite loss or weights); the model keeps
    /// the weights of the epoch before.
    case diverged(epoch: Int, detail: String)
    /// Invalid class_weight (unknown class, a negative or non-finite weight, every training row weighted 0,
    /// multilabel).
    case invalidClassWeight(String)
    /// Sample weights that make the weighted loss meaningless: negative, all 0, or 0 over a whole minibatch.
    case invalidSampleWeight(String)

    /// The message to show the user: what went wrong and, where it helps, what to do about it.
    public var description: String {
        switch self {
        case .invalidParameter(let m): return m
        case .nonFiniteInput(let what, let row, let column, let value):
            let v = value.isNaN ? "NaN" : "infinity"
            let where_ = what == "X" ? "row \(row), column \(column)" : "row \(row)"
            return "Input \(what) contains \(v) (\(where_), 0-based). Remove or impute non-finite values before training."
        case .emptyData(let m): return m
        case .featureCountMismatch(let got, let expected, let estimator):
            return "X has \(got) features, but \(estimator) is expecting \(expected) features as input."
        case .inconsistentLength(let m): return m
        case .singleClass(let c):
            return "The target has only one class (\(c)); a classifier needs at least two classes."
        case .unseenLabels(let known, let unseen):
            return "`y` has classes not in `classes`: \(Self.list(unseen)). Known classes are \(Self.list(known))."
        case .continuousTarget:
            return "Unknown label type: continuous. A classifier needs discrete labels (integers or strings); use MLPRegressor for real-valued targets."
        case .partialFit(let m): return m
        case .warmStartClassesChanged(let previous, let now):
            return "warm_start can only be used where `y` has the same classes as in the previous call to fit. Previously got \(Self.list(previous)), `y` has \(Self.list(now))"
        case .validationSetTooSmall:
            return "The validation set is too small. Increase 'validation_fraction' or the size of your dataset."
        case .notFitted(let estimator):
            return "This \(estimator) instance is not fitted yet. Call 'fit' with appropriate arguments before using this estimator."
        case .negativeTargetForPoisson:
            return "Some value(s) of y are negative which is not allowed for Poisson regression."
        case .diverged(let epoch, let detail):
            return "Training diverged at epoch \(epoch): \(detail). The model keeps the last finite weights. "
                + "The input data may contain large values and need to be preprocessed, or the learning rate is too high."
        case .invalidClassWeight(let m): return m
        case .invalidSampleWeight(let m): return m
        }
    }

    /// The symptom in `mlp diagnose`'s vocabulary: `exploding-gradient` for a divergence, nil for the others.
    public var findingID: FindingID? {
        if case .diverged = self { return .explodingGradient }
        return nil
    }

    static func list(_ labels: [ClassLabel]) -> String {
        "[" + labels.map { l -> String in
            if case .string(let s) = l { return "'\(s)'" }
            return l.description
        }.joined(separator: ", ") + "]"
    }
}

/// A warning the caller can read after training (`warnings` on the estimator). Training goes on.
public struct MLPWarning: Equatable, Sendable, CustomStringConvertible {
    /// What a warning is about (its raw value is the case name).
    public enum Kind: String, Sendable {
        /// sklearn's ConvergenceWarning: max_iter reached (sgd/adam) or L-BFGS stopped abnormally.
        case convergence
        /// batch_size larger than the sample count, clipped.
        case batchSizeClipped
        /// Training with early stopping diverged; it stopped and kept the best-validation weights.
        case divergence
        /// A live training monitor saw a symptom on the loss curve, the units or the target (`findingID` names it).
        case monitor
    }
    /// What the warning is about.
    public var kind: Kind
    /// The text to show the user.
    public var message: String
    /// The symptom in `mlp diagnose`'s vocabulary (`not-converged`, `oscillating-loss`, ...), when it is one.
    public var findingID: FindingID? = nil
    /// The same as `message`.
    public var description: String { message }
}

extension MLPError {
    /// The error of a block of rows as the whole table would give it: a non-finite input's row moved `rows` on (a
    /// block's first row in the table or file); any other error unchanged.
    /// - Parameter rows: the rows before the block.
    public func rowsShifted(by rows: Int) -> MLPError {
        guard case .nonFiniteInput(let what, let row, let column, let value) = self else { return self }
        return .nonFiniteInput(what: what, row: rows + row, column: column, value: value)
    }
}

