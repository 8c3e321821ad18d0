import MLPCore
import MLPKernels
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The question's network, rebuilt on the library: a 2-h-1 sigmoid net trained full-batch on the ten seed points,
/// with the gradient SUMMED over the samples (not averaged), stopping when the error first falls below the goal.
///
/// Each iteration: forward pass on the current weights → error E → (report, stop if E < goal) → one update.
/// So "Goal reached after N iterations" means N updates were made before the weights whose error is below the goal.
public struct SeedExperiment: Sendable {
    /// The loss whose gradient drives the update (`--loss`).
    public enum LossChoice: String, CaseIterable, Codable, Sendable {
        /// The question's: delta = (ŷ − y) · ŷ(1 − ŷ), the gradient of ½ Σ (ŷ − y)².
        case squared
        /// Log-loss: delta = ŷ − y (the sigmoid derivative cancels).
        case log
    }

    /// The update rule (`--optimizer`).
    public enum OptimizerChoice: String, CaseIterable, Codable, Sendable {
        /// w ← w − η g
        case gd
        /// v ← μ v − η g;  w ← w + v
        case momentum
        /// scikit-learn's Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8) on the summed gradient.
        case adam
    }

    /// How the initial weights are drawn.
    public enum InitChoice: String, CaseIterable, Codable, Sendable {
        /// The question's `2 * random(shape) - 1`: weights_1, weights_2, bias_1, bias_2.
        case question
        /// scikit-learn's Glorot-uniform draws.
        case glorot
    }

    /// Standardize the inputs first (`sklearn.preprocessing.scale`).
    public var scale = false
    /// The loss whose gradient drives the update; the question's squared error by default.
    public var loss = LossChoice.squared
    /// The update rule; plain gradient descent by default.
    public var optimizer = OptimizerChoice.gd
    /// The step size η (scikit-learn's `learning_rate_init`); the question's 0.5 by default.
    public var learningRate = 0.5
    /// The momentum μ of `.momentum` (scikit-learn's `momentum`).
    public var momentum = 0.9
    /// The seed of the NumPy-compatible generator that draws the initial weights (scikit-learn's `random_state`).
    public var randomState: UInt32 = 1
    /// The number of hidden units.
    public var hidden = 3
    /// Training stops once the error Σ (y − ŷ)² falls below this.
    public var goal = 0.001
    /// The most updates to make before giving up (scikit-learn's `max_iter`).
    public var maxIterations = 1_000_000
    /// How the initial weights are drawn; the question's uniform [−1, 1) by default.
    public var initialization = InitChoice.question
    /// Average the gradient over the samples, as scikit-learn does, instead of the question's sum.
    public var meanGradient = false
    /// The code that trains the network (`--engine`).
    public enum Engine: String, CaseIterable, Codable, Sendable {
        /// An engine with numpy's roundings (glibc's exp, OpenBLAS's summation order), so the question's chaotic
        /// iteration counts come out as numpy's. Where libm is glibc and the CPU has AVX2+FMA, the 40 sigmoids of an
        /// iteration go through a 4-lane copy of glibc's `__exp_fma`, bit for bit (about 0.1 µs per iteration).
        case numpy
        /// The same engine with the sigmoids batched through the library's vectorized logistic, a few ulp away from
        /// glibc's exp: on raw inputs its chaotic counts land near numpy's rather than on them. As fast as `numpy`
        /// now that numpy's exp is vectorized; kept for machines where the exact exp falls back to scalar calls.
        case fast
        /// The general library path: `Network` + `Backpropagation` + an optimizer over the flat buffer.
        case library
    }

    /// The code that trains the network; `numpy`, which reproduces the question's iteration counts, by default.
    public var engine = Engine.numpy
    /// L2 penalty strength (scikit-learn's `alpha`); the question has none.
    public var l2Penalty = 0.0

    /// Creates the question's experiment: raw inputs, squared error, gradient descent with lr 0.5, 3 hidden units,
    /// goal 0.001, random state 1.
    public init() {}

    /// The error compared with the goal, whatever the loss: the question's Σ (y − ŷ)². With `--loss log` the
    /// update follows log-loss but the goal stays on this error, which reproduces the thread's 64,331 iterations.
    /// - Parameters:
    ///   - predicted: the network's outputs, `count` of them.
    ///   - targets: the targets, `count` of them.
    ///   - count: the number of values.
    /// - Returns: Σ (y − ŷ)² (summed, not averaged).
    public static func error(predicted: UnsafePointer<Double>, targets: UnsafePointer<Double>, count: Int) -> Double {
        var total = 0.0
        for i in 0..<count { total += (targets[i] - predicted[i]) * (targets[i] - predicted[i]) }
        return total
    }

    /// Runs the experiment until the error falls below the goal, the iteration cap is reached, or training diverges.
    /// - Parameter report: receives (iteration, error) every 1000 iterations, as the question prints; nil for none.
    /// - Returns: the outcome and the trained network.
    public func run(report: ((Int, Double) -> Void)? = nil) -> SeedResult {
        var inputs = SeedData.inputs
        if scale {
            var scaler = StandardScaler()
            inputs = try! scaler.fitTransform(inputs)  // the seed data's four rows: fitting cannot throw
        }
        var random = NumPyRandomState(seed: randomState)
        var network = Network<Double>(layerSizes: [2, hidden, 1], hiddenActivation: .logistic, outputActivation: .logistic)
        switch initialization {
        case .question: Initializer.uniformMinusOneToOne.initialize(&network, using: &random)
        case .glorot: Initializer.glorotUniform.initialize(&network, using: &random)
        }
        let count = network.parameters.count
        if engine != .library { return runNumpyEngine(&network, inputs: inputs, report: report) }
        switch optimizer {
        case .gd:
            var method = GradientDescent<Double>(learningRate: learningRate)
            return train(&network, inputs: inputs, optimizer: &method, report: report)
        case .momentum:
            var method = MomentumSGD<Double>(parameterCount: count, learningRate: learningRate, momentum: momentum,
                                             nesterov: false)
            return train(&network, inputs: inputs, optimizer: &method, report: report)
        case .adam:
            var method = Adam<Double>(parameterCount: count, learningRate: learningRate)
            return train(&network, inputs: inputs, optimizer: &method, report: report)
        }
    }

    private func runNumpyEngine(_ network: inout Network<Double>, inputs: Matrix<Double>,
                                report: ((Int, Double) -> Void)?) -> SeedResult {
        let options = SeedNetworkKernel.Options(
            hidden: hidden, loss: loss == .squared ? .squaredError : .logLoss,
            optimizer: optimizer == .gd ? .gradientDescent : optimizer == .momentum ? .momentum : .adam,
            learningRate: learningRate, momentum: momentum, goal: goal, maxIterations: maxIterations,
            normalizer: meanGradient ? Double(inputs.rows) : 1, l2: l2Penalty, vectorExp: engine == .fast)
        let capacity = maxIterations / 1000 + 1
        var errors = [Double](repeating: .nan, count: capacity)
        let start = DispatchTime.now().uptimeNanoseconds
        let outcome = SeedNetworkKernel.train(x: inputs.storage, y: SeedData.targets.storage,
                                              parameters: &network.parameters, options: options, errors: &errors)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if let report {
            // Errors were recorded at i = 0, 1000, ... up to the goal, or up to the last pass before the cap.
            let run = outcome.iterationsRun
            let recorded = outcome.reached != nil ? run / 1000 + 1 : (run + 999) / 1000
            for k in 0..<min(capacity, recorded) { report(k * 1000, errors[k]) }
        }
        return summarize(network, inputs: inputs, reached: outcome.reached, iterations: outcome.iterationsRun,
                         error: outcome.finalError, minimumError: outcome.minimumError, diverged: outcome.diverged,
                         seconds: seconds)
    }

    private func train<O: StochasticOptimizer<Double>>(
        _ network: inout Network<Double>, inputs: Matrix<Double>, optimizer: inout O,
        report: ((Int, Double) -> Void)?
    ) -> SeedResult {
        let rows = inputs.rows
        let targets = SeedData.targets
        let workspace = Backpropagation<Double>(layerSizes: network.layerSizes, maxRows: rows,
                                                hiddenActivation: .logistic, outputActivation: .logistic)
        let lossFunction: Loss = loss == .squared ? .sumOfSquares : .binaryLogLoss
        let normalizer = meanGradient ? Double(rows) : 1
        var gradient = [Double](repeating: 0, count: network.parameters.count)
        var reached: Int?
        var error = Double.nan
        var diverged = false
        var minimumError = Double.infinity
        // The last finite parameters, copied in place each iteration so the loop allocates nothing.
        var lastGood = network.parameters
        // The workspace allocates its buffers once: the output pointer is the same for every pass.
        let outputs = workspace.lastOutputs
        let start = DispatchTime.now().uptimeNanoseconds
        var iteration = 0
        inputs.storage.withUnsafeBufferPointer { x in
            targets.storage.withUnsafeBufferPointer { y in
                while true {
                    _ = gradient.withUnsafeMutableBufferPointer { g in
                        workspace.lossAndGradient(network, input: x.baseAddress!, target: y.baseAddress!, rows: rows,
                                                  sampleWeights: nil, loss: lossFunction, alpha: l2Penalty,
                                                  normalizer: normalizer, gradient: g.baseAddress!)
                    }
                    error = Self.error(predicted: outputs, targets: y.baseAddress!, count: rows)
                    if !error.isFinite || !network.isFinite {
                        network.parameters = lastGood
                        diverged = true
                        break
                    }
                    if iteration == maxIterations { break }
                    minimumError = Swift.min(minimumError, error)
                    if iteration % 1000 == 0 { report?(iteration, error) }
                    if error < goal { reached = iteration; break }
                    network.parameters.withUnsafeMutableBufferPointer { p in
                        lastGood.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: p.baseAddress!, count: p.count) }
                        gradient.withUnsafeBufferPointer { g in optimizer.update(p, gradient: g) }
                    }
                    iteration += 1
                }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return summarize(network, inputs: inputs, reached: reached, iterations: iteration, error: error,
                         minimumError: minimumError, diverged: diverged, seconds: seconds)
    }

    private func summarize(_ network: Network<Double>, inputs: Matrix<Double>, reached: Int?, iterations: Int,
                           error: Double, minimumError: Double, diverged: Bool, seconds: Double) -> SeedResult {
        let predicted = network.predict(inputs)
        // After a divergence the weights are the last finite ones: report their error, not the non-finite one.
        let error = diverged
            ? predicted.storage.withUnsafeBufferPointer { p in
                SeedData.targets.storage.withUnsafeBufferPointer { y in
                    Self.error(predicted: p.baseAddress!, targets: y.baseAddress!, count: p.count)
                }
            }
            : error
        var hiddenNetwork = Network<Double>(layerSizes: [2, hidden], hiddenActivation: .logistic, outputActivation: .logistic)
        hiddenNetwork.setCoefficients(network.coefficients(ofLayer: 0), ofLayer: 0)
        hiddenNetwork.setIntercepts(network.intercepts(ofLayer: 0), ofLayer: 0)
        let hiddenOutputs = hiddenNetwork.predict(inputs).storage
        let saturated = Double(hiddenOutputs.filter { $0 * (1 - $0) < 0.01 }.count) / Double(hiddenOutputs.count)
        return SeedResult(iterationsToGoal: reached, iterationsRun: iterations, finalError: error,
                          minimumError: minimumError, saturatedFraction: saturated, diverged: diverged, network: network, probabilities: predicted.storage,
                          targets: SeedData.targets.storage, seconds: seconds)
    }
}

/// What one run of the seed network produced.
public struct SeedResult: Sendable {
    /// Updates made before the error first fell below the goal, or nil if it never did.
    public let iterationsToGoal: Int?
    /// Updates made in all.
    public let iterationsRun: Int
    /// The error of the final weights.
    public let finalError: Double
    /// The lowest error seen on the way: far below `finalError` means the run oscillated.
    public let minimumError: Double
    /// The share of hidden activations over the ten points whose slope σ' = z(1 − z) is below 0.01.
    public let saturatedFraction: Double
    /// Whether training stopped because the error or a weight became NaN or infinite.
    public let diverged: Bool
    /// The network after training (the last finite weights if training diverged).
    public let network: Network<Double>
    /// The network's outputs for the ten inputs.
    public let probabilities: [Double]
    /// The ten targets, in the order of `probabilities`.
    public let targets: [Double]
    /// Wall time of the training loop.
    public let seconds: Double

    /// Whether the error fell below the goal.
    public var converged: Bool { iterationsToGoal != nil }
    /// The largest gap between two of the network's outputs: near zero when it predicts the same for every point.
    public var outputSpread: Double { (probabilities.max() ?? 0) - (probabilities.min() ?? 0) }
    /// Microseconds per iteration (forward, backward and update).
    public var microsecondsPerIteration: Double { seconds * 1e6 / Double(max(iterationsRun, 1)) }
}
