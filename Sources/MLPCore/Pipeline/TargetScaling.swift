// A regression target standardized before the network and restored after it: scikit-learn's
// TransformedTargetRegressor(regressor=..., transformer=StandardScaler()). A network whose output layer starts
// near zero with weights of order one learns a target in the hundreds slowly, and its L2 penalty fights the
// large weights it would need; in standard units it does not.

/// `--scale-target`: how a pipeline's regression target is scaled before fit and restored after predict.
public enum TargetScalerKind: String, Codable, CaseIterable, Sendable {
    /// StandardScaler on the target; predictions are `inverse_transform`ed (TransformedTargetRegressor).
    case standard
    /// The target is fitted as it is (a bare MLPRegressor).
    case none
}
