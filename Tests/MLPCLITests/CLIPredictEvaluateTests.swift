import Foundation
import MLP
import MLPDatasets
import Testing

// `mlp predict`, `evaluate` and `inspect` on model files rebuilt from scikit-learn weights: the predictions and
// metrics must be scikit-learn's.

private func parseCSV(_ text: String) -> [[String]] {
    text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
}

@Suite struct CLIPredictEvaluateTests {
    @Test(arguments: ["iris", "seed"])
    func classifierMatchesSklearn(name: String) throws {
        let fixture = SklearnFixture.all[name]!
        let dir = try CLI.temporaryDirectory()
        try fixture.model().write(to: dir + "/m.mlp")
        let csv = try datasetCopy(name, in: dir)

        let labels = try CLI.run(["predict", "m.mlp", csv], in: dir)
        #expect(labels.code == 0, "\(labels.stderr)")
        let rows = parseCSV(labels.stdout)
        #expect(rows.first == [fixture.target])
        #expect(rows.dropFirst().map { $0[0] } == fixture.predict!)

        let proba = try CLI.run(["predict", "m.mlp", csv, "--proba"], in: dir)
        let p = parseCSV(proba.stdout)
        // The label, then one probability column per class.
        #expect(p.first == [fixture.target] + fixture.classes!)
        #expect(p.dropFirst().map { $0[0] } == fixture.predict!)
        let values = p.dropFirst().flatMap { $0.dropFirst().map { Double($0)! } }
        #expect(values.count == fixture.proba!.count)
        let worst = zip(values, fixture.proba!).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-12, "max |Δproba| = \(worst)")

        let evaluation = try CLI.run(["evaluate", "m.mlp", csv, "--json"], in: dir)
        #expect(evaluation.code == 0, "\(evaluation.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(evaluation.stdout.utf8)) as! [String: Any]
        #expect(json["task"] as? String == "classification")
        #expect(json["accuracy"] as? Double == fixture.accuracy)
        #expect(abs((json["log_loss"] as! Double) - fixture.log_loss!) < 1e-12)
        #expect((json["classes"] as? [String]) == fixture.classes)
        for key in ["samples", "confusion_matrix", "per_class", "macro_avg", "weighted_avg"] {
            #expect(json[key] != nil, "missing key \(key)")
        }

        let human = try CLI.run(["evaluate", "m.mlp", csv], in: dir)
        #expect(human.stdout.contains("accuracy  \(String(format: "%.4f", fixture.accuracy!))"))
        #expect(human.stdout.contains("confusion matrix"))
    }

    @Test func regressorMatchesSklearn() throws {
        let fixture = SklearnFixture.all["iris_regression"]!
        let dir = try CLI.temporaryDirectory()
        try fixture.model().write(to: dir + "/r.mlp")
        let csv = try datasetCopy("iris", in: dir)
        let r = try CLI.run(["predict", "r.mlp", csv, "-o", "out.csv"], in: dir)
        #expect(r.code == 0 && r.stdout.isEmpty, "\(r.stderr)")
        let rows = parseCSV(try String(contentsOfFile: dir + "/out.csv", encoding: .utf8))
        #expect(rows.first == ["petal_width"])
        let values = rows.dropFirst().map { Double($0[0])! }
        let worst = zip(values, fixture.predict_values!).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-12, "max |Δ| = \(worst)")

        let e = try CLI.run(["evaluate", "r.mlp", csv, "--json"], in: dir)
        let json = try JSONSerialization.jsonObject(with: Data(e.stdout.utf8)) as! [String: Any]
        #expect(json["task"] as? String == "regression")
        #expect(abs((json["r2"] as! Double) - fixture.r2!) < 1e-12)
        #expect(abs((json["mae"] as! Double) - fixture.mae!) < 1e-12)
        #expect(abs((json["rmse"] as! Double) - fixture.rmse!) < 1e-12)
        #expect(json["samples"] as? Int == 150)

        expectCleanError(try CLI.run(["predict", "r.mlp", csv, "--proba"], in: dir), code: 2,
                         contains: "--proba needs a classifier")
    }

    @Test func float32ModelPredictsLikeFloat64() throws {
        let fixture = SklearnFixture.all["iris"]!
        let dir = try CLI.temporaryDirectory()
        try fixture.model(dtype: "float32").write(to: dir + "/m32.mlp")
        let r = try CLI.run(["predict", "m32.mlp", "--dataset", "iris"], in: dir)
        #expect(parseCSV(r.stdout).dropFirst().map { $0[0] } == fixture.predict!)
        #expect(try CLI.run(["inspect", "m32.mlp"], in: dir).stdout.contains("float32"))
    }

    @Test func predictionsAreIdenticalAcrossProcessesAndRowOrder() throws {
        let fixture = SklearnFixture.all["iris"]!
        let dir = try CLI.temporaryDirectory()
        try fixture.model().write(to: dir + "/m.mlp")
        let a = try CLI.run(["predict", "m.mlp", "--dataset", "iris", "--proba"], in: dir)
        let b = try CLI.run(["predict", "m.mlp", "--dataset", "iris", "--proba"], in: dir)
        #expect(a.stdout == b.stdout && !a.stdout.isEmpty)
        // Columns in another order and an extra column: matched by name. Reversed rows give reversed output.
        let iris = BundledDataset.iris.csv
        var lines = iris.split(whereSeparator: \.isNewline).map(String.init)  // iris.csv has CRLF line ends
        let header = lines.removeFirst()
        let shuffled = ["id,petal_width,species,petal_length,sepal_width,sepal_length"] + lines.reversed().enumerated().map { i, line in
            let f = line.split(separator: ",")
            return "\(i),\(f[3]),\(f[4]),\(f[2]),\(f[1]),\(f[0])"
        }
        _ = header
        try CLI.write(shuffled.joined(separator: "\n") + "\n", to: dir + "/shuffled.csv")
        let c = try CLI.run(["predict", "m.mlp", "shuffled.csv", "--proba"], in: dir)
        #expect(c.code == 0, "\(c.stderr)")
        let forward = a.stdout.split(separator: "\n")
        let backward = c.stdout.split(separator: "\n")
        #expect(forward.first == backward.first)
        #expect(Array(forward.dropFirst()) == Array(backward.dropFirst().reversed()))
    }

    @Test func inspectDescribesTheModel() throws {
        let dir = try CLI.temporaryDirectory()
        try SklearnFixture.all["iris"]!.model().write(to: dir + "/m.mlp")
        let r = try CLI.run(["inspect", "m.mlp"], in: dir)
        #expect(r.code == 0)
        #expect(r.stdout.contains("MLPClassifier, float64: 4 → 10 → 3 (83 weights), activation relu, output softmax"))
        #expect(r.stdout.contains("classes (3): setosa, versicolor, virginica"))
        #expect(r.stdout.contains("features (4): sepal_length, sepal_width, petal_length, petal_width"))
        #expect(r.stdout.split(separator: "\n").count <= 8)
        let j = try CLI.run(["inspect", "m.mlp", "--json"], in: dir)
        let json = try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as! [String: Any]
        #expect(json["layerSizes"] as? [Int] == [4, 10, 3])
    }

    @Test func reportForTwoFeatureData() throws {
        let dir = try CLI.temporaryDirectory()
        try SklearnFixture.all["seed"]!.model().write(to: dir + "/s.mlp")
        let r = try CLI.run(["evaluate", "s.mlp", "--dataset", "seed", "--report", "report.html", "--quiet"], in: dir)
        #expect(r.code == 0 && r.stdout.isEmpty, "\(r.stderr)")
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        #expect(html.components(separatedBy: "<circle class=\"point\"").count - 1 == 10)
        #expect(html.contains("<rect class=\"region\""))
        #expect(html.contains("<td class=\"cell\""))
        #expect(!html.contains("<script"))
        // Scripts/render_report.sh takes this report for its screenshot until `mlp train` can train.
        if let copy = ProcessInfo.processInfo.environment["MLP_REPORT_COPY"] {
            try? FileManager.default.removeItem(atPath: copy)
            try FileManager.default.copyItem(atPath: dir + "/report.html", toPath: copy)
        }
    }

    @Test func readsStandardInput() throws {
        let dir = try CLI.temporaryDirectory()
        try SklearnFixture.all["seed"]!.model().write(to: dir + "/s.mlp")
        let r = try CLI.run(["predict", "s.mlp", "-"], in: dir, stdin: "x1,x2\n7,4.7\n7.7,6.7\n")
        #expect(r.stdout == "sale\n0\n1\n", "\(r.stderr)")
    }
}

@Suite struct CLILibraryModelTests {
    /// A model saved by the library (gelu, dropout: not writable before format 1.1) is read by every command.
    @Test func libraryModelIsReadByTheTool() throws {
        let rows: [[Double]] = (0..<30).map { (i: Int) -> [Double] in
            let a = Double(i % 7) - 3, b = Double(i % 5) * 0.5, c = Double(i % 3)
            return [a, b, c]
        }
        let labels: [ClassLabel] = (0..<30).map { i in i % 7 > 3 ? "hi" : "lo" }
        let clf = MLPClassifier<Double>(hiddenLayerSizes: [4], activation: .gelu, maxIter: 20, randomState: 0)
        clf.dropout = 0.2
        try clf.fit(Matrix(rows), labels)
        let dir = try CLI.temporaryDirectory()
        try clf.save(to: dir + "/g.mlp")
        let csv = "x0,x1,x2,y\n" + zip(rows, labels).map { row, label in
            row.map { "\($0)" }.joined(separator: ",") + ",\(label)"
        }.joined(separator: "\n") + "\n"
        try CLI.write(csv, to: dir + "/d.csv")

        let proba = try CLI.run(["predict", "g.mlp", "d.csv", "--proba"], in: dir)
        #expect(proba.code == 0, "\(proba.stderr)")
        let expected = try clf.predictProbabilities(Matrix(rows))
        let printed = proba.stdout.split(separator: "\n").dropFirst().flatMap {
            $0.split(separator: ",").dropFirst().map { Double($0)! }
        }
        #expect(printed == expected.storage)
        let evaluation = try CLI.run(["evaluate", "g.mlp", "d.csv", "--target", "y", "--json"], in: dir)
        let json = try JSONSerialization.jsonObject(with: Data(evaluation.stdout.utf8)) as! [String: Any]
        #expect(json["accuracy"] as? Double == (try clf.score(Matrix(rows), labels)))
        let info = try CLI.run(["inspect", "g.mlp"], in: dir).stdout
        #expect(info.contains("activation gelu"), "\(info)")
        #expect(info.contains("features (3): x0, x1, x2"))
    }

    /// A multilabel classifier: one 0/1 column per label, then one probability column per label, as the library
    /// predicts them.
    @Test func multilabelModelPredictsIndicatorsAndProbabilities() throws {
        let rows: [[Double]] = (0..<40).map { i in [Double(i % 7) - 3, Double(i % 5) * 0.5] }
        let indicators = Matrix<Double>(rows.map { r in [r[0] > 0 ? 1 : 0, r[1] > 1 ? 1 : 0, r[0] + r[1] > 0 ? 1 : 0] })
        let clf = MLPClassifier<Double>(hiddenLayerSizes: [8], maxIter: 50, randomState: 0)
        try clf.fit(Matrix(rows), multilabel: indicators)
        let dir = try CLI.temporaryDirectory()
        try clf.save(to: dir + "/ml.mlp")
        try CLI.write("x0,x1\n" + rows.map { "\($0[0]),\($0[1])" }.joined(separator: "\n") + "\n", to: dir + "/d.csv")

        let out = try CLI.run(["predict", "ml.mlp", "d.csv", "--proba"], in: dir)
        #expect(out.code == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        #expect(lines.first == ["prediction_0", "prediction_1", "prediction_2", "0", "1", "2"])
        let printed = lines.dropFirst().map { $0.map { Double($0)! } }
        let expectedLabels = try clf.predictMultilabel(Matrix(rows))
        let expectedProba = try clf.predictProbabilities(Matrix(rows))
        #expect(printed.flatMap { $0.prefix(3) } == expectedLabels.storage)
        #expect(printed.flatMap { $0.suffix(3) } == expectedProba.storage)
    }
}
