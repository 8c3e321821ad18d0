import Testing
@testable import MLPCore

// The one label model (ClassLabel, LabelEncoder), its number grammar, and the one accuracy, R² and argmax.

private let precomposed = "caf\u{E9}"          // "café", é as one scalar
private let decomposed = "cafe\u{301}"         // "café", e + combining acute accent

/// Two well separated blobs in 2-D, labelled by `names[0]` and `names[1]`.
private func twoBlobs(_ names: [ClassLabel], perClass: Int = 10) -> (x: Matrix<Double>, y: [ClassLabel]) {
    var rows: [[Double]] = [], labels: [ClassLabel] = []
    for i in 0..<(2 * perClass) {
        let c = i % 2
        let jitter = Double(i / 2) / Double(perClass)
        rows.append(c == 0 ? [-2 + jitter, -1 - jitter] : [2 - jitter, 1 + jitter])
        labels.append(names[c])
    }
    return (Matrix(rows), labels)
}

private func csvLabel(_ cell: String) throws -> ClassLabel {
    let table = try CSVReader.read(text: "x,y\n1,\(cell)\n", source: "t.csv")
    return try LabelEncoder.parseColumn(table.targetLabels, column: "y", lines: table.lines)[0]
}

@Suite struct LabelModelTests {
    @Test func canonicallyEquivalentStringsAreTwoClasses() throws {
        #expect(precomposed == decomposed)   // Swift's String ==, which a label must not use
        let a = ClassLabel(precomposed), b = ClassLabel(decomposed)
        #expect(a != b)
        #expect(Set([a, b, a]).count == 2)
        // Sorted by scalars: "e" (U+0065) comes before "é" (U+00E9).
        #expect(try LabelEncoder(fitting: [a, b, a]).classes.map(\.description).map { Array($0.utf8) }
                == [Array(decomposed.utf8), Array(precomposed.utf8)])
        #expect(try ClassLabels([precomposed, decomposed, precomposed]).indices == [1, 0, 1])
    }

    @Test func canonicallyEquivalentStringsRoundTripThroughFitAndPredict() throws {
        let (x, y) = twoBlobs([.string(precomposed), .string(decomposed)])
        let clf = MLPClassifier<Double>(hiddenLayerSizes: [4], solver: .lbfgs, randomState: 0)
        try clf.fit(x, y)
        #expect(clf.classes.count == 2)
        let predicted = try clf.predict(x)
        #expect(predicted.map { Array($0.description.utf8) } == y.map { Array($0.description.utf8) })
        #expect(try clf.score(x, y) == 1)
    }

    @Test func numbersSortNumericallyAndAreWrittenCanonically() throws {
        let column = try LabelEncoder.parseColumn(["10", "2", "9.0", "2", "-1"])
        let encoder = try LabelEncoder(fitting: column)
        #expect(encoder.classes == [-1, 2, 9, 10])
        #expect(encoder.classNames == ["-1", "2", "9", "10"])
        #expect(ClassLabel(3.0).description == "3" && ClassLabel(-0.0).description == "0")
        #expect(ClassLabel.number(3) == ClassLabel.number(3.0) && ClassLabel.number(3) != ClassLabel.string("3"))
        #expect(Set<ClassLabel>([.number(0), .number(-0.0)]).count == 1)
        // A column with one string is all strings, sorted by scalars as numpy sorts a string array.
        #expect(try LabelEncoder(fitting: LabelEncoder.parseColumn(["10", "9", "x"])).classNames == ["10", "9", "x"])
        // Numbers before strings when a caller mixes them.
        #expect(try LabelEncoder(fitting: ["b", 10, "a", 2]).classes == [2, 10, "a", "b"])
        #expect(try LabelEncoder(classNames: ["-1", "2", "10"]).classes == [-1, 2, 10])
    }

    @Test func oneNumberGrammarForCSVAndParsing() throws {
        let expected: [(String, ClassLabel)] = [("0x1A", .string("0x1A")), ("1e3", .number(1000)), (" 7 ", .number(7)),
                                                ("2.0", .number(2)), ("setosa", .string("setosa"))]
        for (cell, label) in expected {
            #expect(ClassLabel(parsing: cell) == label, "\(cell)")
            #expect(try csvLabel(cell) == label, "\(cell) from CSV")
        }
        // The feature path reads the same grammar: "1e3" is 1000, "0x1A" is not a number.
        #expect(try CSVReader.read(text: "x,y\n1e3,a\n", source: "t.csv").features == [1000])
        #expect(throws: DataError.self) { try CSVReader.read(text: "x,y\n0x1A,a\n", source: "t.csv") }
        #expect(ClassLabel(parsing: "NaN").numberValue?.isNaN == true)
        #expect(ClassLabel(parsing: "1e400") == .number(.infinity))
        #expect(ClassLabel(parsing: "-inf") == .number(-.infinity))
    }

    @Test func nonFiniteTargetsAreRefused() throws {
        let (x, y) = twoBlobs([0, 1])
        for bad in ["NaN", "inf", "1e400", "-Infinity"] {
            var labels = y
            labels[3] = ClassLabel(parsing: bad)
            let clf = MLPClassifier<Double>(hiddenLayerSizes: [2], maxIter: 1)
            let error = try #require(throws: MLPError.self) { try clf.fit(x, labels) }
            guard case .nonFiniteInput(let what, let row, _, let value) = error else {
                Issue.record("\(bad): \(error)"); continue
            }
            #expect(what == "y" && row == 3 && !value.isFinite, "\(bad)")
            #expect(throws: MLPError.self) { try clf.partialFit(x, y, classes: [0, 1, labels[3]]) }
        }
        #expect(throws: DataError(.missingValue, "missing target value ('NA')", line: 3, column: "y")) {
            try LabelEncoder.parseColumn(["a", "NA"], column: "y", lines: [2, 3])
        }
        #expect(throws: DataError(.nonFinite, "'1e400' is not a finite number; a class label must be finite", line: 2)) {
            try LabelEncoder.parseColumn(["1e400", "1"], lines: [2, 3])
        }
        let error = try #require(throws: MLPError.self) { try MLPClassifier<Double>().fit(x, [ClassLabel](repeating: .number(.nan), count: 20)) }
        #expect(error.description.hasPrefix("Input y contains NaN"))
    }

    @Test func unseenLabelsAreNamedWithTheirLine() throws {
        let encoder = try LabelEncoder(classNames: ["0", "1"])
        #expect(try encoder.transform(parsing: ["1.0", "0"]) == [1, 0])
        #expect(throws: DataError(.unknownCategory, "unknown label '7'; the model's classes are '0', '1'", line: 3, column: "y")) {
            try encoder.transform(parsing: ["1", "7"], column: "y", lines: [2, 3])
        }
        #expect(throws: MLPError.unseenLabels(known: [0, 1], unseen: [5, 7])) { try encoder.transform([7, 1, 5, 7]) }
    }

    @Test func stringAndIntLabelsFitTheSameModelAsClassLabels() throws {
        let (x, y) = twoBlobs([0, 1])
        func fitted(_ fit: (MLPClassifier<Double>) throws -> Void) throws -> MLPClassifier<Double> {
            let clf = MLPClassifier<Double>(hiddenLayerSizes: [3], solver: .adam, maxIter: 5, randomState: 7)
            try fit(clf)
            return clf
        }
        let ints = y.map { Int($0.numberValue!) }
        let strings = ints.map { $0 == 0 ? "ham" : "spam" }
        let reference = try fitted { try $0.fit(x, y) }
        let byInt = try fitted { try $0.fit(x, ints) }
        let byString = try fitted { try $0.fit(x, strings) }
        let byStringLabel = try fitted { try $0.fit(x, strings.map { ClassLabel.string($0) }) }
        #expect(byInt.network!.parameters == reference.network!.parameters)
        #expect(byString.network!.parameters == byStringLabel.network!.parameters)
        #expect(byString.network!.parameters == reference.network!.parameters)   // same sorted order, same targets
        #expect(byString.classes == ["ham", "spam"] && byInt.classes == [0, 1])
        #expect(try byInt.score(x, ints) == reference.score(x, y))

        let partial = MLPClassifier<Double>(hiddenLayerSizes: [3], randomState: 7)
        try partial.partialFit(x, strings, classes: ["spam", "ham"])
        let partialReference = MLPClassifier<Double>(hiddenLayerSizes: [3], randomState: 7)
        try partialReference.partialFit(x, strings.map { ClassLabel.string($0) }, classes: ["spam", "ham"])
        #expect(partial.network!.parameters == partialReference.network!.parameters)

        #expect(throws: MLPError.self) { try MLPClassifier<Double>().fit(x, [Int](repeating: (1 << 53) + 1, count: 20)) }

        // Literals as a caller writes them, without wrapping.
        let pair = Matrix<Double>([[0, 1], [1, 0]])
        let literal = MLPClassifier<Double>(hiddenLayerSizes: [2], solver: .lbfgs, maxIter: 1, randomState: 0)
        try literal.fit(pair, ["spam", "ham"])
        #expect(literal.classes == [.string("ham"), .string("spam")])
        try literal.fit(pair, [10, 2])
        #expect(literal.classes == [.number(2), .number(10)])
    }

    @Test func accuracyCountsWeights() throws {
        let truth: [ClassLabel] = ["a", "b", "c", "a"], predicted: [ClassLabel] = ["a", "b", "a", "b"]
        #expect(try ClassificationMetrics.accuracy(truth, predicted) == 0.5)
        #expect(try ClassificationMetrics.accuracy(truth, predicted, sampleWeight: [1, 2, 3, 4]) == 0.3)
        #expect(try ClassificationMetrics.accuracy([Int](), []).isNaN)
        #expect(throws: MLPError.self) { try ClassificationMetrics.accuracy([1, 2], [1]) }
        #expect(throws: MLPError.self) { try ClassificationMetrics.accuracy([1, 2], [1, 2], sampleWeight: [1]) }
    }

    @Test func r2MatchesHandComputedValues() throws {
        // Weighted: mean (1 + 2 + 2·4) / 4 = 2.75; SS_res = 0 + 1 + 2·1 = 3; SS_tot = 3.0625 + 0.5625 + 2·1.5625 = 6.75.
        #expect(abs(try RegressionMetrics.r2Score([1.0, 2, 4], [1, 3, 3], sampleWeight: [1, 1, 2]) - 5.0 / 9) < 1e-15)
        // Unweighted: mean 7/3, SS_tot = 14/3, SS_res = 2.
        #expect(abs(try RegressionMetrics.r2Score([1.0, 2, 4], [1, 3, 3]) - (1 - 2 / (14.0 / 3))) < 1e-15)
        // Two outputs, rows [1, 10], [2, 10], [3, 10]: output 0 scores 1 − 1/2; output 1 is a constant truth
        // predicted wrongly once, which sklearn (force_finite) scores 0.
        let truth: [Double] = [1, 10, 2, 10, 3, 10], predicted: [Double] = [1, 10, 2, 11, 4, 10]
        #expect(try RegressionMetrics.r2Scores(truth, predicted, outputs: 2) == [0.5, 0])
        #expect(try RegressionMetrics.r2Score(truth, predicted, outputs: 2) == 0.25)
        #expect(try RegressionMetrics.r2Score([5.0, 5, 5], [5, 5, 5]) == 1)
        #expect(try RegressionMetrics.r2Score([5.0], [4]).isNaN)
        #expect(try RegressionMetrics.r2Score([1.0, 2], [1, .nan]).isNaN)
        #expect(throws: MLPError.self) { try RegressionMetrics.r2Score([1.0, 2, 3], [1, 2], outputs: 1) }
        #expect(throws: MLPError.self) { try RegressionMetrics.r2Score([1.0, 2, 3, 4], [1, 2, 3, 4], outputs: 2,
                                                                       sampleWeight: [1, 1, 1]) }
    }

    @Test func estimatorScoresUseTheMetrics() throws {
        let x = Matrix<Double>([[0, 1], [1, 0], [1, 1], [0, 0], [2, 1]])
        let y: [Double] = [1, 2, 3, 0, 4]
        let reg = MLPRegressor<Double>(hiddenLayerSizes: [3], solver: .lbfgs, maxIter: 20, randomState: 0)
        try reg.fit(x, y)
        let weights: [Double] = [1, 2, 1, 3, 1]
        let predicted = try reg.predict(x).storage
        #expect(try reg.score(x, y, sampleWeight: weights)
                == RegressionMetrics.r2Score(y, predicted, sampleWeight: weights))
        #expect(try reg.score(Matrix([[0, 1]]), [1]).isNaN)

        let (bx, by) = twoBlobs(["no", "yes"])
        let clf = MLPClassifier<Double>(hiddenLayerSizes: [2], maxIter: 3, randomState: 1)
        try clf.fit(bx, by)
        let w = (0..<by.count).map { Double($0 % 3 + 1) }
        #expect(try clf.score(bx, by, sampleWeight: w) == ClassificationMetrics.accuracy(by, clf.predict(bx), sampleWeight: w))
    }

    @Test func argmaxTakesTheFirstMaximumAndTheFirstNaN() {
        #expect(argmax([1.0, 3, 3, 2]) == 1)
        #expect(argmax([Double.nan, 5]) == 0)
        #expect(argmax([1.0, .nan, .nan]) == 1)
        #expect(argmax([-Double.infinity, -.infinity]) == 0)
        #expect(argmax([Float]()) == 0)
        #expect(argmax([0.0, 1, 9, 2][1...]) == 1)   // an offset from the slice's start
        let b = LabelBinarizer(multilabelCount: 0)
        #expect(b.outputCount == 0)
        let outputs: [Double] = [0.1, 0.7, 0.2, 0.3, .nan, 0.3]
        let multiclass = try! LabelBinarizer(fitting: ["a", "b", "c"])
        #expect(outputs.withUnsafeBufferPointer { multiclass.inverseTransform($0, rows: 2) } == ["b", "b"])
        // Binary: classes[1] above 0.5 only (scikit-learn's `y > threshold`), so 0.5 and NaN give classes[0].
        let binary = try! LabelBinarizer(fitting: ["a", "b"])
        let probabilities: [Double] = [0.7, .nan, 0.5, 0.2, 0.5000000000000001]
        #expect(probabilities.withUnsafeBufferPointer { binary.inverseTransform($0, rows: 5) } == ["b", "a", "a", "a", "b"])
    }
}
