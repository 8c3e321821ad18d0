/// A fully connected network: its layer sizes, activations and ONE flat parameter buffer.
///
/// Parameter layout is scikit-learn's `_pack`: every weight matrix, row-major (fan_in, fan_out), layer after layer,
/// then every bias vector. Per-layer views are ranges into `parameters`, so an optimizer is one loop over the buffer.
public struct Network<T: KernelFloat>: Equatable, Sendable {
    /// Units per layer, input first: `[nFeatures, hidden..., nOutputs]`.
    public let layerSizes: [Int]
    /// The activation of every hidden layer (scikit-learn's `activation`).
    public var hiddenActivation: Activation
    /// The activation of the output layer (scikit-learn's `out_activation_`).
    public var outputActivation: Activation
    /// Every weight, then every bias, in scikit-learn's `_pack` order; see `weightRange(ofLayer:)` and
    /// `biasRange(ofLayer:)`.
    public var parameters: [T]

    /// Number of weight layers (scikit-learn's `n_layers_ - 1`).
    public var layerCount: Int { layerSizes.count - 1 }
    /// The number of input features (scikit-learn's `n_features_in_`).
    public var inputCount: Int { layerSizes[0] }
    /// The number of output units (scikit-learn's `n_outputs_`).
    public var outputCount: Int { layerSizes[layerSizes.count - 1] }
    /// The number of weights (not biases): the part of the buffer the L2 penalty covers.
    public var weightCount: Int { weightOffsets[layerCount] }

    private let weightOffsets: [Int]
    private let biasOffsets: [Int]

    /// The length `parameters` must have for `layerSizes`: every weight and every bias.
    public var parameterCount: Int { biasOffsets[layerCount] }

    /// `parameters` is a public buffer a caller may replace; everything that reads it through pointers (prediction,
    /// training, saving) checks its length first, so a wrong one is an error instead of a read past its end.
    /// - Parameter owner: the estimator named in the message.
    func checkParameterCount(owner: String) throws {
        guard parameters.count != parameterCount else { return }
        throw MLPError.inconsistentLength("The network of \(owner) holds \(parameters.count) parameters, but its layer "
            + "sizes \(layerSizes) need \(parameterCount) (every weight, then every bias).")
    }

    /// A network of the given shape with every parameter 0 (`Initializer` draws the first ones).
    /// - Parameters:
    ///   - layerSizes: units per layer, input first: at least two layers, each at least 1 unit wide.
    ///   - hiddenActivation: the activation of every hidden layer.
    ///   - outputActivation: the activation of the output layer.
    public init(layerSizes: [Int], hiddenActivation: Activation, outputActivation: Activation) {
        precondition(layerSizes.count >= 2 && layerSizes.allSatisfy { $0 > 0 },
                     "a network needs at least an input and an output layer, each of positive width")
        self.layerSizes = layerSizes
        self.hiddenActivation = hiddenActivation
        self.outputActivation = outputActivation
        (weightOffsets, biasOffsets) = Self.parameterOffsets(layerSizes: layerSizes)
        self.parameters = [T](repeating: 0, count: biasOffsets.last!)
    }

    /// Where each weight matrix and bias vector starts in the flat buffer (sklearn's `_pack` order: all weights,
    /// then all biases); each array ends with the end of the last one.
    static func parameterOffsets(layerSizes: [Int]) -> (weights: [Int], biases: [Int]) {
        var weightOffsets = [0], biasOffsets: [Int] = []
        for l in 0..<(layerSizes.count - 1) { weightOffsets.append(weightOffsets[l] + layerSizes[l] * layerSizes[l + 1]) }
        var offset = weightOffsets.last!
        for l in 0..<(layerSizes.count - 1) { biasOffsets.append(offset); offset += layerSizes[l + 1] }
        biasOffsets.append(offset)
        return (weightOffsets, biasOffsets)
    }

    /// The activation of weight layer `layer` (0-based): the hidden one, or the output one for the last layer.
    public func activation(ofLayer layer: Int) -> Activation {
        layer == layerCount - 1 ? outputActivation : hiddenActivation
    }

    /// Where weight matrix `layer` (fan_in × fan_out, row-major) lives in `parameters`.
    public func weightRange(ofLayer layer: Int) -> Range<Int> { weightOffsets[layer]..<weightOffsets[layer + 1] }
    /// Where bias vector `layer` lives in `parameters`.
    public func biasRange(ofLayer layer: Int) -> Range<Int> { biasOffsets[layer]..<biasOffsets[layer + 1] }

    /// Weight matrix `layer`, copied (scikit-learn's `coefs_[layer]`).
    /// - Parameter layer: the weight layer, 0-based.
    /// - Returns: the weights, (layerSizes[layer], layerSizes[layer + 1]).
    public func coefficients(ofLayer layer: Int) -> Matrix<T> {
        Matrix(rows: layerSizes[layer], columns: layerSizes[layer + 1],
               storage: Array(parameters[weightRange(ofLayer: layer)]))
    }

    /// Bias vector `layer`, copied (scikit-learn's `intercepts_[layer]`).
    /// - Parameter layer: the weight layer, 0-based.
    /// - Returns: the biases, layerSizes[layer + 1] of them.
    public func intercepts(ofLayer layer: Int) -> [T] { Array(parameters[biasRange(ofLayer: layer)]) }

    /// Replaces weight matrix `layer` (scikit-learn's `coefs_[layer] = matrix`).
    /// - Parameters:
    ///   - matrix: the weights, (layerSizes[layer], layerSizes[layer + 1]).
    ///   - layer: the weight layer, 0-based.
    public mutating func setCoefficients(_ matrix: Matrix<T>, ofLayer layer: Int) {
        precondition(matrix.rows == layerSizes[layer] && matrix.columns == layerSizes[layer + 1], "shape mismatch")
        parameters.replaceSubrange(weightRange(ofLayer: layer), with: matrix.storage)
    }

    /// Replaces bias vector `layer` (scikit-learn's `intercepts_[layer] = values`).
    /// - Parameters:
    ///   - values: the biases, layerSizes[layer + 1] of them.
    ///   - layer: the weight layer, 0-based.
    public mutating func setIntercepts(_ values: [T], ofLayer layer: Int) {
        precondition(values.count == layerSizes[layer + 1], "shape mismatch")
        parameters.replaceSubrange(biasRange(ofLayer: layer), with: values)
    }

    /// Σ ||W_l||² over the weight matrices (biases excluded), for the L2 penalty: vectorized sums of squares over
    /// the weights' contiguous block (scikit-learn sums one `np.dot(s, s)` per layer; only rounding differs).
    public var squaredWeightNorm: T {
        parameters.withUnsafeBufferPointer { p in
            var sum: T = 0
            for chunk in 0..<Self.normChunkCount(weightCount: weightCount) {
                sum += Self.normChunk(chunk, of: p.baseAddress!, weightCount: weightCount)
            }
            return sum
        }
    }

    /// The squared norm adds the sums of squares of 4096-weight chunks in order, so the training step can sum
    /// chunks on several threads and get the same bits.
    static func normChunkCount(weightCount: Int) -> Int { (weightCount + 4095) / 4096 }
    static func normChunk(_ chunk: Int, of weights: UnsafePointer<T>, weightCount: Int) -> T {
        let start = chunk * 4096
        return FusedPasses.sumOfSquares(weights + start, count: Swift.min(4096, weightCount - start))
    }

    /// Whether every parameter is finite (training stops before a non-finite model replaces a good one).
    @inlinable public var isFinite: Bool { parameters.allSatisfy { $0.isFinite } }

    /// The network's outputs for the rows of `x` (scikit-learn's `_forward_pass_fast`).
    /// - Parameter x: the samples, (n, inputCount).
    /// - Returns: the output layer's activations, (n, outputCount).
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func predict(_ x: Matrix<T>) -> Matrix<T> {
        precondition(x.columns == inputCount, "X has \(x.columns) features, but the network expects \(inputCount)")
        guard x.rows > 0 else { return Matrix(rows: 0, columns: outputCount) }
        let workspace = Backpropagation<T>(layerSizes: layerSizes, maxRows: Swift.min(x.rows, 4096),
                                           hiddenActivation: hiddenActivation, outputActivation: outputActivation)
        var result = Matrix<T>(rows: x.rows, columns: outputCount)
        x.storage.withUnsafeBufferPointer { input in
            result.storage.withUnsafeMutableBufferPointer { output in
                var start = 0
                while start < x.rows {
                    let rows = Swift.min(workspace.maxRows, x.rows - start)
                    let out = workspace.forward(self, input: input.baseAddress! + start * inputCount, rows: rows)
                    (output.baseAddress! + start * outputCount).update(from: out, count: rows * outputCount)
                    start += rows
                }
            }
        }
        return result
    }
}
