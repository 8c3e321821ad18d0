/// The feature scaling in front of the estimator, fitted on each training fold only, as the first step of
/// `make_pipeline(scaler, estimator)` is.
public enum CrossValidationScaler: String, CaseIterable, Sendable {
    /// No scaling: the estimator sees X as it is.
    case none
    /// ``StandardScaler`` (`StandardScaler()`).
    case standard
    /// ``MinMaxScaler`` onto 0...1 (`MinMaxScaler()`).
    case minMax = "minmax"

    /// The training fold and the test fold, both transformed by a scaler fitted on the training fold.
    func scale<T: KernelFloat>(train: Matrix<T>, test: Matrix<T>) throws -> (train: Matrix<T>, test: Matrix<T>) {
        switch self {
        case .none:
            return (train, test)
        case .standard:
            var scaler = StandardScaler()
            let scaledTrain = try scaler.fitTransform(train)
            return (scaledTrain, try scaler.transform(test))
        case .minMax:
            var scaler = MinMaxScaler()
            let scaledTrain = try scaler.fitTransform(train)
            return (scaledTrain, try scaler.transform(test))
        }
    }
}
