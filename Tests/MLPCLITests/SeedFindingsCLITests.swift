import Foundation
import Testing

/// `mlp seed --explain` on the diagnosis engine: its findings table beneath the unchanged table and verdict, and
/// every effect the same count as the table's row for that fix.
struct SeedFindingsCLITests {
    /// The median-iterations column of the variants table, by variant name.
    static func medians(_ text: String) -> [String: String] {
        var medians: [String: String] = [:]
        for line in text.split(separator: "\n").map(String.init) {
            let cells = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard let ratio = cells.firstIndex(where: { $0.contains("/") && Int($0.split(separator: "/")[0]) != nil }),
                  ratio >= 2 else { continue }
            let name = line.components(separatedBy: "  ").first!.trimmingCharacters(in: .whitespaces)
            medians[name] = cells[ratio - 1]
        }
        return medians
    }

    @Test func explainAddsFindingsWhoseEffectsAreTheTablesCounts() throws {
        let r = try CLI.run(["seed", "--explain", "--runs", "2", "--max-iter", "60000"])
        #expect(r.code == 0, "\(r.stderr)")
        let text = r.stdout
        let parts = text.components(separatedBy: "Findings, in mlp diagnose's vocabulary")
        #expect(parts.count == 2, "no findings table")
        // The verdict still comes before the findings, unchanged.
        #expect(parts[0].contains("The fix that matters most on its own is"))
        let medians = Self.medians(parts[0])
        let posted = try #require(medians["posted: raw inputs, squared error, GD lr 0.5"])
        let scaled = try #require(medians["scaled inputs"])
        let findings = parts[1].split(separator: "\n").map(String.init)
        let unscaled = try #require(findings.first { $0.hasPrefix("unscaled-features ") })
        #expect(unscaled.contains("problem"))
        #expect(unscaled.contains(" --scale "))
        #expect(unscaled.contains("\(posted) → \(scaled)"), "\(unscaled) vs table \(posted), \(scaled)")
        let slow = try #require(findings.first { $0.hasPrefix("slow-optimizer ") })
        let adam = try #require(medians["Adam, lr 0.01"])
        #expect(slow.contains("--optimizer adam --learning-rate 0.01"))
        #expect(slow.contains("\(posted) → \(adam)"))
        #expect(findings.contains { $0.hasPrefix("saturated-units ") })
    }
}
