// When `mlp train DATA.csv` streams without being asked: reading a CSV in memory takes about three bytes per byte
// of text at its peak (the mapped text, the Double matrix, the scaled copy in the training type: a 200 MB CSV of
// 21 numeric columns peaked at 585 MB), so a file whose estimate is above half of the memory available (or above
// --max-memory) is streamed instead.

/// The rule that switches training to the out-of-core path.
public enum AutomaticStreaming {
    /// Peak bytes of in-memory training per byte of CSV text (measured: 585 MB for a 200 MB file).
    public static let bytesPerCSVByte = 3.0

    /// The estimated peak memory of reading and training on a CSV file in memory.
    ///
    /// - Parameter csvBytes: The file's size.
    /// - Returns: Bytes.
    public static func inMemoryEstimate(csvBytes: Int) -> Double { Double(csvBytes) * bytesPerCSVByte }

    /// The footprint above which training streams: `limit` when given, else half of the memory available; nil
    /// when neither is known.
    ///
    /// - Parameters:
    ///   - limit: An explicit memory limit in bytes (`--max-memory`).
    ///   - available: The memory available (`MemoryEstimate.availableBytes()`).
    /// - Returns: The threshold in bytes.
    public static func threshold(limit: Double?, available: Double?) -> Double? {
        limit ?? available.map { $0 / 2 }
    }

    /// Whether a CSV file of `csvBytes` should be streamed.
    ///
    /// - Parameters:
    ///   - csvBytes: The file's size.
    ///   - limit: An explicit memory limit in bytes, or nil.
    ///   - available: The memory available, or nil when unknown.
    /// - Returns: True when the in-memory estimate is above the threshold.
    public static func shouldStream(csvBytes: Int, limit: Double?, available: Double?) -> Bool {
        guard let threshold = threshold(limit: limit, available: available) else { return false }
        return inMemoryEstimate(csvBytes: csvBytes) > threshold
    }
}
