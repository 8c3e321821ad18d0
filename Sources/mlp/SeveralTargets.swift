import MLP

/// Where several target columns (a multi-output MLPRegressor) cannot go yet: each refusal names the flag and what to
/// do, before any training, rather than fitting the first column alone.
enum SeveralTargets {
    /// Refuses a table of several target columns for a classifier, or with a flag that handles one target only.
    /// - Parameters:
    ///   - table: the table read for training.
    ///   - regression: --regression was given.
    ///   - oneTargetFlags: the flags given that handle one target only (--distributed, --report).
    static func check(_ table: DataTable, regression: Bool, oneTargetFlags: [String]) throws {
        guard table.targetCount > 1 else { return }
        let named = "--target names \(table.targetCount) columns (\(Output.quotedList(table.targetNames)))"
        guard regression else {
            throw CLIError(.usage, "\(named): several targets are fitted by a multi-output regressor, add --regression "
                           + "(multilabel classification from a CSV is not supported)")
        }
        if let flag = oneTargetFlags.first { throw refusal(flag, named) }
    }

    /// Refuses a model of several outputs with a flag that handles one target only.
    /// - Parameters:
    ///   - pipeline: the model's pipeline.
    ///   - oneTargetFlags: the flags given that handle one target only.
    static func check(_ pipeline: MLPPipeline, oneTargetFlags: [String]) throws {
        guard pipeline.targetNames.count > 1, let flag = oneTargetFlags.first else { return }
        throw refusal(flag, "the model predicts \(pipeline.targetNames.count) targets "
                      + "(\(Output.quotedList(pipeline.targetNames)))")
    }

    private static func refusal(_ flag: String, _ named: String) -> CLIError {
        CLIError(.usage, "\(named), but \(flag) handles one target column: drop \(flag), or give one --target")
    }
}
