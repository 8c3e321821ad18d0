import MLPCore

/// One fold of the diagnosis's K-fold split: training rows (at most `maxTrainingRows`) and held-out rows. Random
/// state i trains on fold i mod K, so that every row is held out once and a fix's runs pair with the baseline's
/// runs on the same rows.
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

    /// The K folds, stratified by class: each class's rows, in a seeded random order, dealt to the folds in turn.
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
        switch input.target {
        case .classes(let indices, let names):
            trainClasses = train.map { indices[$0] }
            validationClasses = validation.map { indices[$0] }
            trainTarget = trainClasses!.map(Double.init)
            validationTarget = validationClasses!.map(Double.init)
            classCount = names.count
        case .values(let values):
            trainTarget = train.map { values[$0] }
            validationTarget = validation.map { values[$0] }
            classCount = 0
        }
    }

    /// Training and held-out features scaled as `scaling` says, fitted on the training rows.
    func scaled(_ scaling: InputScaling) throws -> (train: Matrix<Double>, validation: Matrix<Double>) {
        switch scaling {
        case .none: return (trainX, validationX)
        case .standard:
            var scaler = StandardScaler()
            try scaler.fit(trainX)
            return (scaler.transform(trainX), scaler.transform(validationX))
        case .minmax:
            var scaler = MinMaxScaler()
            try scaler.fit(trainX)
            return (scaler.transform(trainX), scaler.transform(validationX))
        }
    }
}
