import MLPCore

/// One fold of the diagnosis's K-fold split: training rows (at most `maxTrainingRows`) and held-out rows. Random
/// state i trains on fold i mod K, so that every row is held out once and a fix's runs pair with the baseline's
/// runs on the same rows.
struct PreparedData {
    var trainX: Matrix<Double>
    var validationX: Matrix<Double>
    /// Row-major (rows, `targetWidth`): the class index, the values or the label indicators of each row.
    var trainTarget: [Double]
    var validationTarget: [Double]
    /// Values per row in the targets: 1 for class indices and one regression target.
    var targetWidth: Int
    /// Classification of one label column: class indices; nil for regression and multilabel targets.
    var trainClasses: [Int]?
    var validationClasses: [Int]?
    /// Classes of a label column; 0 for regression and multilabel targets.
    var classCount: Int
    var isRegression: Bool
    /// A multilabel indicator matrix: one logistic output per label.
    var isMultilabel: Bool

    /// The classification metric's groups (balanced accuracy is their mean recall): each class, or for a multilabel
    /// target each label's 0 rows then its 1 rows (the mean is then the labels' mean balanced accuracy).
    var recallGroupCount: Int { isMultilabel ? 2 * targetWidth : classCount }

    /// A classifier's chance score, what a failed run scores: balanced accuracy 1/k over k classes, and ½ for a
    /// multilabel target (predicting one value of each label throughout).
    var chance: Double { isMultilabel ? 0.5 : 1 / Double(max(classCount, 1)) }

    /// The network's outputs: one per regression target or label, one logistic output for two classes, else one per
    /// class.
    var outputCount: Int { isRegression || isMultilabel ? targetWidth : (classCount > 2 ? classCount : 1) }

    /// The K folds. Class indices are stratified: each class's rows, in a seeded random order, dealt to the folds in
    /// turn. Other targets are not (several values, or an indicator matrix, which scikit-learn's `check_cv` splits by
    /// KFold too): the rows in the same seeded order, dealt in turn.
    static func folds(_ input: DiagnosisInput, count: Int, seed: Int) throws -> [PreparedData] {
        let rows = input.features.rows
        guard rows >= 2 * count else { throw DiagnosisError.cannotSplit(rows: rows, folds: count) }
        var rng = NumPyRandomState(seed: seed)
        let order = rng.permutation(rows)
        var fold = [Int](repeating: 0, count: rows)
        if case .classes(let indices, _) = input.target {
            var dealt = [Int: Int]()
            // Deal each class's rows in turn, continuing where the previous class stopped so folds stay even.
            var next = 0
            for c in Set(indices).sorted() {
                dealt[c] = next
                for r in order where indices[r] == c {
                    fold[r] = dealt[c]! % count
                    dealt[c]! += 1
                }
                next = dealt[c]! % count
            }
        } else {
            for (position, r) in order.enumerated() { fold[r] = position % count }
        }
        return (0..<count).map { k in
            let validation = order.filter { fold[$0] == k }
            let train = Array(order.filter { fold[$0] != k }.prefix(input.maxTrainingRows))
            return PreparedData(input, train: train, validation: validation)
        }
    }

    init(_ input: DiagnosisInput, train: [Int], validation: [Int]) {
        trainX = input.features.rows(at: train)
        validationX = input.features.rows(at: validation)
        let target = input.target
        let storage = target.storage, width = target.width
        targetWidth = width
        trainTarget = train.flatMap { storage[($0 * width)..<(($0 + 1) * width)] }
        validationTarget = validation.flatMap { storage[($0 * width)..<(($0 + 1) * width)] }
        isRegression = target.isRegression
        isMultilabel = false
        classCount = 0
        switch target {
        case .classes(let indices, let names):
            trainClasses = train.map { indices[$0] }
            validationClasses = validation.map { indices[$0] }
            classCount = names.count
        case .labelIndicators: isMultilabel = true
        case .values, .valueColumns: break
        }
    }

    /// Training and held-out features scaled as `scaling` says, fitted on the training rows.
    func scaled(_ scaling: InputScaling) throws -> (train: Matrix<Double>, validation: Matrix<Double>) {
        switch scaling {
        case .none: return (trainX, validationX)
        case .standard:
            var scaler = StandardScaler()
            try scaler.fit(trainX)
            return (try scaler.transform(trainX), try scaler.transform(validationX))
        case .minmax:
            var scaler = MinMaxScaler()
            try scaler.fit(trainX)
            return (try scaler.transform(trainX), try scaler.transform(validationX))
        }
    }

    /// The training target's per-column mean and population standard deviation (what `--scale-target standard`
    /// standardizes each column by).
    var trainTargetMoments: (mean: [Double], std: [Double]) {
        Statistics.columnMoments(trainTarget, rows: trainTarget.count / max(targetWidth, 1), columns: targetWidth)
    }
}
