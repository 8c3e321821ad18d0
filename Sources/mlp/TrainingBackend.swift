import MLP
import MLPModelFile

// The boundary between `mlp train` and the estimators: options, data, labels, model file, report and output
// live on the command's side; `EstimatorBackend` (MLPClassifier / MLPRegressor) implements `train`.

/// What the command hands to an estimator, as plain data.
struct TrainingRequest {
    var parameters: MLPParameters
    var isRegression: Bool
    /// "float64" or "float32" (--dtype): the estimator's element type.
    var dtype: DType
    /// Scaling to fit on `features` and apply before the network (--scale).
    var scale: ScalerKind
    /// Row-major (rowCount, featureNames.count), unscaled, as read from the CSV (after one-hot / imputation).
    var features: [Double]
    var rowCount: Int
    var featureNames: [String]
    /// Classifier: class index per row into `classes` (sorted); nil for a regressor.
    var classIndices: [Int]?
    var classes: [String]?
    /// Regressor: target per row.
    var targets: [Double]?
    var targetName: String?
    var encoding: FeatureEncoding
    /// With --warm-start: the model to continue from (its features and classes already checked).
    var initialModel: MLPModel?
    /// The data's name, for messages.
    var sourceName: String
}

/// What comes back: the fitted model as plain data, plus facts about the run.
struct TrainingResult {
    /// Weights, scaler statistics and metadata (loss curve, n_iter, parameters...) — written as is.
    var model: MLPModel
    /// Wall time spent in fit alone (not reading data), seconds.
    var fitSeconds: Double
    /// False when max_iter was reached without convergence (sklearn's ConvergenceWarning).
    var converged: Bool
    /// Other warnings from the estimator (e.g. batch_size clipped), printed unless --quiet.
    var warnings: [String] = []
}

protocol TrainingBackend {
    /// Fits a model; calls `progress` once per epoch. Throws CLIError(.training, …) on divergence
    /// ("non-finite loss at epoch E; scale the data or lower the learning rate").
    func train(_ request: TrainingRequest, progress: @escaping (EpochEvent) -> Void) throws -> TrainingResult
}

enum DType: String, CaseIterable {
    case float64
    case float32
}
