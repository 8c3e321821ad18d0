// The one argmax of the package: a classifier's predicted class, its validation score and the CLI all use it.

/// The position of the first largest value, as numpy's `argmax` (which scikit-learn's `predict` uses): ties go to
/// the first, and NaN counts as larger than every number, so the first NaN wins. 0 for no values.
/// - Parameter values: one row of scores, e.g. a classifier's outputs for one sample.
/// - Returns: the 0-based offset of the maximum from `values.startIndex`.
public func argmax<Values: Collection>(_ values: Values) -> Int where Values.Element: FloatingPoint {
    var best = 0
    var bestValue = -Values.Element.infinity
    for (offset, value) in values.enumerated() {
        if value.isNaN { return offset }
        if value > bestValue {
            best = offset
            bestValue = value
        }
    }
    return best
}
