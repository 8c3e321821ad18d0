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
    /// `AutomaticStreaming.bytesPerCSVByte` bytes per byte of text (a .gz file's decompressed text,
    /// `InputTextSize`). Standard input is not estimated.
    /// - Parameters:
    ///   - path: The CSV file.
    ///   - request: What reads it, for the message ("mlp predict").
    func checkReading(csv path: String?, request: String) throws {
        guard let path, let size = InputTextSize.of(path) else { return }
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
        let estimate = Self.trainingEstimate(rows: table.rowCount, features: table.featureCount,
                                             outputs: try outputs(of: table, regression: regression),
                                             parameters: parameters, dtype: dtype)
        do { try estimate.check(limit: maxMemoryBytes, request: "training") } catch let error as MemoryLimitError {
            throw CLIError(.memory, error.description(naming: .flags))
        }
    }

    /// The network's outputs for the table's target: one per regression target or label, one for two classes, else
    /// one per class.
    /// - Parameters:
    ///   - table: The training data.
    ///   - regression: True for an MLPRegressor.
    func outputs(of table: DataTable, regression: Bool) throws -> Int {
        guard !regression && table.targetCount == 1 else { return table.targetCount }
        // The labels first: a continuous target is named as such, not as thousands of classes that need too much memory.
        return Self.outputs(targets: 1, classes: try cli { try ClassLabels(targetOf: table) }.classes.count,
                            regression: false)
    }

    /// The network's outputs: one per regression target or label, one for two classes, else one per class.
    /// - Parameters:
    ///   - targets: The target columns.
    ///   - classes: The classes of one label column (unused otherwise).
    ///   - regression: True for an MLPRegressor.
    static func outputs(targets: Int, classes: Int, regression: Bool) -> Int {
        regression || targets > 1 ? targets : classes <= 2 ? 1 : classes
    }

    /// The most rows, up to `wanted`, whose training fits the limit (or the memory available) by `checkTraining`'s
    /// estimate; nil when not even one row does (the network itself is too large). A sample drawn to this size
    /// passes that check.
    /// - Parameters:
    ///   - wanted: The rows asked for.
    ///   - features: Feature columns after encoding.
    ///   - outputs: The network's outputs.
    ///   - parameters: The hyper-parameters.
    ///   - dtype: "float64" or "float32".
    func rowsFitting(_ wanted: Int, features: Int, outputs: Int, parameters: MLPParameters, dtype: String) -> Int? {
        let limit = maxMemoryBytes ?? MemoryEstimate.availableBytes() ?? .infinity
        func fits(_ rows: Int) -> Bool {
            Self.trainingEstimate(rows: rows, features: features, outputs: outputs, parameters: parameters,
                                  dtype: dtype).totalBytes <= limit
        }
        guard !fits(wanted) else { return wanted }
        guard fits(1) else { return nil }
        var (low, high) = (1, wanted)  // fits(low); !fits(high)
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if fits(middle) { low = middle } else { high = middle }
        }
        return low
    }

    /// What training on `rows` rows needs: the network, its optimizer state and workspaces, and the data.
    private static func trainingEstimate(rows: Int, features: Int, outputs: Int, parameters: MLPParameters,
                                         dtype: String) -> MemoryEstimate {
        let element = dtype == "float32" ? 4 : 8
        var estimate = MemoryEstimate.training(layerSizes: [features] + parameters.hiddenLayerSizes + [outputs],
                                               samples: rows, parameters: parameters, elementBytes: element)
        estimate.parts += MemoryEstimate.table(rows: rows, columns: features + outputs, elementBytes: element,
                                               what: "the training data").parts
        return estimate
    }
}
