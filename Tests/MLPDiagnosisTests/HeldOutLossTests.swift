#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MLPCore
import Testing
@testable import MLPDiagnosis

@Suite struct HeldOutLossTests {
    /// −log of the true class's probability, clipped at ε as training's log loss is, averaged over rows; a class the
    /// model never saw costs what a probability of 0 does, −log ε.
    @Test func aClassifiersLossIsTheTrueClassLogLoss() {
        let probabilities = Matrix(rows: 3, columns: 2, storage: [0.9, 0.1, 0.2, 0.8, 1, 0])
        let expected = -(log(0.9) + log(0.8) + log(Double.ulpOfOne)) / 3
        let loss = HeldOutLoss.classes(probabilities: probabilities, truths: [0, 1, 1], columns: [0, 1])
        #expect(abs(loss - expected) < 1e-12, "\(loss) vs \(expected)")
        let unseen = HeldOutLoss.classes(probabilities: Matrix(rows: 3, columns: 2, storage: [0.9, 0.1, 0.2, 0.8, 0.5, 0.5]),
                                         truths: [0, 1, 7], columns: [0, 1])
        #expect(abs(unseen - expected) < 1e-12, "\(unseen) vs \(expected)")
        #expect(HeldOutLoss.classes(probabilities: probabilities, truths: [0, 1], columns: [0, 1]).isNaN)
    }
}
