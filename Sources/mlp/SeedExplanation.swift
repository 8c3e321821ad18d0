import Foundation
import ArgumentParser
import MLP

/// Placeholder until the explanation lands (next commit).
struct SeedExplanation {
    let base: SeedExperiment
    let runs: Int
    let maxIterations: Int
    func printReport() throws {}
}
extension SeedExperiment.LossChoice: ExpressibleByArgument {}
extension SeedExperiment.OptimizerChoice: ExpressibleByArgument {}
