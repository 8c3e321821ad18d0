import MLPCore
import MLPModelFile
import MLPTestSupport

// Small fitted models for the ONNX tests: seeded data, a few lbfgs iterations (the weights only need to be
// non-trivial, not good).

enum ONNXTestModels {
    /// x: (rows, 4) with columns of different scales, so the scaler matters.
    static func features<T: KernelFloat>(_: T.Type, rows: Int = 40, seed: UInt64 = 3) -> Matrix<T> {
        var rng = SeededGenerator(seed: seed)
        let storage = (0..<rows * 4).map { i -> T in
            let u = Double(rng.next() % 10_000) / 10_000 - 0.5
            return T(u * [2, 30, 0.5, 8][i % 4] + [0, 100, -1, 3][i % 4])
        }
        return Matrix(rows: rows, columns: 4, storage: storage)
    }

    static func parameters(_ activation: Activation) -> MLPParameters {
        var p = MLPParameters()
        p.hiddenLayerSizes = [5, 4]
        p.activation = activation
        p.solver = .lbfgs
        p.maxIter = 15
        p.randomState = 0
        return p
    }

    /// A fitted classifier: three string classes, two integer classes, or three labels (multilabel).
    static func classifier<T: KernelFloat>(_: T.Type, _ activation: Activation, target: TargetType,
                                           scaler kind: ScalerKind = .standard) throws -> MLPModel {
        let x = features(T.self)
        let scaler = try FeatureScaler.fitted(kind, on: x)
        let scaled = try scaler.transform(x)
        let classifier = MLPClassifier<T>(parameters: parameters(activation))
        switch target {
        case .multiclass:
            let names: [ClassLabel] = ["setosa", "versicolor", "virginica"]
            try classifier.fit(scaled, (0..<x.rows).map { names[Int(Double(x[$0, 0]) * 3 + 1.5 + 3) % 3] })
        case .binary:
            try classifier.fit(scaled, (0..<x.rows).map { ClassLabel(Double(x[$0, 1]) > 100 ? 5 : -2) })
        case .multilabelIndicator:
            var y = Matrix<T>(rows: x.rows, columns: 3)
            for r in 0..<x.rows {
                y[r, 0] = x[r, 0] > 0 ? 1 : 0
                y[r, 1] = x[r, 1] > 100 ? 1 : 0
                y[r, 2] = x[r, 3] > 3 ? 1 : 0
            }
            try classifier.fit(scaled, multilabel: y)
        }
        return try MLPModel(classifier: classifier, scaler: scaler)
    }

    /// A fitted regressor with two outputs (squared error) or one (poisson, exp output).
    static func regressor<T: KernelFloat>(_: T.Type, _ activation: Activation, loss: RegressionLoss = .squaredError,
                                          scaler kind: ScalerKind = .minmax) throws -> MLPModel {
        let x = features(T.self)
        let scaler = try FeatureScaler.fitted(kind, on: x)
        var p = parameters(activation)
        p.loss = loss
        let regressor = MLPRegressor<T>(parameters: p)
        if loss == .poisson {
            try regressor.fit(scaler.transform(x), (0..<x.rows).map { r in T(abs(Double(x[r, 0])) * 3 + 0.5) })
        } else {
            var y = Matrix<T>(rows: x.rows, columns: 2)
            for r in 0..<x.rows {
                y[r, 0] = x[r, 0] * 2 - x[r, 2]
                y[r, 1] = x[r, 3] / 4
            }
            try regressor.fit(scaler.transform(x), y)
        }
        return try MLPModel(regressor: regressor, scaler: scaler)
    }

    /// What a model predicts on `features`: probabilities of a classifier, values of a regressor.
    static func predictions(_ model: MLPModel, _ x: Matrix<Double>) throws -> [Double] {
        let pipeline = try model.pipeline()
        return pipeline.isClassifier ? try pipeline.predictProbabilities(features: x).storage
            : try pipeline.predictValues(features: x).storage
    }
}
