/// How training targets are laid out.
public enum TargetLayout: Sendable {
    /// One row of n_outputs values per sample: regression targets, binarized or multilabel classes.
    case rows
    /// One class index per sample, stored as a value of the element type: the multiclass log-loss's one-hot
    /// rows without the n × n_classes matrix.
    case classIndices

    /// Values stored per sample.
    /// - Parameter outputs: the network's output units.
    public func width(outputs: Int) -> Int { self == .rows ? outputs : 1 }
}
