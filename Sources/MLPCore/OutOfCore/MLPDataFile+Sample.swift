// A uniform random sample of a cache's rows as an in-memory table: what a diagnosis of a file larger than memory
// reads (it trains on a few thousand rows and scores on a held-out fold, so a sample serves as well as every row).

extension MLPDataFile {
    /// `count` rows drawn uniformly without replacement (every row when `count` is at least ``rowCount``), in file
    /// order, encoded as the streamed fit encodes them (one-hot categories, mean imputation), with the target as a
    /// table read from CSV holds it: label texts, 0/1 cells of a multilabel target, or numbers. Only the sampled
    /// rows' pages are read.
    ///
    /// - Parameters:
    ///   - count: The number of rows to draw; positive.
    ///   - randomState: The seed of the draw (``RowSample/indices(_:of:randomState:)``).
    ///   - source: The name the table's messages give (the CSV the cache was made from).
    /// - Returns: The sampled rows, with no line numbers (the cache keeps none).
    /// - Throws: ``MLPDataError`` for a damaged cell (a category or label code the schema does not have).
    public func sampledTable(rows count: Int, randomState: Int, source: String) throws -> DataTable {
        let n = rowCount, k = schema.targetCount, stride = schema.rowWidth, columns = schema.columns.count
        let picked = RowSample.indices(count, of: n, randomState: randomState)
        let encoding = StreamedEncoding(schema: schema)
        let f = encoding.featureCount
        var features = [Double](repeating: 0, count: picked.count * f)
        var labels: [String] = [], values: [Double] = []
        let numeric = schema.targetKind == .numeric
        for (i, r) in picked.enumerated() {
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
            if i % 4096 == 4095 { release(0..<(r + 1)) }
        }
        release(0..<n)
        return DataTable(source: source, rowCount: picked.count, featureNames: encoding.encoding.featureNames,
                         features: features, targetNames: schema.targetNames, targetLabels: labels,
                         targetValues: values, lines: [], encoding: encoding.encoding)
    }
}
