// The JSON metadata of a model file: everything but the arrays. Plain data, Codable, estimator-independent.

import MLPCore

/// `class_weight` as a model file stores it: "balanced", or one weight per listed class.
public struct StoredClassWeight: Codable, Equatable, Sendable {
    /// True for 'balanced'.
    public var balanced: Bool
    /// The classes given a weight (empty for 'balanced').
    public var classes: [ClassLabel]
    /// The weight of each class of `classes`.
    public var weights: [Double]

    /// The stored form of `classWeight`.
    /// - Parameter classWeight: the classifier's `class_weight`.
    public init(_ classWeight: ClassWeight) {
        switch classWeight {
        case .balanced:
            balanced = true; classes = []; weights = []
        case .perClass(let map):
            balanced = false
            classes = map.keys.sorted()
            weights = classes.map { map[$0]! }
        }
    }

    /// The classifier's `class_weight`; nil when the lists do not pair up.
    public var classWeight: ClassWeight? {
        if balanced { return .balanced }
        guard classes.count == weights.count, Set(classes).count == classes.count else { return nil }
        return .perClass(Dictionary(uniqueKeysWithValues: zip(classes, weights)))
    }
}

/// The JSON metadata of a model file: everything but the weight and scaler arrays.
public struct ModelMetadata: Codable, Equatable, Sendable {
    /// swift-mlp's version that wrote the file.
    public var libraryVersion: String
    /// The estimator the file holds: classifier or regressor.
    public var estimator: MLPEstimator
    /// "float64" or "float32": the element type of the weight arrays.
    public var dtype: String
    /// Units per layer, input first: [nFeatures, hidden..., nOutputs] (sklearn `[n_features_in_] + hidden + [n_outputs_]`).
    public var layerSizes: [Int]
    /// Hidden activation (sklearn `activation`): identity, logistic, tanh, relu, and beyond scikit-learn
    /// leaky_relu, elu, gelu, silu, softplus.
    public var activation: String
    /// Output activation (sklearn `out_activation_`): identity, logistic, softmax, or exp (poisson loss).
    public var outActivation: String
    /// Training loss (sklearn `loss`): log_loss, squared_error or poisson.
    public var loss: String
    /// Feature names after encoding (sklearn `feature_names_in_`), one per input unit.
    public var featureNames: [String]
    /// `classes_` in the order of the output units: JSON numbers or strings; nil for a regressor.
    /// (Format 1.0 wrote every class as a string; a reader turns all-numeric ones into numbers.)
    public var classes: [ClassLabel]?
    /// Binary, multiclass or multilabel-indicator (format 1.1; older files: from the number of classes).
    public var targetType: TargetType?
    /// The target column's name in the training data (the first one of several).
    public var targetName: String?
    /// Every target column's name, one per output, when a regressor or a multilabel classifier was fitted on several
    /// (format 1.3); nil for one target, so that files of one target stay readable by older 1.x readers.
    public var targetNames: [String]?
    /// How CSV columns become features (one-hot, imputation).
    public var encoding: FeatureEncoding
    /// The scaler applied to the features before the network; its statistics are arrays of the file.
    public var scaler: ScalerKind
    /// The estimator's hyper-parameters, as `MLPParameters` encodes them. (Format 1.0 stored a dictionary
    /// by scikit-learn name with every number as a double; `MLPParameters`' decoder reads both.)
    public var parameters: MLPParameters
    /// Beyond scikit-learn: the classifier's `class_weight` (format 1.1).
    public var classWeight: StoredClassWeight?
    /// sklearn `loss_curve_` (sgd, adam; nil for lbfgs since format 1.1, empty in 1.0).
    public var lossCurve: [Double]?
    /// sklearn `validation_scores_`.
    public var validationScores: [Double]?
    /// Validation loss per epoch (early stopping; format 1.1).
    public var validationLossCurve: [Double]?
    /// sklearn `best_loss_`.
    public var bestLoss: Double?
    /// sklearn `best_validation_score_` (format 1.1).
    public var bestValidationScore: Double?
    /// sklearn `loss_` (format 1.1).
    public var finalLoss: Double?
    /// sklearn `n_iter_`.
    public var nIter: Int
    /// sklearn `t_`.
    public var t: Int?
    /// Epochs without improvement at the end of the last fit (format 1.1), so a warm start counts on.
    public var noImprovementCount: Int?
    /// The epoch after which training was interrupted (Ctrl-C in `mlp train`); nil for a run that finished.
    public var interruptedAtEpoch: Int?

    /// The target columns' names in the order of the outputs: ``targetNames``, or the one ``targetName``.
    public var allTargetNames: [String] { targetNames ?? (targetName.map { [$0] } ?? []) }

    /// Metadata from its fields; the fitted attributes default to none.
    /// - Parameters: one per property, named as the properties.
    public init(libraryVersion: String = MLPLibrary.version, estimator: MLPEstimator, dtype: String,
                layerSizes: [Int], activation: String, outActivation: String, loss: String,
                featureNames: [String], classes: [ClassLabel]?, targetType: TargetType? = nil,
                targetName: String? = nil, encoding: FeatureEncoding, scaler: ScalerKind,
                parameters: MLPParameters = MLPParameters(), classWeight: StoredClassWeight? = nil,
                lossCurve: [Double]? = nil, validationScores: [Double]? = nil, validationLossCurve: [Double]? = nil,
                bestLoss: Double? = nil, bestValidationScore: Double? = nil, finalLoss: Double? = nil,
                nIter: Int = 0, t: Int? = nil, noImprovementCount: Int? = nil) {
        self.libraryVersion = libraryVersion
        self.estimator = estimator
        self.dtype = dtype
        self.layerSizes = layerSizes
        self.activation = activation
        self.outActivation = outActivation
        self.loss = loss
        self.featureNames = featureNames
        self.classes = classes
        self.targetType = targetType
        self.targetName = targetName
        self.encoding = encoding
        self.scaler = scaler
        self.parameters = parameters
        self.classWeight = classWeight
        self.lossCurve = lossCurve
        self.validationScores = validationScores
        self.validationLossCurve = validationLossCurve
        self.bestLoss = bestLoss
        self.bestValidationScore = bestValidationScore
        self.finalLoss = finalLoss
        self.nIter = nIter
        self.t = t
        self.noImprovementCount = noImprovementCount
    }

    /// Reads what format 1.0 wrote differently: classes were all strings ("0", "1" for numeric labels).
    mutating func upgradeFromVersion1_0() {
        if let names = classes?.map(\.description), !names.isEmpty {
            let parsed = names.map { ClassLabel(parsing: $0) }
            classes = parsed.allSatisfy({ $0.numberValue != nil }) ? parsed : names.map { .string($0) }
        }
    }

    /// The fitted attributes stored here.
    public var fittedState: MLPFittedState {
        MLPFittedState(nIter: nIter, t: t ?? 0, loss: finalLoss ?? lossCurve?.last, bestLoss: bestLoss,
                       lossCurve: lossCurve, validationScores: validationScores,
                       validationLossCurve: validationLossCurve, bestValidationScore: bestValidationScore,
                       noImprovementCount: noImprovementCount ?? 0)
    }

    /// Stores `state`'s fitted attributes.
    /// - Parameter state: an estimator's `fittedState`.
    public mutating func setFittedState(_ state: MLPFittedState) {
        nIter = state.nIter
        t = state.t
        finalLoss = state.loss
        bestLoss = state.bestLoss
        lossCurve = state.lossCurve
        validationScores = state.validationScores
        validationLossCurve = state.validationLossCurve
        bestValidationScore = state.bestValidationScore
        noImprovementCount = state.noImprovementCount
    }
}

/// Facts about this library that model files record.
public enum MLPLibrary {
    /// The library version written into model files.
    public static let version = "0.1.0"
}
