// `print(clf)` as scikit-learn's repr: the estimator's name and the parameters that differ from their defaults.

extension MLPParameters {
    /// scikit-learn's repr of `estimator` with these parameters: `MLPClassifier(hidden_layer_sizes=(10,), solver='lbfgs')`.
    /// Like scikit-learn, lists only non-default parameters, sorted by name.
    /// - Parameter estimator: the estimator to name; only parameters it takes are listed.
    /// - Returns: the repr, e.g. `MLPRegressor()` when every parameter is at its default.
    public func sklearnRepr(of estimator: MLPEstimator) -> String {
        let changed = ParameterSchema.specs(for: estimator)
            .map { ($0.sklearnName, $0.read(self), $0.defaultValue) }
            .filter { $0.1 != $0.2 }
            .sorted { $0.0 < $1.0 }
            .map { "\($0.0)=\($0.1.pythonRepr)" }
        return "\(estimator.rawValue)(\(changed.joined(separator: ", ")))"
    }
}

extension MLPClassifier: CustomStringConvertible {
    /// `MLPClassifier(hidden_layer_sizes=(10,), solver='lbfgs')`: the non-default parameters, as scikit-learn prints.
    public var description: String { parameters.sklearnRepr(of: .classifier) }
}

extension MLPRegressor: CustomStringConvertible {
    /// `MLPRegressor(loss='poisson')`: the non-default parameters, as scikit-learn prints.
    public var description: String { parameters.sklearnRepr(of: .regressor) }
}
