import MLP

// Prediction from an MLPModel: scale, forward pass, then labels or values, as sklearn's
// `_forward_pass_fast` + `predict` / `predict_proba` do.
// TODO(wiring): once the core's Network is on main, build it from the model and call its forward pass here,
// so that `mlp predict` and in-process prediction share one implementation.

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
    func predict(_ features: [Double], rows: Int) -> Prediction {
        var x = features
        model.scaler.transform(&x, featureCount: model.featureCount)
        let out: [Double]
        if model.metadata.dtype == "float32" {
            out = forward(x.map { Float($0) }, rows: rows, weights: model.coefs.map(floats), biases: model.intercepts.map(floats))
                .map { Double($0) }
        } else {
            out = forward(x, rows: rows, weights: model.coefs.map(\.doubles), biases: model.intercepts.map(\.doubles))
        }
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
        for r in 0..<rows {
            var best = 0
            for j in 1..<k where out[r * k + j] > out[r * k + best] { best = j }
            indices[r] = best
        }
        return Prediction(probabilities: out, classIndices: indices)
    }

    private func floats(_ v: NamedArray.Values) -> [Float] {
        if case .float32(let f) = v { return f }
        return v.doubles.map { Float($0) }
    }

    // x: (rows, sizes[0])  weights[i]: (sizes[i], sizes[i+1])  out: (rows, sizes.last)
    private func forward<T: KernelFloat>(_ x: [T], rows: Int, weights: [[T]], biases: [[T]]) -> [T] {
        let sizes = model.layerSizes
        var a = x
        for i in 0..<weights.count {
            let nIn = sizes[i], nOut = sizes[i + 1]
            var z = [T](repeating: 0, count: rows * nOut)
            if rows > 0 {
                a.withUnsafeBufferPointer { pa in
                    weights[i].withUnsafeBufferPointer { pw in
                        z.withUnsafeMutableBufferPointer { pz in
                            T.gemm(.noTranspose, .noTranspose, m: rows, n: nOut, k: nIn, alpha: 1,
                                   a: pa.baseAddress!, lda: nIn, b: pw.baseAddress!, ldb: nOut,
                                   beta: 0, c: pz.baseAddress!, ldc: nOut)
                        }
                    }
                }
            }
            for r in 0..<rows { for j in 0..<nOut { z[r * nOut + j] += biases[i][j] } }
            let last = i == weights.count - 1
            activate(&z, name: last ? model.metadata.outActivation : model.metadata.activation, width: nOut)
            a = z
        }
        return a
    }

    private func activate<T: KernelFloat>(_ z: inout [T], name: String, width: Int) {
        let n = z.count
        guard n > 0 else { return }
        switch name {
        case "identity":
            return
        case "logistic":
            z.withUnsafeMutableBufferPointer { T.vectorLogistic($0.baseAddress!, $0.baseAddress!, count: n) }
        case "tanh":
            z.withUnsafeMutableBufferPointer { T.vectorTanh($0.baseAddress!, $0.baseAddress!, count: n) }
        case "relu":
            for i in 0..<n where !(z[i] > 0) { z[i] = 0 }
        case "exp":
            z.withUnsafeMutableBufferPointer { T.vectorExp($0.baseAddress!, $0.baseAddress!, count: n) }
        case "softmax":
            // sklearn: tmp = X - max(X, axis=1); exp; divide by the row sum.
            for r in 0..<(n / width) {
                let row = r * width
                var m = z[row]
                for j in 1..<width where z[row + j] > m { m = z[row + j] }
                var s: T = 0
                for j in 0..<width { z[row + j] = T.exp(z[row + j] - m); s += z[row + j] }
                for j in 0..<width { z[row + j] /= s }
            }
        default:
            preconditionFailure("activation '\(name)' passed MLPModel.validate")
        }
    }
}
