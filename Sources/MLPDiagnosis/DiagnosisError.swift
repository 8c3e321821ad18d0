import MLPCore

/// Why a diagnosis could not run. Its messages name the settings to change as a caller sets them in code
/// (`description`) or as the `mlp` tool's flags (`description(naming: .flags)`).
public enum DiagnosisError: Error, Equatable, CustomStringConvertible {
    /// Too few rows for `folds` folds of at least two rows each (one fold per random state, at least two).
    case cannotSplit(rows: Int, folds: Int)
    /// A regression target with one value throughout: R² is undefined and there is nothing to learn.
    case constantTarget(Double)
    /// A classification target with one class present, named.
    case oneClass(String)
    /// The features' rows and the target's values differ in number.
    case rowCountMismatch(features: Int, target: Int)
    /// A class index outside `classNames` (0-based row).
    case classIndexOutOfRange(row: Int, index: Int, classCount: Int)
    /// A random-state count outside `DiagnosisInput.randomStateRange`.
    case randomStatesOutOfRange(Int)
    /// A time budget that is not a positive number of seconds.
    case timeBudgetNotPositive(Double)
    /// The Poisson loss with a target value below zero (0-based row), which it refuses.
    case negativePoissonTarget(row: Int, value: Double)
    /// The Poisson loss with a standardized target (`scaleTarget`), whose negative values it refuses.
    case poissonWithScaledTarget
    /// One of several target columns (a value column or a label of an indicator matrix) with one value throughout,
    /// named: nothing to learn for it, and its R² or balanced accuracy is undefined.
    case constantTargetColumn(column: String, value: Double)
    /// The Poisson loss with a value below zero in one of several target columns (0-based row, the column named).
    case negativePoissonValue(row: Int, column: String, value: Double)
    /// A cell of a multilabel indicator matrix that is not 0 or 1 (0-based row, the label named).
    case indicatorNotBinary(row: Int, column: String, value: Double)
    /// Class weights with a multilabel indicator matrix, which MLPClassifier refuses (they weigh classes, not labels).
    case classWeightWithLabels
    /// A target of several columns whose names are not one per column.
    case targetNamesMismatch(columns: Int, names: Int)
    /// The given configuration cannot be trained on a training fold of `rows` rows, for another reason than
    /// divergence (early stopping's validation split of so few rows, say): the estimator's message.
    case cannotTrain(rows: Int, message: String)
    /// One epoch of the given configuration is so slow that its runs of `epochs` epochs (the fewest a comparison
    /// needs) would not fit the budget's share for them; `needed` is the smallest budget that fits them, seconds.
    case timeBudgetTooSmall(secondsPerEpoch: Double, runs: Int, epochs: Int, needed: Double)

    /// The reason, naming settings as code.
    public var description: String { description(naming: .code) }

    /// The 0-based row an error about one row names (nil for the others), so that a caller reading a file can name
    /// the row's line instead (``description(naming:row:)``).
    public var row: Int? {
        switch self {
        case .classIndexOutOfRange(let row, _, _), .negativePoissonTarget(let row, _): row
        case .negativePoissonValue(let row, _, _), .indicatorNotBinary(let row, _, _): row
        default: nil
        }
    }

    /// The target column an error about one cell of several target columns names (nil for the others): with
    /// ``row``, where a caller reading a file finds the cell.
    public var column: String? {
        switch self {
        case .negativePoissonValue(_, let column, _), .indicatorNotBinary(_, let column, _): column
        default: nil
        }
    }

    /// The reason, naming the settings to change for `naming`.
    public func description(naming: AdvisedSetting.Naming) -> String {
        description(naming: naming) { "row \($0 + 1)" }
    }

    /// The reason, naming the settings to change for `naming` and an error's row as `row` names it (the message then
    /// starts with that name and a colon): a command that read a file names the row's line, as its other errors do.
    /// - Parameters:
    ///   - naming: How settings are named: as code or as the `mlp` tool's flags.
    ///   - row: The name of a 0-based row, such as `"line 7, column 'y'"`.
    public func description(naming: AdvisedSetting.Naming, row: (Int) -> String) -> String {
        switch self {
        case let .cannotSplit(rows, folds):
            // One fold per random state, at least two: fewer states help down to two.
            let fewer = rows >= 4 ? "; lower \(DiagnosisSetting.randomStates.name(naming)) to \(rows / 2) or fewer" : ""
            return "cannot hold out rows to score the diagnosis: \(rows) rows cannot make \(folds) folds of at least two "
                + "rows each, one per random state\(fewer)"
        case .constantTarget(let value):
            return "the target column is constant (\(format(value))); a regressor has nothing to learn"
        case .oneClass(let name):
            return "the target column has only one class ('\(name)'); a classifier needs at least two"
        case let .rowCountMismatch(features, target):
            return "the features have \(features) rows but the target has \(target) values"
        case let .classIndexOutOfRange(index, classIndex, count):
            return "\(row(index)): the target holds class index \(classIndex), outside the \(count) class names"
        case .randomStatesOutOfRange(let count):
            let range = DiagnosisInput.randomStateRange
            return "\(DiagnosisSetting.randomStates.name(naming)) must be between \(range.lowerBound) and "
                + "\(range.upperBound) (got \(count))"
        case .timeBudgetNotPositive(let seconds):
            return "\(DiagnosisSetting.timeBudget.name(naming)) must be a positive number of seconds (got \(format(seconds)))"
        case let .negativePoissonTarget(index, value):
            return "\(row(index)): the target is \(format(value)): the Poisson loss needs targets of 0 or more"
        case let .constantTargetColumn(column, value):
            return "the target column '\(column)' is constant (\(format(value))); there is nothing to learn for it: "
                + "leave it out of the targets"
        case let .negativePoissonValue(index, column, value):
            return "\(row(index)), column '\(column)': the target is \(format(value)): the Poisson loss needs targets of 0 "
                + "or more"
        case let .indicatorNotBinary(index, column, value):
            return "\(row(index)), column '\(column)': '\(format(value))' is not 0 or 1: several target columns of a "
                + "classifier are a multilabel indicator matrix (a 0/1 column per label)"
        case .classWeightWithLabels:
            return "\(DiagnosisSetting.classWeight.name(naming)) applies to one label column, not to a multilabel target "
                + "(several 0/1 columns): leave it out"
        case let .targetNamesMismatch(columns, names):
            return "the target has \(columns) columns but \(names) names; give one name per column"
        case .poissonWithScaledTarget:
            return "the Poisson loss and \(DiagnosisSetting.scaleTarget.name(naming)) cannot be used together: a "
                + "standardized target has negative values, which the Poisson loss refuses"
        case let .cannotTrain(rows, message):
            return "the given configuration cannot be trained on the diagnosis's training folds (\(rows) rows): "
                + message
        case let .timeBudgetTooSmall(perEpoch, runs, epochs, needed):
            return "the time budget is too small: one epoch of the given configuration takes \(format(perEpoch)) s, so "
                + "its \(runs) runs of \(epochs) epochs (the fewest that show a loss curve) would need more than the "
                + "sixth of the budget they get; set \(DiagnosisSetting.timeBudget.name(naming)) to \(wholeSeconds(needed)) "
                + "seconds or more, or diagnose fewer rows, a smaller network or fewer "
                + "\(DiagnosisSetting.randomStates.name(naming)) (3 can still prove a fix)"
        }
    }
}

/// A setting of ``DiagnosisInput`` that an error advises changing, named as code or as the `mlp diagnose` flag.
enum DiagnosisSetting {
    case timeBudget
    case randomStates
    case scaleTarget
    case classWeight

    func name(_ naming: AdvisedSetting.Naming) -> String {
        switch (self, naming) {
        case (.timeBudget, .code): "DiagnosisInput.timeBudget"
        case (.timeBudget, .flags): "--time-budget"
        case (.randomStates, .code): "DiagnosisInput.randomStateCount"
        case (.randomStates, .flags): "--random-states"
        case (.scaleTarget, .code): "DiagnosisInput.scaleTarget"
        case (.scaleTarget, .flags): "--scale-target standard"
        case (.classWeight, .code): "MLPParameters.classWeight"
        case (.classWeight, .flags): "--class-weight"
        }
    }
}

/// A budget rounded up to whole seconds, for people: 126, not 126.0.
func wholeSeconds(_ v: Double) -> String {
    v.isFinite && abs(v) < 1e15 ? String(Int(v.rounded(.up))) : format(v)
}
