// Rows of a cache as an in-memory table: a uniform random sample (what a diagnosis of a file larger than memory
// reads: it trains on a few thousand rows and scores on a held-out fold, so a sample serves as well as every row),
// or consecutive blocks (what a streamed fit's training metrics are computed on, a block at a time).

extension MLPDataFile {
    /// `count` rows drawn uniformly without replacement (every row when `count` is at least ``rowCount``), in file
    /// order, as ``table(at:source:)`` gives them.
    ///
    /// - Parameters:
    ///   - count: The number of rows to draw; positive.
    ///   - randomState: The seed of the draw (``RowSample/indices(_:of:randomState:)``).
    ///   - source: The name the table's messages give (the CSV the cache was made from).
    /// - Returns: The sampled rows, with no line numbers (the cache keeps none).
    /// - Throws: ``MLPDataError`` for a damaged cell (a category or label code the schema does not have).
    public func sampledTable(rows count: Int, randomState: Int, source: String) throws -> DataTable {
        defer { release(0..<rowCount) }
        return try table(at: RowSample.indices(count, of: rowCount, randomState: randomState), source: source)
    }

    /// Rows `indices` encoded as the streamed fit encodes them (one-hot categories, mean imputation), with the
    /// target as a table read from CSV holds it: label texts, 0/1 cells of a multilabel target, or numbers. Only
    /// those rows' pages are read; the caller releases them.
    ///
    /// - Parameters:
    ///   - indices: Row indices within `0..<rowCount`, in the order the table holds them.
    ///   - source: The name the table's messages give.
    /// - Returns: The rows, with no line numbers (the cache keeps none).
    /// - Throws: ``MLPDataError`` for a damaged cell (a category or label code the schema does not have).
    public func table(at indices: [Int], source: String) throws -> DataTable {
        let k = schema.targetCount, columns = schema.columns.count
        let encoding = StreamedEncoding(schema: schema)
        let f = encoding.featureCount
        var features = [Double](repeating: 0, count: indices.count * f)
        var labels: [String] = [], values: [Double] = []
        let numeric = schema.targetKind == .numeric
        for (i, r) in indices.enumerated() {
            let raw = rows(r..<(r + 1))
            try features.withUnsafeMutableBufferPointer { out in
                try encoding.encode(raw, rows: 1, into: out.baseAddress! + i * f)
            }
            for t in 0..<k {
                let cell = raw[columns + t]
                if numeric {
                    values.append(cell)
                } else if k > 1 {
                    labels.append(cell == 0 ? "0" : cell == 1 ? "1" : "\(cell)")
                } else {
                    guard let code = Int(exactly: cell), schema.labelTexts.indices.contains(code) else {
                        throw MLPDataError.corrupted(file: path, detail: "a target cell holds label code \(cell) of "
                                                     + "\(schema.labelTexts.count)")
                    }
                    labels.append(schema.labelTexts[code])
                }
            }
        }
        return DataTable(source: source, rowCount: indices.count, featureNames: encoding.encoding.featureNames,
                         features: features, targetNames: schema.targetNames, targetLabels: labels,
                         targetValues: values, lines: [], encoding: encoding.encoding)
    }
}
