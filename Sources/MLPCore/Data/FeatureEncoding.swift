// How raw CSV columns become the numeric feature matrix: which columns, one-hot categories, imputation.
// Learnt when the training data is read and stored in the model file, so predict applies the same steps.

/// `--impute mean|median`: how a missing feature value is replaced (sklearn `SimpleImputer(strategy=)`).
public enum ImputeStrategy: String, Codable, CaseIterable, Sendable {
    /// The column's mean over the training rows that have a value.
    case mean
    /// The column's median over the training rows that have a value.
    case median
}

/// The mapping from CSV columns to feature columns.
public struct FeatureEncoding: Codable, Equatable, Sendable {
    /// One column encoded one-hot: one 0/1 feature per category, categories sorted.
    public struct OneHotColumn: Codable, Equatable, Sendable {
        /// The CSV column's name.
        public var column: String
        /// The categories seen in training, sorted; each becomes one feature named `column_category`.
        public var categories: [String]

        /// Creates a one-hot encoding of a column.
        ///
        /// - Parameters:
        ///   - column: The CSV column's name.
        ///   - categories: Its categories, sorted and without duplicates.
        public init(column: String, categories: [String]) {
            self.column = column
            self.categories = categories
        }
    }

    /// The CSV columns read as features, in file order (the target excluded).
    public var inputColumns: [String]
    /// Columns among `inputColumns` that are one-hot encoded.
    public var oneHot: [OneHotColumn]
    /// The imputation strategy, nil when missing values are an error.
    public var impute: ImputeStrategy?
    /// Per input column, the value that replaces a missing one (nil for one-hot columns or without impute).
    public var imputeValues: [Double?]

    /// Creates an encoding; ``CSVReader`` learns one from training data, so a caller rarely needs this.
    ///
    /// - Parameters:
    ///   - inputColumns: The CSV columns read as features, in file order.
    ///   - oneHot: The columns among them that are one-hot encoded.
    ///   - impute: How missing values are replaced; nil makes them an error.
    ///   - imputeValues: Per input column, the replacement for a missing value (nil for one-hot columns).
    public init(inputColumns: [String], oneHot: [OneHotColumn] = [], impute: ImputeStrategy? = nil,
                imputeValues: [Double?] = []) {
        self.inputColumns = inputColumns
        self.oneHot = oneHot
        self.impute = impute
        self.imputeValues = imputeValues
    }

    /// Feature names after encoding, as scikit-learn's `get_feature_names_out` spells them ("color_red").
    public var featureNames: [String] {
        var names: [String] = []
        for column in inputColumns {
            if let encoded = oneHot.first(where: { $0.column == column }) {
                names += encoded.categories.map { "\(column)_\($0)" }
            } else {
                names.append(column)
            }
        }
        return names
    }

    /// Checks the invariants a model file must satisfy (used when loading one, and by ``CSVReader`` before it applies
    /// a given encoding).
    ///
    /// - Throws: ``DataError`` of kind ``DataError/Kind/featureMismatch`` when a column is listed twice, a one-hot
    ///   column is unknown or has no or duplicate categories, or the imputation values do not match the columns.
    public func validate() throws {
        guard Set(inputColumns).count == inputColumns.count else {
            throw DataError(.featureMismatch, "the feature encoding lists a column twice")
        }
        for encoded in oneHot {
            guard inputColumns.contains(encoded.column), !encoded.categories.isEmpty,
                  Set(encoded.categories).count == encoded.categories.count else {
                throw DataError(.featureMismatch, "the one-hot encoding of '\(encoded.column)' is inconsistent")
            }
        }
        if impute != nil {
            guard imputeValues.count == inputColumns.count,
                  imputeValues.allSatisfy({ $0?.isFinite ?? true }) else {
                throw DataError(.featureMismatch, "the imputation statistics do not match the feature columns")
            }
        }
    }
}
