// Class labels of any type, and scikit-learn's LabelBinarizer (sklearn/preprocessing/_label.py).
//
// A label is a number or a string, so a CSV column maps to labels without knowing its type in
// advance. Classes are always *sorted* (numbers numerically, before strings; strings by their
// Unicode scalars, as numpy sorts them), never taken in hash order, so runs are deterministic.

/// One class label: a number (`3`, `-1`, `2.0`) or a string (`"setosa"`).
///
/// Integral numbers are class labels; a non-integral number makes the target "continuous", which a
/// classifier rejects, as scikit-learn's `type_of_target` does.
public enum ClassLabel: Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByFloatLiteral
{
    case number(Double)
    case string(String)

    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(_ value: Int) { self = .number(Double(value)) }
    public init(_ value: String) { self = .string(value) }

    /// Parses a text cell (e.g. from a CSV file): a cell that reads as a finite number becomes
    /// `.number`, anything else `.string` (surrounding spaces are ignored for numbers).
    public init(parsing text: String) {
        // Foundation's CharacterSet.whitespaces: space separators (Zs) and tab, not newlines.
        let isSpace = { (s: Unicode.Scalar) in s == "\t" || s.properties.generalCategory == .spaceSeparator }
        let scalars = text.unicodeScalars
        let trimmed = String(String.UnicodeScalarView(scalars.drop(while: isSpace).reversed().drop(while: isSpace).reversed()))
        if let v = Double(trimmed), v.isFinite { self = .number(v) } else { self = .string(text) }
    }

    /// The number, if this label is one.
    public var numberValue: Double? { if case .number(let v) = self { return v } else { return nil } }

    /// `3` for `.number(3.0)`, `2.5` for `.number(2.5)`, the text itself for a string.
    public var description: String {
        switch self {
        case .number(let v):
            if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
            return String(v)
        case .string(let s): return s
        }
    }

    public static func < (a: ClassLabel, b: ClassLabel) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x < y
        case (.number, .string): return true
        case (.string, .number): return false
        case (.string(let x), .string(let y)): return Array(x.unicodeScalars.map(\.value)).lexicographicallyPrecedes(y.unicodeScalars.map(\.value))
        }
    }
}

/// A number encodes as a JSON number, a string as a JSON string.
extension ClassLabel: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let v = try? container.decode(Double.self) { self = .number(v) } else { self = .string(try container.decode(String.self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let v): try container.encode(v)
        case .string(let s): try container.encode(s)
        }
    }
}

/// The kind of target a classifier was given (scikit-learn's `type_of_target`, restricted to
/// what MLPClassifier accepts).
public enum TargetType: String, Sendable, Codable {
    case binary
    case multiclass
    case multilabelIndicator = "multilabel-indicator"
}

/// scikit-learn's `LabelBinarizer` with its defaults (neg_label=0, pos_label=1).
///
/// - binary: one column, 1 for `classes[1]`;
/// - multiclass: one-hot over the sorted classes;
/// - multilabel: the indicator matrix passes through; classes are the column indices.
public struct LabelBinarizer: Sendable, Equatable {
    public private(set) var classes: [ClassLabel]
    public private(set) var targetType: TargetType

    /// Fits on a label vector. Throws for a continuous target.
    public init(fitting labels: [ClassLabel], estimator: String = "MLPClassifier") throws {
        try LabelBinarizer.checkDiscrete(labels)
        let classes = LabelBinarizer.distinctSorted(labels)
        self.classes = classes
        self.targetType = classes.count <= 2 ? .binary : .multiclass
    }

    /// The distinct labels, sorted (`np.unique`). The set grows with the classes found: `Set(labels)` would reserve
    /// room for every label (6 MB for 100 000 labels).
    static func distinctSorted(_ labels: [ClassLabel]) -> [ClassLabel] {
        var distinct = Set<ClassLabel>()
        for label in labels { distinct.insert(label) }
        return distinct.sorted()
    }

    /// Fits on a multilabel indicator matrix with `labelCount` columns.
    public init(multilabelCount labelCount: Int) {
        classes = (0..<labelCount).map { ClassLabel($0) }
        targetType = .multilabelIndicator
    }

    /// Number of output columns of `transform`.
    public var outputCount: Int {
        switch targetType {
        case .binary: return 1
        case .multiclass, .multilabelIndicator: return classes.count
        }
    }

    /// Index of each label in `classes`, or a typed error naming the unseen labels.
    public func indices(of labels: [ClassLabel]) throws -> [Int] {
        try indices(of: labels) { $0 }
    }

    /// Index of each label in `classes` as a floating-point value: the class-index targets of training.
    public func indices<T: BinaryFloatingPoint>(of labels: [ClassLabel], as _: T.Type) throws -> [T] {
        try indices(of: labels) { T($0) }
    }

    private func indices<Index>(of labels: [ClassLabel], _ convert: (Int) -> Index) throws -> [Index] {
        var position = [ClassLabel: Int]()
        for (i, c) in classes.enumerated() { position[c] = i }
        var result = [Index]()
        result.reserveCapacity(labels.count)
        var unseen = Set<ClassLabel>()
        for l in labels {
            if let i = position[l] { result.append(convert(i)) } else { unseen.insert(l) }
        }
        if !unseen.isEmpty {
            throw MLPError.unseenLabels(known: classes, unseen: unseen.sorted())
        }
        return result
    }

    /// Indicator targets, row-major (n, outputCount).
    public func transform<T: BinaryFloatingPoint>(_ labels: [ClassLabel], as: T.Type = T.self) throws -> [T] {
        let idx = try indices(of: labels)
        let k = outputCount
        var out = [T](repeating: 0, count: labels.count * k)
        for (r, i) in idx.enumerated() {
            if targetType == .binary {
                // A single class (degenerate binary) maps everything to 0, as sklearn does.
                out[r] = (classes.count == 2 && i == 1) ? 1 : 0
            } else {
                out[r * k + i] = 1
            }
        }
        return out
    }

    /// Labels from network outputs (n, outputCount): threshold 0.5 for binary and multilabel
    /// (`> 0.5` is 1, as sklearn), argmax (first maximum) for multiclass.
    func inverseTransform<T: BinaryFloatingPoint>(_ outputs: UnsafeBufferPointer<T>, rows: Int) -> [ClassLabel] {
        let k = outputCount
        switch targetType {
        case .binary:
            return (0..<rows).map { r in classes[outputs[r] > 0.5 && classes.count > 1 ? 1 : 0] }
        case .multiclass:
            return (0..<rows).map { r in classes[Self.argmax(outputs, offset: r * k, count: k)] }
        case .multilabelIndicator:
            preconditionFailure("use inverseTransformIndicator for multilabel targets")
        }
    }

    static func argmax<T: BinaryFloatingPoint>(_ x: UnsafeBufferPointer<T>, offset: Int, count: Int) -> Int {
        var best = 0
        var bestValue = x[offset]
        for j in 1..<max(count, 1) where x[offset + j] > bestValue || (bestValue.isNaN && !x[offset + j].isNaN) {
            best = j
            bestValue = x[offset + j]
        }
        return best
    }

    /// Rejects a numeric target with non-integral values (sklearn: "Unknown label type").
    static func checkDiscrete(_ labels: [ClassLabel]) throws {
        for l in labels {
            if case .number(let v) = l, v != v.rounded() || !v.isFinite {
                throw MLPError.continuousTarget
            }
        }
    }
}

