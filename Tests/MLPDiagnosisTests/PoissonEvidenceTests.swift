import MLPCore
import Testing
@testable import MLPDiagnosis

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// With `loss = .poisson` the held-out loss is the half Poisson deviance the network trains on (scikit-learn's
/// MLPRegressor(loss='poisson')), not half the squared error: the report's two losses are in one unit.
@Suite struct PoissonEvidenceTests {
    /// Counts with mean exp(0.5·x₀ + 2) ≈ 7: their half squared error is about 4, their half deviance about 0.5.
    static func counts(rows: Int = 300) -> (x: Matrix<Double>, y: [Double]) {
        var generator = SplitMix64(seed: 3)
        var storage: [Double] = [], y: [Double] = []
        for _ in 0..<rows {
            let row = (0..<3).map { _ in TestData.normal(&generator) }
            storage += row
            // Knuth's Poisson sampler: count uniform draws until their product falls below e^(−λ).
            let limit = exp(-exp(0.5 * row[0] + 2))
            var k = 0.0, product = generator.uniform(0, 1)
            while product > limit { k += 1; product *= generator.uniform(0, 1) }
            y.append(k)
        }
        return (Matrix(rows: rows, columns: 3, storage: storage), y)
    }

    @Test func theHeldOutLossIsTheHalfPoissonDeviance() throws {
        let (x, y) = Self.counts()
        let parameters = TestData.parameters { $0.loss = .poisson; $0.maxIter = 100 }
        var input = DiagnosisInput(features: x, target: .values(y), parameters: parameters, scaling: .standard)
        input.randomStateCount = 2
        let (run, fold, scaled, same) = try TestData.firstRun(input, parameters)
        // The same fit by hand, scored with the loss's formula.
        let regressor = MLPRegressor<Double>(parameters: same)
        try regressor.fit(scaled.train, fold.trainTarget)
        let predicted = try regressor.predict(scaled.validation).storage
        let truth = fold.validationTarget
        let deviance = zip(predicted, truth).map { p, t in (t > 0 ? t * log(t / p) : 0) - t + p }.reduce(0, +)
            / Double(truth.count)
        #expect(abs(run.validationLoss - deviance) < 1e-9 * max(1, deviance), "\(run.validationLoss) vs \(deviance)")
        // Held-out and training losses now compare: the same order of magnitude, not ×8 apart.
        #expect(run.validationLoss < 3 * run.finalLoss && run.finalLoss < 3 * run.validationLoss,
                "held-out \(run.validationLoss), training \(run.finalLoss)")
    }
}

/// What the Poisson loss refuses, the diagnosis refuses before training (it diagnosed an "exploding gradient" in
/// runs that had all failed at once).
@Suite struct PoissonInputTests {
    @Test func negativeTargetsAndAStandardizedTargetAreRefused() throws {
        var (x, y) = PoissonEvidenceTests.counts(rows: 40)
        y[6] = -2
        var input = DiagnosisInput(features: x, target: .values(y), parameters: TestData.parameters { $0.loss = .poisson },
                                   scaling: .standard)
        #expect(throws: DiagnosisError.negativePoissonTarget(row: 6, value: -2)) { _ = try Diagnosis.run(input) }
        // A library caller gets the row's index among the rows it passed (the tool names the file's line).
        #expect(DiagnosisError.negativePoissonTarget(row: 6, value: -2).description
                == "row 7: the target is -2.0: the Poisson loss needs targets of 0 or more")
        input.target = .values(y.map(abs))
        input.scaleTarget = true
        #expect(throws: DiagnosisError.poissonWithScaledTarget) { _ = try Diagnosis.run(input) }
        #expect(DiagnosisError.poissonWithScaledTarget.description(naming: .flags).contains("--scale-target standard"))
    }
}
