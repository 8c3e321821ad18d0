import ArgumentParser
import MLP

/// --max-memory, and the check of a training request against it (or the memory available) before allocating.
struct ResourceOptions: ParsableArguments {
    @Option(name: .customLong("max-memory"),
            help: ArgumentHelp("Refuse to train when the estimate of the memory needed is above this (e.g. 512M, 4G; "
                               + "default: the memory available).", valueName: "size"))
    var maxMemory: String?

    func validate() throws {
        if let maxMemory, MemoryEstimate.parseBytes(maxMemory) == nil {
            throw ValidationError("--max-memory needs a positive size such as 800M or 4G, got '\(maxMemory)'")
        }
    }

    /// --max-memory in bytes.
    var maxMemoryBytes: Double? { maxMemory.flatMap(MemoryEstimate.parseBytes) }

    /// Refuses (exit 1) a fit whose network, optimizer state, workspaces and data need more than the limit.
    /// - Parameters:
    ///   - table: The training data.
    ///   - parameters: The hyper-parameters.
    ///   - regression: True for an MLPRegressor.
    ///   - dtype: "float64" or "float32".
    func checkTraining(table: DataTable, parameters: MLPParameters, regression: Bool, dtype: String) throws {
        let classes = regression ? 1 : Set(table.targetLabels).count
        let outputs = regression || classes <= 2 ? 1 : classes
        let element = dtype == "float32" ? 4 : 8
        var estimate = MemoryEstimate.training(layerSizes: [table.featureCount] + parameters.hiddenLayerSizes + [outputs],
                                               samples: table.rowCount, parameters: parameters, elementBytes: element)
        estimate.parts += MemoryEstimate.table(rows: table.rowCount, columns: table.featureCount + outputs,
                                               elementBytes: element, what: "the training data").parts
        do { try estimate.check(limit: maxMemoryBytes, request: "training") } catch let error as MemoryLimitError {
            throw CLIError(.memory, error.description)
        }
    }
}
