import Foundation

// Numbers as people read them: scores to 4 decimals, quantities to 4 significant digits, durations in seconds.
extension Output {
    /// Four significant digits, without an exponent for everyday magnitudes ("48.75", "0.001234", "1.235e+06").
    static func significant(_ v: Double, _ digits: Int = 4) -> String {
        guard v.isFinite else { return "\(v)" }
        let magnitude = abs(v)
        if magnitude != 0 && (magnitude >= 1e6 || magnitude < 1e-4) { return String(format: "%.\(digits - 1)e", v) }
        let integerDigits = magnitude < 1 ? 1 : Int(log10(magnitude)) + 1
        let decimals = max(0, digits - integerDigits + (magnitude < 1 && magnitude > 0 ? -Int(floor(log10(magnitude))) - 1 : 0))
        return String(format: "%.\(decimals)f", v)
    }

    /// A duration: "0.42 s", "12.3 s", "2:05".
    static func seconds(_ s: Double) -> String {
        if s < 10 { return String(format: "%.2f s", s) }
        if s < 60 { return String(format: "%.1f s", s) }
        let whole = Int(s.rounded())
        return String(format: "%d:%02d", whole / 60, whole % 60)
    }
}
