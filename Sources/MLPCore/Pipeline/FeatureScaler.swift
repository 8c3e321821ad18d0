// The pipeline's scaling step: which scaler, and the fitted one. The formulas are StandardScaler's and
// MinMaxScaler's own; this type only chooses between them.

/// `--scale`: the feature scaling fitted on the training data and applied before the network.
public enum ScalerKind: String, Codable, CaseIterable, Sendable {
    /// scikit-learn's StandardScaler: x' = (x − mean) / scale.
    case standard
    /// scikit-learn's MinMaxScaler: x' = x · scale + min.
    case minmax
    /// The features go to the network as they are.
    case none
}

/// A fitted scaler of one of the kinds of `ScalerKind`.
public enum FeatureScaler: Equatable, Sendable {
    /// No scaling: the features go to the network as they are.
    case none
    /// A fitted StandardScaler (its `mean_` and `scale_`).
    case standard(StandardScaler)
    /// A fitted MinMaxScaler (its `scale_` and `min_`).
    case minmax(MinMaxScaler)

    /// Fits a scaler of `kind` on `x`.
    /// - Parameters:
    ///   - kind: which scaler.
    ///   - x: (rows, features), the training features.
    public static func fitted<T: KernelFloat>(_ kind: ScalerKind, on x: Matrix<T>) throws -> FeatureScaler {
        switch kind {
        case .none: return .none
        case .standard:
            var scaler = StandardScaler()
            try scaler.fit(x)
            return .standard(scaler)
        case .minmax:
            var scaler = MinMaxScaler()
            try scaler.fit(x)
            return .minmax(scaler)
        }
    }

    /// The kind of this scaler.
    public var kind: ScalerKind {
        switch self { case .none: .none; case .standard: .standard; case .minmax: .minmax }
    }

    /// The number of features it was fitted on; nil for `.none`, which takes any.
    public var featureCount: Int? {
        switch self {
        case .none: nil
        case .standard(let s): s.mean.count
        case .minmax(let s): s.scale.count
        }
    }

    /// Scales `x` (rows, featureCount) with the fitted statistics.
    /// - Parameter x: features with as many columns as the scaler was fitted on.
    /// - Throws: ``MLPError/featureCountMismatch(got:expected:estimator:)`` when `x` has another width.
    public func transform<T: KernelFloat>(_ x: Matrix<T>) throws -> Matrix<T> {
        switch self {
        case .none: x
        case .standard(let s): try s.transform(x)
        case .minmax(let s): try s.transform(x)
        }
    }

    /// Scales `rows` rows of featureCount values in place.
    /// - Parameters:
    ///   - x: the rows, row-major, with as many columns as the scaler was fitted on (the caller checks).
    ///   - rows: the number of rows.
    public func transform<T: KernelFloat>(inPlace x: UnsafeMutablePointer<T>, rows: Int) {
        switch self {
        case .none: break
        case .standard(let s): s.transform(inPlace: x, rows: rows)
        case .minmax(let s): s.transform(inPlace: x, rows: rows)
        }
    }
}
