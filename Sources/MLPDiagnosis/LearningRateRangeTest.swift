import MLPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The learning-rate range test (Smith 2017; fastai's `lr_find`): minibatch steps with a step size growing
/// exponentially from `minimumRate` to `maximumRate`, from a fresh Glorot initialization, with the user's optimizer.
struct LearningRateRangeTest {
    /// The step size of each recorded batch.
    var rates: [Double] = []
    /// The smoothed loss after each batch (exponential moving average, bias-corrected).
    var losses: [Double] = []
    /// The rate at the smoothed loss's minimum, divided by 10 (fastai's `lr_min`).
    var minimumOverTen: Double = .nan
    /// The rate where the smoothed loss falls fastest per log-step (fastai's `lr_steep`).
    var steepest: Double = .nan
    /// The rate at which the loss blew up and the test stopped: non-finite, or smoothed above both 4× its best
    /// (fastai's stop: no noise at tiny steps gets there) and the untrained network's loss (its first value: the
    /// report's own sign of an unstable loss, "climbs above its start"). nil when it reached `maximumRate`.
    var blowUpRate: Double?
    /// How many recorded batches fastai's stop (smoothed loss above 4× its best) leaves to the suggestions: a loss
    /// four times its best is no minimum, but not yet divergence either, so the test goes on to find the ceiling.
    var suggestionCount = 0

    /// The largest step the test measured without the loss blowing up: steps above it were measured to make the
    /// network worse than untrained (or to diverge), or (above `maximumRate`) never measured at all.
    var ceiling: Double { blowUpRate ?? Self.maximumRate }

    static let minimumRate = 1e-7, maximumRate = 10.0, steps = 200
    /// fastai's stop: a smoothed loss above this many times its best so far is no longer near a minimum.
    static let stopFactor = 4.0
    /// The short test a tight budget runs instead: a quarter of the cost, still about six steps per decade.
    static let shortSteps = 50

    /// The moving average's memory: 0.4 of a decade of rates (ten of the full test's steps), under half a decade so
    /// that the minimum does not lag into the blow-up, whatever the step count.
    static func smoothing(steps: Int) -> Double {
        let perDecade = Double(steps) / log10(maximumRate / minimumRate)
        return 1 - 1 / max(0.4 * perDecade, 1)
    }

    /// Runs of the test, each from its own initialization and batch order: one run's ceiling is one draw (iris at
    /// Adam's step 10: from 0.57 to 10 over twelve seeds), so the run with the median ceiling gives the ceiling, the
    /// suggestions and the curve.
    static let runs = 3

    /// What `runs` tests of `steps` minibatches will take, from the probe's measurements (256 rows each):
    /// minibatches of at most 128 rows cost about half of one. No measurement (the network failed at once) projects
    /// nothing, not NaN, so the test still runs.
    static func projectedSeconds(_ probed: [ProbeMeasurement], steps: Int = steps) -> Double {
        probed.isEmpty ? 0 : Double(runs * steps) / 2 * Statistics.median(probed.map(\.seconds))
    }

    /// The steps of the test that fits `seconds`: the full one, else the short one, else none (nil).
    static func stepsFitting(_ seconds: Double, probed: [ProbeMeasurement]) -> Int? {
        [steps, shortSteps].first { projectedSeconds(probed, steps: $0) <= seconds }
    }

    /// `runs` tests from seeds `seed`, `seed + 1`, …, and the one among them with the median ceiling.
    static func median(parameters: MLPParameters, layerSizes: [Int], outputActivation: Activation, x: Matrix<Double>,
                       target: [Double], targetWidth: Int = 1, seed: UInt64, steps: Int = Self.steps)
        -> LearningRateRangeTest {
        let tests = (0..<UInt64(runs)).map { offset in
            LearningRateRangeTest(parameters: parameters, layerSizes: layerSizes, outputActivation: outputActivation,
                                  x: x, target: target, targetWidth: targetWidth, seed: seed &+ offset, steps: steps)
        }
        return tests.sorted { $0.ceiling < $1.ceiling }[runs / 2]
    }

    /// Runs the test on `x` (already scaled as the user's run scales it) and `target` (`targetWidth` values per row,
    /// in `ProbePass`'s layout: a class index, or the outputs' values or indicators).
    init(parameters: MLPParameters, layerSizes: [Int], outputActivation: Activation, x: Matrix<Double>,
         target: [Double], targetWidth: Int = 1, seed: UInt64, steps: Int = Self.steps) {
        let smoothing = Self.smoothing(steps: steps)
        var generator = SplitMix64(seed: seed)
        var network = Network<Double>(layerSizes: layerSizes, hiddenActivation: parameters.activation,
                                      outputActivation: outputActivation)
        // scikit-learn's Glorot uniform bounds (`Initializer.glorotUniform`), drawn from this test's own generator.
        let factor = parameters.activation == .logistic ? 2.0 : 6.0
        for l in 0..<network.layerCount {
            let bound = (factor / Double(layerSizes[l] + layerSizes[l + 1])).squareRoot()
            for i in network.weightRange(ofLayer: l) { network.parameters[i] = generator.uniform(-bound, bound) }
            for i in network.biasRange(ofLayer: l) { network.parameters[i] = generator.uniform(-bound, bound) }
        }
        let batch = min(parameters.batchSize ?? 200, 128, x.rows)
        let count = network.parameters.count
        // The user's optimizer; only its step changes, batch by batch.
        var adam = parameters.solver == .adam
            ? Adam<Double>(parameterCount: count, learningRate: Self.minimumRate, beta1: parameters.beta1,
                           beta2: parameters.beta2, epsilon: parameters.epsilon) : nil
        var sgd = MomentumSGD<Double>(parameterCount: adam == nil ? count : 0, learningRate: Self.minimumRate,
                                      momentum: parameters.momentum, nesterov: parameters.nesterovsMomentum)
        var order = Array(0..<x.rows), cursor = x.rows
        var average = 0.0, best = Double.infinity
        for step in 0..<steps {
            let rate = Self.minimumRate * pow(Self.maximumRate / Self.minimumRate, Double(step) / Double(steps - 1))
            if cursor + batch > x.rows {
                order.shuffle(using: &generator)
                cursor = 0
            }
            let rows = Array(order[cursor..<(cursor + batch)])
            cursor += batch
            let pass = ProbePass(network, x: x.rows(at: rows).storage, rows: batch,
                                 target: rows.flatMap { target[($0 * targetWidth)..<(($0 + 1) * targetWidth)] },
                                 alpha: parameters.alpha)
            guard pass.loss.isFinite else {
                blowUpRate = rate
                break
            }
            average = smoothing * average + (1 - smoothing) * pass.loss
            let smoothed = average / (1 - pow(smoothing, Double(step + 1)))
            rates.append(rate)
            losses.append(smoothed)
            best = min(best, smoothed)
            if smoothed > max(Self.stopFactor * best, losses[0]) {
                blowUpRate = rate
                break
            }
            network.parameters.withUnsafeMutableBufferPointer { p in
                pass.gradient.withUnsafeBufferPointer { g in
                    let apply = { (update: ParameterUpdate<Double>) in
                        update.apply(to: 0..<count, parameters: p.baseAddress!, gradient: g.baseAddress!)
                    }
                    if adam != nil {
                        adam!.learningRateInit = rate
                        adam!.withUpdateStep(apply)
                    } else {
                        sgd.learningRate = rate
                        sgd.withUpdateStep(apply)
                    }
                }
            }
        }
        (suggestionCount, minimumOverTen, steepest) = Self.suggestions(rates: rates, losses: losses)
    }

    /// fastai's suggestions from a recorded curve, taken from the batches before the smoothed loss first exceeds 4×
    /// its best so far (`count`): the rate at their lowest loss over ten, and the rate where the loss falls fastest up
    /// to that lowest point. NaN for an empty curve.
    static func suggestions(rates: [Double], losses: [Double]) -> (count: Int, minimumOverTen: Double, steepest: Double) {
        var count = losses.count, best = Double.infinity
        for (i, loss) in losses.enumerated() {
            best = min(best, loss)
            if loss > stopFactor * best { count = i; break }
        }
        guard let lowest = losses.indices.prefix(count).min(by: { losses[$0] < losses[$1] }) else { return (count, .nan, .nan) }
        var steepestIndex = 0, steepestSlope = Double.infinity
        for i in 1..<max(lowest + 1, 1) where i < losses.count {
            let slope = losses[i] - losses[i - 1]
            if slope < steepestSlope { steepestSlope = slope; steepestIndex = i }
        }
        return (count, rates[lowest] / 10, rates[steepestIndex])
    }
}
