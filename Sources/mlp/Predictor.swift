import MLP
import MLPModelFile

// Prediction from an MLPModel: scale, the core Network's forward pass, then labels or values, as sklearn's
// `predict` / `predict_proba`. Scaling and network are built exactly as in training (EstimatorBackend), so a
// saved model predicts what the fitted estimator predicted.

struct Prediction {
    /// Classifier: (rows, classes.count) probabilities and the argmax class per row.
    var probabilities: [Double]?
    var classIndices: [Int]?
    /// Regressor: (rows, outputs) values.
    var values: [Double]?
}

struct Predictor {
    let model: MLPModel

    /// features: row-major (rows, model.featureCount), unscaled.
    func predict(_ features: [Double], rows: Int) throws -> Prediction {
        let out = model.metadata.dtype == "float32"
            ? try outputs(Float.self, features, rows: rows) : try outputs(Double.self, features, rows: rows)
        let k = model.outputCount
        guard model.metadata.estimator == .classifier else { return Prediction(values: out) }
        if k == 1 {
            // Binary: one logistic output p = P(classes[1]); predict thresholds at 0.5 like LabelBinarizer.
            var proba = [Double](repeating: 0, count: rows * 2)
            var indices = [Int](repeating: 0, count: rows)
            for r in 0..<rows {
                proba[2 * r] = 1 - out[r]
                proba[2 * r + 1] = out[r]
                indices[r] = out[r] > 0.5 ? 1 : 0
            }
            return Prediction(probabilities: proba, classIndices: indices)
        }
        var indices = [Int](repeating: 0, count: rows)
        for r in 0..<rows { indices[r] = argmax(out[(r * k)..<(r * k + k)]) }
        return Prediction(probabilities: out, classIndices: indices)
    }

    // x: (rows, nFeatures) → network outputs (rows, nOutputs), widened to Double.
    private func outputs<T: KernelFloat>(_: T.Type, _ features: [Double], rows: Int) throws -> [Double] {
        let x = Scaling.apply(model.scaler, to: Matrix<T>(rows: rows, columns: model.featureCount,
                                                          storage: features.map { T($0) }))
        let network: Network<T> = try Scaling.network(from: model)
        let out = network.predict(x).storage
        return out.map { Double($0) }
    }
}
