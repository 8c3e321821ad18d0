import MLPCore

/// `mlp train` flags for a setup: every parameter that differs from its default, then the tool's own options.
enum TrainFlags {
    static func render(_ setup: TrialSetup, regression: Bool) -> [String] {
        let estimator: MLPEstimator = regression ? .regressor : .classifier
        let defaults = MLPParameters()
        var flags: [String] = regression ? ["--regression"] : []
        for spec in ParameterSchema.specs(for: estimator) where !["verbose", "warm_start"].contains(spec.sklearnName) {
            let value = spec.value(in: setup.parameters)
            guard value != spec.value(in: defaults) else { continue }
            switch value {
            case .none:
                if spec.sklearnName == "stratify_validation_split" { continue }
                flags += ["--\(spec.flag)", "None"]
            case .bool(let on): flags.append(on ? "--\(spec.flag)" : "--no-\(spec.flag)")
            case .int(let i): flags += ["--\(spec.flag)", String(i)]
            case .real(let d): flags += ["--\(spec.flag)", number(d)]
            case .string(let s): flags += ["--\(spec.flag)", s]
            case .ints(let list): flags += ["--\(spec.flag)", list.map(String.init).joined(separator: ",")]
            case .classWeights(let map):
                let entries = map.sorted { $0.key < $1.key }.map { "\($0.key.description):\(number($0.value))" }
                flags += ["--\(spec.flag)", entries.joined(separator: ",")]
            }
        }
        flags += ["--scale", setup.scaling.rawValue]
        if setup.scaleTarget { flags += ["--scale-target", "standard"] }
        return flags
    }

    /// A step size or penalty as short text that reads back as the same value: 0.001, 1e-05.
    static func number(_ v: Double) -> String {
        let rounded = Double(String(v)) ?? v
        return "\(rounded)"
    }
}
