// scikit-learn's `sklearn.utils._param_validation` constraints, as far as the MLP parameters use them. A
// parameter lists several; its value is valid when it satisfies any one, and the error names them all.

/// One constraint a parameter value may satisfy (scikit-learn's `Interval`, `StrOptions`, `Options`, None...).
public enum ParameterConstraint: Hashable, Sendable {
    /// An end of an interval.
    public enum Bound: Hashable, Sendable {
        /// Includes the value: `[0.0` or `1.0]`.
        case closed(Double)
        /// Excludes the value: `(0.0` or `1.0)`.
        case open(Double)
        /// No limit: `-inf` or `inf`, both excluded.
        case unbounded
    }

    /// `Interval(Integral, low, high)`: an int.
    case integer(Bound, Bound)
    /// `Interval(Real, low, high)`: a float or an int, never nan.
    case real(Bound, Bound)
    /// `StrOptions({...})`: one of these strings, listed in this order.
    case options([String])
    /// `Options(Real, {...})`: one of these floats (`{inf}` for n_iter_no_change).
    case realOptions([Double])
    /// `"boolean"`.
    case boolean
    /// `"array-like"`.
    case arrayLike
    /// `dict`.
    case dictionary
    /// `None`.
    case none

    /// scikit-learn's description: "a float in the range [0.0, 1.0)", "a str among {'auto'}", "None".
    public var description: String {
        switch self {
        case .integer(let low, let high):
            return "an int in the range \(Self.text(low, isLow: true, integer: true)), \(Self.text(high, isLow: false, integer: true))"
        case .real(let low, let high):
            return "a float in the range \(Self.text(low, isLow: true, integer: false)), \(Self.text(high, isLow: false, integer: false))"
        case .options(let names): return "a str among {" + names.map { "'\($0)'" }.joined(separator: ", ") + "}"
        case .realOptions(let values): return "a float among {" + values.map(ParameterValue.repr).joined(separator: ", ") + "}"
        case .boolean: return "an instance of 'bool'"
        case .arrayLike: return "an array-like"
        case .dictionary: return "an instance of 'dict'"
        case .none: return "None"
        }
    }

    /// Whether `value` satisfies this constraint.
    /// - Parameter value: the value to check.
    /// - Returns: true when the value has the constraint's type and lies in its range or among its options.
    public func isSatisfied(by value: ParameterValue) -> Bool {
        switch (self, value) {
        case (.integer(let low, let high), .int(let i)): return Self.contains(Double(i), low, high)
        case (.real(let low, let high), _):
            guard let v = value.number, !v.isNaN else { return false }
            return Self.contains(v, low, high)
        case (.options(let names), .string(let s)): return names.contains(s)
        case (.realOptions(let values), .real(let v)): return values.contains(v)
        case (.boolean, .bool), (.arrayLike, .ints), (.dictionary, .classWeights), (.none, .none): return true
        default: return false
        }
    }

    private static func contains(_ v: Double, _ low: Bound, _ high: Bound) -> Bool {
        let aboveLow: Bool
        switch low {
        case .closed(let l): aboveLow = v >= l
        case .open(let l): aboveLow = v > l
        case .unbounded: aboveLow = v > -.infinity
        }
        switch high {
        case .closed(let h): return aboveLow && v <= h
        case .open(let h): return aboveLow && v < h
        case .unbounded: return aboveLow && v < .infinity
        }
    }

    private static func text(_ bound: Bound, isLow: Bool, integer: Bool) -> String {
        func number(_ v: Double) -> String { integer ? String(Int(v)) : ParameterValue.repr(v) }
        switch bound {
        case .closed(let v): return isLow ? "[\(number(v))" : "\(number(v))]"
        case .open(let v): return isLow ? "(\(number(v))" : "\(number(v)))"
        case .unbounded: return isLow ? "(-inf" : "inf)"
        }
    }
}

extension Array where Element == ParameterConstraint {
    /// sklearn's joined form: "a str among {'auto'} or an int in the range [1, inf)"; "A, B or C".
    var sklearnDescription: String {
        let parts = map(\.description)
        guard parts.count > 1 else { return parts.first ?? "" }
        return parts.dropLast().joined(separator: ", ") + " or " + parts.last!
    }
}
