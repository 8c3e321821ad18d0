import Foundation
import MLPTestSupport
import Testing
@testable import MLPCore
import MLPModelFile

// The library called as a careless caller would call it: every misuse is a typed error naming what is wrong, never
// a trap, a read past an array or a silently wrong answer.

enum Misuse {
    static func x(_ rows: Int = 20, _ columns: Int = 2) -> Matrix<Double> {
        var m = Matrix<Double>(rows: rows, columns: columns)
        for i in 0..<rows { for j in 0..<columns { m[i, j] = Double((i * 7 + j * 3) % 11) / 5 - 1 } }
        return m
    }

    static func labels(_ rows: Int = 20, classes: Int = 2) -> [ClassLabel] { (0..<rows).map { ClassLabel($0 % classes) } }

    /// (rows, 2) with exactly one 1 per row.
    static func indicator(_ rows: Int = 20) -> Matrix<Double> {
        var y = Matrix<Double>(rows: rows, columns: 2)
        for i in 0..<rows { y[i, i % 2] = 1 }
        return y
    }

    /// A small, seeded configuration (4 hidden units, 3 iterations), then `configure`.
    static func parameters(_ configure: (inout MLPParameters) -> Void) -> MLPParameters {
        var p = MLPParameters()
        p.hiddenLayerSizes = [4]
        p.maxIter = 3
        p.randomState = 0
        configure(&p)
        return p
    }

    static func classifier(_ configure: (inout MLPParameters) -> Void = { _ in }) -> MLPClassifier<Double> {
        MLPClassifier<Double>(parameters: parameters(configure))
    }

    static func regressor(_ configure: (inout MLPParameters) -> Void = { _ in }) -> MLPRegressor<Double> {
        MLPRegressor<Double>(parameters: parameters(configure))
    }

    static func message(_ body: () throws -> Void) -> String? {
        do { try body() } catch { return "\(error)" }
        return nil
    }
}

@Suite struct ClassifierMisuseTests {
    @Test func multilabelScoreOfALabelClassifierIsRefused() throws {
        let multiclass = Misuse.classifier()
        try multiclass.fit(Misuse.x(), Misuse.labels(classes: 3))
        #expect(throws: MLPError.invalidParameter(
            "This classifier was fitted on a multiclass target; use score(_:_:) with its labels.")) {
            try multiclass.score(Misuse.x(), multilabel: Matrix(rows: 20, columns: 1))
        }
        let binary = Misuse.classifier()
        try binary.fit(Misuse.x(), Misuse.labels())
        #expect(throws: MLPError.invalidParameter(
            "This classifier was fitted on a binary target; use score(_:_:) with its labels.")) {
            try binary.score(Misuse.x(), multilabel: Matrix(rows: 20, columns: 3))
        }
    }

    @Test func multilabelScoreChecksLabelCountValuesAndWeights() throws {
        let clf = Misuse.classifier()
        try clf.fit(Misuse.x(), multilabel: Misuse.indicator())
        #expect(throws: MLPError.inconsistentLength("y has 1 labels, but MLPClassifier was fitted with 2.")) {
            try clf.score(Misuse.x(), multilabel: Matrix(rows: 20, columns: 1))
        }
        #expect(throws: MLPError.inconsistentLength("y has 5 labels, but MLPClassifier was fitted with 2.")) {
            try clf.score(Misuse.x(), multilabel: Matrix(rows: 20, columns: 5))
        }
        #expect(throws: MLPError.invalidParameter("A multilabel target must be an indicator matrix of 0 and 1.")) {
            try clf.score(Misuse.x(), multilabel: Matrix(rows: 20, columns: 2, repeating: 2))
        }
        #expect(throws: MLPError.inconsistentLength("sample_weight.shape == (1,), expected (20,)!")) {
            try clf.score(Misuse.x(), multilabel: Misuse.indicator(), sampleWeight: [1])
        }
        #expect(throws: MLPError.invalidSampleWeight("Sample weights must be non-negative; sample_weight[0] is -1.0.")) {
            try clf.score(Misuse.x(), multilabel: Misuse.indicator(), sampleWeight: [Double](repeating: -1, count: 20))
        }
        let score = try clf.score(Misuse.x(), multilabel: Misuse.indicator())
        #expect(score >= 0 && score <= 1)
    }

    @Test func partialFitWithNoClassesIsRefused() {
        let clf = Misuse.classifier()
        #expect(throws: MLPError.partialFit("classes is empty; pass every class the classifier will see (at least two) "
                                            + "on the first call to partial_fit.")) {
            try clf.partialFit(Misuse.x(), Misuse.labels(), classes: [])
        }
        #expect(clf.classes.isEmpty)
    }

    @Test func aRefusedFirstPartialFitDoesNotFixTheClasses() throws {
        let clf = Misuse.classifier()
        #expect(throws: MLPError.singleClass(0)) {
            try clf.partialFit(Misuse.x(), [ClassLabel](repeating: 0, count: 20), classes: [0])
        }
        #expect(clf.classes.isEmpty)
        try clf.partialFit(Misuse.x(), Misuse.labels(), classes: [0, 1])
        #expect(clf.classes == [0, 1])
    }

    @Test func aMultilabelTargetWithoutColumnsIsRefused() {
        let message = "Found array with 0 label(s) (shape=(20, 0)) while a minimum of 1 is required by MLPClassifier: "
            + "a multilabel y needs at least one column."
        #expect(throws: MLPError.emptyData(message)) {
            try Misuse.classifier().fit(Misuse.x(), multilabel: Matrix(rows: 20, columns: 0))
        }
        #expect(throws: MLPError.emptyData(message)) {
            try Misuse.classifier().partialFit(Misuse.x(), multilabel: Matrix(rows: 20, columns: 0))
        }
    }
}

@Suite struct RestoredEstimatorMisuseTests {
    static func network(_ sizes: [Int], output: Activation) -> Network<Double> {
        var network = Network<Double>(layerSizes: sizes, hiddenActivation: .relu, outputActivation: output)
        for i in network.parameters.indices { network.parameters[i] = Double(i % 5) / 10 - 0.2 }
        return network
    }

    @Test func classesThatDoNotNameTheOutputsAreRefused() {
        let threeClasses = MLPClassifier<Double>(parameters: MLPParameters(), network: Self.network([2, 1], output: .logistic),
                                                 classes: [0, 1, 2], targetType: .multiclass)
        #expect(throws: MLPError.invalidParameter(
            "MLPClassifier's network has 1 output(s), but its 3 classes [0, 1, 2] need 3 (multiclass).")) {
            try threeClasses.predict(Misuse.x(3))
        }
        let twoClasses = MLPClassifier<Double>(parameters: MLPParameters(), network: Self.network([2, 4], output: .softmax),
                                               classes: [0, 1], targetType: .binary)
        #expect(throws: MLPError.invalidParameter(
            "MLPClassifier's network has 4 output(s), but its 2 classes [0, 1] need 1 (binary).")) {
            try twoClasses.predictProbabilities(Misuse.x(3))
        }
    }

    @Test func missingOrInvalidClassesAreRefused() {
        for classes: [ClassLabel] in [[], [0, .number(.nan)]] {
            let clf = MLPClassifier<Double>(parameters: MLPParameters(), network: Self.network([2, 1], output: .logistic),
                                            classes: classes, targetType: .binary)
            #expect(throws: MLPError.invalidParameter("MLPClassifier was restored without valid classes (distinct, "
                                                      + "finite labels); its network has 1 output(s).")) {
                try clf.predict(Misuse.x(3))
            }
        }
    }

    @Test func aParameterBufferOfTheWrongLengthIsRefused() throws {
        var short = Self.network([2, 40, 1], output: .logistic)
        short.parameters = [1]
        let expected = MLPError.inconsistentLength("The network of MLPClassifier holds 1 parameters, but its layer sizes "
                                                   + "[2, 40, 1] need 161 (every weight, then every bias).")
        let clf = MLPClassifier<Double>(parameters: MLPParameters(), network: short, classes: [0, 1], targetType: .binary)
        #expect(throws: expected) { try clf.predict(Misuse.x(3)) }
        #expect(throws: ModelFileError(.invalid, "the MLPClassifier's network holds 1 parameters, but its layer sizes "
                                       + "[2, 40, 1] need 161")) {
            try clf.save(to: "/nonexistent-directory/model.mlp")
        }

        var parameters = MLPParameters()
        parameters.hiddenLayerSizes = [40]
        parameters.warmStart = true
        parameters.maxIter = 2
        let warm = MLPClassifier<Double>(parameters: parameters, network: short, classes: [0, 1], targetType: .binary)
        #expect(throws: expected) { try warm.fit(Misuse.x(), Misuse.labels()) }

        var regression = Self.network([2, 40, 1], output: .identity)
        regression.parameters.append(0)
        let regressor = MLPRegressor<Double>(loss: .squaredError, parameters: MLPParameters(), network: regression)
        #expect(throws: MLPError.inconsistentLength("The network of MLPRegressor holds 162 parameters, but its layer "
                                                    + "sizes [2, 40, 1] need 161 (every weight, then every bias).")) {
            try regressor.predict(Misuse.x(3))
        }
        #expect(throws: MLPError.self) { try MLPPredictor(network: short) }
    }
}

@Suite struct WarmStartMisuseTests {
    @Test func aWarmStartTrainsWithTheActivationSetNowAsScikitLearnDoes() throws {
        let clf = Misuse.classifier { $0.warmStart = true }
        try clf.fit(Misuse.x(), Misuse.labels())
        clf.activation = .tanh
        try clf.fit(Misuse.x(), Misuse.labels())
        #expect(clf.network?.hiddenActivation == .tanh)
        let reg = Misuse.regressor()
        try reg.partialFit(Misuse.x(), (0..<20).map(Double.init))
        reg.activation = .logistic
        try reg.partialFit(Misuse.x(), (0..<20).map(Double.init))
        #expect(reg.network?.hiddenActivation == .logistic)
    }

    @Test func aWarmStartAfterTheLossChangedIsRefused() throws {
        let reg = Misuse.regressor { $0.warmStart = true }
        let y = (0..<20).map(Double.init)
        try reg.fit(Misuse.x(), y)
        let before = reg.network
        reg.loss = .poisson
        let error = MLPError.invalidParameter("The network of the previous fit has output activation 'identity', but "
                                              + "loss='poisson' needs 'exp'; use warm_start=false to start over.")
        #expect(throws: error) { try reg.fit(Misuse.x(), y) }
        #expect(throws: error) { try reg.partialFit(Misuse.x(), y) }
        #expect(reg.network == before)
        reg.warmStart = false
        try reg.fit(Misuse.x(), y)
        #expect(reg.outActivation == .exp)
    }
}

@Suite struct InputShapeMisuseTests {
    @Test func aStorageOfAnotherLengthThanTheShapeIsRefused() throws {
        var short = Misuse.x(3)
        short.storage = [1]
        var long = Misuse.x()
        long.storage += [1, 2, 3]
        let clf = Misuse.classifier()
        #expect(throws: MLPError.inconsistentLength("X holds 43 values in its storage, but its shape (20, 2) needs 40.")) {
            try clf.fit(long, Misuse.labels())
        }
        try clf.fit(Misuse.x(), Misuse.labels())
        #expect(throws: MLPError.inconsistentLength("X holds 1 values in its storage, but its shape (3, 2) needs 6.")) {
            try clf.predict(short)
        }
        var y = Matrix<Double>(rows: 20, columns: 1)
        y.storage = [1, 2]
        #expect(throws: MLPError.inconsistentLength("y holds 2 values in its storage, but its shape (20, 1) needs 20.")) {
            try Misuse.regressor().fit(Misuse.x(), y)
        }
        var indicator = Misuse.indicator()
        indicator.storage.removeLast()
        #expect(throws: MLPError.inconsistentLength("y holds 39 values in its storage, but its shape (20, 2) needs 40.")) {
            try Misuse.classifier().fit(Misuse.x(), multilabel: indicator)
        }
        var p = MLPParameters()
        p.maxIter = 2
        #expect(throws: MLPError.inconsistentLength("X holds 1 values in its storage, but its shape (3, 2) needs 6.")) {
            try crossValScore(classifier: p, short, Misuse.labels(3), cv: 2)
        }
    }

    @Test func rowsOutsideTheMatrixStopInsteadOfBeingReadFromStrayMemory() async {
        await #expect(processExitsWith: .failure) { _ = Misuse.x(3).rows(at: [5]) }
        await #expect(processExitsWith: .failure) { _ = Misuse.x(3).rows(at: [-1]) }
        #expect(Misuse.x(3).rows(at: [2, 0, 2]) == Matrix([Array(Misuse.x(3).row(2)), Array(Misuse.x(3).row(0)),
                                                           Array(Misuse.x(3).row(2))]))
    }

    @Test func aColumnPastTheLastStopsInsteadOfReadingTheNextRow() async {
        await #expect(processExitsWith: .failure) { _ = Matrix<Double>([[1, 2], [3, 4]])[0, 2] }
        await #expect(processExitsWith: .failure) { _ = Matrix<Double>([[1, 2], [3, 4]])[1, -1] }
        await #expect(processExitsWith: .failure) {
            var m = Matrix<Double>([[1, 2], [3, 4]])
            m[0, 2] = 9
        }
        #expect(Matrix<Double>([[1, 2], [3, 4]])[1, 0] == 3)
    }

    @Test func crossValidationNamesTheNonFiniteCellBeforeScalingSmearsIt() {
        var p = MLPParameters()
        p.maxIter = 2
        var x = Misuse.x(10)
        x[7, 1] = .infinity
        for scaler in CrossValidationScaler.allCases {
            #expect(throws: MLPError.nonFiniteInput(what: "X", row: 7, column: 1, value: .infinity)) {
                try crossValScore(classifier: p, x, Misuse.labels(10), cv: 2, scaler: scaler)
            }
        }
        x[7, 1] = .nan
        #expect(throws: MLPError.self) { try crossValScore(regressor: p, x, (0..<10).map(Double.init), cv: 2) }
        do {
            _ = try crossValScore(regressor: p, x, (0..<10).map(Double.init), cv: 2)
        } catch MLPError.nonFiniteInput(let what, let row, let column, let value) {
            #expect(what == "X" && row == 7 && column == 1 && value.isNaN)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

@Suite struct PipelineMisuseTests {
    static let csv = "a,b,y\n" + (0..<20).map { "\($0 % 7),\($0 % 5),\($0 % 2 == 0 ? "p" : "q")" }.joined(separator: "\n") + "\n"

    static func fittedClassifierPipeline() throws -> MLPPipeline {
        let pipeline = MLPPipeline(estimator: .classifier(Misuse.classifier()))
        try pipeline.fit(try pipeline.readCSV(text: csv, target: "y"))
        return pipeline
    }

    @Test func aScalerOfAnotherWidthThanTheEncodingIsRefused() throws {
        let fitted = try Self.fittedClassifierPipeline()
        let pipeline = MLPPipeline(estimator: fitted.estimator, scaler: try .fitted(.standard, on: Misuse.x(4, 3)),
                                   encoding: fitted.encoding!, targetName: "y")
        let error = MLPError.inconsistentLength("MLPPipeline's steps disagree: its standard scaler was fitted on 3 "
                                                + "features, but its encoding gives 2.")
        #expect(throws: error) { try pipeline.predict(features: Misuse.x(2)) }
        let table = try pipeline.readCSV(text: Self.csv, target: "y")
        #expect(throws: error) { try pipeline.predict(table) }
        #expect(throws: error) { try pipeline.score(table) }
        #expect(throws: error) { try pipeline.makePredictor() }
        pipeline.parameters.warmStart = true
        #expect(throws: error) { try pipeline.fit(table) }
    }

    @Test func aTargetScalerThatDoesNotFitTheRegressorIsRefused() throws {
        let regressor = Misuse.regressor()
        try regressor.fit(Misuse.x(), (0..<20).map(Double.init))
        let encoding = FeatureEncoding(inputColumns: ["a", "b"])
        let twoColumns = MLPPipeline(estimator: .regressor(regressor), scaler: .none, encoding: encoding, targetName: "y",
                                     targetScaler: StandardScaler(mean: [1, 2], scale: [1, 1]))
        #expect(throws: MLPError.inconsistentLength("MLPPipeline's steps disagree: its target scaler has 2 column(s), "
                                                    + "but its MLPRegressor has 1 output(s).")) {
            try twoColumns.predictValues(features: Misuse.x(2))
        }
        let fitted = try Self.fittedClassifierPipeline()
        let classifier = MLPPipeline(estimator: fitted.estimator, scaler: fitted.scaler!, encoding: fitted.encoding!,
                                     targetName: "y", targetScaler: StandardScaler(mean: [1], scale: [1]))
        #expect(throws: MLPError.invalidParameter("MLPPipeline's steps disagree: a target scaler, but the estimator is "
                                                  + "an MLPClassifier.")) {
            try classifier.predict(features: Misuse.x(2))
        }
    }
}

@Suite struct ModelFileMisuseTests {
    static func directory() throws -> String {
        try TestDirectory.make("misuse")
    }

    @Test func aModelChangedAfterValidationIsNotWrittenNorRebuilt() throws {
        let clf = Misuse.classifier()
        try clf.fit(Misuse.x(), Misuse.labels())
        let path = try Self.directory() + "/model.mlp"
        var noWeights = try MLPModel(classifier: clf)
        noWeights.coefs = []
        #expect(throws: ModelFileError(.invalid, "0 weight matrices for 3 layers")) { try noWeights.write(to: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(throws: ModelFileError(.invalid, "0 weight matrices for 3 layers")) { try noWeights.classifier(Double.self) }

        var otherSizes = try MLPModel(classifier: clf)
        otherSizes.metadata.layerSizes = [2, 9, 1]
        let shapes = ModelFileError(.invalid, "the weights of layer 0 do not match layer sizes [2, 9, 1] (shapes do not chain)")
        #expect(throws: shapes) { try otherSizes.network(Double.self) }
        #expect(throws: shapes) { try otherSizes.pipeline() }
        #expect(throws: shapes) { try otherSizes.write(to: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aPipelineWithAMismatchedTargetScalerIsNotSaved() throws {
        let regressor = Misuse.regressor()
        try regressor.fit(Misuse.x(), (0..<20).map(Double.init))
        let pipeline = MLPPipeline(estimator: .regressor(regressor), scaler: .none,
                                   encoding: FeatureEncoding(inputColumns: ["a", "b"]), targetName: "y",
                                   targetScaler: StandardScaler(mean: [1, 2], scale: [1, 1]))
        let path = try Self.directory() + "/pipeline.mlp"
        #expect(throws: ModelFileError(.invalid, "the target scaler arrays do not match a regressor's 1 outputs")) {
            try pipeline.save(to: path)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func anArrayShapeWhoseProductOverflowsIsAnError() throws {
        let clf = Misuse.classifier()
        try clf.fit(Misuse.x(), Misuse.labels())
        let file = ModelFile(metadata: try MLPModel(classifier: clf).metadata,
                             arrays: [NamedArray(name: "x", shape: [Int.max, 3], values: .float64([1]))])
        #expect(throws: ModelFileError(.invalid, "array 'x' has shape [\(Int.max), 3] but 1 values")) { try file.encoded() }
    }
}

@Suite struct MetricsMisuseTests {
    @Test func regressionMetricsRefuseEmptyAndMismatchedInput() {
        let empty = MLPError.emptyData("Found array with 0 sample(s) (shape=(0,)) while a minimum of 1 is required.")
        let mismatch = MLPError.inconsistentLength("Found input variables with inconsistent numbers of samples: [2, 1]")
        #expect(throws: empty) { try RegressionMetrics.meanAbsoluteError([], []) }
        #expect(throws: empty) { try RegressionMetrics.rootMeanSquaredError([], []) }
        #expect(throws: empty) { try RegressionReport(yTrue: [], yPred: []) }
        #expect(throws: mismatch) { try RegressionMetrics.meanAbsoluteError([1, 2], [1]) }
        #expect(throws: mismatch) { try RegressionMetrics.rootMeanSquaredError([1, 2], [1]) }
        #expect(throws: mismatch) { try RegressionReport(yTrue: [1, 2], yPred: [1]) }
    }

    @Test func classificationMetricsRefuseBadIndicesShapesAndEmptyInput() {
        #expect(throws: MLPError.emptyData("Found empty input array (e.g., `y_true` or `y_pred`) while a minimum of 1 "
                                           + "sample is required.")) {
            try ClassificationMetrics.logLoss([], probabilities: [], classCount: 2)
        }
        #expect(throws: MLPError.invalidParameter("y_true[0] is 5, not a class index in 0..<2.")) {
            try ClassificationMetrics.logLoss([5], probabilities: [0.5, 0.5], classCount: 2)
        }
        #expect(throws: MLPError.inconsistentLength("log_loss: y_true has 2 samples, but the probabilities hold 3 values "
                                                    + "for 2 classes.")) {
            try ClassificationMetrics.logLoss([0, 1], probabilities: [0.5, 0.5, 1], classCount: 2)
        }
        #expect(throws: MLPError.invalidParameter("y_true[1] is 3, not a class index in 0..<2.")) {
            try ClassificationMetrics.confusionMatrix([0, 3], [0, 1], classCount: 2)
        }
        #expect(throws: MLPError.invalidParameter("y_pred[0] is -1, not a class index in 0..<2.")) {
            try ClassificationMetrics.confusionMatrix([0], [-1], classCount: 2)
        }
        #expect(throws: MLPError.inconsistentLength("Found input variables with inconsistent numbers of samples: [2, 1]")) {
            try ClassificationMetrics.confusionMatrix([0, 1], [0], classCount: 2)
        }
        #expect(throws: MLPError.invalidParameter("The number of classes must be ≥ 0; got -1.")) {
            try ClassificationMetrics.confusionMatrix([], [], classCount: -1)
        }
        #expect(throws: MLPError.invalidParameter("y_true[1] is -1, not a class index in 0..<2.")) {
            try ClassificationMetrics.perClass([0, -1], [0, 1], labels: [0, 1])
        }
        #expect(throws: MLPError.invalidParameter("labels[0] is 3, not a class index in 0..<1.")) {
            try ClassificationMetrics.perClass(confusionMatrix: [[1]], labels: [3])
        }
        #expect(throws: MLPError.inconsistentLength("The confusion matrix must be 2 × 2; row 1 has 1 entries.")) {
            try ClassificationMetrics.perClass(confusionMatrix: [[1, 0], [1]], labels: [0])
        }
        #expect(throws: MLPError.self) { try ClassificationReport(classes: ["a"], yTrue: [], yPred: [], probabilities: nil) }
        #expect(throws: MLPError.self) { try ClassificationReport(classes: ["a", "b"], yTrue: [0, 2], yPred: [0, 1], probabilities: nil) }
        #expect(throws: MLPError.self) { try ClassificationReport(classes: ["a", "b"], yTrue: [0, 1], yPred: [0, 1], probabilities: [0.5]) }
        #expect(throws: MLPError.emptyData("Found empty input array (e.g., `y_true` or `y_pred`) while a minimum of 1 "
                                           + "sample is required.")) {
            try ClassificationReport(classes: ["a", "b"], confusionMatrix: [[0, 0], [0, 0]], logLoss: nil)
        }
        #expect(throws: MLPError.inconsistentLength("The confusion matrix has 1 rows for 2 classes.")) {
            try ClassificationReport(classes: ["a", "b"], confusionMatrix: [[3, 1]], logLoss: nil)
        }
    }
}

@Suite struct ScalerMisuseTests {
    @Test func fittingNoRowsOrAOnePointRangeThrowsInScikitLearnsWords() throws {
        let none = Matrix<Double>(rows: 0, columns: 3)
        var standard = StandardScaler()
        #expect(throws: MLPError.emptyData("Found array with 0 sample(s) (shape=(0, 3)) while a minimum of 1 is "
                                           + "required by StandardScaler.")) { try standard.fit(none) }
        var minMax = MinMaxScaler()
        #expect(throws: MLPError.emptyData("Found array with 0 sample(s) (shape=(0, 3)) while a minimum of 1 is "
                                           + "required by MinMaxScaler.")) { _ = try minMax.fitTransform(none) }
        var point = MinMaxScaler(featureRange: 1...1)
        #expect(throws: MLPError.invalidParameter("Minimum of desired feature range must be smaller than maximum. "
                                                  + "Got (1.0, 1.0).")) { try point.fit(Misuse.x(5)) }
        #expect(point.scale.isEmpty)
        #expect(throws: MLPError.emptyData("Found array with 0 sample(s) (shape=(0, 2)) while a minimum of 1 is "
                                           + "required by StandardScaler.")) {
            try FeatureScaler.fitted(.standard, on: Matrix<Float>(rows: 0, columns: 2))
        }
    }

    @Test func decodedStatisticsOfDifferentLengthsAreRefused() throws {
        let decoder = JSONDecoder()
        #expect(throws: DecodingError.self) {
            try decoder.decode(StandardScaler.self, from: Data(#"{"mean": [1], "scale": [1, 2]}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try decoder.decode(MinMaxScaler.self, from: Data(#"{"featureRange": [0, 1], "scale": [1, 1, 1], "offset": [0]}"#.utf8))
        }
        var standard = StandardScaler()
        try standard.fit(Misuse.x(5))
        var minMax = MinMaxScaler(featureRange: -1...1)
        try minMax.fit(Misuse.x(5))
        #expect(try decoder.decode(StandardScaler.self, from: JSONEncoder().encode(standard)) == standard)
        #expect(try decoder.decode(MinMaxScaler.self, from: JSONEncoder().encode(minMax)) == minMax)
    }

    @Test func aMinMaxScalerOfMismatchedStatisticsStopsAtOnce() async {
        // transform reads scale and offset through unchecked pointers: past the shorter one in a release build.
        await #expect(processExitsWith: .failure) { _ = MinMaxScaler(scale: [1, 1, 1, 1], offset: [1]) }
    }
}

@Suite struct MemoryEstimateMisuseTests {
    @Test func anyByteCountIsDescribedWithoutTrapping() {
        #expect(MemoryEstimate.describe(bytes: .nan) == "nan bytes")
        #expect(MemoryEstimate.describe(bytes: .infinity) == "inf bytes")
        #expect(MemoryEstimate.describe(bytes: -2048) == "-2.00 KiB")
        #expect(MemoryEstimate.describe(bytes: 1536) == "1.50 KiB")
        #expect(MemoryEstimate.describe(bytes: 1e300) == "8.67e+281 EiB")
        #expect(MemoryEstimate.describe(bytes: 1024 * 1024 * 1024 * 1024 * 1024 * 1024 * 999_999) == "999999 EiB")
    }

    /// Two hidden layers of Int.max units: the refusal's message is written, not a trap in its number formatting.
    @Test func theRefusalOfTwoLayersOfIntMaxUnitsCanBePrinted() {
        var p = MLPParameters()
        p.hiddenLayerSizes = [Int.max, Int.max]
        do {
            try MLPClassifier<Double>(parameters: p).fit(Misuse.x(4), Misuse.labels(4))
            Issue.record("fit did not refuse the network")
        } catch {
            #expect("\(error)".contains("EiB"))
        }
    }
}

@Suite struct DataMisuseTests {
    @Test func releasingRowsOutsideTheCacheTouchesNoOtherMemory() async {
        await #expect(processExitsWith: .success) {
            let dir = try ModelFileMisuseTests.directory()
            try "a,y\n1,p\n2,q\n3,p\n".write(toFile: dir + "/d.csv", atomically: true, encoding: .utf8)
            try MLPDataConverter.convert(csvPath: dir + "/d.csv", to: dir + "/d.mlpdata", options: CSVReadOptions(target: "y"))
            let file = try MLPDataFile(path: dir + "/d.mlpdata")
            let before = Array(file.rows(0..<3))
            // Memory on both sides of the mapping that must keep its bytes.
            let guards = (0..<64).map { _ in [UInt8](repeating: 0xA5, count: 1 << 16) }
            file.release(-1_000_000..<1_000_000)
            file.release(Int.min / 16..<(-5))
            guard guards.allSatisfy({ $0.allSatisfy { $0 == 0xA5 } }), Array(file.rows(0..<3)) == before else { exit(1) }
        }
    }

    @Test func aGivenEncodingWhosePartsDisagreeIsRefusedByTheReader() {
        let shortImpute = FeatureEncoding(inputColumns: ["a", "b"], impute: .mean, imputeValues: [1])
        let error = DataError(.featureMismatch, "the imputation statistics do not match the feature columns", file: "<text>")
        #expect(throws: error) {
            try CSVReader.read(text: "a,b,y\n,,p\n", options: CSVReadOptions(target: "y"), encoding: shortImpute)
        }
        let nonFinite = FeatureEncoding(inputColumns: ["a", "b"], impute: .mean, imputeValues: [.nan, .infinity])
        #expect(throws: error) {
            try CSVReader.read(text: "a,b,y\n,,p\n", options: CSVReadOptions(target: "y"), encoding: nonFinite)
        }
        let unknownOneHot = FeatureEncoding(inputColumns: ["a", "b"], oneHot: [.init(column: "q", categories: ["x"])])
        #expect(throws: DataError(.featureMismatch, "the one-hot encoding of 'q' is inconsistent", file: "<text>")) {
            try CSVReader.read(text: "a,b,y\n1,2,p\n", options: CSVReadOptions(target: "y"), encoding: unknownOneHot)
        }
    }
}

@Suite struct SampleWeightMisuseTests {
    @Test func weightsWhoseSumOverflowsAreRefusedInsteadOfBlamingTheLearningRate() {
        let doubles = MLPError.invalidSampleWeight("Sample weights must sum to a finite number in float64; they overflow "
                                                   + "(the largest is 1e+307). Scale them down: only their ratios matter.")
        #expect(throws: doubles) {
            try Misuse.classifier().fit(Misuse.x(), Misuse.labels(), sampleWeight: [Double](repeating: 1e307, count: 20))
        }
        #expect(throws: doubles) {
            try Misuse.classifier { $0.classWeight = .balanced }
                .fit(Misuse.x(), Misuse.labels(), sampleWeight: [Double](repeating: 1e307, count: 20))
        }
        #expect(throws: MLPError.invalidSampleWeight("Sample weights must sum to a finite number in float32; they "
                                                     + "overflow (the largest is 3e+38). Scale them down: only their ratios matter.")) {
            try MLPRegressor<Float>(hiddenLayerSizes: [3], maxIter: 2)
                .fit(Misuse.x().converted(to: Float.self), [Float](repeating: 1, count: 20),
                     sampleWeight: [Float](repeating: 3e38, count: 20))
        }
    }
}

@Suite struct PathMisuseTests {
    /// A Swift string may hold NUL; the system reads a path only up to it, so "model\0.mlp" would name "model".
    @Test func aPathWithANulByteIsRefusedInsteadOfNamingAnotherFile() throws {
        let dir = try ModelFileMisuseTests.directory()
        let clf = Misuse.classifier()
        try clf.fit(Misuse.x(), Misuse.labels())
        #expect(throws: ModelFileError.self) { try clf.save(to: dir + "/model\u{0}.mlp") }
        #expect(!FileManager.default.fileExists(atPath: dir + "/model"))

        try clf.save(to: dir + "/saved")
        #expect(throws: ModelFileError.self) { try MLPClassifier<Double>.load(from: dir + "/saved\u{0}.other") }

        try "a,y\n1,p\n2,q\n".write(toFile: dir + "/d", atomically: true, encoding: .utf8)
        #expect(throws: DataError.self) { try CSVReader.read(path: dir + "/d\u{0}.csv") }
        #expect(throws: DataError.self) {
            try MLPDataConverter.convert(csvPath: dir + "/d\u{0}.csv", to: dir + "/c.mlpdata", options: CSVReadOptions(target: "y"))
        }
        #expect(throws: MLPDataError.self) {
            try MLPDataConverter.convert(csvPath: dir + "/d", to: dir + "/c\u{0}.mlpdata", options: CSVReadOptions(target: "y"))
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/c"))
        try MLPDataConverter.convert(csvPath: dir + "/d", to: dir + "/c", options: CSVReadOptions(target: "y"))
        #expect(throws: MLPDataError.self) { try MLPDataFile(path: dir + "/c\u{0}.mlpdata") }
    }
}
