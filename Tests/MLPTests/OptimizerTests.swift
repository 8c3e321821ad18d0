import MLPTestSupport
import Testing
@testable import MLPCore

/// One to three steps of each optimizer against scikit-learn's own optimizer classes, then against the closed form.
struct OptimizerTests {
    struct Case: Decodable { let name: String; let initial: [Double]; let gradients: [[Double]]; let after: [[Double]] }
    struct Reference: Decodable { let optimizers: [Case] }

    func optimizer(named name: String, count: Int) -> any StochasticOptimizer<Double> {
        switch name {
        case "sgd_plain": return MomentumSGD<Double>(parameterCount: count, learningRate: 0.1, momentum: 0, nesterov: false)
        case "sgd_momentum": return MomentumSGD<Double>(parameterCount: count, learningRate: 0.1, momentum: 0.9, nesterov: false)
        case "sgd_nesterov": return MomentumSGD<Double>(parameterCount: count, learningRate: 0.1, momentum: 0.9, nesterov: true)
        default: return Adam<Double>(parameterCount: count, learningRate: 0.01)
        }
    }

    @Test func stepsMatchScikitLearnOptimizers() throws {
        let reference = try FixtureFiles.decode("core_reference.json", in: "MLPTests", as: Reference.self)
        #expect(reference.optimizers.count == 4)
        for c in reference.optimizers {
            var parameters = c.initial
            var method = optimizer(named: c.name, count: parameters.count)
            for (step, gradient) in c.gradients.enumerated() {
                method.update(&parameters, gradient: gradient)
                assertClose(parameters, c.after[step], relative: 1e-15, absolute: 1e-16, "\(c.name) step \(step + 1)")
            }
        }
    }

    @Test func plainGradientDescentIsThetaMinusEtaG() {
        var parameters = [1.0, -2.0, 0.5]
        var method = GradientDescent<Double>(learningRate: 0.5)
        method.update(&parameters, gradient: [0.2, -0.4, 1.0])
        #expect(parameters == [1.0 - 0.5 * 0.2, -2.0 + 0.5 * 0.4, 0.5 - 0.5 * 1.0])
    }

    @Test func firstAdamStepMovesEachWeightByTheLearningRate() {
        // m = (1−β₁)g, v = (1−β₂)g², η₁ = η√(1−β₂)/(1−β₁), so the first step is −η·g/(|g| + ε/√(1−β₂)):
        // about η·sign(g), with ε outside the bias correction as in scikit-learn.
        var parameters = [0.0, 0.0]
        var method = Adam<Double>(parameterCount: 2, learningRate: 0.01)
        let gradient = [3.0, -0.001]
        method.update(&parameters, gradient: gradient)
        for i in 0..<2 {
            let expected = -0.01 * gradient[i] / (abs(gradient[i]) + 1e-8 / (1 - 0.999).squareRoot())
            #expect(abs(parameters[i] - expected) < 1e-15)
        }
        #expect(method.timeStep == 1)
    }

    @Test func classicalMomentumAccumulatesVelocity() {
        var parameters = [0.0]
        var method = MomentumSGD<Double>(parameterCount: 1, learningRate: 0.1, momentum: 0.9, nesterov: false)
        method.update(&parameters, gradient: [1])  // v = −0.1
        method.update(&parameters, gradient: [1])  // v = 0.9·(−0.1) − 0.1 = −0.19
        #expect(abs(parameters[0] - (-0.1 - 0.19)) < 1e-15)
    }

    @Test func invscalingSetsTheRateFromTheSamplesSeen() {
        var method = MomentumSGD<Double>(parameterCount: 1, learningRate: 0.1, schedule: .invscaling, powerT: 0.5)
        method.iterationEnds(samplesSeen: 99)  // η₀ / (99 + 1)^0.5
        #expect(method.learningRate == 0.1 / 10)
        method.iterationEnds(samplesSeen: 399)
        #expect(method.learningRate == 0.1 / 20)
        var constant = MomentumSGD<Double>(parameterCount: 1, learningRate: 0.1)
        constant.iterationEnds(samplesSeen: 99)
        #expect(constant.learningRate == 0.1)
    }

    @Test func adaptiveDividesTheRateByFiveUntilItIsTooSmall() {
        var method = MomentumSGD<Double>(parameterCount: 1, learningRate: 1e-5, schedule: .adaptive)
        let stopped1 = method.triggerStopping("stalled.", verbose: false)
        #expect(!stopped1)
        #expect(method.learningRate == 1e-5 / 5)
        let stopped2 = method.triggerStopping("stalled.", verbose: false)
        #expect(!stopped2)
        #expect(method.learningRate == 1e-5 / 5 / 5)
        let stopped3 = method.triggerStopping("stalled.", verbose: false)
        #expect(stopped3)  // 4e-7 ≤ 1e-6
        #expect(method.learningRate == 1e-5 / 5 / 5)
    }

    @Test func constantScheduleAndAdamStopAtOnce() {
        var sgd = MomentumSGD<Double>(parameterCount: 1, learningRate: 0.1, schedule: .constant)
        let stopped4 = sgd.triggerStopping("stalled.", verbose: false)
        #expect(stopped4)
        #expect(sgd.learningRate == 0.1)
        var adam = Adam<Double>(parameterCount: 1, learningRate: 0.1)
        adam.iterationEnds(samplesSeen: 1000)
        #expect(adam.learningRate == 0.1)
        let stopped5 = adam.triggerStopping("stalled.", verbose: false)
        #expect(stopped5)
    }
}
