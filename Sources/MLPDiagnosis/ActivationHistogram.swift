// How a hidden layer's outputs are spread over the probe sample: a saturated logistic layer piles up at 0 and 1,
// a dying ReLU layer at 0. Drawn by `mlp diagnose --report`.

/// The outputs of one hidden layer's units on the probe sample, counted in equal-width bins.
public struct ActivationHistogram: Equatable, Sendable {
    /// The hidden layer, 1-based.
    public var layer: Int
    /// The lower edge of the first bin.
    public var lower: Double
    /// The upper edge of the last bin.
    public var upper: Double
    /// The number of values in each bin.
    public var counts: [Int]

    /// Counts `values` in `bins` equal-width bins from their minimum to their maximum (non-finite values skipped).
    /// - Parameters:
    ///   - layer: The hidden layer, 1-based.
    ///   - values: The unit outputs, every row and unit.
    ///   - bins: The number of bins (at least 1).
    public init(layer: Int, values: [Double], bins: Int = 24) {
        self.layer = layer
        let finite = values.filter(\.isFinite)
        lower = finite.min() ?? 0
        upper = finite.max() ?? 0
        if upper == lower { upper = lower + 1 }
        let bins = max(bins, 1)
        counts = [Int](repeating: 0, count: bins)
        let width = (upper - lower) / Double(bins)
        for v in finite { counts[min(Int((v - lower) / width), bins - 1)] += 1 }
    }
}
