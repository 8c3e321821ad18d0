// `mlp evaluate`'s metrics of a fitted pipeline over an `.mlpdata` cache, a block of rows at a time: the training
// metrics of a streamed fit (`mlp train --stream --json`'s `train_metrics`), as `evaluate(_:)` gives them for a table.

extension MLPPipeline {
    /// Rows read, encoded and scored at a time.
    static let evaluatedBlockRows = 4096

    /// The metrics of ``evaluate(_:)-(DataTable)`` over every row of a cache, with the same bits as over the table
    /// read in memory (the tally runs in row order), holding one block of rows at a time (plus 16 bytes a row and
    /// target for a regressor).
    ///
    /// - Parameter file: A cache of the columns (and categories) the pipeline was fitted on.
    /// - Returns: The metrics; a classifier's `trueClassIndices` are left empty.
    /// - Throws: What ``evaluate(_:)-(DataTable)`` throws; ``MLPDataError/mismatch(file:detail:)`` when the cache's
    ///   features, target kind or target columns are not the model's; ``MLPDataError`` for a damaged cell.
    public func evaluateStreamed(_ file: MLPDataFile) throws -> PipelineEvaluation {
        _ = try checkFits(file)
        var tally = try EvaluationTally(self, keepsTruth: false)
        for start in stride(from: 0, to: file.rowCount, by: Self.evaluatedBlockRows) {
            let block = start..<min(start + Self.evaluatedBlockRows, file.rowCount)
            try tally.add(try file.table(at: Array(block), source: file.path))
            file.release(block)
        }
        return try tally.evaluation()
    }
}
