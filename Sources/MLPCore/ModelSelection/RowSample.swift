// Which rows a sample keeps: the same indices for a table in memory and for a cache on disk, so that a diagnosis of
// a sample sees the same rows whichever way the file was read.

/// A uniform random sample of row indices.
public enum RowSample {
    /// `count` distinct indices of `0..<n` (all of them when `count` is at least `n`), sorted. Floyd's algorithm:
    /// every subset equally likely, `count` draws from `RandomState(randomState)` and memory for the sample only,
    /// however large `n`.
    ///
    /// - Parameters:
    ///   - count: How many rows to keep; positive.
    ///   - n: How many rows there are.
    ///   - randomState: The seed, in 0...2³² − 1.
    /// - Returns: The kept rows' indices, ascending.
    public static func indices(_ count: Int, of n: Int, randomState: Int) -> [Int] {
        guard count < n else { return Array(0..<n) }
        var random = NumPyRandomState(seed: randomState)
        var chosen = Set<Int>(minimumCapacity: count)
        for j in (n - count)..<n {
            let t = random.randint(low: 0, high: j + 1)
            chosen.insert(chosen.contains(t) ? j : t)
        }
        return chosen.sorted()
    }
}
