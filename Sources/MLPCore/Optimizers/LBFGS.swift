// Limited-memory BFGS for unconstrained problems, following scipy's L-BFGS-B driver step for step.
//
// scikit-learn's `solver="lbfgs"` calls
//   scipy.optimize.minimize(fun, x0, method="L-BFGS-B", jac=True,
//                           options={"maxfun": max_fun, "maxiter": max_iter, "gtol": tol})
// with the defaults maxcor (memory) 10, ftol 2.220446049250313e-09 (factr 1e7 · eps), maxls 20.
// Without bounds L-BFGS-B's search direction is the quasi-Newton step −H·g of the compact L-BFGS
// matrix with B₀ = θI, θ = yᵀy / sᵀy of the newest pair — the same direction as Nocedal's two-loop
// recursion, which is what we compute (so directions agree with scipy's up to rounding).
// Everything else is scipy's (scipy/optimize/src/lbfgsb.c `mainlb`, `lnsrlb`, `_lbfgsb_py.py`):
//   - first iteration (and after a reset): d = −g; first trial step min(1/‖d‖₂, 1e10), later 1;
//   - Moré–Thuente line search (ftol 1e-3, gtol 0.9, xtol 0.1), at most `maxLineSearchSteps`
//     evaluations; on failure, restore the iterate and drop the memory, or stop if it was empty;
//   - after each accepted step (one iteration, scipy's `nit`): stop if nit ≥ maxiter, else if
//     nfev > maxfun; then CONVERGENCE if ‖g‖∞ ≤ gtol, or if (f_old − f)/max(|f_old|, |f|, 1) ≤ ftol;
//   - skip the memory update when sᵀy ≤ eps·(−g_oldᵀs).
// Reference: J. Nocedal, S. Wright, Numerical Optimization, 2nd ed., Alg. 7.4 and 7.5;
// R. H. Byrd, P. Lu, J. Nocedal, C. Zhu, SIAM J. Sci. Comput. 16 (1995) 1190–1208.

/// Why `LBFGS.minimize` stopped. The raw values are scipy's `task_messages`.
public enum LBFGSStatus: String, Sendable, Equatable {
    /// ‖g‖∞ ≤ `gradientTolerance` (scipy's `gtol`/`pgtol`).
    case gradientConverged = "CONVERGENCE: NORM OF PROJECTED GRADIENT <= PGTOL"
    /// The relative reduction of f fell to `functionTolerance` (scipy's `ftol`, i.e. factr·eps).
    case functionConverged = "CONVERGENCE: RELATIVE REDUCTION OF F <= FACTR*EPSMCH"
    /// `maxIterations` accepted steps were made.
    case iterationLimit = "STOP: TOTAL NO. OF ITERATIONS REACHED LIMIT"
    /// More than `maxEvaluations` evaluations were made (checked after each iteration).
    case evaluationLimit = "STOP: TOTAL NO. OF F,G EVALUATIONS EXCEEDS LIMIT"
    /// The line search failed along −g (no descent possible, or no acceptable step in `maxls` trials).
    case abnormalLineSearch = "ABNORMAL: "

    /// scipy's `OptimizeResult.status` (warnflag): 0 converged, 1 a limit was reached, 2 otherwise.
    public var warnFlag: Int {
        switch self {
        case .gradientConverged, .functionConverged: return 0
        case .iterationLimit, .evaluationLimit: return 1
        case .abnormalLineSearch: return 2
        }
    }
}

/// The outcome of `LBFGS.minimize`, with scipy's `OptimizeResult` fields.
public struct LBFGSResult: Sendable {
    /// The final iterate (`x`).
    public var x: [Double]
    /// f(x) (`fun`).
    public var value: Double
    /// ∇f(x) (`jac`).
    public var gradient: [Double]
    /// Accepted steps (`nit`). scikit-learn reports `n_iter_ = min(nit, max_iter)`.
    public var iterations: Int
    /// Objective evaluations, the one at x0 included (`nfev`; also `njev`).
    public var evaluations: Int
    /// Why the run stopped (scipy's `status` and `message` in one value).
    public var status: LBFGSStatus
    /// scipy's `success`: the run converged.
    public var converged: Bool { status.warnFlag == 0 }
    /// scipy's `message`, e.g. "CONVERGENCE: NORM OF PROJECTED GRADIENT <= PGTOL".
    public var message: String { status.rawValue }
}

/// One accepted step, passed to the optional observer of `LBFGS.minimize`.
public struct LBFGSStep: Sendable {
    /// The iteration this step completes (1-based, scipy's `nit` after it).
    public var iteration: Int
    /// The accepted step length along the search direction.
    public var stepLength: Double
    /// f before and after the step.
    public var valueBefore: Double, valueAfter: Double
    /// Directional derivatives gᵀd before and after the step.
    public var slopeBefore: Double, slopeAfter: Double
    /// Whether the line search ended by convergence (strong Wolfe) rather than a dcsrch warning.
    public var wolfeConverged: Bool
    /// ‖g‖∞ after the step.
    public var gradientInfinityNorm: Double
}

/// L-BFGS as scikit-learn runs it through `scipy.optimize.minimize(method="L-BFGS-B")` (no bounds).
///
/// The objective writes ∇f(x) into its second argument and returns f(x). Everything is Double, as in
/// scipy: scikit-learn's float32 models evaluate the objective in float32 but optimize in float64.
public struct LBFGS: Sendable {
    /// Number of correction pairs kept (scipy's `maxcor`, default 10).
    public var memory: Int
    /// Maximum number of iterations (scipy's `maxiter`; sklearn's `max_iter`).
    public var maxIterations: Int
    /// Maximum number of objective evaluations (scipy's `maxfun`; sklearn's `max_fun`). Checked after each
    /// iteration, so a line search may run past it, as in scipy.
    public var maxEvaluations: Int
    /// Stop when ‖∇f‖∞ ≤ this (scipy's `gtol`; sklearn passes `tol`).
    public var gradientTolerance: Double
    /// Stop when (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ this (scipy's `ftol`).
    public var functionTolerance: Double
    /// Maximum evaluations per line search (scipy's `maxls`).
    public var maxLineSearchSteps: Int

    /// A solver with scipy's `L-BFGS-B` defaults.
    /// - Parameters:
    ///   - memory: correction pairs kept (`maxcor`), at least 1.
    ///   - maxIterations: the most accepted steps (`maxiter`).
    ///   - maxEvaluations: the most objective evaluations (`maxfun`).
    ///   - gradientTolerance: stop when ‖∇f‖∞ falls to this (`gtol`).
    ///   - functionTolerance: stop when the relative reduction of f falls to this (`ftol`).
    ///   - maxLineSearchSteps: the most evaluations per line search (`maxls`), at least 1.
    public init(memory: Int = 10, maxIterations: Int = 15000, maxEvaluations: Int = 15000,
                gradientTolerance: Double = 1e-5, functionTolerance: Double = 2.220446049250313e-09,
                maxLineSearchSteps: Int = 20) {
        precondition(memory > 0, "memory must be positive")
        precondition(maxLineSearchSteps > 0, "maxls must be positive")
        self.memory = memory
        self.maxIterations = maxIterations
        self.maxEvaluations = maxEvaluations
        self.gradientTolerance = gradientTolerance
        self.functionTolerance = functionTolerance
        self.maxLineSearchSteps = maxLineSearchSteps
    }

    /// Minimizes f from `x0`. `objective(x, gradient)` returns f(x) and writes ∇f(x) into `gradient`.
    /// `observer`, if given, sees every accepted step. All work buffers are allocated once, up front.
    /// - Parameters:
    ///   - x0: the starting point; not empty.
    ///   - observer: called after every accepted step, or nil.
    ///   - objective: given x, writes ∇f(x) into its second argument and returns f(x).
    /// - Returns: the final iterate, its value and gradient, the counts and why the run stopped.
    public func minimize(
        x0: [Double],
        observer: ((LBFGSStep) -> Void)? = nil,
        _ objective: (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Double
    ) -> LBFGSResult {
        let n = x0.count
        let m = memory
        precondition(n > 0, "x0 must not be empty")
        // Workspace: x g d z t r q | xLast gLast | S (m·n) Y (m·n) | rho alpha (m each). Every pointer below
        // is a disjoint slice of `work`, valid until the deferred deallocation when this function returns.
        let work = UnsafeMutableBufferPointer<Double>.allocate(capacity: 9 * n + 2 * m * n + 2 * m)
        work.initialize(repeating: 0)
        defer { work.deallocate() }
        let base = work.baseAddress!
        let x = base, g = base + n, d = base + 2 * n, z = base + 3 * n
        let t = base + 4 * n, r = base + 5 * n, q = base + 6 * n
        let xLast = base + 7 * n, gLast = base + 8 * n
        let S = base + 9 * n, Y = S + m * n
        let rho = Y + m * n, alpha = rho + m
        for i in 0..<n { x[i] = x0[i] }

        // scipy's ScalarFunction evaluates only when x changed since the last evaluation.
        var evaluations = 0
        var fLast = Double.nan
        var haveLast = false
        func evaluate() -> Double {
            if haveLast && (0..<n).allSatisfy({ x[$0] == xLast[$0] }) {
                for i in 0..<n { g[i] = gLast[i] }
                return fLast
            }
            let value = objective(UnsafeBufferPointer(start: x, count: n), UnsafeMutableBufferPointer(start: g, count: n))
            evaluations += 1
            for i in 0..<n { xLast[i] = x[i]; gLast[i] = g[i] }
            fLast = value
            haveLast = true
            return value
        }
        func dot(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>) -> Double {
            var s = 0.0
            for i in 0..<n { s += a[i] * b[i] }
            return s
        }
        func infinityNorm(_ a: UnsafeMutablePointer<Double>) -> Double {
            var s = 0.0
            for i in 0..<n {
                if a[i].isNaN { return .nan }
                s = max(s, abs(a[i]))
            }
            return s
        }
        func result(_ f: Double, _ nit: Int, _ status: LBFGSStatus) -> LBFGSResult {
            LBFGSResult(x: Array(UnsafeBufferPointer(start: x, count: n)), value: f,
                        gradient: Array(UnsafeBufferPointer(start: g, count: n)),
                        iterations: nit, evaluations: evaluations, status: status)
        }

        var f = evaluate()
        var gradientNorm = infinityNorm(g)
        if gradientNorm <= gradientTolerance { return result(f, 0, .gradientConverged) }

        var iterations = 0          // scipy's nit (= mainlb's iter without bounds)
        var count = 0               // stored pairs (col)
        var newest = -1             // ring index of the newest pair
        var theta = 1.0             // B₀ = θ·I

        while true {
            // Search direction d = z − x with z = x − H·g (L-BFGS-B forms z, then d, and steps to z at stp = 1).
            if count == 0 {
                for i in 0..<n { q[i] = g[i] / theta }
            } else {
                // Two-loop recursion: q ← H·g with H₀ = I/θ.
                for i in 0..<n { q[i] = g[i] }
                var k = newest
                for _ in 0..<count {
                    let s = S + k * n, y = Y + k * n
                    alpha[k] = rho[k] * dot(s, q)
                    for i in 0..<n { q[i] -= alpha[k] * y[i] }
                    k = (k - 1 + m) % m
                }
                for i in 0..<n { q[i] /= theta }
                k = (newest - count + 1 + m) % m
                for _ in 0..<count {
                    let s = S + k * n, y = Y + k * n
                    let beta = rho[k] * dot(y, q)
                    for i in 0..<n { q[i] += s[i] * (alpha[k] - beta) }
                    k = (k + 1) % m
                }
            }
            for i in 0..<n {
                z[i] = x[i] - q[i]
                d[i] = z[i] - x[i]
            }

            // Line search (lnsrlb + dcsrch).
            let dnorm = dot(d, d).squareRoot()
            let stepMax = 1e10
            var search = MoreThuenteLineSearch(stepMax: stepMax)
            let initialStep = iterations == 0 ? min(1 / dnorm, stepMax) : 1
            for i in 0..<n { t[i] = x[i]; r[i] = g[i] }
            let fOld = f
            var slope = dot(g, d)
            let slopeOld = slope
            // Not a descent direction (gᵀd ≥ 0, or NaN), or a first step that overflowed to 0 (‖d‖ = ∞, where
            // scipy's Cauchy point turns NaN): the line search is impossible.
            var failed = !(slope < 0) || !(initialStep > 0)
            var task = failed ? .error : search.start(value: f, slope: slope, initialStep: initialStep)
            if task == .error { failed = true }
            var trials = 0
            while !failed && task == .evaluate {
                trials += 1
                if trials > maxLineSearchSteps { failed = true; break }   // iback ≥ maxls
                let stp = search.step
                if stp == 1 {
                    for i in 0..<n { x[i] = z[i] }
                } else {
                    for i in 0..<n { x[i] = stp * d[i] + t[i] }
                }
                f = evaluate()
                slope = dot(g, d)
                task = search.next(value: f, slope: slope)
            }
            if failed {
                for i in 0..<n { x[i] = t[i]; g[i] = r[i] }
                f = fOld
                if count == 0 { return result(f, iterations, .abnormalLineSearch) }
                count = 0; newest = -1; theta = 1   // refresh the memory and restart
                continue
            }

            // A new iterate: one iteration.
            iterations += 1
            gradientNorm = infinityNorm(g)
            let stp = search.step
            if let observer {
                var converged = false
                if case .converged = task { converged = true }
                observer(LBFGSStep(iteration: iterations, stepLength: stp, valueBefore: fOld, valueAfter: f,
                                   slopeBefore: slopeOld, slopeAfter: slope, wolfeConverged: converged,
                                   gradientInfinityNorm: gradientNorm))
            }
            // The driver's limits come before the convergence tests.
            if iterations >= maxIterations { return result(f, iterations, .iterationLimit) }
            if evaluations > maxEvaluations { return result(f, iterations, .evaluationLimit) }
            if gradientNorm <= gradientTolerance { return result(f, iterations, .gradientConverged) }
            if fOld - f <= functionTolerance * max(abs(fOld), abs(f), 1) {
                return result(f, iterations, .functionConverged)
            }

            // Update the memory with s = stp·d, y = g − g_old, unless sᵀy ≤ eps·(−g_oldᵀs).
            for i in 0..<n { r[i] = g[i] - r[i] }
            var yy = 0.0
            for i in 0..<n { yy += r[i] * r[i] }
            let sy: Double, scale: Double
            if stp == 1 {
                sy = slope - slopeOld
                scale = -slopeOld
            } else {
                sy = (slope - slopeOld) * stp
                for i in 0..<n { d[i] *= stp }
                scale = -slopeOld * stp
            }
            if sy <= Double.ulpOfOne * scale { continue }
            newest = (newest + 1) % m
            count = min(count + 1, m)
            let s = S + newest * n, y = Y + newest * n
            for i in 0..<n { s[i] = d[i]; y[i] = r[i] }
            rho[newest] = 1 / sy
            theta = yy / sy
        }
    }
}
