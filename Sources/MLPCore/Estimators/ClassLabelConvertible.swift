// Labels as the caller has them: y as [String] or [Int] fits a classifier without wrapping each value.

/// A value that is a class label as it is: `String` (a string label, verbatim), `Int` (a number) or `ClassLabel`.
public protocol ClassLabelConvertible {
    /// This value as a class label.
    /// - Returns: the label.
    /// - Throws: `MLPError.invalidParameter` when the value has no exact label.
    func classLabel() throws -> ClassLabel
}

extension ClassLabel: ClassLabelConvertible {
    /// The label itself.
    /// - Returns: `self`.
    public func classLabel() -> ClassLabel { self }
}

extension String: ClassLabelConvertible {
    /// A string label with this text verbatim (`"3"` stays a string; use `ClassLabel(parsing:)` for text cells that
    /// may hold numbers).
    /// - Returns: `.string(self)`.
    public func classLabel() -> ClassLabel { .string(self) }
}

extension Int: ClassLabelConvertible {
    /// A numeric label.
    /// - Returns: `.number(Double(self))`.
    /// - Throws: `MLPError.invalidParameter` when the integer has no exact float64 value (some beyond ±2^53), where
    ///   two integers would share one float64 and merge two classes.
    public func classLabel() throws -> ClassLabel {
        guard let exact = Double(exactly: self) else {
            throw MLPError.invalidParameter("The integer label \(self) has no exact float64 value, so it could merge "
                                            + "with a neighbouring class; pass labels beyond ±2^53 as strings.")
        }
        return .number(exact)
    }
}

extension Array where Element: ClassLabelConvertible {
    /// Every element as a class label.
    func classLabels() throws -> [ClassLabel] { try map { try $0.classLabel() } }
}
