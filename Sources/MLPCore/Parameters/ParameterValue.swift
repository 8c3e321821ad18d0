// A parameter's value as scikit-learn sees it (a Python object), so that one validator, one encoder and one
// repr serve every parameter whatever its Swift type.

/// The Python-side form of a parameter value: what `get_params()` would return.
public enum ParameterValue: Hashable, Sendable {
    /// `None`.
    case none
    /// `True` / `False`.
    case bool(Bool)
    /// A Python int.
    case int(Int)
    /// A Python float (may be `inf` or `nan`).
    case real(Double)
    /// A Python str (an option such as `'adam'` or `'auto'`).
    case string(String)
    /// A sequence of ints (`hidden_layer_sizes`).
    case ints([Int])
    /// A dict from class label to weight (`class_weight`).
    case classWeights([ClassLabel: Double])

    /// Python's `repr` of the value: `1e-05`, `(100,)`, `'adam'`, `None`, `{0: 2.0, 'b': 1.0}`.
    public var pythonRepr: String {
        switch self {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .real(let d): return Self.repr(d)
        case .string(let s): return "'\(s)'"
        case .ints(let list): return list.count == 1 ? "(\(list[0]),)" : "(" + list.map(String.init).joined(separator: ", ") + ")"
        case .classWeights(let map):
            let entries = map.sorted { $0.key < $1.key }.map { "\(Self.repr($0.key)): \(Self.repr($0.value))" }
            return "{" + entries.joined(separator: ", ") + "}"
        }
    }

    /// Python's repr of a float: 1.0, -1.0, 1e-05, inf, nan.
    static func repr(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == v.rounded(), abs(v) < 1e16 { return String(printf: "%.1f", v) }
        return "\(v)"
    }

    /// A label as Python prints it: a number bare, a string quoted.
    static func repr(_ label: ClassLabel) -> String {
        label.numberValue != nil ? label.description : "'\(label.description)'"
    }

    /// The number held by `.int` or `.real`.
    var number: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .real(let d): return d
        default: return nil
        }
    }
}

// JSON as scikit-learn's names would serialize it: None → null, floats that JSON cannot hold → "inf"/"-inf"/"nan",
// `class_weight` dicts → [[label, weight], ...] (JSON object keys could not tell the label 1 from "1").
extension ParameterValue: Codable {
    /// Reads any JSON value a parameter can hold; which Swift type it becomes is the parameter's business.
    /// - Parameter decoder: the decoder holding one value.
    /// - Throws: `DecodingError` for a value of no parameter kind (e.g. an object).
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .none; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let i = try? c.decode(Int.self) { self = .int(i); return }
        if let d = try? c.decode(Double.self) {
            self = d == d.rounded() && abs(d) < 1e15 ? .int(Int(d)) : .real(d)
            return
        }
        if let s = try? c.decode(String.self) {
            switch s {
            case "inf", "Infinity": self = .real(.infinity)
            case "-inf", "-Infinity": self = .real(-.infinity)
            case "nan", "NaN": self = .real(.nan)
            default: self = .string(s)
            }
            return
        }
        if let list = try? c.decode([Int].self) { self = .ints(list); return }
        let pairs = try c.decode([ClassWeightEntry].self)
        self = .classWeights(Dictionary(pairs.map { ($0.label, $0.weight) }, uniquingKeysWith: { _, last in last }))
    }

    /// Writes the JSON form: null, a bool, a number, a string ("inf" for infinity), a list or label/weight pairs.
    /// - Parameter encoder: the encoder to write one value to.
    /// - Throws: the encoder's errors.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .none: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .real(let d): if d.isFinite { try c.encode(d) } else { try c.encode(Self.repr(d)) }
        case .string(let s): try c.encode(s)
        case .ints(let list): try c.encode(list)
        case .classWeights(let map):
            try c.encode(map.sorted { $0.key < $1.key }.map { ClassWeightEntry(label: $0.key, weight: $0.value) })
        }
    }

    /// One `[label, weight]` pair of a `class_weight` dict.
    private struct ClassWeightEntry: Codable {
        var label: ClassLabel
        var weight: Double

        init(label: ClassLabel, weight: Double) { self.label = label; self.weight = weight }

        init(from decoder: Decoder) throws {
            var c = try decoder.unkeyedContainer()
            label = try c.decode(ClassLabel.self)
            weight = try c.decode(Double.self)
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.unkeyedContainer()
            try c.encode(label)
            try c.encode(weight)
        }
    }
}
