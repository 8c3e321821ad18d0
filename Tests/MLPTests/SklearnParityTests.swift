import Foundation
import MLPTestSupport
import Testing
@testable import MLPCore

// Trains every case of Fixtures/sklearn/cases.json (Scripts/make_sklearn_fixtures.py, scikit-learn 1.9.1)
// in Float64 and compares with scikit-learn: loss curve (1e-9 relative over the first 20 epochs, 1e-6 after),
// n_iter_, t_, validation scores, predict_proba (1e-6), predictions (identical), score; lbfgs: final loss
// within 1e-6 relative or lower, same accuracy.

/// What one training run produced, on either side.
struct ParityRun {
    var lossCurve: [Double]?
    var nIter: Int
    var t: Int?
    var loss: Double
    var bestLoss: Double?
    var validationScores: [Double]?
    var bestValidationScore: Double?
    var parameters: [Double]
    var outputs: [Double]          // predict_proba (classifier) or predict (regressor), first rows
    var predictions: [String]      // classifier predictions on all rows
    var score: Double
    var warnings: [String]
    var outActivation: String
}

enum ParityRunner {
    static func run(_ c: [String: Any]) throws -> (ours: ParityRun, theirs: ParityRun) {
        (c["dtype"] as? String) == "float32" ? try run(c, as: Float.self) : try run(c, as: Double.self)
    }

    static func run<T: KernelFloat>(_ c: [String: Any], as _: T.Type) throws -> (ours: ParityRun, theirs: ParityRun) {
        let (p, regressionLoss) = SklearnFixtures.parameters(c["params"] as! [String: Any])
        let (x64, yRaw) = SklearnFixtures.data(c["data"] as! [String: Any])
        let x = x64.converted(to: T.self)
        let sw = (c["sample_weight"] as? [Any])?.map { T(SklearnFixtures.double($0)) }
        let calls = (c["calls"] as? [[String: Any]]) ?? [["method": "fit"]]
        let e = c["expected"] as! [String: Any]
        let probaRows = min(200, x.rows)
        let firstRows = Matrix(Array(0..<probaRows).map { Array(x.row($0)) })

        func rows(_ call: [String: Any]) -> Range<Int> {
            let r = (call["rows"] as? [Int]) ?? [0, x.rows]
            return r[0]..<r[1]
        }
        var ours: ParityRun
        if c["estimator"] as! String == "classifier" {
            let clf = MLPClassifier<T>(parameters: p)
            let multilabel = yRaw.first is [Any]
            for call in calls {
                let r = rows(call)
                let xs = Matrix(Array(r).map { Array(x.row($0)) })
                let w = sw.map { Array($0[r]) }
                if multilabel {
                    let y = Matrix(Array(yRaw[r]).map { SklearnFixtures.doubles($0).map { T($0) } })
                    if call["method"] as! String == "fit" { try clf.fit(xs, multilabel: y, sampleWeight: w) }
                    else { try clf.partialFit(xs, multilabel: y, sampleWeight: w) }
                } else {
                    let y = yRaw[r].map(SklearnFixtures.label)
                    if call["method"] as! String == "fit" { try clf.fit(xs, y, sampleWeight: w) }
                    else { try clf.partialFit(xs, y, sampleWeight: w, classes: (call["classes"] as? [Any])?.map(SklearnFixtures.label)) }
                }
            }
            let predictions: [String]
            let score: Double
            if multilabel {
                let y = Matrix(yRaw.map { SklearnFixtures.doubles($0).map { T($0) } })
                predictions = try clf.predictMultilabel(x).storage.map { String(Int($0)) }
                score = try clf.score(x, multilabel: y, sampleWeight: sw)
            } else {
                predictions = try clf.predict(x).map(\.description)
                score = try clf.score(x, yRaw.map(SklearnFixtures.label), sampleWeight: sw)
            }
            ours = ParityRun(lossCurve: clf.lossCurve, nIter: clf.nIter, t: p.solver == .lbfgs ? nil : clf.t,
                             loss: clf.finalLoss, bestLoss: clf.bestLoss, validationScores: clf.validationScores,
                             bestValidationScore: clf.bestValidationScore, parameters: clf.network!.parameters.map(Double.init),
                             outputs: try clf.predictProbabilities(firstRows).storage.map(Double.init), predictions: predictions,
                             score: score, warnings: clf.warnings.map(\.message), outActivation: clf.outActivation!.rawValue)
        } else {
            let reg = MLPRegressor<T>(loss: regressionLoss, parameters: p)
            let y = Matrix(yRaw.map { (($0 as? [Any]).map(SklearnFixtures.doubles) ?? [SklearnFixtures.double($0)]).map { T($0) } })
            for call in calls {
                let r = rows(call)
                let xs = Matrix(Array(r).map { Array(x.row($0)) }), ys = Matrix(Array(r).map { Array(y.row($0)) })
                let w = sw.map { Array($0[r]) }
                if call["method"] as! String == "fit" { try reg.fit(xs, ys, sampleWeight: w) }
                else { try reg.partialFit(xs, ys, sampleWeight: w) }
            }
            ours = ParityRun(lossCurve: reg.lossCurve, nIter: reg.nIter, t: p.solver == .lbfgs ? nil : reg.t,
                             loss: reg.finalLoss, bestLoss: reg.bestLoss, validationScores: reg.validationScores,
                             bestValidationScore: reg.bestValidationScore, parameters: reg.network!.parameters.map(Double.init),
                             outputs: try reg.predict(firstRows).storage.map(Double.init), predictions: [],
                             score: try reg.score(x, y, sampleWeight: sw), warnings: reg.warnings.map(\.message),
                             outActivation: reg.outActivation!.rawValue)
        }

        let coefs = (e["coefs"] as! [Any]).flatMap { SklearnFixtures.matrix($0).flatMap { $0 } }
        let intercepts = (e["intercepts"] as! [Any]).flatMap { SklearnFixtures.doubles($0) }
        let outputs: [Double]
        if let proba = e["predict_proba"] { outputs = SklearnFixtures.matrix(proba).flatMap { $0 } }
        else { outputs = (e["predict"] as! [Any]).flatMap { ($0 as? [Any]).map(SklearnFixtures.doubles) ?? [SklearnFixtures.double($0)] } }
        let predictions: [String] = e["predict_proba"] == nil ? [] : (e["predict"] as! [Any]).flatMap { v -> [String] in
            if let row = v as? [Any] { return row.map { String(Int(SklearnFixtures.double($0))) } }
            return [SklearnFixtures.label(v).description]
        }
        let theirs = ParityRun(
            lossCurve: (e["loss_curve"] as? [Any])?.map(SklearnFixtures.double), nIter: e["n_iter"] as! Int,
            t: e["t"] as? Int, loss: SklearnFixtures.double(e["loss"]!),
            bestLoss: (e["best_loss"] as? Double),
            validationScores: (e["validation_scores"] as? [Any])?.map(SklearnFixtures.double),
            bestValidationScore: (e["best_validation_score"] as? Double),
            parameters: coefs + intercepts, outputs: outputs, predictions: predictions,
            score: SklearnFixtures.double(e["score"]!),
            warnings: (e["warnings"] as! [[String: Any]]).map { $0["message"] as! String }, outActivation: e["out_activation"] as! String)
        return (ours, theirs)
    }
}

@Suite struct SklearnParityTests {
    static let stochasticCases = SklearnFixtures.caseNames.filter {
        ((SklearnFixtures.cases[$0]!["params"] as! [String: Any])["solver"] as? String) != "lbfgs"
    }
    static let lbfgsCases = SklearnFixtures.caseNames.filter {
        ((SklearnFixtures.cases[$0]!["params"] as! [String: Any])["solver"] as? String) == "lbfgs"
    }

    @Test(arguments: stochasticCases)
    func stochasticMatchesScikitLearn(_ name: String) throws {
        let (ours, theirs) = try ParityRunner.run(SklearnFixtures.cases[name]!)
        #expect(ours.outActivation == theirs.outActivation)
        #expect(ours.nIter == theirs.nIter, "n_iter_")
        #expect(ours.t == theirs.t, "t_")
        let curve = ours.lossCurve ?? [], expected = theirs.lossCurve ?? []
        print("PARITY \(name): epochs \(ours.nIter)/\(theirs.nIter), final loss \(ours.loss) vs sklearn \(theirs.loss), "
              + "max |Δloss| \(maxAbsoluteError(curve, expected)), max rel \(maxRelativeError(curve, expected)), "
              + "max |Δproba| \(maxAbsoluteError(ours.outputs, theirs.outputs))")
        #expect(curve.count == expected.count, "loss_curve_ length")
        let head = min(20, curve.count, expected.count)
        // Float32 cases: sklearn and we both compute in float32, with different summation orders.
        let float32 = (SklearnFixtures.cases[name]!["dtype"] as? String) == "float32"
        assertClose(Array(curve.prefix(head)), Array(expected.prefix(head)), relative: float32 ? 1e-5 : 1e-9,
                    "\(name) loss_curve_[0..<20]")
        assertClose(Array(curve.prefix(min(curve.count, expected.count))), Array(expected.prefix(min(curve.count, expected.count))),
                    relative: float32 ? 1e-4 : 1e-6, "\(name) loss_curve_")
        let bestLossTolerance = float32 ? 1e-4 : 1e-6
        #expect(ours.bestLoss.map { abs($0 - theirs.bestLoss!) <= bestLossTolerance * abs(theirs.bestLoss!) } ?? (theirs.bestLoss == nil), "best_loss_")
        #expect((ours.validationScores == nil) == (theirs.validationScores == nil), "validation_scores_")
        assertClose(ours.validationScores ?? [], theirs.validationScores ?? [], relative: 1e-9, absolute: 1e-12,
                    "\(name) validation_scores_")
        #expect(abs((ours.bestValidationScore ?? 0) - (theirs.bestValidationScore ?? 0)) <= 1e-9, "best_validation_score_")
        assertClose(ours.outputs, theirs.outputs, relative: 0, absolute: float32 ? 1e-4 : 1e-6, "\(name) predict_proba / predict")
        #expect(ours.predictions == theirs.predictions, "predictions")
        #expect(abs(ours.score - theirs.score) <= (float32 ? 1e-4 : 1e-9), "score")
        assertClose(ours.parameters, theirs.parameters, relative: float32 ? 1e-3 : 1e-6, absolute: float32 ? 1e-5 : 1e-8,
                    "\(name) final weights")
        let sklearnConverged = !theirs.warnings.contains { $0.hasPrefix("Stochastic Optimizer") }
        let ourConverged = !ours.warnings.contains { $0.hasPrefix("Stochastic Optimizer") }
        #expect(sklearnConverged == ourConverged, "ConvergenceWarning")
    }

    @Test(arguments: lbfgsCases)
    func lbfgsMatchesScikitLearn(_ name: String) throws {
        let (ours, theirs) = try ParityRunner.run(SklearnFixtures.cases[name]!)
        print("PARITY \(name): iterations \(ours.nIter)/\(theirs.nIter), final loss \(ours.loss) vs sklearn \(theirs.loss), "
              + "score \(ours.score) vs \(theirs.score)")
        #expect(ours.outActivation == theirs.outActivation)
        // Float32: scipy rounds every iterate to float32 for the objective (its x keeps x0's dtype), as we do, and
        // float32 rounding in two summation orders drifts apart within tens of L-BFGS iterations (1e-4 in 15 here).
        let float32 = (SklearnFixtures.cases[name]!["dtype"] as? String) == "float32"
        #expect(ours.loss <= theirs.loss * (1 + (float32 ? 1e-3 : 1e-6)) + 1e-12, "final loss \(ours.loss) vs sklearn \(theirs.loss)")
        if !theirs.predictions.isEmpty {
            #expect(abs(ours.score - theirs.score) <= 1e-9, "accuracy \(ours.score) vs \(theirs.score)")
        } else {
            #expect(ours.score >= theirs.score - 1e-6, "R² \(ours.score) vs \(theirs.score)")
        }
        if float32 {
            #expect(ours.nIter == theirs.nIter, "n_iter_")
            #expect(abs(ours.loss - theirs.loss) <= 1e-3 * theirs.loss, "loss_ \(ours.loss) vs \(theirs.loss)")
        }
    }

    /// Glorot draws in sklearn's order reproduce `coefs_` / `intercepts_` before training, bit for bit.
    @Test(arguments: SklearnFixtures.caseNames)
    func initialWeightsAreIdentical(_ name: String) {
        let c = SklearnFixtures.cases[name]!
        let e = c["expected"] as! [String: Any]
        let (p, _) = SklearnFixtures.parameters(c["params"] as! [String: Any])
        let initCoefs = (e["init_coefs"] as! [Any]).map { SklearnFixtures.matrix($0) }
        let sizes = [initCoefs[0].count] + initCoefs.map { $0[0].count }
        var net = Network<Double>(layerSizes: sizes, hiddenActivation: p.activation, outputActivation: .identity)
        var random = NumPyRandomState(seed: UInt32(p.randomState ?? 0))
        Initializer.glorotUniform.initialize(&net, using: &random)
        let expected = initCoefs.flatMap { $0.flatMap { $0 } } + (e["init_intercepts"] as! [Any]).flatMap { SklearnFixtures.doubles($0) }
        // sklearn draws in float64 and casts (`astype`) for float32 data.
        let ours = (c["dtype"] as? String) == "float32" ? net.parameters.map { Double(Float($0)) } : net.parameters
        #expect(ours == expected, "max relative error \(maxRelativeError(ours, expected))")
    }
}
