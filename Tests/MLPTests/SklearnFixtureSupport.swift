import Foundation
import MLPTestSupport
import Testing
@testable import MLPCore
import MLPDatasets

// Loads the scikit-learn fixtures written by Scripts/make_sklearn_fixtures.py and turns a case's
// parameters and data reference into swift-mlp values.

enum SklearnFixtures {
    static func json(_ name: String) -> [String: Any] {
        do {
            return try FixtureFiles.exactJSON("sklearn/\(name).json", in: "MLPTests") as! [String: Any]
        } catch { fatalError("fixture \(name): \(error)") }
    }

    nonisolated(unsafe) static let cases: [String: [String: Any]] = {
        let all = json("cases")["cases"] as! [[String: Any]]
        return Dictionary(uniqueKeysWithValues: all.map { ($0["name"] as! String, $0) })
    }()

    static let caseNames: [String] = {
        let all = json("cases")["cases"] as! [[String: Any]]
        return all.map { $0["name"] as! String }
    }()

    /// A bundled dataset's CSV (the library's resource; last column the label): features and raw label strings.
    static func csv(_ name: String) -> (x: [[Double]], labels: [String]) {
        let text = BundledDataset(rawValue: name)!.csv
        var x: [[Double]] = [], labels: [String] = []
        for line in text.split(whereSeparator: \.isNewline).dropFirst() where !line.isEmpty {
            let cells = line.split(separator: ",").map(String.init)
            x.append(cells.dropLast().map { Double($0)! })
            labels.append(cells.last!)
        }
        return (x, labels)
    }

    static let iris = csv("iris")
    static let digits = csv("digits")

    /// The case's data: X, raw y (labels as JSON values), and the y matrix for numeric targets.
    static func data(_ ref: [String: Any]) -> (x: Matrix<Double>, y: [Any]) {
        if let x = ref["X"] as? [[Any]] {
            return (Matrix(x.map { $0.map(double) }), ref["y"] as! [Any])
        }
        var (x, labels): ([[Double]], [Any])
        switch ref["name"] as! String {
        case "iris": (x, labels) = (iris.x, iris.labels)
        case "digits": (x, labels) = (digits.x, digits.labels.map { Int($0)! })
        default: fatalError("unknown dataset")
        }
        if let rows = ref["rows"] as? Int { x = Array(x.prefix(rows)); labels = Array(labels.prefix(rows)) }
        if let scale = ref["scale"] as? Double { x = x.map { $0.map { $0 * scale } } }
        if let keep = ref["classes"] as? [Int] {
            let mask = labels.map { keep.contains($0 as! Int) }
            x = zip(x, mask).filter(\.1).map(\.0)
            labels = zip(labels, mask).filter(\.1).map(\.0)
        }
        return (Matrix(x), labels)
    }

    static func double(_ any: Any) -> Double {
        if let d = any as? Double { return d }
        if let i = any as? Int { return Double(i) }
        fatalError("not a number: \(any)")
    }
    static func int(_ any: Any) -> Int { any as! Int }
    static func doubles(_ any: Any?) -> [Double] { (any as! [Any]).map(double) }
    static func matrix(_ any: Any?) -> [[Double]] { (any as! [Any]).map { doubles($0) } }

    static func label(_ any: Any) -> ClassLabel {
        if let s = any as? String { return .string(s) }
        return .number(double(any))
    }

    /// sklearn parameter dict → MLPParameters (and the regressor's loss).
    static func parameters(_ dict: [String: Any]) -> (MLPParameters, RegressionLoss) {
        var p = MLPParameters()
        var loss = RegressionLoss.squaredError
        for (key, value) in dict {
            switch key {
            case "hidden_layer_sizes": p.hiddenLayerSizes = (value as! [Any]).map(int)
            case "activation": p.activation = Activation(rawValue: value as! String)!
            case "solver": p.solver = Solver(rawValue: value as! String)!
            case "alpha": p.alpha = double(value)
            case "batch_size": p.batchSize = int(value)
            case "learning_rate": p.learningRate = LearningRateSchedule(rawValue: value as! String)!
            case "learning_rate_init": p.learningRateInit = double(value)
            case "power_t": p.powerT = double(value)
            case "max_iter": p.maxIter = int(value)
            case "shuffle": p.shuffle = value as! Bool
            case "random_state": p.randomState = int(value)
            case "tol": p.tol = double(value)
            case "warm_start": p.warmStart = value as! Bool
            case "momentum": p.momentum = double(value)
            case "nesterovs_momentum": p.nesterovsMomentum = value as! Bool
            case "early_stopping": p.earlyStopping = value as! Bool
            case "validation_fraction": p.validationFraction = double(value)
            case "n_iter_no_change": p.nIterNoChange = (value as? String) == "inf" ? .infinity : double(value)
            case "loss": loss = RegressionLoss(rawValue: value as! String)!
            default: fatalError("unmapped sklearn parameter \(key)")
            }
        }
        return (p, loss)
    }
}

/// Largest |a − e| / max(|e|, tiny) over two arrays.
func maxRelativeError(_ actual: [Double], _ expected: [Double]) -> Double {
    zip(actual, expected).map { abs($0 - $1) / max(abs($1), 1e-300) }.max() ?? 0
}

func maxAbsoluteError(_ actual: [Double], _ expected: [Double]) -> Double {
    zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
}
