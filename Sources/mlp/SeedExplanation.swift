import ArgumentParser
import Foundation
import MLP
import MLPDiagnosis
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
        printFindings(SeedDiagnosis.findings(rows))
    }

    /// The same measurements as `mlp diagnose` findings: id, severity, fix, measured effect, evidence.
    private func printFindings(_ findings: [Finding]) {
        guard !findings.isEmpty else { return }
        print("")
        print("Findings, in mlp diagnose's vocabulary (effect: median iterations to the goal, posted → with the fix):")
        print("")
        let header = ["finding", "severity", "fix (mlp seed flags)", "effect", "evidence"]
        let body: [[String]] = findings.map { f in
            let effect = f.effect.map { "\(formatIterations($0.before)) → \(formatIterations($0.after))" } ?? "—"
            let evidence = f.evidence.sorted { $0.key < $1.key }.map { "\($0.key)=\(evidenceNumber($0.value))" }
            return [f.id.rawValue, f.severity.rawValue, f.fix.isEmpty ? "—" : f.fix.joined(separator: " "), effect,
                    evidence.joined(separator: " ")]
        }
        let widths = header.indices.map { c in ([header[c]] + body.map { $0[c] }).map(\.count).max()! }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, cell in
                c == cells.count - 1 ? cell : cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        print(line(header))
        print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        body.forEach { print(line($0)) }
    }

    private func formatIterations(_ value: Double) -> String { String(Int(value.rounded())) }

    /// Counts as integers, other numbers to 4 significant digits.
    private func evidenceNumber(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : Output.significant(value)
    }
}

extension SeedExperiment.LossChoice: ExpressibleByArgument {}
extension SeedExperiment.OptimizerChoice: ExpressibleByArgument {}
extension SeedExperiment.Engine: ExpressibleByArgument {}

private func zip(_ a: Double?, _ b: Double?) -> (Double, Double)? {
    guard let a, let b, b > 0 else { return nil }
    return (a, b)
}
