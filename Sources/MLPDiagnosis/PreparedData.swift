import MLPCore

/// The diagnosis's fixed split: training rows (at most `maxTrainingRows`) and held-out rows, every run scored on
/// the same held-out rows so that ablations differ only in what they change.
struct PreparedData {
    var trainX: Matrix<Double>
    var validationX: Matrix<Double>
    var trainTarget: [Double]
    var validationTarget: [Double]
    /// Classification: class indices as labels; nil for regression.
    var trainClasses: [Int]?
    var validationClasses: [Int]?
    var classCount: Int

    var isRegression: Bool { trainClasses == nil }

    init(_ input: DiagnosisInput, seed: Int) throws {
        let rows = input.features.rows
        var rng = NumPyRandomState(seed: seed)
        var stratify: [Int]?
        if case .classes(let indices, _) = input.target {
            // Stratify only when every class can appear on both sides.
            var counts = [Int: Int]()
            for i in indices { counts[i, default: 0] += 1 }
            if counts.values.allSatisfy({ $0 >= 2 }) { stratify = indices }
        }
        var split = try trainTestSplitIndices(count: rows, testFraction: input.validationFraction,
                                              stratify: stratify, using: &rng)
        if split.train.count > input.maxTrainingRows { split.train = Array(split.train.prefix(input.maxTrainingRows)) }
        trainX = input.features.rows(at: split.train)
        validationX = input.features.rows(at: split.test)
        switch input.target {
        case .classes(let indices, let names):
            trainClasses = split.train.map { indices[$0] }
            validationClasses = split.test.map { indices[$0] }
            trainTarget = trainClasses!.map(Double.init)
            validationTarget = validationClasses!.map(Double.init)
            classCount = names.count
        case .values(let values):
            trainTarget = split.train.map { values[$0] }
            validationTarget = split.test.map { values[$0] }
            classCount = 0
        }
    }

    /// Training and held-out features scaled as `scaling` says, fitted on the training rows.
    func scaled(_ scaling: InputScaling) -> (train: Matrix<Double>, validation: Matrix<Double>) {
        switch scaling {
        case .none: return (trainX, validationX)
        case .standard:
            var scaler = StandardScaler()
            scaler.fit(trainX)
            return (scaler.transform(trainX), scaler.transform(validationX))
        case .minmax:
            var scaler = MinMaxScaler()
            scaler.fit(trainX)
            return (scaler.transform(trainX), scaler.transform(validationX))
        }
    }
}
