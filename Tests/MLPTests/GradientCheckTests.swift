import Foundation
import MLPTestSupport
import Testing
@testable import MLPCore

/// Finite-difference checks of backprop: central differences with ε = 1e-5 in Double, for every hidden activation
/// and every (output activation, loss) pair, with 1–3 hidden layers and 1–3 outputs.
struct GradientCheckTests {
    struct OutputPair: CustomTestStringConvertible, Sendable {
        let activation: Activation
        let loss: Loss
        var testDescription: String { "\(activation.rawValue)+\(loss.rawValue)" }
    }

    static let outputPairs: [OutputPair] = [
        .init(activation: .identity, loss: .sumOfSquares),
        .init(activation: .identity, loss: .squaredError),
        .init(activation: .logistic, loss: .binaryLogLoss),
        .init(activation: .softmax, loss: .logLoss),
        .init(activation: .exp, loss: .poisson),
        // Non-canonical pairs, where the delta carries the output activation's derivative (the question's case).
        .init(activation: .logistic, loss: .sumOfSquares),
        .init(activation: .tanh, loss: .squaredError),
        .init(activation: .softmax, loss: .sumOfSquares),
    ]

    static let hiddenActivations: [Activation] = Activation.allCases.filter { $0 != .softmax && $0 != .exp }

    @Test(arguments: hiddenActivations, outputPairs)
    func backpropMatchesCentralDifferences(hidden: Activation, output: OutputPair) throws {
        for hiddenLayers in 1...3 {
            for outputs in 1...3 {
                let seed = UInt32(hiddenLayers * 10 + outputs)
                let worst = relativeGradientError(hidden: hidden, output: output, hiddenLayers: hiddenLayers,
                                                  outputs: outputs, seed: seed)
                #expect(worst <= 1e-6, "hidden layers \(hiddenLayers), outputs \(outputs): relative error \(worst)")
            }
        }
    }

    /// Returns ‖g_backprop − g_numeric‖ / max(‖g_backprop‖, ‖g_numeric‖), and records any element that breaks
    /// |a − n| ≤ 1e-7 + 1e-5·|n|.
    func relativeGradientError(hidden: Activation, output: OutputPair, hiddenLayers: Int, outputs: Int,
                               seed: UInt32) -> Double {
        var random = NumPyRandomState(seed: seed)
        let rows = 5, inputs = 4
        let sizes = [inputs] + Array(repeating: 6, count: hiddenLayers) + [outputs]
        var network = Network<Double>(layerSizes: sizes, hiddenActivation: hidden, outputActivation: output.activation)
        Initializer.glorotUniform.initialize(&network, using: &random)
        let x = random.uniform(low: -1, high: 1, count: rows * inputs)
        let target = makeTargets(for: output, rows: rows, outputs: outputs, using: &random)
        let weights = random.uniform(low: 0.5, high: 2, count: rows)
        let alpha = 1e-3, normalizer = weights.reduce(0, +)
        let workspace = Backpropagation<Double>(layerSizes: sizes, maxRows: rows, hiddenActivation: hidden,
                                                outputActivation: output.activation)

        func objective(_ candidate: Network<Double>) -> Double {
            var scratch = [Double](repeating: 0, count: candidate.parameters.count)
            let data = workspace.lossAndGradient(candidate, input: x, target: target, rows: rows,
                                                 sampleWeights: weights, loss: output.loss, alpha: alpha,
                                                 normalizer: normalizer, gradient: &scratch)
            return (data + 0.5 * alpha * candidate.squaredWeightNorm) / normalizer
        }

        var analytic = [Double](repeating: 0, count: network.parameters.count)
        _ = workspace.lossAndGradient(network, input: x, target: target, rows: rows, sampleWeights: weights,
                                      loss: output.loss, alpha: alpha, normalizer: normalizer, gradient: &analytic)
        let epsilon = 1e-5
        var numeric = analytic
        for i in network.parameters.indices {
            var plus = network, minus = network
            plus.parameters[i] += epsilon
            minus.parameters[i] -= epsilon
            numeric[i] = (objective(plus) - objective(minus)) / (2 * epsilon)
        }
        assertClose(analytic, numeric, relative: 1e-5, absolute: 1e-7,
                    "\(hidden.rawValue) → \(output.testDescription), \(hiddenLayers) hidden, \(outputs) outputs")
        let difference = zip(analytic, numeric).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        let scale = max(analytic.map { $0 * $0 }.reduce(0, +).squareRoot(), numeric.map { $0 * $0 }.reduce(0, +).squareRoot())
        return scale == 0 ? difference : difference / scale
    }

    func makeTargets(for output: OutputPair, rows: Int, outputs: Int, using random: inout NumPyRandomState) -> [Double] {
        switch output.loss {
        case .binaryLogLoss:
            return random.randomSample(count: rows * outputs).map { $0 < 0.5 ? 0 : 1 }
        case .logLoss:
            var y = [Double](repeating: 0, count: rows * outputs)
            for r in 0..<rows { y[r * outputs + random.randint(outputs)] = 1 }
            return y
        case .poisson:
            return random.randint(low: 0, high: 4, count: rows * outputs).map(Double.init)
        case .sumOfSquares, .squaredError:
            return random.uniform(low: -1, high: 1, count: rows * outputs)
        }
    }
}
