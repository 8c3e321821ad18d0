/// Every intermediate of a forward and backward pass over a batch of up to `maxRows` rows, allocated once so that
/// training allocates nothing per batch.
///
/// Pointer invariants: every pointer is owned by this value, allocated by `init` (the dropout ones by
/// `allocateDropout`), freed by `deallocate()`, and holds `maxRows` rows of its layer's width n_l, row-major.
/// Per-layer arrays are indexed by layer l in 0...L (input 0, output L); index 0 is never a buffer of its own,
/// because the first layer reads the caller's X in place.
struct BatchBuffers<T: KernelFloat> {
    /// activations[l]: (maxRows, n_l), the outputs a_l = f(z_l) of layer l ≥ 1. activations[0] is one unused element.
    let activations: [UnsafeMutablePointer<T>]
    /// preActivations[l]: (maxRows, n_l), z_l, only where the derivative needs the input (gelu, silu) or the output
    /// activation is not elementwise (softmax); nil elsewhere.
    let preActivations: [UnsafeMutablePointer<T>?]
    /// deltas[l]: (maxRows, n_l), ∂loss/∂z_l times each row's sample weight, for l ≥ 1. deltas[0] is unused.
    let deltas: [UnsafeMutablePointer<T>]
    /// rowLosses: (maxRows), each row's weighted loss in the last pass, summed in row order afterwards.
    let rowLosses: UnsafeMutablePointer<T>
    /// masks[l], maskedActivations[l]: (maxRows, n_l) for hidden layers 1..<L once dropout is on, else nil.
    /// The mask holds 0 or 1/(1−p); the masked copy a_l ⊙ mask is what layer l+1 reads while training.
    private(set) var masks: [UnsafeMutablePointer<T>?]
    private(set) var maskedActivations: [UnsafeMutablePointer<T>?]

    init(layerSizes: [Int], maxRows: Int, hiddenActivation: Activation, outputActivation: Activation) {
        let last = layerSizes.count - 1
        activations = layerSizes.enumerated().map { index, width in
            .allocate(capacity: index == 0 ? 1 : maxRows * width)
        }
        deltas = layerSizes.enumerated().map { index, width in .allocate(capacity: index == 0 ? 1 : maxRows * width) }
        preActivations = layerSizes.enumerated().map { index, width in
            let activation = index == last ? outputActivation : hiddenActivation
            return index > 0 && (activation.derivativeNeedsInput || (index == last && !activation.isElementwise))
                ? .allocate(capacity: maxRows * width) : nil
        }
        rowLosses = .allocate(capacity: maxRows)
        masks = Array(repeating: nil, count: layerSizes.count)
        maskedActivations = Array(repeating: nil, count: layerSizes.count)
    }

    /// Allocates the dropout masks and masked copies of the hidden layers, once.
    mutating func allocateDropout(layerSizes: [Int], maxRows: Int) {
        for layer in 1..<(layerSizes.count - 1) where masks[layer] == nil {
            masks[layer] = .allocate(capacity: maxRows * layerSizes[layer])
            maskedActivations[layer] = .allocate(capacity: maxRows * layerSizes[layer])
        }
    }

    func deallocate() {
        masks.forEach { $0?.deallocate() }
        maskedActivations.forEach { $0?.deallocate() }
        activations.forEach { $0.deallocate() }
        deltas.forEach { $0.deallocate() }
        preActivations.forEach { $0?.deallocate() }
        rowLosses.deallocate()
    }
}
