// MLPClassifier: scikit-learn's `sklearn.neural_network.MLPClassifier` (1.9), same parameters, same
// defaults, same fitted state, same results for the same random_state. See docs/sklearn-mapping.md.

/// A multi-layer perceptron classifier trained on the log-loss (scikit-learn's `MLPClassifier`).
///
/// Binary (logistic output), multiclass (softmax) and multilabel (logistic per label) targets; labels may be
/// numbers or strings (`ClassLabel`), classes are sorted. Parameters are read and written through
/// `parameters` or directly by name (`clf.alpha = 1e-3`, dynamic member lookup).
///
/// ```swift
/// let clf = MLPClassifier<Double>(hiddenLayerSizes: [10], solver: .adam, maxIter: 300, randomState: 1)
/// try clf.fit(x, labels)
/// let predicted = try clf.predict(x)
/// ```
@dynamicMemberLookup
public final class MLPClassifier<T: KernelFloat> {
    /// All scikit-learn hyper-parameters (and the beyond-sklearn options).
    public var parameters: MLPParameters
    /// Beyond scikit-learn: `class_weight` ('balanced' or a per-class map), multiplied into sample weights
    /// (stored in `parameters`).
    public var classWeight: ClassWeight? {
        get { parameters.classWeight }
        set { parameters.classWeight = newValue }
    }
    /// Beyond scikit-learn: called after every epoch (sgd/adam; return `.stop` to end training) and after every
    /// lbfgs iteration (for progress only: lbfgs ignores `.stop`).
    public var onEpoch: ((EpochReport) -> EpochAction)?

    let engine = PerceptronEngine<T>(estimatorName: "MLPClassifier", kind: .classifier(.binary))
    var binarizer: LabelBinarizer?
    /// `n_features_in_`.
    public private(set) var nFeaturesIn: Int?

    /// A classifier with these parameters.
    /// - Parameter parameters: every hyper-parameter.
    public init(parameters: MLPParameters) {
        self.parameters = parameters
    }

    /// A classifier with these parameters and class weights.
    /// - Parameters:
    ///   - parameters: every hyper-parameter.
    ///   - classWeight: when given, replaces `parameters.classWeight`.
    public convenience init(parameters: MLPParameters = MLPParameters(), classWeight: ClassWeight? = nil) {
        self.init(parameters: parameters)
        if let classWeight { self.parameters.classWeight = classWeight }
    }

    /// Restores a fitted classifier (e.g. from a model file). Parts that disagree (classes that do not name the
    /// network's outputs, a `network.parameters` of the wrong length) are not checked here: `predict` and the other
    /// predictions then throw `MLPError`.
    /// - Parameters:
    ///   - parameters: the hyper-parameters it was trained with.
    ///   - network: the trained network.
    ///   - classes: `classes_`, sorted (label column indices for a multilabel target).
    ///   - targetType: the kind of target it was fitted on.
    public init(parameters: MLPParameters, network: Network<T>, classes: [ClassLabel], targetType: TargetType) {
        self.parameters = parameters
        binarizer = targetType == .multilabelIndicator
            ? LabelBinarizer(multilabelCount: classes.count)
            : try? LabelBinarizer(fitting: classes)
        engine.kind = .classifier(targetType)
        engine.network = network
        engine.lossFunction = network.outputActivation == .softmax ? .logLoss : .binaryLogLoss
        nFeaturesIn = network.inputCount
    }

    /// Reads or writes one hyper-parameter of `parameters` by name (`clf.alpha = 1e-3`), like scikit-learn's
    /// `get_params`/`set_params`.
    /// - Parameter keyPath: the `MLPParameters` property to access.
    public subscript<V>(dynamicMember keyPath: WritableKeyPath<MLPParameters, V>) -> V {
        get { parameters[keyPath: keyPath] }
        set { parameters[keyPath: keyPath] = newValue }
    }

    // MARK: Fitted state (nil / empty before fit)

    /// The trained network (layer sizes, activations, the flat parameter buffer).
    public var network: Network<T>? { engine.network }
    /// `classes_`, sorted (column indices for multilabel).
    public var classes: [ClassLabel] { binarizer?.classes ?? [] }
    /// Binary, multiclass or multilabel, as seen at fit.
    public var targetType: TargetType? { binarizer?.targetType }
    /// `loss_`: the last epoch's mean training loss (lbfgs: the final objective).
    public var finalLoss: Double { engine.loss }
    /// `best_loss_` (sgd/adam without early stopping).
    public var bestLoss: Double? { engine.bestLoss }
    /// `best_validation_score_`.
    public var bestValidationScore: Double? { engine.bestValidationScore }
    /// Beyond scikit-learn: the rows of the last `fit`'s X that early stopping trained on and held out; nil without
    /// early stopping, after `partialFit` or a fit from a stream, and in a loaded model (not saved).
    public var earlyStoppingRows: EarlyStoppingRows? { engine.earlyStoppingRows }
    /// Warnings from the last fit (ConvergenceWarning and others), readable instead of printed.
    public var warnings: [MLPWarning] { engine.warnings }

    // MARK: Training

    /// `fit(X, y, sample_weight)`: trains on labelled samples (from scratch unless `warmStart`).
    /// - Parameters:
    ///   - x: the samples, (n, nFeatures).
    ///   - y: one label per sample, with at least two distinct classes.
    ///   - sampleWeight: one weight per sample, or nil for equal weights.
    /// - Throws: `MLPError` for an invalid parameter or class weight, bad input (empty, non-finite, mis-shaped,
    ///   continuous or single-class `y`), classes that changed under `warmStart`, or a network that diverged.
    public func fit(_ x: Matrix<T>, _ y: [ClassLabel], sampleWeight: [T]? = nil) throws {
        try train(x, labels: y, indicator: nil, sampleWeight: sampleWeight, incremental: false)
    }

    /// `fit` with a multilabel indicator matrix y: (n, nLabels) of 0/1.
    /// - Parameters:
    ///   - x: the samples, (n, nFeatures).
    ///   - y: the indicator matrix, (n, nLabels), every entry 0 or 1.
    ///   - sampleWeight: one weight per sample, or nil for equal weights.
    /// - Throws: `MLPError` for an invalid parameter, non-finite or mis-shaped input, or a network that diverged.
    public func fit(_ x: Matrix<T>, multilabel y: Matrix<T>, sampleWeight: [T]? = nil) throws {
        try train(x, labels: nil, indicator: y, sampleWeight: sampleWeight, incremental: false)
    }

    /// `partial_fit(X, y, sample_weight, classes)`: one epoch; `classes` is required on the first call.
    /// - Parameters:
    ///   - x: the samples, (n, nFeatures).
    ///   - y: one label per sample, each among `classes`.
    ///   - sampleWeight: one weight per sample, or nil for equal weights.
    ///   - classes: every class the classifier will ever see; required on the first call, and the same on later ones.
    /// - Throws: `MLPError.partialFit` for a missing or changed `classes`, a non-stochastic solver, early stopping or
    ///   `classWeight` ``ClassWeight/balanced`` (one batch's counts are not the data's), and the errors of `fit`.
    public func partialFit(_ x: Matrix<T>, _ y: [ClassLabel], sampleWeight: [T]? = nil,
                           classes: [ClassLabel]? = nil) throws {
        try checkPartialFit()
        if binarizer == nil {
            guard let classes else { throw MLPError.partialFit("classes must be passed on the first call to partial_fit.") }
            // Refused before they are kept: a first call that fails here leaves the classifier unfitted, so the
            // next call may pass the right `classes`.
            let fitted = try LabelBinarizer(fitting: classes)
            guard fitted.classes.count >= 2 else {
                if let only = fitted.classes.first { throw MLPError.singleClass(only) }
                throw MLPError.partialFit("classes is empty; pass every class the classifier will see (at least two) on the first call to partial_fit.")
            }
            binarizer = fitted
        } else if let classes, Array(Set(classes)).sorted() != binarizer!.classes {
            throw MLPError.partialFit("`classes=\(MLPError.list(classes))` is not the same as on last call to partial_fit, was: \(MLPError.list(binarizer!.classes))")
        }
        try train(x, labels: y, indicator: nil, sampleWeight: sampleWeight, incremental: true)
    }

    /// `partial_fit` with a multilabel indicator matrix.
    /// - Parameters:
    ///   - x: the samples, (n, nFeatures).
    ///   - y: the indicator matrix, (n, nLabels), every entry 0 or 1.
    ///   - sampleWeight: one weight per sample, or nil for equal weights.
    /// - Throws: `MLPError.partialFit` for a non-stochastic solver, early stopping or `classWeight`
    ///   ``ClassWeight/balanced``, and the errors of `fit`.
    public func partialFit(_ x: Matrix<T>, multilabel y: Matrix<T>, sampleWeight: [T]? = nil) throws {
        try checkPartialFit()
        try Self.checkIndicatorColumns(y)
        if binarizer == nil { binarizer = LabelBinarizer(multilabelCount: y.columns) }
        try train(x, labels: nil, indicator: y, sampleWeight: sampleWeight, incremental: true)
    }

    private func checkPartialFit() throws {
        try ParameterValidator(estimator: "MLPClassifier").validate(parameters, regressor: false)
        if !parameters.solver.isStochastic {
            throw MLPError.partialFit("partial_fit is only available for stochastic optimizers. \(parameters.solver.rawValue) is not stochastic.")
        }
        // As sklearn's SGDClassifier.partial_fit: each call sees one batch, whose class counts are not the data's,
        // so 'balanced' would weigh every batch differently (and a class missing from a batch not at all).
        if parameters.classWeight == .balanced {
            throw MLPError.partialFit("class_weight 'balanced' is not supported for partial_fit: each call sees one "
                + "batch, not the class frequencies of the data. Compute the weights from the full training labels "
                + "(ClassWeight.balancedWeights(for:), sklearn's compute_class_weight) and pass them as .perClass.")
        }
    }

    private func train(_ x: Matrix<T>, labels: [ClassLabel]?, indicator: Matrix<T>?, sampleWeight: [T]?,
                       incremental: Bool) throws {
        let p = parameters
        try ParameterValidator(estimator: "MLPClassifier").validate(p, regressor: false)
        let firstPass = !engine.isFitted || (!p.warmStart && !incremental)
        try InputValidation.checkX(x, estimator: "MLPClassifier", expectedFeatures: firstPass ? nil : nFeaturesIn)
        try InputValidation.checkSampleWeight(sampleWeight, rows: x.rows)

        // _validate_input: (re)define classes_ or check them against the previous fit.
        let targets: [T]
        var targetLayout = TargetLayout.rows
        var classIndex: [Int]? = nil
        if let labels {
            try InputValidation.checkLength(labels.count, rows: x.rows, what: "y")
            try LabelBinarizer.checkDiscrete(labels)
            if binarizer == nil || binarizer!.targetType == .multilabelIndicator || (!p.warmStart && !incremental) {
                let fitted = try LabelBinarizer(fitting: labels)
                if fitted.classes.count < 2 { throw MLPError.singleClass(fitted.classes[0]) }
                binarizer = fitted
            } else {
                let seen = LabelEncoder.distinctSorted(labels)
                if p.warmStart && seen != binarizer!.classes {
                    throw MLPError.warmStartClassesChanged(previous: binarizer!.classes, now: seen)
                }
                if binarizer!.classes.count < 2 { throw MLPError.singleClass(binarizer!.classes[0]) }
            }
            // Class indices only where something reads them (n Ints kept through training otherwise).
            let stratifies = p.earlyStopping && (binarizer!.targetType == .binary || p.stratifyValidationSplit == true)
            if classWeight != nil || stratifies { classIndex = try binarizer!.indices(of: labels) }
            // Indices are stored as T: exact up to 2^24 classes in Float (one-hot rows beyond, never in practice).
            if binarizer!.targetType == .multiclass && binarizer!.classes.count <= 1 << (T.significandBitCount + 1) {
                // One class index per row instead of n × n_classes one-hot rows: the same loss and gradient.
                targets = try classIndex.map { $0.map { T($0) } } ?? binarizer!.indices(of: labels, as: T.self)
                targetLayout = .classIndices
            } else {
                targets = try binarizer!.transform(labels, as: T.self)
            }
        } else {
            let y = indicator!
            try InputValidation.checkStorage(y, what: "y")
            try Self.checkIndicatorColumns(y)
            try InputValidation.checkLength(y.rows, rows: x.rows, what: "y")
            if y.storage.contains(where: { $0 != 0 && $0 != 1 }) {
                throw MLPError.invalidParameter("A multilabel target must be an indicator matrix of 0 and 1.")
            }
            if binarizer == nil || (!p.warmStart && !incremental) {
                binarizer = LabelBinarizer(multilabelCount: y.columns)
            } else if binarizer!.targetType != .multilabelIndicator || binarizer!.classes.count != y.columns {
                throw MLPError.warmStartClassesChanged(previous: binarizer!.classes,
                                                       now: (0..<y.columns).map { ClassLabel($0) })
            }
            targets = y.storage
        }
        let b = binarizer!
        engine.kind = .classifier(b.targetType)

        var weights = sampleWeight
        if let classWeight {
            weights = try Self.applyClassWeight(classWeight, binarizer: b, classIndex: classIndex,
                                                sampleWeight: sampleWeight, rows: x.rows)
        }
        // sklearn stratifies when the binarized y has one column (binary); optionally multiclass too.
        let stratify: [Int]?
        switch b.targetType {
        case .binary: stratify = classIndex
        case .multiclass: stratify = p.stratifyValidationSplit == true ? classIndex : nil
        case .multilabelIndicator: stratify = nil
        }
        try engine.fit(p, x: x, targets: targets, targetLayout: targetLayout, outputs: b.outputCount, sampleWeight: weights,
                       incremental: incremental, firstPass: firstPass,
                       outputActivation: b.targetType == .multiclass ? .softmax : .logistic,
                       loss: b.targetType == .multiclass ? .logLoss : .binaryLogLoss,
                       stratifyLabels: stratify, stratifyClasses: b.classes, onEpoch: onEpoch)
        nFeaturesIn = x.columns
    }

    /// A multilabel target needs at least one label column (a network needs at least one output).
    private static func checkIndicatorColumns(_ y: Matrix<T>) throws {
        if y.columns == 0 {
            throw MLPError.emptyData("Found array with 0 label(s) (shape=(\(y.rows), 0)) while a minimum of 1 is required by MLPClassifier: a multilabel y needs at least one column.")
        }
    }

    /// `fit` on rows that `train` streams to the engine (`MLPPipeline.fitStreamed`): the classes are set before
    /// training and `n_features_in_` after it, as `fit` sets them, so a fit that throws (a divergence) leaves this
    /// classifier as a failed `fit` would: the loss curve, the stop reason and the last finite weights.
    func fitStreamed(_ binarizer: LabelBinarizer, featureCount: Int,
                     train: (PerceptronEngine<T>) throws -> Void) throws {
        self.binarizer = binarizer
        engine.kind = .classifier(binarizer.targetType)
        try train(engine)
        nFeaturesIn = featureCount
    }

    /// sklearn's `compute_class_weight` → per-sample weights, multiplied into `sampleWeight`.
    static func applyClassWeight(_ classWeight: ClassWeight, binarizer: LabelBinarizer, classIndex: [Int]?,
                                 sampleWeight: [T]?, rows: Int) throws -> [T] {
        guard let classIndex else {
            throw MLPError.invalidClassWeight("class_weight is not supported for multilabel targets.")
        }
        let perClass = try perClassWeights(classWeight, classes: binarizer.classes) {
            var counts = [Double](repeating: 0, count: binarizer.classes.count)
            for (r, c) in classIndex.enumerated() { counts[c] += sampleWeight.map { Double($0[r]) } ?? 1 }
            return counts
        }
        let weights = (0..<rows).map { r in (sampleWeight?[r] ?? 1) * T(perClass[classIndex[r]]) }
        if !weights.contains(where: { $0 > 0 }) {
            throw MLPError.invalidClassWeight("class_weight weighs every training row 0 (with sample_weight), so the "
                + "weighted loss is 0/0; give a class of y a positive weight.")
        }
        return weights
    }

    /// sklearn's `compute_class_weight`: one weight per class of `classes`. `counts` (each class's rows, or summed
    /// sample weights) is asked for by `balanced` only: n / (classes present × count).
    static func perClassWeights(_ classWeight: ClassWeight, classes: [ClassLabel],
                                counts: () throws -> [Double]) throws -> [Double] {
        var perClass = [Double](repeating: 1, count: classes.count)
        switch classWeight {
        case .balanced:
            perClass = ClassWeight.balanced(counts: try counts())
        case .perClass(let map):
            let unknown = map.keys.filter { !classes.contains($0) }.sorted()
            if !unknown.isEmpty {
                throw MLPError.invalidClassWeight("class_weight names classes not in y: \(MLPError.list(unknown)).")
            }
            for (label, w) in map {
                guard w.isFinite, w >= 0 else {
                    throw MLPError.invalidClassWeight("class_weight for \(label) must be a finite number ≥ 0, got \(w).")
                }
                perClass[classes.firstIndex(of: label)!] = w
            }
            if !perClass.contains(where: { $0 > 0 }) {
                throw MLPError.invalidClassWeight("class_weight gives every class weight 0, so every training row weighs "
                    + "0 and the weighted loss is 0/0; give at least one class a positive weight.")
            }
        }
        return perClass
    }

    // MARK: Prediction

    private func outputs(_ x: Matrix<T>) throws -> Matrix<T> {
        guard let network = engine.network else { throw MLPError.notFitted("MLPClassifier") }
        try checkRestored(network)
        try InputValidation.checkX(x, estimator: "MLPClassifier", expectedFeatures: nFeaturesIn)
        return network.predict(x)
    }

    /// A classifier restored from parts (`init(parameters:network:classes:targetType:)`) predicts only when they
    /// agree: a parameter buffer of the network's length, and classes that name each output. A fitted one always does.
    func checkRestored(_ network: Network<T>) throws {
        try network.checkParameterCount(owner: "MLPClassifier")
        guard let binarizer, !binarizer.classes.isEmpty else {
            throw MLPError.invalidParameter("MLPClassifier was restored without valid classes (distinct, finite labels); "
                + "its network has \(network.outputCount) output(s).")
        }
        guard binarizer.outputCount == network.outputCount else {
            throw MLPError.invalidParameter("MLPClassifier's network has \(network.outputCount) output(s), but its "
                + "\(binarizer.classes.count) classes \(MLPError.list(binarizer.classes)) need \(binarizer.outputCount) "
                + "(\(binarizer.targetType.rawValue)).")
        }
    }

    /// `predict`: the most likely class of each row (binary and multiclass targets).
    /// - Parameter x: the samples, (n, nFeatures).
    /// - Returns: one label per row, from `classes`.
    /// - Throws: `MLPError.notFitted` before fit; `.emptyData`, `.featureCountMismatch`, `.nonFiniteInput` for bad `x`,
    ///   `MLPError.invalidParameter` for a classifier fitted on a multilabel target.
    public func predict(_ x: Matrix<T>) throws -> [ClassLabel] {
        let out = try outputs(x)
        let b = binarizer!
        if b.targetType == .multilabelIndicator {
            throw MLPError.invalidParameter("This classifier was fitted on a multilabel target; use predictMultilabel(_:).")
        }
        return out.storage.withUnsafeBufferPointer { b.inverseTransform($0, rows: out.rows) }
    }

    /// `predict` for multilabel targets: the indicator matrix (n, nLabels), 1 where the probability is > 0.5.
    /// - Parameter x: the samples, (n, nFeatures).
    /// - Returns: the indicator matrix, 0 or 1 per entry.
    /// - Throws: `MLPError.notFitted` before fit; `.emptyData`, `.featureCountMismatch`, `.nonFiniteInput` for bad `x`.
    public func predictMultilabel(_ x: Matrix<T>) throws -> Matrix<T> {
        var out = try outputs(x)
        for i in out.storage.indices { out.storage[i] = out.storage[i] > 0.5 ? 1 : 0 }
        return out
    }

    /// `predict_proba`: (n, nClasses) in the order of `classes`. Binary: [1 − p, p]. Multilabel: the
    /// independent sigmoid of each label (rows need not sum to 1).
    /// - Parameter x: the samples, (n, nFeatures).
    /// - Returns: the probabilities, (n, nClasses).
    /// - Throws: `MLPError.notFitted` before fit; `.emptyData`, `.featureCountMismatch`, `.nonFiniteInput` for bad `x`.
    public func predictProbabilities(_ x: Matrix<T>) throws -> Matrix<T> {
        let out = try outputs(x)
        guard out.columns == 1 else { return out }
        var proba = Matrix<T>(rows: out.rows, columns: 2)
        for r in 0..<out.rows {
            proba[r, 0] = 1 - out.storage[r]
            proba[r, 1] = out.storage[r]
        }
        return proba
    }

    /// `predict_log_proba`: log of `predictProbabilities`.
    /// - Parameter x: the samples, (n, nFeatures).
    /// - Returns: the log-probabilities, (n, nClasses).
    /// - Throws: `MLPError.notFitted` before fit; `.emptyData`, `.featureCountMismatch`, `.nonFiniteInput` for bad `x`.
    public func predictLogProbabilities(_ x: Matrix<T>) throws -> Matrix<T> {
        var proba = try predictProbabilities(x)
        for i in proba.storage.indices { proba.storage[i] = T.log(proba.storage[i]) }
        return proba
    }

    /// `score`: mean accuracy (weighted by `sampleWeight`).
    /// - Parameters:
    ///   - x: the samples, (n, nFeatures).
    ///   - y: the true label of each sample.
    ///   - sampleWeight: one weight per sample, or nil for equal weights.
    /// - Returns: the fraction of samples predicted correctly, in [0, 1].
    /// - Throws: the errors of `predict`, and `MLPError.inconsistentLength` when `y` or `sampleWeight` has the
    ///   wrong count.
    public func score(_ x: Matrix<T>, _ y: [ClassLabel], sampleWeight: [T]? = nil) throws -> Double {
        let predicted = try predict(x)
        try InputValidation.checkLength(y.count, rows: x.rows, what: "y")
        try InputValidation.checkSampleWeight(sampleWeight, rows: x.rows)
        return try ClassificationMetrics.accuracy(y, predicted, sampleWeight: sampleWeight?.map { Double($0) })
    }

    /// `score` for multilabel targets: subset accuracy (a row counts when every label is right).
    /// - Parameters:
    ///   - x: the samples, (n, nFeatures).
    ///   - y: the true indicator matrix, (n, nLabels).
    ///   - sampleWeight: one weight per sample, or nil for equal weights.
    /// - Returns: the fraction of rows with every label right, in [0, 1].
    /// - Throws: `MLPError.notFitted` before fit; `.emptyData`, `.featureCountMismatch`, `.nonFiniteInput` for bad `x`;
    ///   `MLPError.invalidParameter` for a classifier fitted on labels or a `y` not all 0 and 1;
    ///   `MLPError.inconsistentLength` when `y` has the wrong row or label count; `MLPError.invalidSampleWeight` and
    ///   the other errors of `sampleWeight`'s check in `fit`.
    public func score(_ x: Matrix<T>, multilabel y: Matrix<T>, sampleWeight: [T]? = nil) throws -> Double {
        let out = try outputs(x)
        if let type = targetType, type != .multilabelIndicator {
            throw MLPError.invalidParameter("This classifier was fitted on a \(type.rawValue) target; use score(_:_:) with its labels.")
        }
        try InputValidation.checkStorage(y, what: "y")
        try InputValidation.checkLength(y.rows, rows: x.rows, what: "y")
        if y.columns != out.columns {
            throw MLPError.inconsistentLength("y has \(y.columns) labels, but MLPClassifier was fitted with \(out.columns).")
        }
        if y.storage.contains(where: { $0 != 0 && $0 != 1 }) {
            throw MLPError.invalidParameter("A multilabel target must be an indicator matrix of 0 and 1.")
        }
        try InputValidation.checkSampleWeight(sampleWeight, rows: x.rows)
        return PerceptronEngine<T>.score(kind: .classifier(.multilabelIndicator), outputs: out, targets: y.storage,
                                         weights: sampleWeight)
    }
}
