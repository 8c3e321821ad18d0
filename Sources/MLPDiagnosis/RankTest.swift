#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rank tests for a fix's runs against the baseline's.
enum RankTest {
    /// The one-sided Wilcoxon signed-rank test: the probability, with no real difference, of a positive rank sum
    /// at least as large as observed. Zero differences are dropped; ties share their mean rank. Exact (every sign
    /// assignment) for up to 20 differences, beyond them the normal approximation with continuity correction and
    /// the variance less Σ(t³ − t)/48 over groups of t ties (scipy's `wilcoxon(method="approx", correction=True)`).
    static func signedRankPValue(_ differences: [Double]) -> Double {
        let nonzero = differences.filter { $0 != 0 && $0.isFinite }
        guard !nonzero.isEmpty else { return 1 }
        let order = nonzero.indices.sorted { abs(nonzero[$0]) < abs(nonzero[$1]) }
        var ranks = [Double](repeating: 0, count: nonzero.count)
        var tieTerm = 0.0   // Σ(t³ − t) over groups of t tied |differences|
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && abs(nonzero[order[j + 1]]) == abs(nonzero[order[i]]) { j += 1 }
            for k in i...j { ranks[order[k]] = Double(i + j + 2) / 2 }
            let t = Double(j - i + 1)
            tieTerm += t * t * t - t
            i = j + 1
        }
        let observed = zip(nonzero, ranks).filter { $0.0 > 0 }.map(\.1).reduce(0, +)
        let n = nonzero.count
        if n <= 20 {
            var atLeast = 0
            for signs in 0..<(1 << n) {
                var sum = 0.0
                for k in 0..<n where signs & (1 << k) != 0 { sum += ranks[k] }
                if sum >= observed - 1e-9 { atLeast += 1 }
            }
            return Double(atLeast) / Double(1 << n)
        }
        let mean = Double(n * (n + 1)) / 4, sd = (Double(n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48).squareRoot()
        return 0.5 * erfc((observed - 0.5 - mean) / sd / 2.0.squareRoot())
    }
}
