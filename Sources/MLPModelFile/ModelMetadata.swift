// The JSON metadata of a model file: everything but the arrays. Plain data, Codable, estimator-independent.

import MLPCore

/// A JSON value, for training parameters whose set depends on the estimator.
public enum JSONValue: Codable, Equatable, Sendable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    public var description: String {
        switch self {
        case .null: "None"
        case .bool(let b): b ? "True" : "False"
        case .number(let d): d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .string(let s): s
        case .array(let a): "(" + a.map(\.description).joined(separator: ", ") + ")"
        case .object(let o): "{" + o.keys.sorted().map { "\($0): \(o[$0]!)" }.joined(separator: ", ") + "}"
        }
    }
}

/// What kind of estimator a model file holds.
public enum EstimatorKind: String, Codable, Sendable {
    case classifier = "MLPClassifier"
    case regressor = "MLPRegressor"
}

/// `--scale`: the feature scaling fitted on the training data and applied before the network.
public enum ScalerKind: String, Codable, CaseIterable, Sendable {
    /// sklearn StandardScaler: x' = (x − mean) / scale. Arrays "scaler.mean", "scaler.scale".
    case standard
    /// sklearn MinMaxScaler: x' = x · scale + min. Arrays "scaler.scale", "scaler.min".
    case minmax
    case none
}

public struct ModelMetadata: Codable, Equatable, Sendable {
    /// swift-mlp's version that wrote the file.
    public var libraryVersion: String
    public var estimator: EstimatorKind
    /// "float64" or "float32": the element type of the weight arrays.
    public var dtype: String
    /// Units per layer, input first: [nFeatures, hidden..., nOutputs] (sklearn `[n_features_in_] + hidden + [n_outputs_]`).
    public var layerSizes: [Int]
    /// Hidden activation (sklearn `activation`): identity, logistic, tanh or relu.
    public var activation: String
    /// Output activation (sklearn `out_activation_`): identity, logistic, softmax, or exp (poisson loss).
    public var outActivation: String
    /// Training loss (sklearn `loss`): log_loss, squared_error or poisson.
    public var loss: String
    /// Feature names after encoding (sklearn `feature_names_in_`), one per input unit.
    public var featureNames: [String]
    /// Class names in the order of the output units (sklearn `classes_`); nil for a regressor.
    public var classes: [String]?
    /// The target column's name in the training data.
    public var targetName: String?
    /// How CSV columns become features (one-hot, imputation).
    public var encoding: FeatureEncoding
    public var scaler: ScalerKind
    /// Training parameters by scikit-learn name ("hidden_layer_sizes", "alpha", ...).
    public var parameters: [String: JSONValue]
    /// sklearn `loss_curve_`, `validation_scores_`, `best_loss_`, `n_iter_`, `t_`.
    public var lossCurve: [Double]
    public var validationScores: [Double]?
    public var bestLoss: Double?
    public var nIter: Int
    public var t: Int?

    public init(libraryVersion: String = MLPLibrary.version, estimator: EstimatorKind, dtype: String,
                layerSizes: [Int], activation: String, outActivation: String, loss: String,
                featureNames: [String], classes: [String]?, targetName: String? = nil,
                encoding: FeatureEncoding, scaler: ScalerKind, parameters: [String: JSONValue] = [:],
                lossCurve: [Double] = [], validationScores: [Double]? = nil, bestLoss: Double? = nil,
                nIter: Int = 0, t: Int? = nil) {
        self.libraryVersion = libraryVersion
        self.estimator = estimator
        self.dtype = dtype
        self.layerSizes = layerSizes
        self.activation = activation
        self.outActivation = outActivation
        self.loss = loss
        self.featureNames = featureNames
        self.classes = classes
        self.targetName = targetName
        self.encoding = encoding
        self.scaler = scaler
        self.parameters = parameters
        self.lossCurve = lossCurve
        self.validationScores = validationScores
        self.bestLoss = bestLoss
        self.nIter = nIter
        self.t = t
    }
}

public enum MLPLibrary {
    /// The library version written into model files.
    public static let version = "0.1.0"
}
