// The validation rows of early stopping on a stream. An in-memory fit draws train_test_split's permutation of
// n indices; a stream cannot hold n indices (27 M rows: 216 MB), so row i is held out when a hash of (seed, i)
// falls below validation_fraction · 2⁶⁴. The subset is fixed for a seed (drawn from the fit's RandomState), takes
// no memory per row, and holds about validation_fraction of the rows (not exactly, and not stratified).

/// Which rows of a streamed fit early stopping holds out.
struct HeldOutRows: Sendable {
    let seed: UInt64
    let threshold: UInt64

    init(fraction: Double, seed: UInt64) {
        self.seed = seed
        let scaled = fraction * 0x1p64
        threshold = scaled >= 0x1p64 ? .max : UInt64(max(0, scaled))
    }

    /// True when row `row` is a validation row.
    @inline(__always)
    func contains(_ row: Int) -> Bool {
        // splitmix64's finalizer: every bit of (seed, row) reaches every bit of the result.
        var z = seed &+ UInt64(truncatingIfNeeded: row) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31) < threshold
    }
}
