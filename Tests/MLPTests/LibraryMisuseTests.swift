import Testing
@testable import MLPCore

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

    static func classifier(_ configure: (inout MLPParameters) -> Void = { _ in }) -> MLPClassifier<Double> {
        var p = MLPParameters()
        p.hiddenLayerSizes = [4]
        p.maxIter = 3
        p.randomState = 0
        configure(&p)
        return MLPClassifier<Double>(parameters: p)
    }

    static func regressor(_ configure: (inout MLPParameters) -> Void = { _ in }) -> MLPRegressor<Double> {
        var p = MLPParameters()
        p.hiddenLayerSizes = [4]
        p.maxIter = 3
        p.randomState = 0
        configure(&p)
        return MLPRegressor<Double>(parameters: p)
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
