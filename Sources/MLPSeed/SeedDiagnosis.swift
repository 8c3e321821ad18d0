import MLPCore
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Answers "why does my network need that many more epochs?" by measurement: the posted network, each fix alone,
/// the fixes combined and scikit-learn's recipe, each over several random states. Every sentence of the verdict
/// is computed from the measured rows; none is written in advance.
public struct SeedDiagnosis: Sendable {
    /// One configuration of the seed network to measure.
    public struct Variant: Sendable {
        /// The group a variant belongs to (its raw value is how the group is written in prose).
        public enum Kind: String, Sendable {
            /// The network as posted in the question.
            case posted
            /// The posted network with one change.
            case singleFix = "single fix"
            /// The posted network with another gradient-descent step size.
            case learningRate = "learning rate"
            /// The posted network with several changes.
            case combined
            /// scikit-learn's `MLPClassifier` recipe.
            case scikitLearn = "scikit-learn"
        }
        /// A short description of the change, shown in the table.
        public let name: String
        /// The group the variant belongs to.
        public let kind: Kind
        /// The experiment to run (its random state is set per run).
        public let experiment: SeedExperiment
    }

    /// The measured runs of one variant, one per random state.
    public struct Row: Sendable {
        /// The variant measured.
        public let variant: Variant
        /// One result per random state, in `randomStates` order.
        public let results: [SeedResult]
        /// The number of runs that reached the goal.
        public var converged: Int { results.filter(\.converged).count }
        /// The number of runs stopped by a NaN or infinite error or weight.
        public var diverged: Int { results.filter(\.diverged).count }
        /// Median iterations to the goal over the runs that reached it.
        public var medianIterations: Double? { median(results.compactMap(\.iterationsToGoal).map(Double.init)) }
        /// The training time of all runs together, in seconds.
        public var seconds: Double { results.map(\.seconds).reduce(0, +) }
        /// Runs that ended with the same output (within 0.05) for every point: saturated, the gradient vanished.
        public var flat: Int { results.filter { !$0.converged && !$0.diverged && $0.outputSpread < 0.05 }.count }
        /// Runs whose final error ended more than ten times above their best: oscillation, not slow descent.
        public var oscillating: Int { results.filter { !$0.converged && !$0.diverged && $0.finalError > 10 * $0.minimumError }.count }
    }

    /// The experiment whose goal, hidden size and iteration cap every variant shares.
    public let base: SeedExperiment
    /// The random states each variant runs with: 1 through the number of runs.
    public let randomStates: [UInt32]

    /// Creates a diagnosis; nothing runs until `measure()`.
    /// - Parameters:
    ///   - base: the experiment whose goal and hidden size the variants take.
    ///   - runs: the number of random states per variant (at least 1).
    ///   - maxIterations: the iteration cap of every run (replaces `base.maxIterations`).
    public init(base: SeedExperiment = SeedExperiment(), runs: Int = 20, maxIterations: Int = 300_000) {
        var base = base
        base.maxIterations = maxIterations
        self.base = base
        self.randomStates = (1...UInt32(runs)).map { $0 }
    }

    /// The variants, posted first.
    public var variants: [Variant] {
        func make(_ name: String, _ kind: Variant.Kind, _ change: (inout SeedExperiment) -> Void) -> Variant {
            var experiment = SeedExperiment()
            experiment.goal = base.goal
            experiment.hidden = base.hidden
            experiment.maxIterations = base.maxIterations
            change(&experiment)
            return Variant(name: name, kind: kind, experiment: experiment)
        }
        return [
            make("posted: raw inputs, squared error, GD lr 0.5", .posted) { _ in },
            make("scaled inputs", .singleFix) { $0.scale = true },
            make("log-loss, lr 0.05", .singleFix) { $0.loss = .log; $0.learningRate = 0.05 },
            make("log-loss, lr 0.5", .singleFix) { $0.loss = .log },
            make("momentum 0.9, lr 0.5", .singleFix) { $0.optimizer = .momentum },
            make("momentum 0.9, lr 0.05", .singleFix) { $0.optimizer = .momentum; $0.learningRate = 0.05 },
            make("Adam, lr 0.01", .singleFix) { $0.optimizer = .adam; $0.learningRate = 0.01 },
            make("GD lr 0.1", .learningRate) { $0.learningRate = 0.1 },
            make("GD lr 1", .learningRate) { $0.learningRate = 1 },
            make("GD lr 2", .learningRate) { $0.learningRate = 2 },
            make("GD lr 5", .learningRate) { $0.learningRate = 5 },
            make("scaled + log-loss lr 0.05", .combined) { $0.scale = true; $0.loss = .log; $0.learningRate = 0.05 },
            make("scaled + momentum 0.9 lr 0.5", .combined) { $0.scale = true; $0.optimizer = .momentum },
            make("scaled + Adam lr 0.1", .combined) { $0.scale = true; $0.optimizer = .adam; $0.learningRate = 0.1 },
            make("scaled + log-loss + Adam lr 0.1", .combined) {
                $0.scale = true; $0.loss = .log; $0.optimizer = .adam; $0.learningRate = 0.1
            },
            make("MLPClassifier recipe: Glorot, log-loss, Adam lr 0.001, mean gradient, alpha 1e-4", .scikitLearn) {
                $0.initialization = .glorot; $0.loss = .log; $0.optimizer = .adam; $0.learningRate = 0.001
                $0.meanGradient = true; $0.l2Penalty = 1e-4
            },
        ]
    }

    /// Runs every variant at every random state, spreading the runs over the cores.
    /// - Returns: one row per variant, in `variants` order.
    public func measure() -> [Row] {
        let variants = self.variants
        let jobs = variants.indices.flatMap { v in randomStates.indices.map { (v, $0) } }
        // Each job writes only its own slot.
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<SeedResult?>.allocate(capacity: jobs.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let states = randomStates
        DispatchQueue.concurrentPerform(iterations: jobs.count) { j in
            var experiment = variants[jobs[j].0].experiment
            experiment.randomState = states[jobs[j].1]
            results[j] = experiment.run()
        }
        return variants.indices.map { v in
            Row(variant: variants[v], results: (0..<randomStates.count).map { results[v * randomStates.count + $0]! })
        }
    }

    /// Plain sentences drawn from the measured rows.
    /// - Parameter rows: the rows from `measure()`.
    /// - Returns: the verdict, one sentence per entry; empty when no row is the posted variant.
    public static func verdict(_ rows: [Row]) -> [String] {
        guard let posted = rows.first(where: { $0.variant.kind == .posted }) else { return [] }
        let runs = posted.results.count
        var sentences: [String] = []
        func speedup(_ row: Row) -> Double? {
            guard let base = posted.medianIterations, let mine = row.medianIterations, mine > 0 else { return nil }
            return base / mine
        }
        func iterations(_ value: Double?) -> String { value.map { formatCount($0) } ?? "—" }

        if let base = posted.medianIterations {
            sentences.append("The posted network needs a median of \(formatCount(base)) iterations and reaches the goal in \(posted.converged) of \(runs) runs.")
        } else {
            sentences.append("The posted network never reached the goal within the iteration cap in \(runs) runs.")
        }
        let fixes = rows.filter { $0.variant.kind == .singleFix && $0.converged == runs }
        if let best = fixes.max(by: { (speedup($0) ?? 0) < (speedup($1) ?? 0) }), let s = speedup(best) {
            sentences.append("The fix that matters most on its own is \(best.variant.name): \(iterations(best.medianIterations)) iterations, \(formatRatio(s)) fewer than posted.")
        }
        if let scaled = rows.first(where: { $0.variant.name == "scaled inputs" }), let s = speedup(scaled) {
            let x = SeedData.inputs.storage
            sentences.append("Scaling the inputs alone changes the median by \(formatRatio(s)) (\(iterations(scaled.medianIterations)) iterations): the raw inputs lie between \(format2(x.min()!)) and \(format2(x.max()!)), all of one sign and far from zero, which pushes the hidden sigmoids toward saturation.")
        }
        let complete = rows.filter { $0.converged == runs }
        if let fastest = complete.min(by: { ($0.medianIterations ?? .infinity) < ($1.medianIterations ?? .infinity) }),
           let s = speedup(fastest) {
            sentences.append("The fastest variant that always converges is \(fastest.variant.name): \(iterations(fastest.medianIterations)) iterations, \(formatRatio(s)) fewer than posted.")
        }
        for row in rows where row.converged < runs && row.variant.kind != .posted {
            var reason: String
            if row.diverged > 0 {
                reason = "\(row.diverged) run\(row.diverged == 1 ? "" : "s") diverged to NaN or infinity"
            } else if row.flat > 0 {
                let stuck = median(row.results.filter { !$0.converged }.map(\.finalError)) ?? .nan
                let saturated = median(row.results.filter { !$0.converged }.map(\.saturatedFraction)) ?? .nan
                let output = median(row.results.filter { !$0.converged }.map { $0.probabilities.reduce(0, +) / Double($0.probabilities.count) }) ?? .nan
                reason = "in \(row.flat) run\(row.flat == 1 ? "" : "s") the network ended predicting about \(String(printf: "%.2f", output)) for every point (error \(String(printf: "%.3g", stuck))) with \(String(printf: "%.0f%%", 100 * saturated)) of its hidden activations saturated (σ' < 0.01), so the gradient vanished"
            } else if row.oscillating > 0 {
                let stuck = median(row.results.filter { !$0.converged }.map(\.finalError)) ?? .nan
                let best = median(row.results.filter { !$0.converged }.map(\.minimumError)) ?? .nan
                reason = "the error fell to \(String(printf: "%.3g", best)) and then climbed back to \(String(printf: "%.3g", stuck)) in \(row.oscillating) run\(row.oscillating == 1 ? "" : "s"): the step overshoots and oscillates"
            } else {
                let stuck = median(row.results.filter { !$0.converged }.map(\.finalError)) ?? .nan
                reason = "the error was still \(String(printf: "%.3g", stuck)) (median) when the \(formatCount(Double(row.variant.experiment.maxIterations)))-iteration cap stopped it"
            }
            sentences.append("\(row.variant.name) reached the goal in only \(row.converged) of \(runs) runs: \(reason).")
        }
        let sweep = rows.filter { $0.variant.kind == .learningRate || $0.variant.kind == .posted }
        if let bestRate = sweep.filter({ $0.converged == runs }).min(by: { ($0.medianIterations ?? .infinity) < ($1.medianIterations ?? .infinity) }) {
            sentences.append("Among plain gradient-descent step sizes on raw inputs, \(bestRate.variant.name == posted.variant.name ? "the posted lr 0.5" : bestRate.variant.name) is fastest while converging in every run (\(iterations(bestRate.medianIterations)) iterations).")
        }
        if let recipe = rows.first(where: { $0.variant.kind == .scikitLearn }) {
            if let m = recipe.medianIterations {
                let stepRatio = posted.variant.experiment.learningRate / recipe.variant.experiment.learningRate
                sentences.append("scikit-learn's recipe reaches the goal in \(recipe.converged) of \(runs) runs with a median of \(formatCount(m)) epochs\(speedup(recipe).map { " (\(formatRatio($0)) against posted)" } ?? "") on raw inputs, with a step \(formatCount(stepRatio)) times smaller than the posted one.")
            } else {
                sentences.append("scikit-learn's recipe at its default lr 0.001 did not reach the goal within the cap in any run: its averaged gradient and small step trade speed for stability.")
            }
        }
        return sentences
    }
}

func format2(_ value: Double) -> String { String(printf: "%.1f", value) }

func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

func formatCount(_ value: Double) -> String {
    let rounded = Int(value.rounded())
    let digits = String(rounded)
    var result = ""
    for (i, c) in digits.reversed().enumerated() {
        if i > 0 && i % 3 == 0 { result.append(",") }
        result.append(c)
    }
    return String(result.reversed())
}

func formatRatio(_ value: Double) -> String {
    value >= 10 ? String(printf: "%.0f×", value) : String(printf: "%.1f×", value)
}
