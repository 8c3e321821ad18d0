import MLPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// A step size or penalty as short text that reads back as the same value: 0.001, 1e-05. Values a ×10 or ÷10
    /// left with a binary remainder (0.1 × 0.001 = 1.0000000000000002e-06) print as the decimal they stand for.
    static func number(_ v: Double) -> String {
        "\(rounded(v))"
    }

    /// `v` to 12 significant digits: the value a fix is trained with is the one its flag prints.
    static func rounded(_ v: Double) -> Double {
        guard v.isFinite, v != 0 else { return v }
        let digits = 11 - Int(floor(log10(abs(v))))
        guard abs(digits) <= 22 else { return v }
        let power = pow(10, Double(abs(digits)))
        let r = digits >= 0 ? (v * power).rounded() / power : (v / power).rounded() * power
        return r.isFinite ? r : v
    }
}
