// A streamed epoch of one process of a data-parallel run. Every process draws the same block order and the same
// row shuffle as one process would (the same RNG, the same draws), so all know which file row is the r-th row of
// every batch; each then encodes only the rows of its share of each batch (`rowShare`), read from the mapped
// cache in file order and released slice by slice. The engine completes X's batch rows with one allgather
// (Backpropagation.inputRowsAreLocal), so every batch is the one process's batch, bit for bit, while a process
// holds and reads about 1/K of the rows. See docs/distributed.md.

extension StreamedRows {
    /// One epoch as `runEpoch`, holding only this process's shares of each batch.
    func runSharedEpoch(_ epoch: MinibatchEpoch<T>, exchange: any BatchRowExchange, shuffle: Bool,
                        random: inout NumPyRandomState, train: () -> Double) throws -> Double {
        if fitsInBuffer {
            // One process shuffles its buffer's order in place every epoch: the same swaps on the file rows.
            var order = visitOrder ?? trainingRows(in: [0..<count])
            if shuffle { random.shuffle(&order) }
            visitOrder = order
            try fillShares(epoch, exchange: exchange, order: order)
            return train()
        }
        var total = 0.0
        for blocks in bufferFills(shuffle: shuffle, random: &random) {
            var order = trainingRows(in: blocks)
            if order.isEmpty { continue }  // every row of these blocks held out
            if shuffle { random.shuffle(&order) }
            try fillShares(epoch, exchange: exchange, order: order)
            total += train() * Double(order.count)
        }
        return total / Double(trainingCount)
    }

    /// The rows of `blocks` that are trained on (not held out), in buffer order: where one process's fill puts them.
    private func trainingRows(in blocks: [Range<Int>]) -> [Int] {
        blocks.flatMap { block in block.filter { !(heldOut?.contains($0) ?? false) } }
    }

    /// Encodes and scales this process's shares of the batches that visit file rows `order`, into the epoch.
    private func fillShares(_ epoch: MinibatchEpoch<T>, exchange: any BatchRowExchange, order: [Int]) throws {
        let f = featureCount, width = file.schema.rowWidth, cells = file.schema.columns.count, targetWidth = targetWidth
        try epoch.assignShares(visits: order.count, exchange: exchange) { x, y, visitsOfLocalRows in
            // Local rows sorted by file row: the mapping is read forward, one slice of the file at a time.
            let fileRow = visitsOfLocalRows.map { order[$0] }
            let local = fileRow.indices.sorted { fileRow[$0] < fileRow[$1] }
            var raw: [Double] = []
            var i = 0
            while i < local.count {
                let first = fileRow[local[i]] / Self.sliceRows * Self.sliceRows
                let slice = first..<min(first + Self.sliceRows, count)
                let mapped = file.rows(slice)
                raw.removeAll(keepingCapacity: true)
                var end = i
                while end < local.count, fileRow[local[end]] < slice.upperBound {
                    let at = (fileRow[local[end]] - first) * width
                    raw.append(contentsOf: mapped[at..<(at + width)])
                    end += 1
                }
                var features = Matrix<T>(rows: end - i, columns: f)
                try features.storage.withUnsafeMutableBufferPointer { out in
                    try raw.withUnsafeBufferPointer { try encoding.encode($0, rows: end - i, into: out.baseAddress!) }
                }
                features.storage.withUnsafeMutableBufferPointer { scaler.transform(inPlace: $0.baseAddress!, rows: end - i) }
                for k in 0..<(end - i) {
                    let row = local[i + k]
                    features.storage.withUnsafeBufferPointer { (x + row * f).update(from: $0.baseAddress! + k * f, count: f) }
                    for t in 0..<targetWidth { y[row * targetWidth + t] = try target(t, raw[k * width + cells + t]) }
                }
                file.release(slice)
                i = end
            }
            exchange.noteRowsRead(local.count)
        }
    }
}
