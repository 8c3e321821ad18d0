// The lbfgs solver path (`_fit_lbfgs`). Pending the L-BFGS optimizer from the rng branch.

extension PerceptronEngine {
    func fitLBFGS(_ p: MLPParameters, x: Matrix<T>, targets: [T], outputs: Int, sampleWeight: [T]?) throws {
        throw MLPError.invalidParameter("solver 'lbfgs' is not available yet in this build.")
    }
}
