import MLPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One configuration an ablation trains: the estimator parameters plus what the tool does around them.
struct TrialSetup: Equatable {
    var parameters: MLPParameters
    var scaling: InputScaling
    /// Regression: train on the standardized target and invert the predictions.
    var scaleTarget = false
}

/// One training run of a setup with one random state.
struct TrialRun {
    /// The held-out metric (balanced accuracy or R²), the chance level when training failed.
    var score: Double
    var trainScore: Double
    /// The last finite training loss, in the user's target units (+∞ when none): scikit-learn's `loss_curve_`, whose
    /// every epoch includes the L2 penalty (alpha).
    var finalLoss: Double
    /// Training loss per epoch, in the user's target units.
    var lossCurve: [Double]
    var diverged: Bool
    /// The estimator's message when the fit failed for another reason than divergence (a setting the fold's rows
    /// cannot take); such a run scores as a failed one but is no evidence of divergence.
    var failure: String?
    /// Classification: held-out recall per class.
    var recalls: [Double]
    /// The held-out loss in the training loss's formula, in the user's units: mean log loss (classification), half
    /// the mean squared error or the half Poisson deviance (regression). No L2 penalty: it scores predictions.
    var validationLoss: Double = .infinity
    /// The same formula on the training rows with the final weights, no L2 penalty: what `validationLoss` compares
    /// with, and `finalLoss` without the penalty that changes with alpha (and with the target's scale).
    var trainDataLoss: Double = .infinity
}

/// A setup's runs over the random states, summarized.
struct TrialSummary {
    var runs: [TrialRun]
    var score: Double { Statistics.median(runs.map(\.score)) }
    var spread: Double { Statistics.spread(runs.map(\.score)) }
    var trainScore: Double { Statistics.median(runs.map(\.trainScore)) }
    var trainSpread: Double { Statistics.spread(runs.map(\.trainScore)) }
    var finalLoss: Double { Statistics.median(runs.map(\.finalLoss)) }
    var epochs: Double { Statistics.median(runs.map { Double($0.lossCurve.count) }) }
    var divergedShare: Double { Double(runs.filter(\.diverged).count) / Double(max(runs.count, 1)) }
    var validationLoss: Double { Statistics.median(runs.map(\.validationLoss)) }
    var trainDataLoss: Double { Statistics.median(runs.map(\.trainDataLoss)) }

    /// Median epochs until the training loss first reaches `target` (runs that never do count as their length + 1).
    func epochsToLoss(_ target: Double) -> Double {
        Statistics.median(runs.map { run in
            Double((run.lossCurve.firstIndex { $0 <= target } ?? run.lossCurve.count) + 1)
        })
    }

    func summary() -> ScoreSummary {
        ScoreSummary(score: score, trainScore: trainScore, loss: finalLoss, heldOutLoss: validationLoss, spread: spread,
                     epochs: epochs)
    }
}

/// Trains setups on the folds and scores them: random state i on fold i mod K.
struct Trainer {
    let folds: [PreparedData]
    let randomStates: [Int]
    /// At most this many epochs per run, for every setup, when the time budget cannot train `maxIter` (nil: none).
    var epochCap: Int?
    private var scaledInputs: [[InputScaling: (train: Matrix<Double>, validation: Matrix<Double>)]] = []

    init(folds: [PreparedData], randomStates: [Int]) throws {
        self.folds = folds
        self.randomStates = randomStates
        for fold in folds {
            var scaled: [InputScaling: (train: Matrix<Double>, validation: Matrix<Double>)] = [:]
            for scaling in InputScaling.allCases { scaled[scaling] = try fold.scaled(scaling) }
            scaledInputs.append(scaled)
        }
    }

    /// The training rows run `index` fits on (its fold's).
    func trainingRows(ofRun index: Int) -> Int { folds[index % folds.count].trainX.rows }

    /// The metric's name in findings.
    var metricName: String { folds[0].isRegression ? "r2" : "balanced_accuracy" }

    /// The setup's runs over every random state.
    func run(_ setup: TrialSetup) -> TrialSummary {
        TrialSummary(runs: randomStates.indices.map { run(setup, index: $0) })
    }

    /// As many runs again: the next random states, on the folds in the same order (so runs still pair).
    func extend(_ summary: inout TrialSummary, _ setup: TrialSetup) {
        guard summary.runs.count == randomStates.count else { return }
        summary.runs += randomStates.indices.map { run(setup, index: randomStates.count + $0) }
    }

    /// Run `index`: random state `randomStates[0] + index` on fold `index mod K`; `onEpoch` may stop it early.
    func run(_ setup: TrialSetup, index: Int, onEpoch: ((EpochReport) -> EpochAction)? = nil) -> TrialRun {
        var parameters = setup.parameters
        parameters.randomState = randomStates[0] + index
        parameters.verbose = false
        parameters.warmStart = false
        if let epochCap { parameters.maxIter = min(parameters.maxIter, epochCap) }
        let data = folds[index % folds.count]
        let x = scaledInputs[index % folds.count][setup.scaling]!
        if data.isMultilabel { return runLabels(parameters, data: data, x: x, onEpoch: onEpoch) }
        if let trainClasses = data.trainClasses, let validationClasses = data.validationClasses {
            let classifier = MLPClassifier<Double>(parameters: parameters)
            classifier.onEpoch = onEpoch
            var failure: FitFailure?
            do { try classifier.fit(x.train, trainClasses) } catch { failure = FitFailure(error) }
            func predictions(_ m: Matrix<Double>) -> [Int]? {
                guard classifier.network != nil, let labels = try? classifier.predict(m) else { return nil }
                return labels.map { Int($0.numberValue ?? -1) }
            }
            func logLoss(_ m: Matrix<Double>, _ truths: [Int]) -> Double {
                guard classifier.network != nil, let proba = try? classifier.predictProbabilities(m) else { return .infinity }
                let loss = HeldOutLoss.classes(probabilities: proba, truths: truths,
                                               columns: classifier.classes.map { Int($0.numberValue ?? -1) })
                return loss.isFinite ? loss : .infinity
            }
            return Self.classificationRun(
                curve: classifier.lossCurve ?? [], failure: failure, chance: data.chance, groups: data.recallGroupCount,
                validationRecalls: predictions(x.validation).map {
                    Self.recalls(validationClasses, $0, classCount: data.classCount)
                },
                trainRecalls: predictions(x.train).map { Self.recalls(trainClasses, $0, classCount: data.classCount) },
                validationLoss: logLoss(x.validation, validationClasses), trainDataLoss: logLoss(x.train, trainClasses))
        }
        // Regression, optionally on the target standardized column by column (as MLPPipeline's target scaling).
        let width = data.targetWidth
        let (means, stds) = data.trainTargetMoments
        let shifts = means.map { setup.scaleTarget ? $0 : 0 }, factors = stds.map { setup.scaleTarget && $0 > 0 ? $0 : 1 }
        let regressor = MLPRegressor<Double>(parameters: parameters)
        regressor.onEpoch = onEpoch
        var failure: FitFailure?
        let fitted = data.trainTarget.indices.map { (data.trainTarget[$0] - shifts[$0 % width]) / factors[$0 % width] }
        do {
            try regressor.fit(x.train, Matrix(rows: x.train.rows, columns: width, storage: fitted))
        } catch { failure = FitFailure(error) }
        // The squared-error family's loss scales with the target's square; report it in the user's units. Of several
        // columns, scikit-learn's loss averages the cells: scaled back by the columns' mean variance (exact when their
        // standardized errors are alike; the proofs compare the exact unpenalized loss on the rows, `trainDataLoss`).
        let variance = factors.map { $0 * $0 }.reduce(0, +) / Double(width)
        let curve = (regressor.lossCurve ?? []).map { $0 * variance }
        let diverged = failure == .diverged || curve.contains { !$0.isFinite }
        /// R² (uniform average over the outputs) and the loss without the penalty, in the user's units.
        func scored(_ m: Matrix<Double>, _ y: [Double]) -> (r2: Double, loss: Double) {
            let floor = Self.r2Floor(y, outputs: width)
            guard regressor.network != nil, let predicted = try? regressor.predict(m) else { return (floor, .infinity) }
            let values = predicted.storage.indices.map { predicted.storage[$0] * factors[$0 % width] + shifts[$0 % width] }
            let loss = HeldOutLoss.regression(parameters.loss, predicted: values, target: y, outputs: width)
            let score = (try? RegressionMetrics.r2Score(y, values, outputs: width)) ?? .nan
            return (score.isFinite ? max(score, floor) : floor, loss.isFinite ? loss : .infinity)
        }
        let heldOut = scored(x.validation, data.validationTarget), train = scored(x.train, data.trainTarget)
        return TrialRun(score: heldOut.r2, trainScore: train.r2,
                        finalLoss: curve.last(where: \.isFinite) ?? .infinity, lossCurve: curve, diverged: diverged,
                        failure: failure?.message, recalls: [], validationLoss: heldOut.loss, trainDataLoss: train.loss)
    }

    /// A classifier's run from what it measured (nil recalls: it could not predict). A diverged run scores chance:
    /// the live monitor stops it and `mlp train` writes no model (and NaN weights predict no class at all, which
    /// scored 0, below chance).
    static func classificationRun(curve: [Double], failure: FitFailure?, chance: Double, groups: Int,
                                  validationRecalls: [Double]?, trainRecalls: [Double]?, validationLoss: Double,
                                  trainDataLoss: Double) -> TrialRun {
        let diverged = failure == .diverged || curve.contains { !$0.isFinite }, failed = diverged || failure != nil
        let recalls = validationRecalls ?? [Double](repeating: 0, count: groups)
        return TrialRun(score: failed ? chance : balancedAccuracy(recalls) ?? chance,
                        trainScore: failed ? chance : trainRecalls.flatMap(balancedAccuracy) ?? chance,
                        finalLoss: curve.last(where: \.isFinite) ?? .infinity, lossCurve: curve, diverged: diverged,
                        failure: failure?.message, recalls: recalls, validationLoss: validationLoss,
                        trainDataLoss: trainDataLoss)
    }

    /// R² of predicting zero for every row: what an untrained network with small outputs scores. Worse scores
    /// (or failed runs) are clipped to it so that one wild run cannot dominate a median or a JSON number.
    static func r2Floor(_ y: [Double], outputs: Int = 1) -> Double {
        // Of several outputs, the uniform average of each output's R², as `RegressionMetrics.r2Score`.
        let (means, stds) = Statistics.columnMoments(y, rows: y.count / max(outputs, 1), columns: outputs)
        return zip(means, stds).map { mean, std in std > 0 ? -(mean * mean) / (std * std) : 0 }.reduce(0, +)
            / Double(max(outputs, 1))
    }

    /// Recall per class index (NaN for a class without held-out rows).
    static func recalls(_ truth: [Int], _ predicted: [Int], classCount: Int) -> [Double] {
        var hits = [Double](repeating: 0, count: classCount), totals = [Double](repeating: 0, count: classCount)
        for (t, p) in zip(truth, predicted) where t < classCount {
            totals[t] += 1
            if t == p { hits[t] += 1 }
        }
        return zip(hits, totals).map { $1 > 0 ? $0 / $1 : .nan }
    }

    /// The mean recall over the classes present: accuracy that a majority class cannot inflate.
    static func balancedAccuracy(_ recalls: [Double]) -> Double? {
        let present = recalls.filter { !$0.isNaN }
        return present.isEmpty ? nil : present.reduce(0, +) / Double(present.count)
    }
}

/// Why a run's fit threw: divergence (evidence for a finding), or another error the configuration meets on the fold's
/// rows (no evidence of anything but that error).
enum FitFailure: Equatable {
    case diverged
    case other(String)

    init(_ error: Error) {
        if case MLPError.diverged = error { self = .diverged } else { self = .other("\(error)") }
    }

    /// The message of a failure other than divergence.
    var message: String? { if case .other(let text) = self { text } else { nil } }
}
