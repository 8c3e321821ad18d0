/// How a network's first parameters are drawn. Both draw from numpy's RandomState stream, so a seed
/// gives the same start as the Python program it mirrors.
public enum Initializer: Sendable {
    /// scikit-learn's `_init_coef`: for each layer in order, W ~ U(−b, b) of shape (fan_in, fan_out), then
    /// b ~ U(−b, b) of length fan_out, with b = √(f / (fan_in + fan_out)), f = 2 for a logistic hidden
    /// activation and 6 otherwise (Glorot & Bengio 2010). Draws are Float64 and then converted, as `astype`.
    case glorotUniform
    /// The question's `2 * numpy.random.random(shape) - 1`: every weight matrix in layer order, then every bias.
    case uniformMinusOneToOne

    /// Overwrites every weight and bias of `network` with draws from `random`.
    /// - Parameters:
    ///   - network: the network whose parameters are replaced; its layer sizes give the shapes and, for Glorot
    ///     with the hidden activation, the bounds.
    ///   - random: numpy's RandomState stream, advanced by the draws.
    public func initialize<T: KernelFloat>(_ network: inout Network<T>, using random: inout NumPyRandomState) {
        switch self {
        case .glorotUniform:
            let factor = network.hiddenActivation == .logistic ? 2.0 : 6.0
            for layer in 0..<network.layerCount {
                let fanIn = network.layerSizes[layer], fanOut = network.layerSizes[layer + 1]
                let bound = (factor / Double(fanIn + fanOut)).squareRoot()
                let weights = random.uniform(low: -bound, high: bound, count: fanIn * fanOut)
                let biases = random.uniform(low: -bound, high: bound, count: fanOut)
                network.parameters.replaceSubrange(network.weightRange(ofLayer: layer), with: weights.map { T($0) })
                network.parameters.replaceSubrange(network.biasRange(ofLayer: layer), with: biases.map { T($0) })
            }
        case .uniformMinusOneToOne:
            for layer in 0..<network.layerCount {
                let draws = random.randomSample(count: network.weightRange(ofLayer: layer).count)
                network.parameters.replaceSubrange(network.weightRange(ofLayer: layer), with: draws.map { T(2 * $0 - 1) })
            }
            for layer in 0..<network.layerCount {
                let draws = random.randomSample(count: network.biasRange(ofLayer: layer).count)
                network.parameters.replaceSubrange(network.biasRange(ofLayer: layer), with: draws.map { T(2 * $0 - 1) })
            }
        }
    }
}
