import CMLPKernels

/// The question's network (10 rows, 2 inputs, `hidden` sigmoid units, 1 sigmoid output) trained full batch with
/// numpy's roundings: glibc's exp and OpenBLAS's (Haswell) summation order for the products (`seed_network.c`).
/// The `mlp seed` engine that reproduces the question's numbers; MLPSeed reaches the C loop only through here.
package enum SeedNetworkKernel {
    /// The error and its output delta.
    package enum Loss: Int32 {
        /// Squared error, delta (y2 − y) y2 (1 − y2): the question's.
        case squaredError = 0
        /// Log-loss, delta y2 − y.
        case logLoss = 1
    }

    /// The update rule.
    package enum Optimizer: Int32 {
        case gradientDescent = 0
        case momentum = 1
        /// scikit-learn's form of Adam.
        case adam = 2
    }

    /// How to train.
    package struct Options {
        package var hidden: Int
        package var loss: Loss
        package var optimizer: Optimizer
        package var learningRate: Double
        package var momentum: Double
        package var beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8
        /// Training stops once the error falls below it.
        package var goal: Double
        package var maxIterations: Int
        /// 1 for the question's summed gradient; the row count for a mean.
        package var normalizer: Double
        /// scikit-learn's alpha: weight gradients get + l2 · w before the division.
        package var l2: Double
        /// Batches the sigmoids through the vectorized logistic: faster, not numpy's roundings.
        package var vectorExp: Bool

        package init(hidden: Int, loss: Loss, optimizer: Optimizer, learningRate: Double, momentum: Double,
                     goal: Double, maxIterations: Int, normalizer: Double, l2: Double, vectorExp: Bool) {
            self.hidden = hidden
            self.loss = loss
            self.optimizer = optimizer
            self.learningRate = learningRate
            self.momentum = momentum
            self.goal = goal
            self.maxIterations = maxIterations
            self.normalizer = normalizer
            self.l2 = l2
            self.vectorExp = vectorExp
        }
    }

    /// What a run did.
    package struct Outcome {
        /// Updates made.
        package let iterationsRun: Int
        /// Updates made before the error first fell below the goal; nil when it never did.
        package let reached: Int?
        /// The error of the returned parameters.
        package let finalError: Double
        /// The lowest error seen.
        package let minimumError: Double
        /// The error or a parameter became NaN or infinite (the last finite parameters are kept).
        package let diverged: Bool
    }

    /// Trains `parameters` in place.
    /// - Parameters:
    ///   - x: the 10 × 2 inputs, row-major.
    ///   - y: the 10 targets.
    ///   - parameters: [w1 (2 × hidden, row-major) | w2 (hidden) | b1 (hidden) | b2], 4 · hidden + 1 values.
    ///   - options: how to train.
    ///   - errors: receives the error at iterations 0, 1000, 2000, … while there is room.
    /// - Returns: what the run did.
    package static func train(x: [Double], y: [Double], parameters: inout [Double], options: Options,
                              errors: inout [Double]) -> Outcome {
        precondition(parameters.count == 4 * options.hidden + 1 && y.count == 10 && x.count == 20,
                     "the seed network takes the question's 10 rows and 4 · hidden + 1 parameters")
        var cOptions = mlp_seed_options(
            hidden: Int32(options.hidden), loss: options.loss.rawValue, optimizer: options.optimizer.rawValue,
            learning_rate: options.learningRate, momentum: options.momentum, beta1: options.beta1,
            beta2: options.beta2, epsilon: options.epsilon, goal: options.goal,
            max_iterations: Int64(options.maxIterations), normalizer: options.normalizer, l2: options.l2,
            vector_exp: options.vectorExp ? 1 : 0)
        var scratch = [Double](repeating: 0, count: 3 * parameters.count)
        let capacity = Int64(errors.count)
        let result = mlp_seed_train(x, y, &parameters, &cOptions, &errors, capacity, &scratch)
        return Outcome(iterationsRun: Int(result.iterations_run),
                       reached: result.reached >= 0 ? Int(result.reached) : nil, finalError: result.final_error,
                       minimumError: result.minimum_error, diverged: result.diverged != 0)
    }
}
