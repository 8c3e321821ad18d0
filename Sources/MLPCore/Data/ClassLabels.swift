// Class labels read as text, sorted the way scikit-learn's `np.unique` sorts them: numerically when every label
// is a number (so "10" comes after "9"), else by Unicode scalar values. Order never depends on hashing.

/// The sorted classes of a label column and each row's class index.
public struct ClassLabels: Equatable, Sendable {
    /// Class names, sorted. Numeric labels are written canonically ("3", not "3.0").
    public var classes: [String]
    /// True when every label was a number.
    public var isNumeric: Bool
    /// Per row, the index into `classes`.
    public var indices: [Int]

    /// Learns the classes of `labels`. A numeric column with non-integer values is a regression target, so it is
    /// refused as scikit-learn does ("Unknown label type: continuous").
    public init(_ labels: [String], column: String? = nil, lines: [Int32] = []) throws {
        var numbers: [Double] = []
        numbers.reserveCapacity(labels.count)
        var allNumeric = true
        for label in labels {
            var copy = label
            let cell = copy.withUTF8 { parseCell($0) }
            guard case .number(let v) = cell else { allNumeric = false; break }
            numbers.append(v)
        }
        isNumeric = allNumeric && !labels.isEmpty
        if isNumeric {
            if let i = numbers.firstIndex(where: { $0 != $0.rounded() }) {
                let place = i < lines.count ? " (line \(lines[i]))" : ""
                throw DataError(.invalidTarget,
                                "Unknown label type: continuous. The target holds non-integer numbers such as "
                                + "\(labels[i])\(place); use --regression to fit a regressor",
                                column: column)
            }
            let distinct = Array(Set(numbers)).sorted()
            classes = distinct.map(ClassLabels.canonical)
            var lookup: [Double: Int] = [:]
            for (i, v) in distinct.enumerated() { lookup[v] = i }
            indices = numbers.map { lookup[$0]! }
        } else {
            classes = Array(Set(labels)).sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
            var lookup: [String: Int] = [:]
            for (i, c) in classes.enumerated() { lookup[c] = i }
            indices = labels.map { lookup[$0]! }
        }
    }

    /// Maps labels to indices of known `classes`; an unseen label is an error naming it and its line.
    public static func encode(_ labels: [String], classes: [String], column: String? = nil,
                              lines: [Int32] = []) throws -> [Int] {
        var lookup: [String: Int] = [:]
        for (i, c) in classes.enumerated() { lookup[c] = i }
        let numericClasses = classes.allSatisfy { var s = $0; return s.withUTF8 { if case .number = parseCell($0) { return true } else { return false } } }
        var out: [Int] = []
        out.reserveCapacity(labels.count)
        for (i, label) in labels.enumerated() {
            var key = label
            if numericClasses {
                var copy = label
                if case .number(let v) = copy.withUTF8({ parseCell($0) }), v == v.rounded() { key = canonical(v) }
            }
            guard let index = lookup[key] else {
                let known = classes.prefix(10).map { "'\($0)'" }.joined(separator: ", ")
                throw DataError(.unknownCategory, "unknown label '\(label)'; the model's classes are \(known)",
                                line: i < lines.count ? Int(lines[i]) : nil, column: column)
            }
            out.append(index)
        }
        return out
    }

    /// Whether every name reads as a number (then the classes are numeric labels).
    public static func areNumeric(_ names: [String]) -> Bool {
        !names.isEmpty && names.allSatisfy { name in
            var copy = name
            return copy.withUTF8 { if case .number = parseCell($0) { return true } else { return false } }
        }
    }

    /// "3" for 3.0, "-1" for -1.0; other values as Swift prints them.
    static func canonical(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}
