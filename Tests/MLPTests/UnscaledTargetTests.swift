import Testing
@testable import MLPCore

/// The one rule for a regression target off unit scale, shared by the monitor warning and `mlp train`'s note.
struct UnscaledTargetTests {
    /// Two target columns, row-major: `first` and `second` per row.
    private func table(_ first: [Double], _ second: [Double]) throws -> DataTable {
        var text = "x,a,b\n"
        for i in first.indices { text += "\(i),\(first[i]),\(second[i])\n" }
        var options = CSVReadOptions()
        options.targets = ["a", "b"]
        options.targetKind = .numeric
        return try CSVReader.read(text: text, options: options)
    }

    @Test func theDeviationAndTheMeanAreEachJudgedAgainstTheThreshold() {
        // Deviation 11 > 10; deviation 9 with mean 20 > 10 × 9? no; mean 100 > 10 × max(1, 1).
        let spread = UnscaledTarget.first(rows: 2, columns: 1) { r, _ in r == 0 ? -11 : 11 }
        #expect(spread?.deviation == 11)
        #expect(UnscaledTarget.first(rows: 2, columns: 1) { r, _ in r == 0 ? 11 : 29 } == nil, "mean 20, deviation 9")
        let offset = UnscaledTarget.first(rows: 2, columns: 1) { r, _ in r == 0 ? 99 : 101 }
        #expect(offset?.mean == 100)
        #expect(UnscaledTarget.first(rows: 2, columns: 1) { r, _ in r == 0 ? 9 : 9.5 } == nil, "mean 9.25 < 10")
        #expect(UnscaledTarget.first(rows: 1, columns: 1) { _, _ in 1e9 } == nil, "one row has no scale to judge")
    }

    @Test func theFirstColumnOffScaleIsNamedNotTheFirstColumn() throws {
        let t = try table([0.1, -0.2, 0.3, -0.1], [500, 900, 700, 300])
        let found = try #require(t.firstUnscaledTarget)
        #expect(found.column == 1)
        #expect(found.mean == 600)
        #expect(abs(found.deviation - 223.60679774997897) < 1e-9)
        #expect(try table([0.1, -0.2, 0.3, -0.1], [1, 2, 3, 4]).firstUnscaledTarget == nil)
    }

    @Test func theMonitorNamesTheSameColumnAsTheTable() throws {
        let t = try table([0.1, -0.2, 0.3, -0.1], [500, 900, 700, 300])
        let warnings = PerceptronEngine<Double>.unscaledTargetWarnings(t.targetValues, outputs: 2)
        let message = try #require(warnings.first?.message)
        #expect(message.hasPrefix("Target column 1 has mean 600 and standard deviation 223.6"), "\(message)")
    }
}
