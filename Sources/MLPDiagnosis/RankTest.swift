#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one-sided Mann–Whitney rank test: is a fix's score distribution above the baseline's? Exact (every split of
/// the pooled scores, so ties count as they fall) for up to 16 runs, a normal approximation beyond.
enum RankTest {
    /// The probability, with no real difference, of a rank sum at least as favourable to `after` as observed.
    static func pValue(before: [Double], after: [Double]) -> Double {
        let pooled = before + after
        let m = after.count
        guard !before.isEmpty, m > 0 else { return 1 }
        let observed = statistic(after, against: before)
        if pooled.count <= 16 {
            var atLeast = 0, total = 0
            forEachSubset(of: pooled.count, size: m) { chosen in
                var a: [Double] = [], b: [Double] = []
                for i in pooled.indices { if chosen[i] { a.append(pooled[i]) } else { b.append(pooled[i]) } }
                total += 1
                if statistic(a, against: b) >= observed - 1e-9 { atLeast += 1 }
            }
            return Double(atLeast) / Double(total)
        }
        let n = Double(before.count), mm = Double(m)
        let mean = n * mm / 2, sd = (n * mm * (n + mm + 1) / 12).squareRoot()
        return 0.5 * erfc((observed - 0.5 - mean) / sd / 2.0.squareRoot())
    }

    /// U: pairs where `a` beats `b`, ties counting one half.
    static func statistic(_ a: [Double], against b: [Double]) -> Double {
        var u = 0.0
        for x in a { for y in b { u += x > y ? 1 : x == y ? 0.5 : 0 } }
        return u
    }

    private static func forEachSubset(of count: Int, size: Int, _ body: ([Bool]) -> Void) {
        var chosen = [Bool](repeating: false, count: count)
        func recurse(_ start: Int, _ left: Int) {
            if left == 0 { body(chosen); return }
            guard start < count, count - start >= left else { return }
            chosen[start] = true
            recurse(start + 1, left - 1)
            chosen[start] = false
            recurse(start + 1, left)
        }
        recurse(0, size)
    }
}
