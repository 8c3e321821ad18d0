import ArgumentParser
import MLP

/// `--test-size`, as scikit-learn reads `test_size`: a number with a point or an exponent is a fraction of the rows
/// in (0, 1) ("0.25", "1e-1"), a whole number is a count of rows ("100"), so "1" holds out one row and "1.0" is refused.
enum TestSize: ExpressibleByArgument, CustomStringConvertible, Encodable {
    case fraction(Double)
    case rows(Int)

    init?(argument: String) {
        if let rows = Int(argument) { self = .rows(rows) } else if let fraction = Double(argument) { self = .fraction(fraction) } else { return nil }
    }

    /// The value as it was given (Python's repr of the float or int).
    var description: String {
        switch self {
        case .fraction(let f): "\(f)"
        case .rows(let n): "\(n)"
        }
    }

    /// Why the value cannot be a test size before the table is read (a count past the rows is the split's error).
    var problem: String? {
        let valid = switch self {
        case .fraction(let f): f > 0 && f < 1
        case .rows(let n): n >= 1
        }
        return valid ? nil : "--test-size must be a fraction in (0, 1), such as 0.25, or a number of rows, such as 100; got \(self)"
    }

    /// A number in `--json`: the fraction, or the count as an integer.
    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .fraction(let f): try container.encode(f)
        case .rows(let n): try container.encode(n)
        }
    }
}

/// `--test-size`: the rows `train_test_split(X, y, test_size=F, random_state=N, stratify=y or None)` puts in each
/// set, in scikit-learn's order (X_train = X[train]).
struct HeldOutSplit {
    var train: [Int]
    var test: [Int]
    /// The random_state the split was drawn with, reported so the split can be repeated.
    var randomState: Int

    /// Draws the split from a fresh `RandomState(randomState)`, stratified by the sorted classes of a label target
    /// (several 0/1 columns: by each row's label combination, as StratifiedShuffleSplit joins the rows of a 2-D y).
    init(table: DataTable, testSize: TestSize, stratify: Bool, randomState: Int) throws {
        var rng = NumPyRandomState(seed: randomState)
        let labels = stratify
            ? try cli {
                let texts = table.targetCount > 1
                    ? MultilabelTargets.rowCombinations(try MultilabelTargets.indicators(of: table), labels: table.targetCount)
                    : table.targetLabels
                return try ClassLabels(texts, column: table.targetNames.joined(separator: ","), lines: table.lines)
            }
            : nil
        do {
            switch testSize {
            case .fraction(let f):
                (train, test) = try trainTestSplitIndices(count: table.rowCount, testFraction: f,
                                                          stratify: labels?.indices, using: &rng)
            case .rows(let n):
                (train, test) = try trainTestSplitIndices(count: table.rowCount, testCount: n,
                                                          stratify: labels?.indices, using: &rng)
            }
        } catch let error as TrainTestSplitError {
            // A class too small to stratify by its label ('C', or 2 for a numeric target), as scikit-learn names it.
            let classes = labels?.classLabels ?? []
            // No test size splits a class of one row in two.
            let hint = if case .classTooSmall = error { "remove that class's rows or leave out --test-size" } else { "change --test-size" }
            throw CLIError(.data, "\(table.source): " + error.description(classes: classes).withHint(hint))
        }
        self.randomState = randomState
    }
}
