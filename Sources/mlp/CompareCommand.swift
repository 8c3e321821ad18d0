import ArgumentParser
import Foundation

/// `mlp compare RUN.json...`: the `mlp train --json` (or `mlp cv --json`) results of several runs side by side.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Put the --json results of several train or cv runs side by side.",
        discussion: "Each file holds what 'mlp train --json' or 'mlp cv --json' printed.")

    @Argument(help: ArgumentHelp("JSON files written from 'mlp train --json' or 'mlp cv --json'.", valueName: "run.json"))
    var runs: [String]

    func validate() throws {
        if runs.isEmpty { throw ValidationError("give at least one run.json") }
    }

    func run() throws {
        let keys = ["train_score", "test_score", "best_validation_score", "loss", "n_iter", "converged", "seconds",
                    "mean", "std"]
        var table: [[String]] = [["run"] + keys]
        for path in runs {
            guard let data = FileManager.default.contents(atPath: path) else {
                let exists = FileManager.default.fileExists(atPath: path)
                throw CLIError(.data, "\(path): cannot read the file" + (exists ? "" : ": No such file or directory"))
            }
            // A run's object has at least one of the compared keys (train's n_iter, cv's mean).
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  keys.contains(where: { object[$0] != nil }) else {
                throw CLIError(.data, "\(path): not a JSON object from 'mlp train --json' or 'mlp cv --json'")
            }
            table.append([path] + keys.map { key in
                if key == "converged", object["diverged"] as? Bool == true { return "diverged" }
                if key == "converged", let flag = object[key] as? Bool { return flag ? "yes" : "no" }
                switch object[key] {
                case is NSNull: return "nan"  // --json writes non-finite numbers as null
                case let n as NSNumber: return key == "n_iter" ? "\(n.intValue)" : Output.significant(n.doubleValue)
                case nil: return "–"
                case let other?: return "\(other)"
                }
            })
        }
        // Paths and values come from the command line and the files: each cell on one line of the terminal.
        table = table.map { $0.map(Output.terminalLine) }
        let used = (0..<table[0].count).filter { c in c == 0 || table.dropFirst().contains { $0[c] != "–" } }
        let widths = used.map { c in table.map { $0[c].count }.max() ?? 0 }
        for row in table {
            print(zip(used, widths).map { c, w in row[c].padding(toLength: w, withPad: " ", startingAt: 0) }
                .joined(separator: "  "))
        }
    }
}
