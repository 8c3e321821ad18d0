import MLPCore

/// What the network learns: class indices, regression targets, several of them, or a multilabel indicator matrix.
public enum DiagnosisTarget: Sendable {
    /// One class index per row into `classNames`.
    case classes(indices: [Int], classNames: [String])
    /// One numeric target per row.
    case values([Double])
    /// Several numeric targets per row, (rows, outputs), one name per column: a multi-output MLPRegressor.
    case valueColumns(Matrix<Double>, names: [String])
    /// A multilabel indicator matrix, (rows, labels) of 0 and 1, one name per label: MLPClassifier fitted on it
    /// trains one logistic output per label on their summed binary log loss.
    case labelIndicators(Matrix<Double>, labels: [String])

    var isRegression: Bool {
        switch self {
        case .values, .valueColumns: return true
        case .classes, .labelIndicators: return false
        }
    }
    var rowCount: Int {
        switch self {
        case .classes(let indices, _): return indices.count
        case .values(let values): return values.count
        case .valueColumns(let values, _), .labelIndicators(let values, _): return values.rows
        }
    }
    /// The target's columns as the network sees them, row-major (rows, `width`): the class index of a row, or its
    /// values or indicators.
    var storage: [Double] {
        switch self {
        case .classes(let indices, _): return indices.map(Double.init)
        case .values(let values): return values
        case .valueColumns(let values, _), .labelIndicators(let values, _): return values.storage
        }
    }
    /// Values per row in `storage`: 1 for class indices and a single target.
    var width: Int {
        switch self {
        case .classes, .values: return 1
        case .valueColumns(let values, _), .labelIndicators(let values, _): return values.columns
        }
    }
    /// The target columns' names, for the forms that carry them (several targets); empty otherwise.
    var columnNames: [String] {
        switch self {
        case .classes, .values: return []
        case .valueColumns(_, let names), .labelIndicators(_, let names): return names
        }
    }
}

/// How the user's tool scales the features before the network (`mlp train --scale`).
public enum InputScaling: String, Sendable, CaseIterable {
    /// Features as read.
    case none
    /// Zero mean, unit variance per column.
    case standard
    /// Each column to [0, 1].
    case minmax
}

/// Data, configuration and effort of one diagnosis.
public struct DiagnosisInput: Sendable {
    /// The features as read, (rows, features).
    public var features: Matrix<Double>
    /// The target.
    public var target: DiagnosisTarget
    /// The user's estimator parameters.
    public var parameters: MLPParameters
    /// The user's feature scaling.
    public var scaling: InputScaling
    /// Regression: whether the user's configuration standardizes the target (`--scale-target standard`), each
    /// column apart when there are several (as `MLPPipeline`'s target scaling).
    public var scaleTarget = false
    /// Random states each ablation is trained with (the medians and spreads are over them), in `randomStateRange`.
    public var randomStateCount = 5
    /// The random-state counts a diagnosis accepts: one fold per state, and more than 50 runs per configuration
    /// would only spend the time budget on the baseline.
    public static let randomStateRange = 1...50
    /// Seconds the diagnosis aims to stay within; ablations that would not fit are skipped and reported.
    public var timeBudget = 25.0
    /// At most this many training rows are used (a random subset), so a diagnosis stays quick on large data.
    public var maxTrainingRows = 2000

    /// - Parameters:
    ///   - features: The features as read, (rows, features).
    ///   - target: The target per row.
    ///   - parameters: The user's estimator parameters.
    ///   - scaling: The user's feature scaling.
    public init(features: Matrix<Double>, target: DiagnosisTarget, parameters: MLPParameters,
                scaling: InputScaling) {
        self.features = features
        self.target = target
        self.parameters = parameters
        self.scaling = scaling
    }
}
