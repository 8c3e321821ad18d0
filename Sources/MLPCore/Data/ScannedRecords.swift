// The records of one run of a CSV file as TableBuilder.scan reads them: cells parsed, categories numbered as first
// seen, nothing imputed or laid out yet. Two runs scanned on two threads (SplitChunkParse) are appended into what one
// scan of both would have read, then finished once.

/// One run of records as `TableBuilder.scan` reads them, before `finish`.
struct ScannedRecords {
    var rowCount: Int
    var numeric: [Double]
    var lines: [Int32]
    var labels: [String]
    var ids: [String]
    var targetValues: [Double]
    /// Per one-hot column, each row's category id: into `categoryNames`.
    var categoryIDs: [[UInt32]]
    /// Per one-hot column: learnt categories in first-seen order, or the given encoding's.
    var categoryNames: [[String]]
    /// Per numeric column: a missing cell was left NaN for imputation.
    var missingSeen: [Bool]
    /// True when training: categories are learnt, not given.
    let learnsCategories: Bool

    /// Appends the records that follow these in the file: as one scan of both runs would have read them, the later
    /// run's new categories numbered after ours in its first-seen order.
    mutating func append(_ later: ScannedRecords) {
        rowCount += later.rowCount
        numeric += later.numeric
        lines += later.lines
        labels += later.labels
        ids += later.ids
        targetValues += later.targetValues
        for i in missingSeen.indices { missingSeen[i] = missingSeen[i] || later.missingSeen[i] }
        for k in categoryIDs.indices {
            guard learnsCategories else {  // the same given categories on both sides
                categoryIDs[k] += later.categoryIDs[k]
                continue
            }
            var lookup: [String: UInt32] = [:]
            for (id, name) in categoryNames[k].enumerated() { lookup[name] = UInt32(id) }
            let remap = later.categoryNames[k].map { name -> UInt32 in
                if let id = lookup[name] { return id }
                let id = UInt32(categoryNames[k].count)
                categoryNames[k].append(name)
                lookup[name] = id
                return id
            }
            categoryIDs[k] += later.categoryIDs[k].map { remap[Int($0)] }
        }
    }
}
