extension ClassWeight {
    /// scikit-learn's `compute_class_weight('balanced', classes=np.unique(y), y=y)`: n / (classes × count) for each
    /// class of `y`, the weights ``balanced`` gives a `fit` on these labels. `partialFit` refuses ``balanced``, since
    /// one batch's counts are not the data's: compute the weights from the full training labels (or a large sample
    /// of them) and pass `.perClass(try ClassWeight.balancedWeights(for: allLabels))`.
    /// - Parameters:
    ///   - y: the training labels.
    ///   - sampleWeight: one weight per label, or nil; when given, a class's count is its summed weight, as
    ///     ``balanced`` counts in a fit with sample weights.
    /// - Returns: each class of `y` with its weight; a class whose weights sum to 0 keeps weight 1 and is not counted.
    /// - Throws: `MLPError.inconsistentLength` when `sampleWeight` does not hold one weight per label,
    ///   `MLPError.nonFiniteInput` for a NaN or infinite numeric label.
    public static func balancedWeights(for y: [ClassLabel], sampleWeight: [Double]? = nil) throws -> [ClassLabel: Double] {
        if let sampleWeight, sampleWeight.count != y.count {
            throw MLPError.inconsistentLength("class weights: \(y.count) labels but \(sampleWeight.count) sample weights.")
        }
        let encoder = try LabelEncoder(fitting: y)
        var counts = [Double](repeating: 0, count: encoder.classes.count)
        for (r, c) in try encoder.transform(y).enumerated() { counts[c] += sampleWeight?[r] ?? 1 }
        return Dictionary(uniqueKeysWithValues: zip(encoder.classes, balanced(counts: counts)))
    }

    /// n / (classes present × count) for each class's count (rows or summed sample weights); a class with count 0
    /// is not present and keeps weight 1 (its rows weigh nothing anyway).
    static func balanced(counts: [Double]) -> [Double] {
        let present = Double(counts.filter { $0 > 0 }.count), total = counts.reduce(0, +)
        return counts.map { $0 > 0 ? total / (present * $0) : 1 }
    }
}
