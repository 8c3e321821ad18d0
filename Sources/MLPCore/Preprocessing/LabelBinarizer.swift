// scikit-learn's LabelBinarizer (sklearn/preprocessing/_label.py) with its defaults (neg_label=0, pos_label=1), over
// the classes of a LabelEncoder.

/// The kind of target a classifier was given (scikit-learn's `type_of_target`, restricted to
/// what MLPClassifier accepts).
public enum TargetType: String, Sendable, Codable {
    /// Two classes (or one): one logistic output.
    case binary
    /// More than two classes: one softmax output per class.
    case multiclass
    /// An indicator matrix of 0 and 1: one logistic output per label.
    case multilabelIndicator = "multilabel-indicator"
}

/// scikit-learn's `LabelBinarizer` with its defaults (neg_label=0, pos_label=1).
///
/// - binary: one column, 1 for `classes[1]`;
/// - multiclass: one-hot over the sorted classes;
/// - multilabel: the indicator matrix passes through; classes are the column indices.
public struct LabelBinarizer: Sendable, Equatable {
    /// The classes and the index of each label among them.
    let encoder: LabelEncoder
    /// Binary, multiclass or multilabel.
    public private(set) var targetType: TargetType

    /// `classes_`, sorted.
    public var classes: [ClassLabel] { encoder.classes }

    /// Fits on a label vector.
    /// - Parameters:
    ///   - labels: the target, one label per row.
    ///   - estimator: the estimator's name (kept for source compatibility; messages do not need it).
    /// - Throws: `MLPError.nonFiniteInput` for a NaN or infinite label, `MLPError.continuousTarget` for a
    ///   non-integral number.
    public init(fitting labels: [ClassLabel], estimator: String = "MLPClassifier") throws {
        try LabelBinarizer.checkDiscrete(labels)
        encoder = try LabelEncoder(fitting: labels)
        targetType = encoder.classes.count <= 2 ? .binary : .multiclass
    }

    /// Fits on a multilabel indicator matrix.
    /// - Parameter labelCount: the indicator matrix's column count; the classes are 0..<labelCount.
    public init(multilabelCount labelCount: Int) {
        encoder = LabelEncoder(sortedClasses: (0..<labelCount).map { ClassLabel($0) })
        targetType = .multilabelIndicator
    }

    /// Number of output columns of `transform`.
    public var outputCount: Int {
        switch targetType {
        case .binary: return 1
        case .multiclass, .multilabelIndicator: return classes.count
        }
    }

    /// Index of each label in `classes`.
    /// - Parameter labels: labels to encode.
    /// - Returns: one index into `classes` per label.
    /// - Throws: `MLPError.unseenLabels` naming the unseen labels.
    public func indices(of labels: [ClassLabel]) throws -> [Int] {
        try encoder.transform(labels)
    }

    /// Index of each label in `classes` as a floating-point value: the class-index targets of training.
    /// - Parameters:
    ///   - labels: labels to encode.
    ///   - as: the floating-point type of the result.
    /// - Returns: one index into `classes` per label, as `T`.
    /// - Throws: `MLPError.unseenLabels` naming the unseen labels.
    public func indices<T: BinaryFloatingPoint>(of labels: [ClassLabel], as _: T.Type) throws -> [T] {
        try encoder.transform(labels).map { T($0) }
    }

    /// Indicator targets, row-major (n, outputCount).
    /// - Parameters:
    ///   - labels: labels to encode.
    ///   - as: the floating-point type of the result.
    /// - Returns: the indicator rows, (n, outputCount): one 0/1 column for binary, one-hot rows otherwise.
    /// - Throws: `MLPError.unseenLabels` naming the unseen labels.
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

    /// Labels from network outputs (n, outputCount): `classes` at `classIndices(_:rows:)`.
    func inverseTransform<T: BinaryFloatingPoint>(_ outputs: UnsafeBufferPointer<T>, rows: Int) -> [ClassLabel] {
        classIndices(outputs, rows: rows).map { classes[$0] }
    }

    /// The index into `classes` each row of network outputs (n, outputCount) predicts: threshold 0.5 for binary
    /// (`> 0.5` is `classes[1]`, so NaN is `classes[0]`, as sklearn), `argmax` for multiclass.
    func classIndices<T: BinaryFloatingPoint>(_ outputs: UnsafeBufferPointer<T>, rows: Int) -> [Int] {
        let k = outputCount
        switch targetType {
        case .binary:
            return (0..<rows).map { r in outputs[r] > 0.5 && classes.count > 1 ? 1 : 0 }
        case .multiclass:
            return (0..<rows).map { r in MLPCore.argmax(outputs[(r * k)..<(r * k + k)]) }
        case .multilabelIndicator:
            preconditionFailure("use inverseTransformIndicator for multilabel targets")
        }
    }

    /// `argmax` of one row of a flat buffer (PerceptronEngine's validation score reads it so).
    static func argmax<T: BinaryFloatingPoint>(_ x: UnsafeBufferPointer<T>, offset: Int, count: Int) -> Int {
        MLPCore.argmax(UnsafeBufferPointer(rebasing: x[offset..<(offset + count)]))
    }

    /// Refuses what is not a class label: NaN or infinity (sklearn: "Input y contains NaN"), then a non-integral
    /// number (sklearn: "Unknown label type: continuous").
    static func checkDiscrete(_ labels: [ClassLabel]) throws {
        try LabelEncoder.checkFinite(labels)
        if labels.contains(where: { $0.numberValue.map { $0 != $0.rounded() } ?? false }) {
            throw MLPError.continuousTarget
        }
    }
}
