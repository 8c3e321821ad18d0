import MLPCore

// The data sets bundled with the package (`--dataset seed|iris|digits`), copied from scikit-learn 1.9.1.
// The EmbedDatasets build plugin compiles their CSV files (Datasets/) in as string literals rather than shipping a
// resource bundle: a bundle makes the target import Foundation (about 6 MB resident), and a binary copied without
// its bundle could not find them.

/// A small data set bundled with the package, copied from scikit-learn (its `load_iris`, `load_digits`) or from the
/// seed question; the raw value is the name `--dataset` takes.
public enum BundledDataset: String, CaseIterable, Sendable {
    /// 10 rows, features x1, x2, target `sale` (0/1).
    case seed
    /// Fisher's iris: 150 rows, 4 features, target `species` (3 string labels).
    case iris
    /// Handwritten digits: 1797 rows, 64 pixel features, target `digit` (0–9).
    case digits

    /// The data set's CSV text, as in the file.
    public var csv: String { csvText.description }

    /// Reads the data set; with the default options the target is its last column.
    /// - Parameters:
    ///   - options: Header, target column, one-hot columns, imputation and limits.
    ///   - encoding: The encoding to apply (e.g. a model's), or nil to learn one from this data.
    /// - Returns: The table, with the encoding that produced its features.
    /// - Throws: `DataError` naming the data set, line and column of the first problem.
    public func read(options: CSVReadOptions = CSVReadOptions(), encoding: FeatureEncoding? = nil) throws -> DataTable {
        // withUTF8Buffer does not rethrow.
        let result = csvText.withUTF8Buffer { bytes in
            Result { try CSVReader.read(bytes: bytes, source: "dataset \(rawValue)", options: options, encoding: encoding) }
        }
        return try result.get()
    }
}
