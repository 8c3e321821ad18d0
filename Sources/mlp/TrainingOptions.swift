import ArgumentParser
import MLP

/// What train and cv share beyond scikit-learn's estimator parameters: the estimator kind, the scalers and the
/// element type, and how a fresh estimator and pipeline are made from them.
struct TrainingOptions: ParsableArguments {
    @Flag(help: "Fit an MLPRegressor (numeric target) instead of an MLPClassifier.")
    var regression = false
    @Option(help: ArgumentHelp("Feature scaling fitted on the training data: standard, minmax or none.", valueName: "kind"))
    var scale: ScalerKind = .standard
    @Option(name: .customLong("scale-target"),
            help: ArgumentHelp("Regression only: standardize the target for fitting and restore predictions "
                               + "(scikit-learn's TransformedTargetRegressor with StandardScaler): standard or none. "
                               + "Default none, as scikit-learn's MLPRegressor.", valueName: "kind"))
    var scaleTarget: TargetScalerKind?
    @Option(help: ArgumentHelp("Element type of the network: float64 (as scikit-learn) or float32.", valueName: "type"))
    var dtype: String = "float64"

    func validate() throws {
        guard ["float64", "float32"].contains(dtype) else {
            throw ValidationError("The 'dtype' parameter must be a str among {'float64', 'float32'}. Got '\(dtype)' instead.")
        }
        if scaleTarget != nil && !regression {
            throw ValidationError("--scale-target applies to regressors only; add --regression")
        }
    }

    /// Refuses combinations with the estimator's options that could only fail at fit: a standardized target is
    /// about half negative, which the Poisson loss refuses ("Some value(s) of y are negative"), whatever the data.
    func validate(with estimator: EstimatorOptions) throws {
        if scaleTarget == .standard && estimator.loss == .poisson {
            throw ValidationError("--loss poisson and --scale-target standard cannot be used together: a standardized "
                                  + "target has negative values, which the Poisson loss refuses; drop --scale-target "
                                  + "standard (or use --loss squared_error)")
        }
    }

    /// The target scaling asked for; none by default, so that scores equal a bare MLPRegressor's.
    var targetScaling: TargetScalerKind { scaleTarget ?? .none }

    /// The estimator --regression and --dtype ask for (the regression loss is one of the parameters).
    func newEstimator(_ parameters: MLPParameters) -> PipelineEstimator {
        let float32 = dtype == "float32"
        if regression {
            return float32 ? .floatRegressor(MLPRegressor(parameters: parameters))
                : .regressor(MLPRegressor(parameters: parameters))
        }
        return float32 ? .floatClassifier(MLPClassifier(parameters: parameters))
            : .classifier(MLPClassifier(parameters: parameters))
    }

    /// A fresh, unfitted pipeline with these options.
    func newPipeline(_ parameters: MLPParameters) -> MLPPipeline {
        MLPPipeline(estimator: newEstimator(parameters), scaling: scale, targetScaling: targetScaling)
    }
}
