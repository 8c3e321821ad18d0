import MLPTestSupport
import Testing
@testable import MLPCore
import MLPDatasets

// Checks KFold, StratifiedKFold and crossValScore against Fixtures/sklearn/cv.json
// (Scripts/make_cv_fixtures.py, scikit-learn 1.9.1): every fold index for index, sklearn's errors and warnings word
// for word, and cross_val_score's per-fold scores, mean and std to 1e-9.

/// The fixture, read once.
private enum CVFixture {
    nonisolated(unsafe) static let root = SklearnFixtures.json("cv")
    nonisolated(unsafe) static let labels = (root["splits"] as! [String: Any])["labels"] as! [String: [Any]]
    nonisolated(unsafe) static let regression = (root["scores"] as! [String: Any])["regression"] as! [String: Any]
}

/// One splitter run of the fixture.
struct SplitCase: Sendable, CustomTestStringConvertible {
    var labels: String
    var stratified: Bool
    var nSplits: Int
    var randomState: Int?
    var testFolds: [[Int]]?
    var error: String?
    var warnings: [String]

    var testDescription: String {
        "\(stratified ? "StratifiedKFold" : "KFold")(\(nSplits), random_state=\(randomState.map(String.init) ?? "None")) on \(labels)"
    }

    /// The fixture's y for this case as class labels.
    var y: [ClassLabel] { CVFixture.labels[labels]!.map(SklearnFixtures.label) }

    static let all: [SplitCase] = ((CVFixture.root["splits"] as! [String: Any])["cases"] as! [[String: Any]]).map { c in
        SplitCase(labels: c["y"] as! String, stratified: c["splitter"] as! String == "stratified",
                  nSplits: c["n_splits"] as! Int, randomState: c["random_state"] as? Int,
                  testFolds: (c["test_folds"] as? [[Any]])?.map { $0.map { $0 as! Int } },
                  error: c["error"] as? String, warnings: (c["warnings"] as! [Any]).map { $0 as! String })
    }
}

/// One cross_val_score run of the fixture.
struct ScoreCase: Sendable, CustomTestStringConvertible {
    var classifier: Bool
    var data: String
    var parameters: MLPParameters
    var loss: RegressionLoss
    var scaler: CrossValidationScaler
    var cv: Int
    var scores: [Double]
    var mean: Double
    var std: Double

    var testDescription: String { "\(classifier ? "MLPClassifier" : "MLPRegressor") on \(data), \(scaler) scaler, cv=\(cv)" }

    static let all: [ScoreCase] = ((CVFixture.root["scores"] as! [String: Any])["cases"] as! [[String: Any]]).map { c in
        let (p, loss) = SklearnFixtures.parameters(c["params"] as! [String: Any])
        return ScoreCase(classifier: c["estimator"] as! String == "classifier", data: c["data"] as! String,
                         parameters: p, loss: loss, scaler: CrossValidationScaler(rawValue: c["scaler"] as! String)!,
                         cv: c["n_splits"] as! Int, scores: SklearnFixtures.doubles(c["scores"]),
                         mean: SklearnFixtures.double(c["mean"]!), std: SklearnFixtures.double(c["std"]!))
    }
}

/// A parameter or input error of the fixture.
struct ErrorCase: Sendable, CustomTestStringConvertible {
    var fields: [String: Int?]
    var stratified: Bool
    var shuffle: Bool
    var crossValScore: Bool
    var message: String

    var testDescription: String { message }

    static let all: [ErrorCase] = (CVFixture.root["errors"] as! [[String: Any]]).map { c in
        ErrorCase(fields: ["n_splits": c["n_splits"] as? Int, "random_state": c["random_state"] as? Int,
                           "x_rows": c["x_rows"] as? Int, "y_count": c["y_count"] as? Int],
                  stratified: c["splitter"] as? String == "stratified", shuffle: c["shuffle"] as? Bool ?? false,
                  crossValScore: c["cross_val_score"] as? Bool ?? false, message: c["message"] as! String)
    }
}

@Suite("Cross-validation (scikit-learn's KFold, StratifiedKFold, cross_val_score)")
struct CrossValidationTests {
    /// Our folds: the test index lists, the train lists, the warnings; or the error's message.
    private static func run(_ c: SplitCase) -> (folds: [CrossValidationFold]?, warnings: [String], error: String?) {
        do {
            if c.stratified {
                let splits = try StratifiedKFold(nSplits: c.nSplits, shuffle: c.randomState != nil, randomState: c.randomState)
                    .split(c.y)
                return (splits.folds, splits.warnings.map(\.description), nil)
            }
            let folds = try KFold(nSplits: c.nSplits, shuffle: c.randomState != nil, randomState: c.randomState)
                .split(count: c.y.count)
            return (folds, [], nil)
        } catch {
            return (nil, [], "\(error)")
        }
    }

    @Test("every fold equals sklearn's, index for index, with its warnings or error", arguments: SplitCase.all)
    func foldsMatchSklearn(_ c: SplitCase) {
        let ours = Self.run(c)
        #expect(ours.error == c.error)
        #expect(ours.warnings == c.warnings)
        #expect(ours.folds?.map(\.test) == c.testFolds)
        for fold in ours.folds ?? [] {
            let expectedTrain = Array(0..<c.y.count).filter { !fold.test.contains($0) }
            #expect(fold.train == expectedTrain, "train is the complement of test, ascending")
        }
    }

    @Test("the fixture covers sklearn's error, its warning and unshuffled, shuffled and uneven folds")
    func fixtureCoversTheCases() {
        #expect(SplitCase.all.contains { $0.error?.contains("cannot be greater than the number of members") == true })
        #expect(SplitCase.all.contains { $0.error == nil && !$0.warnings.isEmpty })
        #expect(SplitCase.all.contains { $0.randomState != nil && $0.stratified && $0.testFolds != nil })
        #expect(SplitCase.all.contains { $0.testFolds.map { Set($0.map(\.count)).count > 1 } == true })
    }

    @Test("KFold: the first n % K folds are one larger, the blocks consecutive without shuffle", arguments: [2, 3, 5, 7])
    func kFoldSizes(_ k: Int) throws {
        let n = 23
        let folds = try KFold(nSplits: k).split(count: n)
        #expect(folds.map(\.test.count) == (0..<k).map { n / k + ($0 < n % k ? 1 : 0) })
        #expect(folds.flatMap(\.test) == Array(0..<n))
    }

    @Test("shuffle without a random_state still partitions the samples", arguments: [false, true])
    func unseededShuffleIsAPartition(_ stratified: Bool) throws {
        let y = CVFixture.labels["iris"]!.map(SklearnFixtures.label)
        let folds = stratified
            ? try StratifiedKFold(nSplits: 4, shuffle: true).split(y).folds
            : try KFold(nSplits: 4, shuffle: true).split(count: y.count)
        #expect(folds.flatMap(\.test).sorted() == Array(0..<y.count))
        for fold in folds { #expect(Set(fold.train).isDisjoint(with: fold.test) && fold.train.count + fold.test.count == y.count) }
    }

    @Test("parameter and input errors in sklearn's words", arguments: ErrorCase.all)
    func errorsMatchSklearn(_ c: ErrorCase) {
        var message: String?
        do {
            if c.crossValScore {
                let x = Matrix<Double>(rows: c.fields["x_rows"]!!, columns: 1)
                let y = (0..<c.fields["y_count"]!!).map { $0 % 2 }
                _ = try crossValScore(classifier: MLPParameters(), x, y, cv: 3)
            } else {
                let k = c.fields["n_splits"]!!, seed = c.fields["random_state"]!
                if c.stratified { _ = try StratifiedKFold(nSplits: k, shuffle: c.shuffle, randomState: seed).split([0, 1, 0, 1, 0, 1]) }
                else { _ = try KFold(nSplits: k, shuffle: c.shuffle, randomState: seed).split(count: 6) }
            }
        } catch {
            message = "\(error)"
        }
        #expect(message == c.message)
    }

    @Test("cross_val_score: per-fold scores, mean and std equal sklearn's to 1e-9", arguments: ScoreCase.all)
    func scoresMatchSklearn(_ c: ScoreCase) throws {
        let result: CrossValidationScores
        if c.classifier {
            let iris = SklearnFixtures.iris
            result = try crossValScore(classifier: c.parameters, Matrix(iris.x), iris.labels, cv: c.cv, scaler: c.scaler)
        } else {
            let x = Matrix((CVFixture.regression["X"] as! [Any]).map(SklearnFixtures.doubles))
            let y = SklearnFixtures.doubles(CVFixture.regression["y"])
            result = try crossValScore(regressor: c.parameters, loss: c.loss, x, y, cv: c.cv, scaler: c.scaler)
        }
        assertClose(result.scores, c.scores, relative: 1e-9, absolute: 1e-12, "scores")
        assertClose([result.mean, result.standardDeviation], [c.mean, c.std], relative: 1e-9, absolute: 1e-12, "mean, std")
        #expect(result.folds.count == c.cv && result.fitWarnings.count == c.cv)
    }

    @Test("each fold's classifier is fresh: the same fold scored alone gives the same score")
    func foldsAreIndependent() throws {
        let iris = SklearnFixtures.iris
        var p = MLPParameters()
        p.hiddenLayerSizes = [5]
        p.maxIter = 30
        p.randomState = 3
        let x = Matrix(iris.x)
        let all = try crossValScore(classifier: p, x, iris.labels, cv: 3)
        let last = all.folds[2]
        var scaler = StandardScaler()
        let train = try scaler.fitTransform(x.rows(at: last.train))
        let classifier = MLPClassifier<Double>(parameters: p)
        try classifier.fit(train, last.train.map { iris.labels[$0] })
        #expect(try classifier.score(scaler.transform(x.rows(at: last.test)), last.test.map { iris.labels[$0] }) == all.scores[2])
        #expect(all.fitWarnings.allSatisfy { $0.contains { $0.kind == .convergence } }, "max_iter=30 warns in every fold")
    }

    @Test("a continuous y gets the classifier's error, not a splitting error, as check_cv falls back to KFold")
    func continuousTargetFailsInTheClassifier() {
        let x = Matrix<Double>(rows: 6, columns: 1)
        let y: [ClassLabel] = [0.5, 1.5, 2.5, 3.5, 4.5, 5.5]
        #expect(throws: MLPError.continuousTarget) { try crossValScore(classifier: MLPParameters(), x, y, cv: 3) }
    }

    @Test("Float32 cross-validation uses the same folds as Float64")
    func floatUsesTheSameFolds() throws {
        let x = Matrix((CVFixture.regression["X"] as! [Any]).map(SklearnFixtures.doubles))
        let y = SklearnFixtures.doubles(CVFixture.regression["y"])
        var p = MLPParameters()
        p.hiddenLayerSizes = [4]
        p.maxIter = 20
        p.randomState = 0
        let double = try crossValScore(regressor: p, x, y, cv: 4)
        let float = try crossValScore(regressor: p, x.converted(to: Float.self), y.map { Float($0) }, cv: 4)
        #expect(float.folds == double.folds)
        assertClose(float.scores, double.scores, relative: 1e-3, absolute: 1e-4, "Float32 vs Float64 R²")
    }

    @Test("numpy's pairwise sum: the running-sum regimes agree with exact integer sums", arguments: [3, 8, 13, 128, 129, 1000])
    func pairwiseSum(_ n: Int) {
        let values = (0..<n).map { Double(($0 * 7919) % 1013) }
        #expect(numpyPairwiseSum(values) == Double((0..<n).map { ($0 * 7919) % 1013 }.reduce(0, +)))
    }
}

/// `crossValScore(pipeline:)`: the folds check_cv chooses for a table, and sklearn's pipeline scores.
struct PipelineCrossValidationTests {
    /// The fixture's data as a table: iris with its species, or the regression set with column y.
    private static func table(_ c: ScoreCase) throws -> DataTable {
        var options = CSVReadOptions()
        if c.classifier {
            options.target = "species"
            return try CSVReader.read(text: BundledDataset.iris.csv, options: options)
        }
        let x = (CVFixture.regression["X"] as! [Any]).map(SklearnFixtures.doubles)
        let y = SklearnFixtures.doubles(CVFixture.regression["y"])
        var text = "a,b,c,y\n"
        for (row, target) in zip(x, y) { text += (row + [target]).map { "\($0)" }.joined(separator: ",") + "\n" }
        options.target = "y"
        options.targetKind = .numeric
        return try CSVReader.read(text: text, options: options)
    }

    @Test("per-fold scores, mean and std equal sklearn's cross_val_score(make_pipeline(...)) to 1e-9",
          arguments: ScoreCase.all)
    func pipelineScoresMatchSklearn(_ c: ScoreCase) throws {
        var p = c.parameters
        p.loss = c.loss
        let scaling = ScalerKind(rawValue: c.scaler.rawValue)!
        let result = try crossValScore(pipeline: {
            MLPPipeline(estimator: c.classifier ? .classifier(MLPClassifier(parameters: p))
                            : .regressor(MLPRegressor(parameters: p)), scaling: scaling)
        }, try Self.table(c), cv: c.cv)
        assertClose(result.scores, c.scores, relative: 1e-9, absolute: 1e-12, "scores")
        assertClose([result.mean, result.standardDeviation], [c.mean, c.std], relative: 1e-9, absolute: 1e-12, "mean, std")
        #expect(result.fitWarnings.count == c.cv)
    }

    @Test("several label columns are not stratified (KFold, as check_cv), and the encoding is relearnt per fold")
    func multilabelFoldsAreKFoldsAndEachFoldIsEncodedFromItsTrainingRows() throws {
        // Label a is sorted so that unshuffled KFold's first fold holds no positive: stratifying would mix them.
        var text = "x,z,a,b\n"
        for i in 0..<12 { text += "\(Double(i) / 12),\(Double(i % 5) / 5),\(i < 6 ? 0 : 1),\(i % 2)\n" }
        var options = CSVReadOptions()
        options.targets = ["a", "b"]
        let table = try CSVReader.read(text: text, options: options)
        var p = MLPParameters()
        p.hiddenLayerSizes = [3]
        p.maxIter = 5
        p.randomState = 0
        var encodedRows: [[Int]] = []
        let result = try crossValScore(pipeline: { MLPPipeline(estimator: .classifier(MLPClassifier(parameters: p))) },
                                       table, cv: 3, encodedFor: { rows in encodedRows.append(rows); return table })
        let kFolds = try KFold(nSplits: 3).split(count: 12)
        #expect(result.folds == kFolds)
        #expect(encodedRows == kFolds.map(\.train))
        #expect(result.scores.count == 3 && result.scores.allSatisfy { (0...1).contains($0) })
    }

    /// Pipelines of a 3-epoch classifier cross-validated on a column x = 0, 1, … with label column y = `labels`.
    private static func classifierScores(labels: [String], cv: Int) throws -> CrossValidationScores {
        var text = "x,y\n"
        for (i, label) in labels.enumerated() { text += "\(i),\(label)\n" }
        var options = CSVReadOptions()
        options.target = "y"
        let table = try CSVReader.read(text: text, options: options)
        return try crossValScore(pipeline: { MLPPipeline(estimator: .classifier(MLPClassifier(parameters: shortFit))) },
                                 table, cv: cv)
    }

    private static var shortFit: MLPParameters {
        var p = MLPParameters()
        p.maxIter = 3
        p.randomState = 0
        return p
    }

    @Test("one label column is stratified, with the splitter's warning about a small class")
    func oneLabelColumnIsStratified() throws {
        // Class c has 2 rows for 3 folds: each fold trains on one of them, and sklearn warns.
        let labels = ["a", "a", "a", "c", "a", "b", "b", "b", "b", "c", "a"]
        let result = try Self.classifierScores(labels: labels, cv: 3)
        let stratified = try StratifiedKFold(nSplits: 3).split(labels.map { ClassLabel.string($0) })
        #expect(result.folds == stratified.folds)
        #expect(result.splitWarnings == stratified.warnings && !stratified.warnings.isEmpty)
    }

    @Test("a class only in a test fold counts as a miss, as sklearn's accuracy_score (the matrix form's scores)")
    func aClassTheTrainingFoldLacksIsAMiss() throws {
        let labels = ["a", "a", "a", "c", "a", "b", "b", "b", "b", "a"]
        let pipelined = try Self.classifierScores(labels: labels, cv: 2)
        let x = Matrix<Double>(rows: 10, columns: 1, storage: (0..<10).map(Double.init))
        let matrixForm = try crossValScore(classifier: Self.shortFit, x, labels, cv: 2)
        #expect(pipelined.scores == matrixForm.scores)
        #expect(pipelined.folds == matrixForm.folds)
    }
}
