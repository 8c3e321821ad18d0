import MLPCore
@testable import MLPDiagnosis

// Small planted cases, generated with a fixed seed, that train in milliseconds.

enum TestData {
    /// Two or three Gaussian blobs in `features` dimensions, class k centred at ±1.5 per coordinate.
    static func blobs(rows: Int = 180, features: Int = 4, classes: Int = 3, minorityShare: Double? = nil,
                      noise: Double = 1, seed: UInt64 = 1) -> (x: Matrix<Double>, y: [Int]) {
        var generator = SplitMix64(seed: seed)
        var centres: [[Double]] = []
        for _ in 0..<classes { centres.append((0..<features).map { _ in generator.uniform(0, 1) < 0.5 ? -1.5 : 1.5 }) }
        var storage: [Double] = [], labels: [Int] = []
        for row in 0..<rows {
            let label: Int
            if let minorityShare {
                label = Double(row) < Double(rows) * minorityShare ? 1 : 0
            } else {
                label = row % classes
            }
            labels.append(label)
            for f in 0..<features { storage.append(centres[label][f] + noise * normal(&generator)) }
        }
        return (Matrix(rows: rows, columns: features, storage: storage), labels)
    }

    /// y = x·w + sin(2·x₀), standardized, for x ~ N(0, 1).
    static func regression(rows: Int = 200, features: Int = 4, seed: UInt64 = 2) -> (x: Matrix<Double>, y: [Double]) {
        var generator = SplitMix64(seed: seed)
        let w = (0..<features).map { _ in normal(&generator) }
        var storage: [Double] = [], y: [Double] = []
        for _ in 0..<rows {
            let row = (0..<features).map { _ in normal(&generator) }
            storage += row
            y.append(zip(row, w).map(*).reduce(0, +) + sin(2 * row[0]))
        }
        let (mean, std) = Statistics.moments(y)
        return (Matrix(rows: rows, columns: features, storage: storage), y.map { ($0 - mean) / std })
    }

    static func normal(_ generator: inout SplitMix64) -> Double {
        let u = max(generator.uniform(0, 1), 1e-12), v = generator.uniform(0, 1)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// Small, fast parameters: adam, one hidden layer of 16.
    static func parameters(_ change: (inout MLPParameters) -> Void = { _ in }) -> MLPParameters {
        var p = MLPParameters()
        p.hiddenLayerSizes = [16]
        p.learningRateInit = 0.01
        p.maxIter = 60
        change(&p)
        return p
    }

    static func diagnose(_ x: Matrix<Double>, _ target: DiagnosisTarget, _ parameters: MLPParameters,
                         scaling: InputScaling = .standard) throws -> DiagnosisReport {
        var input = DiagnosisInput(features: x, target: target, parameters: parameters, scaling: scaling)
        input.randomStateCount = 3
        input.timeBudget = 1000
        return try Diagnosis.run(input)
    }

    /// Run 0 of `parameters` on 2 folds of `input` (standard scaling), with that fold scaled and the run's own
    /// parameters (random state 0), so that a test can fit the same run by hand and score it.
    static func firstRun(_ input: DiagnosisInput, _ parameters: MLPParameters) throws
        -> (run: TrialRun, fold: PreparedData, scaled: (train: Matrix<Double>, validation: Matrix<Double>),
            parameters: MLPParameters) {
        let folds = try PreparedData.folds(input, count: 2, seed: 0)
        let run = try Trainer(folds: folds, randomStates: [0, 1]).run(TrialSetup(parameters: parameters, scaling: .standard),
                                                                 index: 0)
        var same = parameters
        same.randomState = 0
        return (run, folds[0], try folds[0].scaled(.standard), same)
    }

    static func classes(_ y: [Int]) -> DiagnosisTarget {
        .classes(indices: y, classNames: (0...(y.max() ?? 0)).map(String.init))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
