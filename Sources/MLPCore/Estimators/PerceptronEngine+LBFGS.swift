// The lbfgs solver path: scikit-learn's `_fit_lbfgs` over the L-BFGS of Optimizers/LBFGS.swift
// (scipy L-BFGS-B's driver). Full batch, no loss curve, no early stopping.
//   objective(θ) = data loss (sklearn's averaging) / S + (α/2)·Σ||W||² / S,   S = n or Σ sample_weight
//   n_iter_ = min(nit, max_iter),  loss_ = fun,  ConvergenceWarning when status ≠ 0 (`_check_optimize_result`).

extension PerceptronEngine {
    /// `onEpoch` is called after every L-BFGS iteration (for progress display); its `.stop` is not honoured,
    /// since L-BFGS runs to its own stopping rules.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    func fitLBFGS(_ p: MLPParameters, x: Matrix<T>, targets: [T], outputs: Int, sampleWeight: [T]?,
                  onEpoch: ((EpochReport) -> EpochAction)? = nil) throws {
        var net = network!
        let rows = x.rows
        let workspace = Backpropagation<T>(layerSizes: net.layerSizes, maxRows: rows,
                                           hiddenActivation: net.hiddenActivation,
                                           outputActivation: net.outputActivation)
        let normalizer: T = sampleWeight.map { $0.reduce(0, +) } ?? T(rows)
        let reportedScale = T(lossFunction.reportedScale(outputs: outputs))
        let alpha = T(p.alpha), halfAlpha = T(0.5 * p.alpha)
        var gradient = [T](repeating: 0, count: net.parameters.count)
        let solver = LBFGS(maxIterations: p.maxIter, maxEvaluations: p.maxFun, gradientTolerance: p.tol)
        let lossFunction = self.lossFunction, targetLayout = self.targetLayout

        let observer: ((LBFGSStep) -> Void)? = onEpoch.map { callback in
            { step in
                _ = callback(EpochReport(epoch: step.iteration, maxIter: p.maxIter, loss: step.valueAfter,
                                         validationScore: nil, validationLoss: nil, learningRate: step.stepLength,
                                         samplesSeen: 0, noImprovementCount: 0))
            }
        }
        let result = solver.minimize(x0: net.parameters.map(Double.init), observer: observer) { theta, grad in
            for i in 0..<theta.count { net.parameters[i] = T(theta[i]) }
            let data: T = x.storage.withUnsafeBufferPointer { xs in
                targets.withUnsafeBufferPointer { ys in
                    gradient.withUnsafeMutableBufferPointer { g in
                        if let sampleWeight {
                            return sampleWeight.withUnsafeBufferPointer { w in
                                workspace.lossAndGradient(net, input: xs.baseAddress!, target: ys.baseAddress!,
                                                          targetLayout: targetLayout, rows: rows,
                                                          sampleWeights: w.baseAddress!, loss: lossFunction, alpha: alpha,
                                                          normalizer: normalizer, gradient: g.baseAddress!)
                            }
                        }
                        return workspace.lossAndGradient(net, input: xs.baseAddress!, target: ys.baseAddress!,
                                                          targetLayout: targetLayout, rows: rows,
                                                         sampleWeights: nil, loss: lossFunction, alpha: alpha,
                                                         normalizer: normalizer, gradient: g.baseAddress!)
                    }
                }
            }
            for i in 0..<grad.count { grad[i] = Double(gradient[i]) }
            return Double(data * reportedScale / normalizer + halfAlpha * net.squaredWeightNorm / normalizer)
        }
        nIter = min(result.iterations, p.maxIter)
        loss = result.value
        net.parameters = result.x.map { T($0) }
        network = net
        stopReason = "lbfgs: " + result.message
        if result.status.warnFlag != 0 {
            var message = "lbfgs failed to converge after \(nIter) iteration(s) (status=\(result.status.warnFlag)):\n\(result.message)\n"
            if nIter == p.maxIter {
                message += "\nIncrease the number of iterations to improve the convergence (max_iter=\(p.maxIter))."
            }
            message += "\nYou might also want to scale the data as shown in:\n    https://scikit-learn.org/stable/modules/preprocessing.html"
            warnings.append(MLPWarning(kind: .convergence, message: message,
                                       findingID: nIter == p.maxIter ? .notConverged : nil))
        }
        if !loss.isFinite || !net.isFinite {
            stopReason = "Training diverged at iteration \(nIter): Solver produced non-finite parameter weights. Stopping."
            throw MLPError.diverged(epoch: nIter, detail: "Solver produced non-finite parameter weights")
        }
    }
}
