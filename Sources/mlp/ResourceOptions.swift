import ArgumentParser
import Foundation
import MLP

/// --max-memory, and the check of a request (training, or reading a whole CSV) against it or the memory available,
/// before allocating.
struct ResourceOptions: ParsableArguments {
    @Option(name: .customLong("max-memory"),
            help: ArgumentHelp("Refuse when the estimate of the memory needed is above this (e.g. 512M, 4G; "
                               + "default: the memory available).", valueName: "size"))
    var maxMemory: String?

    func validate() throws {
        if let maxMemory, MemoryEstimate.parseBytes(maxMemory) == nil {
            throw ValidationError("--max-memory needs a positive size such as 800M or 4G, got '\(maxMemory)'")
        }
    }

    /// --max-memory in bytes.
    var maxMemoryBytes: Double? { maxMemory.flatMap(MemoryEstimate.parseBytes) }

    /// Refuses (exit 1) to read the CSV file `path` whole when its table would need more than the limit: about
    /// `AutomaticStreaming.bytesPerCSVByte` bytes per byte of text. Standard input and .gz files are not estimated.
    /// - Parameters:
    ///   - path: The CSV file.
    ///   - request: What reads it, for the message ("mlp predict").
    func checkReading(csv path: String?, request: String) throws {
        guard let path, path != "-", !path.hasSuffix(".gz"),
              let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else { return }
        let estimate = MemoryEstimate(parts: [.init(name: "the table read from \(path)",
                                                    bytes: AutomaticStreaming.inMemoryEstimate(csvBytes: size))])
        do { try estimate.check(limit: maxMemoryBytes, request: request) } catch let error as MemoryLimitError {
            throw CLIError(.memory, error.description(naming: .flags))
        }
    }

    /// Refuses (exit 1) a fit whose network, optimizer state, workspaces and data need more than the limit.
    /// - Parameters:
    ///   - table: The training data.
    ///   - parameters: The hyper-parameters.
    ///   - regression: True for an MLPRegressor.
    ///   - dtype: "float64" or "float32".
    func checkTraining(table: DataTable, parameters: MLPParameters, regression: Bool, dtype: String) throws {
        // The labels first: a continuous target is named as such, not as thousands of classes that need too much memory.
        let classes = regression || table.targetCount > 1 ? 1 : try cli { try ClassLabels(targetOf: table) }.classes.count
        let outputs = regression || table.targetCount > 1 ? table.targetCount : classes <= 2 ? 1 : classes
        let element = dtype == "float32" ? 4 : 8
        var estimate = MemoryEstimate.training(layerSizes: [table.featureCount] + parameters.hiddenLayerSizes + [outputs],
                                               samples: table.rowCount, parameters: parameters, elementBytes: element)
        estimate.parts += MemoryEstimate.table(rows: table.rowCount, columns: table.featureCount + outputs,
                                               elementBytes: element, what: "the training data").parts
        do { try estimate.check(limit: maxMemoryBytes, request: "training") } catch let error as MemoryLimitError {
            throw CLIError(.memory, error.description(naming: .flags))
        }
    }
}
