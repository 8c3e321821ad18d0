import ArgumentParser
import Foundation
import MLP
import MLPSeed

/// Prints the `--explain` table and verdict.
struct SeedExplanation {
    let base: SeedExperiment
    let runs: Int
    let maxIterations: Int

    func printReport() throws {
        let diagnosis = SeedDiagnosis(base: base, runs: runs, maxIterations: maxIterations)
        print("Why does the question's network need so many epochs? \(runs) random states per variant, goal \(format(base.goal)), cap \(maxIterations) iterations.")
        print("")
        let rows = diagnosis.measure()
        let posted = rows.first?.medianIterations
        let header = ["variant", "median iterations", "converged", "wall time", "speed-up"]
        let body: [[String]] = rows.map { row in
            let median = row.medianIterations
            let speedup = zip(posted, median).map { String(format: "%.1f×", $0 / $1) } ?? "—"
            return [row.variant.name, median.map { String(Int($0.rounded())) } ?? "—",
                    "\(row.converged)/\(row.results.count)", String(format: "%.3f s", row.seconds), speedup]
        }
        let widths = header.indices.map { c in ([header[c]] + body.map { $0[c] }).map(\.count).max()! }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, cell in
                c == 0 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                       : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  ")
        }
        print(line(header))
        print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        body.forEach { print(line($0)) }
        print("")
        print("Speed-up is the posted median over the variant's median iterations; wall time sums all runs.")
        print("")
        for sentence in SeedDiagnosis.verdict(rows) { print("- " + sentence) }
    }
}

extension SeedExperiment.LossChoice: ExpressibleByArgument {}
extension SeedExperiment.OptimizerChoice: ExpressibleByArgument {}
extension SeedExperiment.Engine: ExpressibleByArgument {}

private func zip(_ a: Double?, _ b: Double?) -> (Double, Double)? {
    guard let a, let b, b > 0 else { return nil }
    return (a, b)
}
