import MLPCore
import Testing
@testable import MLPDiagnosis

/// The two distances from unit scale that the diagnosis judges columns by, at their bounds, and what each decides.
@Suite struct UnitScaleTests {
    @Test(arguments: [(0.0, 1.0, false), (0, 10, false), (0, 10.5, true), (0, 0.1, false), (0, 0.09, true),
                      (0, 0, false), (9.5, 1, false), (10.5, 1, true), (-10.5, 1, true), (0.9, 0, false),
                      (1.1, 0, true), (0.9, 0.05, true)])
    func farOffIsAnOrderOfMagnitude(mean: Double, std: Double, expected: Bool) {
        #expect(UnitScale.isFarOff(mean: mean, std: std) == expected)
    }

    @Test(arguments: [(0.0, 1.0, false), (0, 2, false), (0, 2.1, true), (0, 0.5, false), (0, 0.49, true),
                      (1, 1, false), (1.1, 1, true), (-1.1, 1, true), (0, 0, true)])
    func offIsAFactorOfTwo(mean: Double, std: Double, expected: Bool) {
        #expect(UnitScale.isOff(mean: mean, std: std) == expected)
    }

    /// Unscaled inputs are always worth a measured try; their symptom counts only an order of magnitude off. A target
    /// is tried beyond a factor of two of unit scale, and its symptom again counts an order of magnitude off.
    @Test func inputsAndTargetAreJudgedByTheirOwnBounds() throws {
        let (x, y) = TestData.regression()
        func candidates(featureScale: Double, targetScale: Double) throws -> [Candidate] {
            let storage = x.storage.indices.map { x.storage[$0] * ($0 % x.columns == 0 ? featureScale : 1) }
            let input = DiagnosisInput(features: Matrix(rows: x.rows, columns: x.columns, storage: storage),
                                       target: .values(y.map { $0 * targetScale }), parameters: TestData.parameters(),
                                       scaling: .none)
            return try DiagnosisSession(input)
                .candidateFixes(baseline: DiagnosisProofTests.summary(score: 0.5), probed: [], rangeTest: nil)
        }
        let near = try candidates(featureScale: 5, targetScale: 1.5)
        #expect(try #require(near.first { $0.id == .unscaledFeatures }).symptomMeasured == false)
        #expect(!near.contains { $0.id == .unscaledTarget })
        let off = try candidates(featureScale: 30, targetScale: 3)
        #expect(try #require(off.first { $0.id == .unscaledFeatures }).symptomMeasured)
        #expect(try #require(off.first { $0.id == .unscaledTarget }).symptomMeasured == false)
        let far = try candidates(featureScale: 1, targetScale: 30)
        #expect(try #require(far.first { $0.id == .unscaledTarget }).symptomMeasured)
    }
}

@Suite struct StatisticsTests {
    /// A column's spread is what `--scale standard` divides by, and finite near the top of the range (the squares of
    /// ±1e200 overflow; the scaler's rescaled pass does not).
    @Test func columnMomentsAreTheScalers() {
        let storage = [1e200, 1, -1e200, 3, 0, 2]
        let (mean, std) = Statistics.columnMoments(storage, rows: 3, columns: 2)
        var scaler = StandardScaler()
        #expect(throws: Never.self) { try scaler.fit(Matrix(rows: 3, columns: 2, storage: storage)) }
        #expect(mean == scaler.mean)
        #expect(std[1] == scaler.scale[1])
        #expect(abs(std[0] / (1e200 * (2.0 / 3).squareRoot()) - 1) < 1e-14, "\(std[0])")
    }
}
