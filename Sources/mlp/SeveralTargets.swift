import MLP

/// Where several target columns (a multi-output MLPRegressor, a multilabel MLPClassifier) cannot go yet: each
/// refusal names the flag and what to do, before any training, rather than fitting the first column alone.
enum SeveralTargets {
    /// Refuses a table of several target columns with a flag that handles one target only.
    /// - Parameters:
    ///   - table: the table read for training.
    ///   - oneTargetFlags: the flags given that handle one target only (--report).
    static func check(_ table: DataTable, oneTargetFlags: [String]) throws {
        guard table.targetCount > 1, let flag = oneTargetFlags.first else { return }
        throw refusal(flag, "--target names \(table.targetCount) columns (\(Output.quotedList(table.targetNames)))")
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
