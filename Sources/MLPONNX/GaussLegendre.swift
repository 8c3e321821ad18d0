// erf in float64 from standard ONNX operators. onnxruntime has no float64 Erf kernel, so a float64 GELU uses
//   erf(z) = (2/√π) · z · ∫₀¹ e^{−z²s²} ds ≈ z · Σₖ wₖ · e^{−(z·tₖ)²},
// with the positive nodes tₖ of the 64-point Gauss–Legendre rule (the integrand is even) and wₖ scaled by 2/√π.
// On |z| ≤ 6 (beyond it erf is ±1 in float64) the rule is within 3e-15 of the C library's erf.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum GaussLegendre {
    /// The points of the rule with this many nodes on [−1, 1]; half of them are used.
    static let order = 64
    /// Where erf reaches ±1 in float64 (erfc(6) ≈ 2e-17 is below half an ulp of 1).
    static let erfSaturation = 6.0

    /// The positive nodes of the `order`-point rule and their weights times 2/√π, by Newton's method on P_n.
    static let erfNodes: (nodes: [Double], weights: [Double]) = {
        let n = order
        var nodes: [Double] = [], weights: [Double] = []
        for i in 1...(n / 2) {
            var t = cos(Double.pi * (Double(i) - 0.25) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                // P_n(t) by the three-term recurrence, and P_n'(t) from P_n and P_{n−1}.
                var (p0, p1) = (1.0, t)
                for k in 2...n { (p0, p1) = (p1, ((2 * Double(k) - 1) * t * p1 - (Double(k) - 1) * p0) / Double(k)) }
                derivative = Double(n) * (t * p1 - p0) / (t * t - 1)
                let step = p1 / derivative
                t -= step
                if abs(step) < 1e-17 { break }
            }
            nodes.append(t)
            weights.append(2 / ((1 - t * t) * derivative * derivative) * 2 / Double.pi.squareRoot())
        }
        return (nodes, weights)
    }()
}
