import Testing
@testable import MLPReport

// The report's curves against scikit-learn 1.9.1 on a small example with ties:
//   roc_auc_score(y, s) = 0.875, average_precision_score(y, s) = 0.8875,
//   calibration_curve(y, s, n_bins=5) = ([0, 2/3, 1, 1], [0.075, 0.38333…, 0.8, 0.9]).
private let scores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.05]
private let positive = [false, false, true, true, true, true, false]

@Suite struct ReportCurveTests {
    @Test func rocAreaIsScikitLearns() throws {
        let roc = try #require(CurveMetrics.roc(scores: scores, positive: positive))
        #expect(abs(roc.auc - 0.875) < 1e-15)
        #expect(roc.fpr.first == 0 && roc.tpr.first == 0 && roc.fpr.last == 1 && roc.tpr.last == 1)
        #expect(CurveMetrics.roc(scores: [0.2, 0.3], positive: [true, true]) == nil)
    }

    @Test func averagePrecisionIsScikitLearns() throws {
        let pr = try #require(CurveMetrics.precisionRecall(scores: scores, positive: positive))
        #expect(abs(pr.averagePrecision - 0.8875) < 1e-15)
        #expect(pr.recall.last == 0 && pr.precision.last == 1)
    }

    @Test func calibrationBinsAreScikitLearns() {
        let bins = CurveMetrics.calibration(probabilities: scores, positive: positive, bins: 5)
        #expect(bins.map(\.observed) == [0, 2.0 / 3, 1, 1])
        let expected = [0.075, 0.38333333333333336, 0.8, 0.9]
        for (got, want) in zip(bins.map(\.predicted), expected) { #expect(abs(got - want) < 1e-15) }
    }

    @Test func principalComponentsFindTheLineTheDataLieOn() {
        // Points on x2 = 2·x1 + noise-free offsets in x3: the first component carries almost all the variance.
        var features: [Double] = []
        for i in 0..<50 {
            let t = Double(i) / 10
            features += [t, 2 * t, Double(i % 2) * 0.01]
        }
        let pca = PrincipalComponents(features: features, featureCount: 3)
        #expect(pca.explainedVarianceRatio[0] > 0.6)
        #expect(abs(abs(pca.components[0][0]) - abs(pca.components[0][1])) < 1e-9)
        // A point maps back onto the plane it was projected from.
        let (a, b) = pca.project(features[30..<33])
        let back = pca.point(a, b)
        let (a2, b2) = pca.project(back[...])
        #expect(abs(a - a2) < 1e-9 && abs(b - b2) < 1e-9)
    }
}
