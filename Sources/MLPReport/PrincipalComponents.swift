import MLPCore

/// The two leading principal components of standardized features, for drawing a decision boundary of a model
/// with more than two features on the plane they span.
public struct PrincipalComponents: Sendable {
    /// Per feature, the mean and standard deviation used to standardize.
    public var mean: [Double]
    /// Per feature, the standard deviation (1 for a constant feature).
    public var scale: [Double]
    /// The two unit components in standardized feature space.
    public var components: [[Double]]
    /// The share of the standardized variance each component explains.
    public var explainedVarianceRatio: [Double]

    /// Finds the two leading components of `features` (rows, featureCount) by power iteration with deflation.
    /// - Parameters:
    ///   - features: row-major (rows, featureCount), featureCount ≥ 2.
    ///   - featureCount: the number of features.
    public init(features: [Double], featureCount d: Int) {
        let n = features.count / d
        let mean = (0..<d).map { j in stride(from: j, to: features.count, by: d).map { features[$0] }.reduce(0, +) / Double(n) }
        let scale = (0..<d).map { j in
            let m = mean[j]
            let v = stride(from: j, to: features.count, by: d).map { (features[$0] - m) * (features[$0] - m) }.reduce(0, +)
            let s = (v / Double(n)).squareRoot()
            return s > 0 ? s : 1
        }
        var covariance = [Double](repeating: 0, count: d * d)
        for r in 0..<n {
            let z = (0..<d).map { (features[r * d + $0] - mean[$0]) / scale[$0] }
            for i in 0..<d { for j in 0..<d { covariance[i * d + j] += z[i] * z[j] / Double(n) } }
        }
        let total = (0..<d).map { covariance[$0 * d + $0] }.reduce(0, +)
        var components: [[Double]] = [], explainedVarianceRatio: [Double] = []
        for k in 0..<2 {
            var v = (0..<d).map { Double(($0 * 7 + k * 3) % 11 + 1) }  // a fixed, non-special start
            var eigenvalue = 0.0
            for _ in 0..<300 {
                var w = (0..<d).map { i in (0..<d).reduce(0.0) { $0 + covariance[i * d + $1] * v[$1] } }
                let norm = w.map { $0 * $0 }.reduce(0, +).squareRoot()
                guard norm > 0 else { break }
                w = w.map { $0 / norm }
                eigenvalue = norm
                v = w
            }
            components.append(v)
            explainedVarianceRatio.append(total > 0 ? eigenvalue / total : 0)
            for i in 0..<d { for j in 0..<d { covariance[i * d + j] -= eigenvalue * v[i] * v[j] } }
        }
        self.mean = mean
        self.scale = scale
        self.components = components
        self.explainedVarianceRatio = explainedVarianceRatio
    }

    /// The coordinates of a row on the two components.
    /// - Parameter row: one row of features.
    public func project(_ row: ArraySlice<Double>) -> (Double, Double) {
        var a = 0.0, b = 0.0
        for (j, x) in row.enumerated() {
            let z = (x - mean[j]) / scale[j]
            a += z * components[0][j]
            b += z * components[1][j]
        }
        return (a, b)
    }

    /// The features of the point with coordinates (a, b) on the plane of the components through the mean.
    /// - Parameters:
    ///   - a: the first coordinate.
    ///   - b: the second coordinate.
    public func point(_ a: Double, _ b: Double) -> [Double] {
        mean.indices.map { mean[$0] + scale[$0] * (a * components[0][$0] + b * components[1][$0]) }
    }
}
