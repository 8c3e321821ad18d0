import Foundation
@testable import MLPCore
import MLPTestSupport
import Testing

// Weights that make the weighted loss meaningless: negative sample weights, weights that are 0 on every training row,
// and a minibatch whose weights sum to 0. Each is an MLPError that says so, never a divergence.

/// Three classes of 20 rows each, in class order: x = class + a small offset.
func threeSortedClasses() -> (x: Matrix<Double>, y: [ClassLabel]) {
    let rows = 60
    var storage: [Double] = []
    for r in 0..<rows {
        let offset: Double = Double(r % 7) / 10
        storage += [Double(r / 20) + offset, Double(r % 5) / 5]
    }
    return (Matrix<Double>(rows: rows, columns: 2, storage: storage), (0..<rows).map { ClassLabel($0 / 20) })
}

func smallClassifier(_ solver: Solver = .adam, shuffle: Bool = true, batchSize: Int? = nil,
                        classWeight: ClassWeight? = nil) -> MLPClassifier<Double> {
    var p = MLPParameters()
    p.hiddenLayerSizes = [5]
    p.maxIter = 5
    p.randomState = 0
    p.solver = solver
    p.shuffle = shuffle
    p.batchSize = batchSize
    return MLPClassifier<Double>(parameters: p, classWeight: classWeight)
}

/// The description of the MLPError `body` throws ("" when it throws none, or another error).
func mlpErrorDescription(_ body: () throws -> Void) -> String {
    do { try body() } catch let error as MLPError { return error.description } catch { return "\(error)" }
    return ""
}

@Suite struct ZeroWeightTests {
    @Test(arguments: [Solver.adam, .lbfgs])
    func allZeroSampleWeightsAreRefusedInScikitLearnsWords(solver: Solver) {
        let (x, y) = threeSortedClasses()
        let message = mlpErrorDescription {
            try smallClassifier(solver).fit(x, y, sampleWeight: [Double](repeating: 0, count: x.rows))
        }
        #expect(message == "Sample weights must contain at least one non-zero number.")
        let regressor = MLPRegressor<Double>(parameters: smallClassifier(solver).parameters)
        let regression = mlpErrorDescription {
            try regressor.fit(x, (0..<x.rows).map(Double.init), sampleWeight: [Double](repeating: 0, count: x.rows))
        }
        #expect(regression == "Sample weights must contain at least one non-zero number.")
    }

    @Test func negativeSampleWeightsAreRefused() {
        let (x, y) = threeSortedClasses()
        var weights = [Double](repeating: 1, count: x.rows)
        weights[7] = -0.5
        let message = mlpErrorDescription { try smallClassifier().fit(x, y, sampleWeight: weights) }
        #expect(message.contains("non-negative") && message.contains("sample_weight[7] is -0.5"), "\(message)")
    }

    @Test(arguments: [Solver.adam, .sgd, .lbfgs])
    func classWeightsOfZeroForEveryClassAreAnInputError(solver: Solver) {
        let (x, y) = threeSortedClasses()
        let weights = ClassWeight.perClass([ClassLabel(0): 0, ClassLabel(1): 0, ClassLabel(2): 0])
        let message = mlpErrorDescription { try smallClassifier(solver, classWeight: weights).fit(x, y) }
        #expect(message.hasPrefix("class_weight gives every class weight 0"), "\(message)")
        #expect(!message.contains("diverged"))
    }

    @Test func classAndSampleWeightsThatTogetherWeighEveryRowZeroAreRefused() {
        let (x, y) = threeSortedClasses()
        let weights = ClassWeight.perClass([ClassLabel(0): 0, ClassLabel(1): 0])
        let sample = (0..<x.rows).map { $0 < 40 ? 1.0 : 0.0 }  // class 2 weighted 0 by the sample weights
        let message = mlpErrorDescription { try smallClassifier(classWeight: weights).fit(x, y, sampleWeight: sample) }
        #expect(message.hasPrefix("class_weight weighs every training row 0"), "\(message)")
    }

    @Test func aMinibatchWhoseWeightsSumToZeroStopsBeforeItsStep() throws {
        let (x, y) = threeSortedClasses()
        // Unshuffled batches of 20 rows: the first holds class 0 only, weighted 0.
        let clf = smallClassifier(shuffle: false, batchSize: 20, classWeight: .perClass([ClassLabel(0): 0]))
        let message = mlpErrorDescription { try clf.fit(x, y) }
        #expect(message.contains("minibatch of 20 rows") && message.contains("sum to 0"), "\(message)")
        #expect(!message.contains("diverged"))
        let network = try #require(clf.network)
        #expect(network.isFinite)
    }
}
