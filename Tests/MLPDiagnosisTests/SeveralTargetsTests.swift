import MLPCore
import Testing
@testable import MLPDiagnosis

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension TestData {
    /// Two regression targets of x ~ N(0, 1): a standardized one, and a second one multiplied by `secondScale`.
    static func twoOutputs(rows: Int = 200, secondScale: Double = 1) -> (x: Matrix<Double>, y: Matrix<Double>) {
        let first = regression(rows: rows, seed: 2), second = regression(rows: rows, seed: 2)
        var generator = SplitMix64(seed: 5)
        // The second target: another linear function of the same rows, plus a little noise.
        let w = (0..<first.x.columns).map { _ in normal(&generator) }
        var y: [Double] = []
        for r in 0..<rows {
            let value = zip(second.x.row(r), w).map(*).reduce(0, +) + 0.1 * normal(&generator)
            y += [first.y[r], value * secondScale]
        }
        return (first.x, Matrix(rows: rows, columns: 2, storage: y))
    }

    /// Three labels of x ~ N(0, 1): label j is on when feature j (plus a little noise) is positive.
    static func threeLabels(rows: Int = 180) -> (x: Matrix<Double>, y: Matrix<Double>) {
        var generator = SplitMix64(seed: 7)
        var storage: [Double] = [], labels: [Double] = []
        for _ in 0..<rows {
            let row = (0..<4).map { _ in normal(&generator) }
            storage += row
            labels += (0..<3).map { row[$0] + 0.3 * normal(&generator) > 0 ? 1 : 0 }
        }
        return (Matrix(rows: rows, columns: 4, storage: storage), Matrix(rows: rows, columns: 3, storage: labels))
    }
}

/// Several targets: a multi-output regressor and a multilabel classifier are diagnosed on the losses and scores
/// scikit-learn's MLPRegressor and MLPClassifier give them, each target column judged and scaled apart.
@Suite struct SeveralTargetsTests {
    /// One run of a multi-output regressor: its held-out loss is half the squared error averaged over every cell and
    /// its score the R² averaged over the outputs, as a fit of the whole (rows, 2) matrix scores them by hand.
    @Test func aMultiOutputRunScoresEveryOutput() throws {
        let (x, y) = TestData.twoOutputs()
        let parameters = TestData.parameters()
        let input = DiagnosisInput(features: x, target: .valueColumns(y, names: ["a", "b"]), parameters: parameters,
                                   scaling: .standard)
        let (run, fold, scaled, same) = try TestData.firstRun(input, parameters)
        let regressor = MLPRegressor<Double>(parameters: same)
        try regressor.fit(scaled.train, Matrix(rows: scaled.train.rows, columns: 2, storage: fold.trainTarget))
        let predicted = try regressor.predict(scaled.validation).storage, truth = fold.validationTarget
        let halfSquares = zip(predicted, truth).map { ($0 - $1) * ($0 - $1) / 2 }.reduce(0, +) / Double(truth.count)
        #expect(abs(run.validationLoss - halfSquares) < 1e-9 * halfSquares, "\(run.validationLoss) vs \(halfSquares)")
        let r2 = (0..<2).map { j -> Double in
            let t = stride(from: j, to: truth.count, by: 2).map { truth[$0] }
            let p = stride(from: j, to: truth.count, by: 2).map { predicted[$0] }
            let mean = t.reduce(0, +) / Double(t.count)
            return 1 - zip(t, p).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / t.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
        }
        #expect(abs(run.score - (r2[0] + r2[1]) / 2) < 1e-9, "\(run.score) vs \(r2)")
        #expect(r2.allSatisfy { $0 > 0.5 }, "both outputs are learnt: \(r2)")
    }

    /// One run of a multilabel classifier: its held-out loss is the binary log loss summed over the labels and
    /// averaged over the rows (MLPClassifier's loss on an indicator matrix), its score the labels' mean balanced
    /// accuracy.
    @Test func aMultilabelRunScoresEveryLabel() throws {
        let (x, y) = TestData.threeLabels()
        let parameters = TestData.parameters()
        let input = DiagnosisInput(features: x, target: .labelIndicators(y, labels: ["p", "q", "r"]),
                                   parameters: parameters, scaling: .standard)
        let (run, fold, scaled, same) = try TestData.firstRun(input, parameters)
        let classifier = MLPClassifier<Double>(parameters: same)
        try classifier.fit(scaled.train, multilabel: Matrix(rows: scaled.train.rows, columns: 3, storage: fold.trainTarget))
        let p = try classifier.predictProbabilities(scaled.validation).storage, truth = fold.validationTarget
        let rows = Double(truth.count / 3)
        let logLoss = zip(p, truth).map { p, t in -(t == 1 ? log(p) : log(1 - p)) }.reduce(0, +) / rows
        #expect(abs(run.validationLoss - logLoss) < 1e-9 * logLoss, "\(run.validationLoss) vs \(logLoss)")
        let balanced = (0..<3).map { j -> Double in
            var hits = [0.0, 0.0], totals = [0.0, 0.0]
            for i in stride(from: j, to: truth.count, by: 3) {
                let t = Int(truth[i])
                totals[t] += 1
                if (p[i] > 0.5 ? 1 : 0) == t { hits[t] += 1 }
            }
            return (hits[0] / totals[0] + hits[1] / totals[1]) / 2
        }
        #expect(abs(run.score - balanced.reduce(0, +) / 3) < 1e-12, "\(run.score) vs \(balanced)")
        #expect(balanced.allSatisfy { $0 > 0.7 }, "every label is learnt: \(balanced)")
    }

    /// The second of two targets ×1000: the first column is of unit scale, so only a check of every column finds it,
    /// names it, and standardizing each column apart proves the fix.
    @Test func anOffScaleSecondColumnIsFoundAndNamed() throws {
        let (x, y) = TestData.twoOutputs(secondScale: 1000)
        let report = try TestData.diagnose(x, .valueColumns(y, names: ["a", "b"]), TestData.parameters())
        let finding = try #require(report.problems.first { $0.id == .unscaledTarget }, "\(report.findings.map(\.id))")
        #expect(finding.targetColumns == ["b"])
        #expect(finding.evidence["target_column"] == 1)
        #expect((finding.evidence["target_std"] ?? 0) > 100, "\(finding.evidence)")
        // Each column standardized apart: both outputs are learnt, where on the raw target the ×1000 one dominated.
        let effect = try #require(finding.effect)
        #expect(effect.after > 0.75 && effect.after > effect.before + 0.2, "\(effect)")
        #expect(report.sentences().contains { $0.hasPrefix("unscaled-target (target column 'b'):") }, "\(report.sentences())")
    }

    /// `scaleTarget`: the probe and the range test see each column standardized by its own mean and deviation.
    @Test func aScaledTargetStandardizesEachColumnApart() throws {
        let (x, y) = TestData.twoOutputs(secondScale: 1000)
        var input = DiagnosisInput(features: x, target: .valueColumns(y, names: ["a", "b"]), parameters: TestData.parameters(),
                                   scaling: .standard)
        input.scaleTarget = true
        let session = try DiagnosisSession(input)
        let target = session.fittedTarget
        let (means, stds) = Statistics.columnMoments(target, rows: target.count / 2, columns: 2)
        for j in 0..<2 {
            #expect(abs(means[j]) < 1e-9 && abs(stds[j] - 1) < 1e-9, "column \(j): mean \(means[j]), std \(stds[j])")
        }
    }

    /// Neither several values nor an indicator matrix is stratified (scikit-learn's check_cv splits both by KFold):
    /// their folds are those of one regression target over as many rows.
    @Test func severalTargetsAreSplitByKFold() throws {
        let (x, y) = TestData.threeLabels()
        let parameters = TestData.parameters()
        let labels = DiagnosisInput(features: x, target: .labelIndicators(y, labels: ["p", "q", "r"]),
                                    parameters: parameters, scaling: .standard)
        let values = DiagnosisInput(features: x, target: .values((0..<x.rows).map(Double.init)), parameters: parameters,
                                    scaling: .standard)
        let split = try PreparedData.folds(labels, count: 3, seed: 4), plain = try PreparedData.folds(values, count: 3, seed: 4)
        for (k, (a, b)) in zip(split, plain).enumerated() {
            let same = a.validationX == b.validationX
            #expect(same, "fold \(k) holds out other rows than plain K-fold")
        }
        // The rows' labels travel with them, three per row.
        #expect(split[0].validationTarget.count == 3 * split[0].validationX.rows)
    }

    /// Probe and range test: the output delta of every output, not of the first one repeated.
    @Test func theProbeLossCoversEveryOutput() {
        var network = Network<Double>(layerSizes: [2, 3, 2], hiddenActivation: .tanh, outputActivation: .identity)
        for i in network.parameters.indices { network.parameters[i] = 0.1 * Double(i % 7) - 0.3 }
        let x = [0.5, -1.0, 2.0, 0.25], target = [1.0, -2.0, 0.5, 3.0]
        let pass = ProbePass(network, x: x, rows: 2, target: target)
        let output = pass.outputs.last!
        let expected = zip(output, target).map { ($0 - $1) * ($0 - $1) / 2 }.reduce(0, +) / 2
        #expect(abs(pass.loss - expected) < 1e-12, "\(pass.loss) vs \(expected)")
    }

    /// Refusals name the column: a constant column, an indicator that is not 0 or 1, names not one per column.
    @Test func inputChecksNameTheColumn() throws {
        let (x, y) = TestData.twoOutputs(rows: 20)
        var constant = y
        for r in 0..<20 { constant[r, 1] = 3 }
        let parameters = TestData.parameters()
        #expect(throws: DiagnosisError.constantTargetColumn(column: "b", value: 3)) {
            try DiagnosisInput(features: x, target: .valueColumns(constant, names: ["a", "b"]), parameters: parameters,
                               scaling: .standard).check()
        }
        #expect(DiagnosisError.constantTargetColumn(column: "b", value: 3).description.contains("'b' is constant"))
        var indicators = TestData.threeLabels(rows: 20).y
        indicators[4, 2] = 2
        let error = DiagnosisError.indicatorNotBinary(row: 4, column: "r", value: 2)
        #expect(throws: error) {
            try DiagnosisInput(features: x, target: .labelIndicators(indicators, labels: ["p", "q", "r"]),
                               parameters: parameters, scaling: .standard).check()
        }
        #expect(error.row == 4 && error.column == "r")
        #expect(error.description.hasPrefix("row 5, column 'r': '2.0' is not 0 or 1"))
        // MLPClassifier refuses class weights with an indicator matrix: refused before training, not run as failures.
        var weighted = parameters
        weighted.classWeight = .balanced
        #expect(throws: DiagnosisError.classWeightWithLabels) {
            try DiagnosisInput(features: x, target: .labelIndicators(TestData.threeLabels(rows: 20).y, labels: ["p", "q", "r"]),
                               parameters: weighted, scaling: .standard).check()
        }
        #expect(DiagnosisError.classWeightWithLabels.description(naming: .flags).hasPrefix("--class-weight applies"))
        #expect(throws: DiagnosisError.targetNamesMismatch(columns: 2, names: 1)) {
            try DiagnosisInput(features: x, target: .valueColumns(y, names: ["a"]), parameters: parameters,
                               scaling: .standard).check()
        }
        var counts = Matrix(rows: 20, columns: 2, storage: y.storage.map(abs))
        counts[7, 1] = -1
        var poisson = parameters
        poisson.loss = .poisson
        #expect(throws: DiagnosisError.negativePoissonValue(row: 7, column: "b", value: -1)) {
            try DiagnosisInput(features: x, target: .valueColumns(counts, names: ["a", "b"]), parameters: poisson,
                               scaling: .standard).check()
        }
    }
}
