import MLPTestSupport
import Testing
@testable import MLPCore

// class_weight 'balanced' beyond a plain fit: sklearn's compute_class_weight, classes that weigh nothing, and
// partial_fit, which refuses it as sklearn's SGDClassifier does.
struct ClassWeightTests {
    /// 100 a, 30 b and 20 c, as the iris rows are labelled in `MLPEstimatorTests`.
    static let labels: [ClassLabel] = (0..<150).map { $0 < 100 ? "a" : ($0 < 130 ? "b" : "c") }

    static func isPartialFitError(_ error: any Error) -> Bool {
        if case .partialFit(let message)? = error as? MLPError { return message.contains("'balanced'") }
        return false
    }

    /// sklearn: compute_class_weight('balanced', classes=['a', 'b', 'c'], y) = 150 / (3 * [100, 30, 20]).
    @Test func balancedWeightsAreComputeClassWeight() throws {
        let weights = try ClassWeight.balancedWeights(for: Self.labels)
        let expected: [ClassLabel: Double] = ["a": 150.0 / 300, "b": 150.0 / 90, "c": 150.0 / 60]
        #expect(weights == expected)
        // Weighted counts: a 100 * 2, b 30, c 20 * 0.5 → 240 / (3 * [200, 30, 10]).
        let sampleWeight: [Double] = Self.labels.map { $0 == "a" ? 2.0 : ($0 == "c" ? 0.5 : 1) }
        let expectedWeighted: [ClassLabel: Double] = ["a": 240.0 / 600, "b": 240.0 / 90, "c": 240.0 / 30]
        #expect(try ClassWeight.balancedWeights(for: Self.labels, sampleWeight: sampleWeight) == expectedWeighted)
        #expect(throws: MLPError.self) { try ClassWeight.balancedWeights(for: Self.labels, sampleWeight: [1, 2]) }
    }

    /// A class whose rows all weigh 0 is not counted among the classes: the others share n as if it were absent.
    @Test func aClassThatWeighsNothingIsNotCounted() throws {
        let (x, _) = Data2D.iris
        let sampleWeight: [Double] = Self.labels.map { $0 == "c" ? 0.0 : 1 }
        let weighted = MLPClassifier<Double>(hiddenLayerSizes: [5], maxIter: 10, randomState: 0, classWeight: .balanced)
        try weighted.fit(x, Self.labels, sampleWeight: sampleWeight)
        // 130 rows weigh 1: a 130 / (2 * 100), b 130 / (2 * 30), c 0.
        let manual = MLPClassifier<Double>(hiddenLayerSizes: [5], maxIter: 10, randomState: 0)
        let manualWeight: [Double] = Self.labels.map { $0 == "a" ? 130.0 / 200 : ($0 == "b" ? 130.0 / 60 : 0) }
        try manual.fit(x, Self.labels, sampleWeight: manualWeight)
        #expect(weighted.network!.parameters == manual.network!.parameters)
        let expected: [ClassLabel: Double] = ["a": 130.0 / 200, "b": 130.0 / 60, "c": 1]
        #expect(try ClassWeight.balancedWeights(for: Self.labels, sampleWeight: sampleWeight) == expected)
    }

    /// One batch's counts are not the data's: partialFit refuses 'balanced' and leaves the classifier unfitted;
    /// the weights of the full labels, passed as a map, train as the same weights passed per sample.
    @Test func partialFitRefusesBalancedAndTakesTheFullLabelsWeights() throws {
        let (x, _) = Data2D.iris
        let classes: [ClassLabel] = ["a", "b", "c"]
        let batch = Matrix(rows: 50, columns: x.columns, storage: Array(x.storage[(75 * x.columns)..<(125 * x.columns)]))
        let batchLabels = Array(Self.labels[75..<125])  // 25 a, 25 b, no c
        let refused = MLPClassifier<Double>(hiddenLayerSizes: [5], randomState: 0, classWeight: .balanced)
        #expect(performing: { try refused.partialFit(batch, batchLabels, classes: classes) },
                throws: Self.isPartialFitError)
        #expect(refused.network == nil && refused.classes.isEmpty)

        let full = try ClassWeight.balancedWeights(for: Self.labels)
        refused.classWeight = .perClass(full)
        try refused.partialFit(batch, batchLabels, classes: classes)
        let manual = MLPClassifier<Double>(hiddenLayerSizes: [5], randomState: 0)
        try manual.partialFit(batch, batchLabels, sampleWeight: batchLabels.map { full[$0]! }, classes: classes)
        #expect(refused.network!.parameters == manual.network!.parameters)
        let unweighted = MLPClassifier<Double>(hiddenLayerSizes: [5], randomState: 0)
        try unweighted.partialFit(batch, batchLabels, classes: classes)
        #expect(unweighted.network!.parameters != manual.network!.parameters)  // the weights took effect

        let multilabel = MLPClassifier<Double>(hiddenLayerSizes: [5], randomState: 0, classWeight: .balanced)
        let indicator = Matrix<Double>(rows: 50, columns: 2, storage: (0..<100).map { Double($0 % 3 == 0 ? 1 : 0) })
        #expect(performing: { try multilabel.partialFit(batch, multilabel: indicator) }, throws: Self.isPartialFitError)
    }
}
