import Foundation

// The data sets bundled with the package (`--dataset seed|iris|digits`), copied from scikit-learn 1.9.1.
// They are package resources; the lookup below avoids SwiftPM's generated `Bundle.module`, which traps when the
// resource bundle is missing (e.g. a binary copied without it). We throw a DataError instead.

public enum BundledDataset: String, CaseIterable, Sendable {
    /// 10 rows, features x1, x2, target `sale` (0/1).
    case seed
    /// Fisher's iris: 150 rows, 4 features, target `species` (3 string labels).
    case iris
    /// Handwritten digits: 1797 rows, 64 pixel features, target `digit` (0–9).
    case digits

    /// The CSV file of the data set.
    public func url() throws -> URL {
        let name = "swift-mlp_MLP.resources"
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["MLP_DATASETS_DIR"] {
            candidates.append(URL(fileURLWithPath: override))
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent(name).appendingPathComponent("Datasets"))
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent(name)
                .appendingPathComponent("Datasets"))
        }
        for bundle in Bundle.allBundles {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent(name)
                .appendingPathComponent("Datasets"))
        }
        for directory in candidates {
            let file = directory.appendingPathComponent("\(rawValue).csv")
            if FileManager.default.isReadableFile(atPath: file.path) { return file }
        }
        throw DataError(.io, "the bundled data set '\(rawValue)' was not found next to the program "
                        + "(looked for \(name)/Datasets); set MLP_DATASETS_DIR to its folder")
    }

    /// Reads the data set; the target is its last column.
    public func read(options: CSVReadOptions = CSVReadOptions(), encoding: FeatureEncoding? = nil) throws -> DataTable {
        let file = try MappedFile(path: url().path)
        return try withExtendedLifetime(file) {
            try CSVReader.read(bytes: file.bytes, source: "dataset \(rawValue)", options: options, encoding: encoding)
        }
    }
}
