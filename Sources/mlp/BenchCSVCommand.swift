import ArgumentParser
import Foundation
import MLP

/// `mlp bench-csv FILE`: times CSVReader on a file (hidden; Scripts/bench_csv.sh drives it).
struct BenchCSVCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-csv", abstract: "Time reading a numeric CSV file.", shouldDisplay: false)

    @Argument(help: "A CSV file whose last column is the target.") var file: String
    @Option(help: "Number of timed reads (the best is reported).") var repeats: Int = 3
    @Flag(help: "Read the target as numbers.") var regression = false

    func run() throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        var best = Double.infinity
        var table: DataTable?
        for _ in 0..<max(1, repeats) {
            table = nil  // one table alive at a time, so peak memory is one read's
            let start = DispatchTime.now().uptimeNanoseconds
            table = try CSVReader.read(path: file, options: CSVReadOptions(targetKind: regression ? .numeric : .labels))
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let t = table!
        let mb = Double(size) / 1e6
        print("file: \(file) (\(String(format: "%.1f", mb)) MB, \(t.rowCount) rows × \(t.featureCount) features)")
        print("best of \(repeats): \(String(format: "%.3f", best)) s = \(String(format: "%.0f", mb / best)) MB/s")
    }
}
