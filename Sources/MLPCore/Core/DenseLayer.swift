// The mathematics of one dense layer, forward and backward side by side (as llm.c pairs its layers), in
// scikit-learn's formulas. Each function works on the block of batch rows (or of parameters) it is handed;
// `Backpropagation` decides which thread takes which block, and `GemmSplit` makes every block's products come
// out bit for bit as the unsplit ones.
//
// Legend: rows = the block's batch rows, batchRows = the whole batch, nIn = fan-in, nOut = fan-out.

/// How a block's GEMM is called when a product is split by rows of C: `parts` ways, `wholeWork` the unsplit
/// product's multiply-adds, which picks the same summation path for every block (see `partOptions`).
struct GemmSplit {
    let parts: Int
    let wholeWork: Int
}

/// C ← op(A)·op(B), then `epilogue`, for one block of a split product. Unsplit products without an epilogue take
/// the plain call, which skips the options (the seed network's products take less than a microsecond).
// op(A): (m, k)  op(B): (k, n)  C: (m, n)
@inline(__always)
func product<T: KernelFloat>(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, a: UnsafePointer<T>,
                             lda: Int, b: UnsafePointer<T>, ldb: Int, c: UnsafeMutablePointer<T>, ldc: Int,
                             split: GemmSplit, epilogue: GemmEpilogue<T>? = nil) {
    if split.parts == 1 && epilogue == nil {
        T.gemm(transA, transB, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: c, ldc: ldc)
    } else {
        gemm(transA, transB, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: c, ldc: ldc,
             options: partOptions(wholeWork: split.wholeWork), epilogue: epilogue)
    }
}

enum DenseLayer {
    /// out = f(x · W + b). Keeps the pre-activation when `preActivation` is given (derivatives that need the
    /// input), and writes the dropped-out copy `dropout.masked = out ⊙ dropout.mask` while training.
    // x: (rows, nIn)  w: (nIn, nOut)  b: (nOut)  out: (rows, nOut)  preActivation: (rows, nOut) or nil
    // dropout.mask, dropout.masked: (rows, nOut)
    @inline(__always)
    static func forward<T: KernelFloat>(
        x: UnsafePointer<T>, w: UnsafePointer<T>, b: UnsafePointer<T>, out: UnsafeMutablePointer<T>,
        preActivation: UnsafeMutablePointer<T>?, rows: Int, nIn: Int, nOut: Int, activation: Activation,
        dropout: (mask: UnsafePointer<T>, masked: UnsafeMutablePointer<T>)?, split: GemmSplit
    ) {
        // Bias and ReLU (or identity) are applied by the GEMM as it stores each tile: no pass over the outputs.
        let epilogue = preActivation == nil ? activation.forwardEpilogue(bias: b) : nil
        product(.noTranspose, .noTranspose, m: rows, n: nOut, k: nIn, a: x, lda: nIn, b: w, ldb: nOut, c: out,
                ldc: nOut, split: split, epilogue: epilogue)
        if epilogue == nil {
            FusedPasses.addBias(out, b, rows: rows, columns: nOut, relu: false)
            preActivation?.update(from: out, count: rows * nOut)
            activation.apply(out, rows: rows, columns: nOut)
        }
        if let dropout {
            for i in 0..<(rows * nOut) { dropout.masked[i] = out[i] * dropout.mask[i] }
        }
    }

    /// dx = (dout · Wᵀ) ⊙ mask ⊙ f'(z), where z = f(pre) is this layer's input (the previous layer's output) and
    /// f its activation.
    // dout: (rows, nOut)  w: (nIn, nOut)  dx, z, pre, mask: (rows, nIn)  (pre and mask may be nil)
    @inline(__always)
    static func backward<T: KernelFloat>(
        dout: UnsafePointer<T>, w: UnsafePointer<T>, dx: UnsafeMutablePointer<T>, z: UnsafePointer<T>,
        pre: UnsafePointer<T>?, mask: UnsafePointer<T>?, rows: Int, nIn: Int, nOut: Int, activation: Activation,
        split: GemmSplit
    ) {
        // ReLU's derivative (zero where the output is zero) is applied by the GEMM as it stores each tile.
        let fused = mask == nil && activation.fusesIntoGemm
        product(.noTranspose, .transpose, m: rows, n: nIn, k: nOut, a: dout, lda: nOut, b: w, ldb: nOut, c: dx,
                ldc: nIn, split: split, epilogue: fused ? activation.derivativeEpilogue(output: z, stride: nIn) : nil)
        if fused { return }
        if let mask { for i in 0..<(rows * nIn) { dx[i] *= mask[i] } }
        activation.multiplyDerivative(dx, output: z, input: pre, count: rows * nIn)
    }

    /// The output layer's delta dout = ∂loss/∂(pre-activation) · sampleWeight, and each row's weighted loss.
    // out, pre, dout: (rows, nOut)  target: (rows, nOut), or (rows) class indices  weights, rowLosses: (rows)
    @inline(__always)
    static func outputDelta<T: KernelFloat>(
        out: UnsafePointer<T>, pre: UnsafePointer<T>?, target: UnsafePointer<T>, targetLayout: TargetLayout,
        weights: UnsafePointer<T>?, loss: Loss, activation: Activation, rows: Int, nOut: Int,
        dout: UnsafeMutablePointer<T>, rowLosses: UnsafeMutablePointer<T>
    ) {
        _ = loss.valueAndOutputDelta(predicted: out, target: target, targetLayout: targetLayout, weights: weights,
                                     rows: rows, outputs: nOut, activation: activation, preActivation: pre,
                                     delta: dout, rowLosses: rowLosses)
    }

    /// Rows `inputs` of dW = (xᵀ · dout + α W) / normalizer, then `update` of those weights when given (in the
    /// same sweep). W and dW sit at `weightOffset` of the flat `parameters` and `gradient`.
    // x: (batchRows, nIn)  dout: (batchRows, nOut)  W, dW: (nIn, nOut)
    @inline(__always)
    static func weightGradient<T: KernelFloat>(
        x: UnsafePointer<T>, dout: UnsafePointer<T>, parameters: UnsafeMutablePointer<T>,
        gradient: UnsafeMutablePointer<T>, weightOffset: Int, inputs: Range<Int>, batchRows: Int, nIn: Int,
        nOut: Int, alpha: T, normalizer: T, update: ParameterUpdate<T>?, split: GemmSplit
    ) {
        guard !inputs.isEmpty else { return }
        let offset = weightOffset + inputs.lowerBound * nOut
        product(.transpose, .noTranspose, m: inputs.count, n: nOut, k: batchRows, a: x + inputs.lowerBound,
                lda: nIn, b: dout, ldb: nOut, c: gradient + offset, ldc: nOut, split: split)
        let block = offset..<(offset + inputs.count * nOut)
        if let update {
            update.applyFinishingWeightGradient(to: block, parameters: parameters, gradient: gradient,
                                                alpha: alpha, normalizer: normalizer)
        } else {
            FusedPasses.finishWeightGradient(gradient + offset, weights: parameters + offset, count: block.count,
                                             alpha: alpha, normalizer: normalizer)
        }
    }

    /// Columns `columns` of db = Σ_rows dout / normalizer, then `update` of those biases when given. b and db sit
    /// at `biasOffset` of the flat `parameters` and `gradient`.
    // dout: (batchRows, nOut)  b, db: (nOut)
    @inline(__always)
    static func biasGradient<T: KernelFloat>(
        dout: UnsafePointer<T>, parameters: UnsafeMutablePointer<T>, gradient: UnsafeMutablePointer<T>,
        biasOffset: Int, columns: Range<Int>, batchRows: Int, nOut: Int, normalizer: T, update: ParameterUpdate<T>?
    ) {
        guard !columns.isEmpty else { return }
        let offset = biasOffset + columns.lowerBound
        FusedPasses.columnSums(dout + columns.lowerBound, rows: batchRows, columns: columns.count, ld: nOut,
                               normalizer: normalizer, into: gradient + offset)
        update?.apply(to: offset..<(offset + columns.count), parameters: parameters, gradient: gradient)
    }
}
