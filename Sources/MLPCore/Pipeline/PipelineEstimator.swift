// The last step of a pipeline: a classifier or a regressor, in Float or Double. An enum rather than a type
// parameter, so that a tool can load any model file and use it without knowing its element type beforehand.

/// The estimator at the end of an `MLPPipeline`.
public enum PipelineEstimator {
    /// An MLPClassifier in Double (scikit-learn's float64).
    case classifier(MLPClassifier<Double>)
    /// An MLPClassifier in Float.
    case floatClassifier(MLPClassifier<Float>)
    /// An MLPRegressor in Double.
    case regressor(MLPRegressor<Double>)
    /// An MLPRegressor in Float.
    case floatRegressor(MLPRegressor<Float>)

    /// The estimator, for what classifiers and regressors share (parameters, fitted attributes).
    public var perceptron: any MultilayerPerceptron {
        switch self {
        case .classifier(let e): e
        case .floatClassifier(let e): e
        case .regressor(let e): e
        case .floatRegressor(let e): e
        }
    }

    /// True for the classifier cases.
    public var isClassifier: Bool {
        switch self {
        case .classifier, .floatClassifier: true
        case .regressor, .floatRegressor: false
        }
    }

    /// "float64" or "float32": the estimator's element type, as numpy names it.
    public var dtype: String {
        switch self {
        case .classifier, .regressor: "float64"
        case .floatClassifier, .floatRegressor: "float32"
        }
    }

    /// The trained network's units per layer, input first; nil before fit.
    public var layerSizes: [Int]? {
        switch self {
        case .classifier(let e): e.network?.layerSizes
        case .floatClassifier(let e): e.network?.layerSizes
        case .regressor(let e): e.network?.layerSizes
        case .floatRegressor(let e): e.network?.layerSizes
        }
    }

    /// The kind of target a classifier was fitted on; nil for a regressor or before fit.
    public var targetType: TargetType? {
        switch self {
        case .classifier(let e): e.targetType
        case .floatClassifier(let e): e.targetType
        case .regressor, .floatRegressor: nil
        }
    }

    /// `classes_` of a classifier; empty for a regressor or before fit.
    public var classes: [ClassLabel] {
        switch self {
        case .classifier(let e): e.classes
        case .floatClassifier(let e): e.classes
        case .regressor, .floatRegressor: []
        }
    }
}
