import CMLPKernels

/// One row through a dense layer without the GEMM driver: the prediction path of a single sample.
package enum DenseRow {
    /// out[j] = act(Σ_p x[p] w[p, j] + bias[j]), act = ReLU when `relu`, else identity; the same bits as the row inside
    /// a batch through `gemm` with the bias (and ReLU) epilogue. w: (nIn, nOut) row-major. `instructionSet`: the
    /// kernels to run (tests check each); nil, the configured ones.
    @_specialize(exported: true, where T == Float)
    @_specialize(exported: true, where T == Double)
    package static func forward<T: KernelFloat>(_ x: UnsafePointer<T>, weights w: UnsafePointer<T>, bias: UnsafePointer<T>,
                                                into out: UnsafeMutablePointer<T>, nIn: Int, nOut: Int, relu: Bool,
                                                instructionSet: InstructionSet? = nil) {
        let isa = Int32(instructionSet?.rawValue ?? -1)
        if T.self == Double.self {
            mlp_dense_row_f64(isa, UnsafeRawPointer(x).assumingMemoryBound(to: Double.self),
                              UnsafeRawPointer(w).assumingMemoryBound(to: Double.self),
                              UnsafeRawPointer(bias).assumingMemoryBound(to: Double.self),
                              UnsafeMutableRawPointer(out).assumingMemoryBound(to: Double.self), nIn, nOut, relu ? 1 : 0)
        } else if T.self == Float.self {
            mlp_dense_row_f32(isa, UnsafeRawPointer(x).assumingMemoryBound(to: Float.self),
                              UnsafeRawPointer(w).assumingMemoryBound(to: Float.self),
                              UnsafeRawPointer(bias).assumingMemoryBound(to: Float.self),
                              UnsafeMutableRawPointer(out).assumingMemoryBound(to: Float.self), nIn, nOut, relu ? 1 : 0)
        } else {
            for j in 0..<nOut {
                var sum: T = 0
                for p in 0..<nIn { sum.addProduct(x[p], w[p * nOut + j]) }
                let r = sum + bias[j]
                out[j] = relu && r < 0 ? 0 : r
            }
        }
    }
}
