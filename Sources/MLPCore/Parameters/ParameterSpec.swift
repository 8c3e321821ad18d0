// One entry of the parameter schema: everything the library, the CLI and the model file need to know about a
// parameter, so that each of them derives its part instead of repeating it.

/// The two estimators, as scikit-learn names them in its messages.
public enum MLPEstimator: String, CaseIterable, Sendable, Codable {
    /// `MLPClassifier`.
    case classifier = "MLPClassifier"
    /// `MLPRegressor`.
    case regressor = "MLPRegressor"
}

/// One hyper-parameter: its names, default, constraints and help line, and how to read and write it in
/// `MLPParameters` through its Python-side form (`ParameterValue`).
public struct ParameterSpec: Sendable {
    /// scikit-learn's name: `learning_rate_init`.
    public let sklearnName: String
    /// The Swift property of `MLPParameters`, scikit-learn's name in lowerCamel: `learningRateInit`.
    public var name: String {
        let words = sklearnName.split(separator: "_")
        return String(words[0]) + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
    /// The command-line flag, without the dashes: `learning-rate-init`.
    public var flag: String { String(sklearnName.map { $0 == "_" ? "-" : $0 }) }
    /// The default (scikit-learn 1.9's for its own parameters).
    public let defaultValue: ParameterValue
    /// The value satisfies at least one (scikit-learn's `_parameter_constraints` entry).
    public let constraints: [ParameterConstraint]
    /// The estimators that take it.
    public let estimators: [MLPEstimator]
    /// True for the options scikit-learn does not have (dropout, class_weight...).
    public let isBeyondScikitLearn: Bool
    /// One line for `--help` and the docs.
    public let help: String
    /// What `--help` shows as the value: `n|auto`.
    public let valueName: String?

    let read: @Sendable (MLPParameters) -> ParameterValue
    let write: @Sendable (inout MLPParameters, ParameterValue) -> Bool
    let parse: @Sendable (String) -> ParameterValue?
    /// A check beyond the constraints, with its own message (sklearn's "hidden_layer_sizes must be > 0").
    let check: @Sendable (ParameterValue) -> String?

    init<Value>(_ keyPath: WritableKeyPath<MLPParameters, Value> & Sendable, _ sklearnName: String,
                default defaultValue: ParameterValue, _ coding: ParameterCoding<Value>,
                _ constraints: [ParameterConstraint], estimators: [MLPEstimator] = MLPEstimator.allCases,
                beyondScikitLearn: Bool = false, valueName: String? = nil, help: String,
                check: @escaping @Sendable (ParameterValue) -> String? = { _ in nil }) {
        self.sklearnName = sklearnName
        self.defaultValue = defaultValue
        self.constraints = constraints
        self.estimators = estimators
        self.isBeyondScikitLearn = beyondScikitLearn
        self.help = help
        self.valueName = valueName
        self.check = check
        read = { coding.value($0[keyPath: keyPath]) }
        write = { parameters, value in
            guard let v = coding.make(value) else { return false }
            parameters[keyPath: keyPath] = v
            return true
        }
        parse = coding.parse
    }

    /// The default as a command line writes it: `100`, `auto`, `10`, `None`.
    public var defaultArgument: String {
        switch defaultValue {
        case .string(let s): return s
        case .ints(let list): return list.map(String.init).joined(separator: ",")
        default: return defaultValue.pythonRepr
        }
    }

    /// The strings a str option accepts (`['lbfgs', 'sgd', 'adam']`); empty when it takes none.
    public var choices: [String] {
        constraints.flatMap { constraint -> [String] in
            if case .options(let names) = constraint { return names }
            return []
        }
    }

    /// The parameter's current value in `parameters`.
    /// - Parameter parameters: the parameters to read.
    /// - Returns: the value, in the schema's value type.
    public func value(in parameters: MLPParameters) -> ParameterValue { read(parameters) }

    /// The error for a value that satisfies none of the constraints, in scikit-learn's words.
    func invalid(_ got: String, estimator: MLPEstimator) -> MLPError {
        .invalidParameter("The '\(sklearnName)' parameter of \(estimator.rawValue) must be "
                          + "\(constraints.sklearnDescription). Got \(got) instead.")
    }

    /// Checks `value` against the constraints (and the extra check), as scikit-learn's `validate_params` does.
    func validate(_ value: ParameterValue, estimator: MLPEstimator) throws {
        guard constraints.contains(where: { $0.isSatisfied(by: value) }) else {
            throw invalid(value.pythonRepr, estimator: estimator)
        }
        if let message = check(value) { throw MLPError.invalidParameter(message) }
    }
}

/// How a Swift property type maps to and from its Python-side form and its command-line text.
struct ParameterCoding<Value>: Sendable {
    let value: @Sendable (Value) -> ParameterValue
    let make: @Sendable (ParameterValue) -> Value?
    let parse: @Sendable (String) -> ParameterValue?
}

extension ParameterCoding where Value == Int {
    static var int: Self {
        Self(value: { .int($0) }, make: { $0.exactInt }, parse: { Int($0).map(ParameterValue.int) })
    }
}

extension ParameterCoding where Value == Int? {
    /// nil is `none` (`.none` for random_state, `'auto'` for batch_size), which the text `noneText` also gives.
    static func optionalInt(none: ParameterValue, noneText: [String]) -> Self {
        Self(value: { $0.map(ParameterValue.int) ?? none },
             make: { value -> Int?? in
                 if value == none { return .some(nil) }
                 guard let i = value.exactInt else { return nil }
                 return .some(i)
             },
             parse: { noneText.contains($0) ? none : Int($0).map(ParameterValue.int) })
    }
}

extension ParameterCoding where Value == Double {
    static var real: Self { Self(value: { .real($0) }, make: { $0.number }, parse: parseReal) }

    /// An int held in a Double, or infinity (n_iter_no_change): integral values read as Python ints, of any size.
    /// Integer text is parsed exactly; beyond Int's range it is held as Int.max (or Int.min), and a Double holds it
    /// to 53 bits: no fit runs 2⁵³ epochs, so such counts all mean "never", as inf does.
    static var intOrInfinity: Self {
        Self(value: { v in
                 guard v.isFinite && v == v.rounded() else { return .real(v) }
                 return .int(v >= 0x1p63 ? .max : v <= -0x1p63 ? .min : Int(v))
             },
             make: { $0.number },
             parse: { text in
                 let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
                 guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return parseReal(text) }
                 return .int(Int(text) ?? (text.first == "-" ? .min : .max))
             })
    }

    private static func parseReal(_ text: String) -> ParameterValue? {
        switch text.lowercased() {
        case "inf", "+inf", "infinity": return .real(.infinity)
        case "-inf", "-infinity": return .real(-.infinity)
        case "nan": return .real(.nan)
        default: return Double(text).map(ParameterValue.real)
        }
    }
}

extension ParameterCoding where Value == Bool {
    static var bool: Self {
        Self(value: { .bool($0) }, make: { if case .bool(let b) = $0 { b } else { nil } }, parse: parseBool)
    }

    static func parseBool(_ text: String) -> ParameterValue? {
        switch text.lowercased() {
        case "true", "1", "yes": return .bool(true)
        case "false", "0", "no": return .bool(false)
        default: return nil
        }
    }
}

extension ParameterCoding where Value == Bool? {
    static var optionalBool: Self {
        Self(value: { $0.map(ParameterValue.bool) ?? .none },
             make: {
                 switch $0 {
                 case .none: return .some(nil)
                 case .bool(let b): return .some(b)
                 default: return nil
                 }
             },
             parse: { ["None", "none"].contains($0) ? ParameterValue.none : ParameterCoding<Bool>.parseBool($0) })
    }
}

extension ParameterCoding where Value == [Int] {
    /// "100,50", "(100, 50)", "[100]", Python's one-element tuple "(100,)", or sizes between spaces without a comma
    /// ("100 50", as a shell user types a list); "" or "()" is no hidden layer. An empty element ("5,,5", ",5") is
    /// refused, as Python refuses `(5,,5)`, rather than read as fewer layers.
    static var intList: Self {
        Self(value: { .ints($0) },
             make: {
                 switch $0 {
                 case .ints(let list): return list
                 case .int(let n): return [n]
                 default: return nil
                 }
             },
             parse: { text in
                 func trimmed(_ s: Substring) -> Substring {
                     s.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed().reduce(into: "") { $0.append($1) }
                 }
                 var body = trimmed(Substring(text))
                 if let open = body.first, let close = body.last, body.count >= 2,
                    (open, close) == ("(", ")") || (open, close) == ("[", "]") {
                     body = trimmed(body.dropFirst().dropLast())
                 }
                 if body.isEmpty { return .ints([]) }
                 let commas = body.contains(",")
                 if body.last == "," { body = body.dropLast() }  // (100,)
                 let parts = commas ? body.split(separator: ",", omittingEmptySubsequences: false).map(trimmed)
                                    : body.split(separator: " ")
                 let sizes = parts.compactMap { Int($0) }
                 return sizes.count == parts.count ? .ints(sizes) : nil
             })
    }
}

extension ParameterCoding where Value: RawRepresentable & Sendable, Value.RawValue == String {
    /// A str option: the enum's raw values are scikit-learn's spellings.
    static var choice: Self {
        Self(value: { .string($0.rawValue) },
             make: { if case .string(let s) = $0 { Value(rawValue: s) } else { nil } },
             parse: { .string($0) })
    }
}

extension ParameterCoding where Value == ClassWeight? {
    /// None, 'balanced' or {label: weight}; on the command line `balanced` or `LABEL=W,LABEL=W`.
    static var classWeight: Self {
        Self(value: {
                 switch $0 {
                 case nil: return .none
                 case .balanced?: return .string("balanced")
                 case .perClass(let map)?: return .classWeights(map)
                 }
             },
             make: {
                 switch $0 {
                 case .none: return .some(nil)
                 case .string("balanced"): return .some(ClassWeight.balanced)
                 case .classWeights(let map): return .some(ClassWeight.perClass(map))
                 default: return nil
                 }
             },
             parse: { text in
                 if text == "balanced" { return .string(text) }
                 if text == "None" || text == "none" { return ParameterValue.none }
                 var map: [ClassLabel: Double] = [:]
                 for entry in text.split(separator: ",") {
                     guard let equals = entry.lastIndex(of: "="), let weight = Double(entry[entry.index(after: equals)...]) else {
                         return nil
                     }
                     map[ClassLabel(parsing: String(entry[..<equals]))] = weight
                 }
                 return map.isEmpty ? nil : .classWeights(map)
             })
    }
}

extension ParameterValue {
    /// The int held by `.int`, or by an integral `.real`.
    var exactInt: Int? {
        switch self {
        case .int(let i): return i
        case .real(let d) where d == d.rounded() && abs(d) < 1e15: return Int(d)
        default: return nil
        }
    }
}
