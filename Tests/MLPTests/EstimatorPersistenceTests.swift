import Foundation
import MLPTestSupport
import Testing
@testable import MLPCore
@testable import MLPModelFile

// save(to:) / load(from:) of fitted estimators: every activation and target kind, in Float and Double. A loaded
// estimator must predict the same bits, carry the same parameters and fitted attributes, and warm-start on as the
// fitted one would.

enum PersistedTarget: String, CaseIterable, Sendable {
    case binary, multiclass, multilabel, regression, multiOutputRegression
}

/// Deterministic small data: x (rows, 3) in [-2, 2).
private func features<T: KernelFloat>(_: T.Type, rows: Int = 24, seed: UInt64 = 7) -> Matrix<T> {
    var state = seed
    let values = (0..<(rows * 3)).map { _ -> T in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return T(Double(state >> 11) / Double(1 << 53) * 4 - 2)
    }
    return Matrix(rows: rows, columns: 3, storage: values)
}

private func temporaryPath(_ name: String) throws -> String {
    try TestDirectory.make("persistence") + "/" + name
}

private func bits<T: KernelFloat>(_ m: Matrix<T>) -> [UInt64] { m.storage.map { UInt64(Double($0).bitPattern) } }

private func parameters(_ activation: Activation) -> MLPParameters {
    var p = MLPParameters()
    p.hiddenLayerSizes = [5, 4]
    p.activation = activation
    p.maxIter = 6
    p.randomState = 3
    p.dropout = 0.2
    p.learningRateInit = 0.01
    return p
}

/// Fits, saves, loads and compares one estimator in T.
private func roundTrip<T: KernelFloat>(_: T.Type, activation: Activation, kind: PersistedTarget) throws {
    let x = features(T.self)
    let path = try temporaryPath("m.mlp")
    let p = parameters(activation)
    switch kind {
    case .binary, .multiclass, .multilabel:
        let clf = MLPClassifier<T>(parameters: p)
        if kind == .multilabel {
            let y = Matrix<T>(rows: x.rows, columns: 3, storage: x.storage.map { $0 > 0 ? 1 : 0 })
            try clf.fit(x, multilabel: y)
        } else {
            let y: [ClassLabel] = (0..<x.rows).map { r in
                kind == .binary ? (x[r, 0] > 0 ? "yes" : "no") : ClassLabel(r % 3)
            }
            clf.classWeight = kind == .binary ? .perClass(["yes": 2, "no": 0.5]) : .balanced
            try clf.fit(x, y)
        }
        try clf.save(to: path)
        let loaded = try MLPClassifier<T>.load(from: path)
        #expect(loaded.parameters == clf.parameters)
        #expect(loaded.classWeight == clf.classWeight)
        #expect(loaded.classes == clf.classes)
        #expect(loaded.targetType == clf.targetType)
        #expect(loaded.fittedState == clf.fittedState)
        #expect(loaded.network == clf.network)
        #expect(loaded.network?.hiddenActivation == activation)
        #expect(bits(try loaded.predictProbabilities(x)) == bits(try clf.predictProbabilities(x)))
        if kind == .multilabel {
            #expect(try loaded.predictMultilabel(x) == clf.predictMultilabel(x))
        } else {
            #expect(try loaded.predict(x) == clf.predict(x))
        }
    case .regression, .multiOutputRegression:
        let reg = MLPRegressor<T>(parameters: p)
        let columns = kind == .regression ? 1 : 2
        let y = Matrix<T>(rows: x.rows, columns: columns, storage: (0..<(x.rows * columns)).map { i in
            x.storage[(i / columns) * 3] * T(1 + i % columns) + x.storage[(i / columns) * 3 + 1]
        })
        try reg.fit(x, y)
        try reg.save(to: path)
        let loaded = try MLPRegressor<T>.load(from: path)
        #expect(loaded.parameters == reg.parameters)
        #expect(loaded.loss == reg.loss)
        #expect(loaded.fittedState == reg.fittedState)
        #expect(loaded.network == reg.network)
        #expect(bits(try loaded.predict(x)) == bits(try reg.predict(x)))
        #expect(try loaded.predict(x).columns == columns)
    }
}

private let hiddenActivations = Activation.allCases.filter { $0 != .softmax && $0 != .exp }

@Suite struct EstimatorPersistenceTests {
    @Test(arguments: hiddenActivations, PersistedTarget.allCases)
    func roundTripPredictsTheSameBits(activation: Activation, kind: PersistedTarget) throws {
        try roundTrip(Double.self, activation: activation, kind: kind)
        try roundTrip(Float.self, activation: activation, kind: kind)
    }

    @Test func poissonLossAndLBFGSRoundTrip() throws {
        let x = features(Double.self)
        var p = parameters(.tanh)
        p.solver = .lbfgs
        let reg = MLPRegressor<Double>(loss: .poisson, parameters: p)
        try reg.fit(x, (0..<x.rows).map { Double($0 % 4) })
        let path = try temporaryPath("poisson.mlp")
        try reg.save(to: path)
        let loaded = try MLPRegressor<Double>.load(from: path)
        #expect(loaded.loss == .poisson)
        #expect(loaded.lossCurve == nil && reg.lossCurve == nil)
        #expect(loaded.fittedState == reg.fittedState)
        #expect(try loaded.predict(x) == reg.predict(x))
    }

    /// A loaded estimator continues a warm start exactly as the one it was saved from.
    @Test(arguments: [false, true])
    func warmStartAfterLoadContinuesTheFit(earlyStopping: Bool) throws {
        let x = features(Double.self, rows: 40)
        let y: [ClassLabel] = (0..<x.rows).map { r in x[r, 0] + x[r, 2] > 0 ? 1 : 0 }
        var p = parameters(.gelu)
        p.warmStart = true
        p.earlyStopping = earlyStopping
        p.validationFraction = 0.25
        let fitted = MLPClassifier<Double>(parameters: p)
        try fitted.fit(x, y)
        let path = try temporaryPath("warm.mlp")
        try fitted.save(to: path)
        let loaded = try MLPClassifier<Double>.load(from: path)
        try fitted.fit(x, y)
        try loaded.fit(x, y)
        #expect(loaded.lossCurve == fitted.lossCurve)
        #expect(loaded.lossCurve?.count == 12)
        #expect(loaded.validationScores == fitted.validationScores)
        #expect(loaded.fittedState == fitted.fittedState)
        #expect(try loaded.predictProbabilities(x) == fitted.predictProbabilities(x))
    }

    @Test func loadingConvertsPrecision() throws {
        let x = features(Float.self)
        let clf = MLPClassifier<Float>(parameters: parameters(.relu))
        try clf.fit(x, (0..<x.rows).map { ClassLabel($0 % 2) })
        let path = try temporaryPath("f.mlp")
        try clf.save(to: path)
        let wide = try MLPClassifier<Double>.load(from: path)
        #expect(wide.network!.parameters == clf.network!.parameters.map { Double($0) })
        #expect(try wide.predict(x.converted(to: Double.self)) == clf.predict(x))
    }

    @Test func wrongKindAndUnfittedAreErrors() throws {
        let x = features(Double.self)
        let reg = MLPRegressor<Double>(parameters: parameters(.relu))
        #expect(throws: ModelFileError.self) { try reg.save(to: try temporaryPath("unfitted.mlp")) }
        try reg.fit(x, (0..<x.rows).map { Double($0) })
        let path = try temporaryPath("r.mlp")
        try reg.save(to: path)
        do {
            _ = try MLPClassifier<Double>.load(from: path)
            Issue.record("a regressor file loaded as a classifier")
        } catch let error as ModelFileError {
            #expect(error.description.contains("holds an MLPRegressor"))
            #expect(error.path == path)
        }
    }
}
