import MLP

/// What `mlp train --warm-start` refuses: a run that would silently ignore a changed setting (the loaded model's
/// architecture, activation, scaling and dtype win), and data whose classes are not the model's.
enum WarmStartCheck {
    /// Refuses a change of hidden layer sizes, activation, scaling or dtype, naming the parameter.
    /// - Parameters:
    ///   - pipeline: The loaded pipeline.
    ///   - path: Its model file, for the message.
    ///   - parameters: The parameters of this run.
    ///   - scaling: `--scale` of this run.
    ///   - dtype: `--dtype` of this run.
    static func refuseChanges(of pipeline: MLPPipeline, in path: String, to parameters: MLPParameters,
                              scaling: ScalerKind, dtype: String) throws {
        let stored = pipeline.parameters
        var changes: [(option: String, was: String, asked: String)] = []
        if let sizes = pipeline.estimator.layerSizes, Array(sizes.dropFirst().dropLast()) != parameters.hiddenLayerSizes {
            changes.append(("--hidden-layer-sizes", list(Array(sizes.dropFirst().dropLast())), list(parameters.hiddenLayerSizes)))
        }
        if stored.activation != parameters.activation {
            changes.append(("--activation", stored.activation.rawValue, parameters.activation.rawValue))
        }
        if pipeline.scaling != scaling { changes.append(("--scale", pipeline.scaling.rawValue, scaling.rawValue)) }
        if pipeline.estimator.dtype != dtype { changes.append(("--dtype", pipeline.estimator.dtype, dtype)) }
        guard let first = changes.first else { return }
        let all = changes.map { "\($0.option) \($0.was) (this run: \($0.asked))" }.joined(separator: ", ")
        throw CLIError(.usage, "--warm-start continues \(path) as it was trained: \(all). Give \(first.option) "
                       + "\(first.was)" + (changes.count > 1 ? " and the others as stored" : "")
                       + ", or write a new model with another --output")
    }

    /// scikit-learn's refusal of a warm start on data with other classes than the fitted ones.
    /// - Parameters:
    ///   - pipeline: The loaded, fitted classifier pipeline.
    ///   - table: The training data.
    static func refuseOtherClasses(of pipeline: MLPPipeline, table: DataTable) throws {
        // A multilabel classifier's classes are its label indices; its columns are checked by name at fit.
        guard pipeline.isClassifier, !pipeline.classes.isEmpty, pipeline.estimator.targetType != .multilabelIndicator else {
            return
        }
        let seen = Set(table.targetLabels.map { ClassLabel(parsing: $0) })
        guard seen != Set(pipeline.classes) else { return }
        throw CLIError(.data, "\(table.source): warm_start can only be used where `y` has the same classes as in the "
                       + "previous call to fit. Previously got \(numpy(pipeline.classes)), `y` has \(numpy(seen.sorted()))")
    }

    /// A label list as numpy prints an array: [0 1 2], or ['a' 'b'].
    private static func numpy(_ labels: [ClassLabel]) -> String {
        "[" + labels.map { $0.numberValue != nil ? $0.description : "'\($0.description)'" }.joined(separator: " ") + "]"
    }

    private static func list(_ sizes: [Int]) -> String { sizes.map(String.init).joined(separator: ",") }
}
