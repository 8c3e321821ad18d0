// The Moré–Thuente line search of MINPACK-2 (dcsrch, dcstep), as L-BFGS-B calls it.
//
// J. J. Moré and D. J. Thuente, "Line search algorithms with guaranteed sufficient decrease",
// ACM TOMS 20 (1994) 286–307. Transcribed from scipy/optimize/src/lbfgsb.c (scipy ≥ 1.15), which is
// the MINPACK-2 Fortran translated line by line; the control flow and every formula are kept.
//
// The search finds a step stp > 0 along a descent direction with
//   f(stp) ≤ f(0) + ftol·stp·f'(0)          (sufficient decrease)
//   |f'(stp)| ≤ gtol·|f'(0)|                  (strong curvature)
// It is a reverse-communication state machine: `start` with f(0), f'(0) and a first step, then
// evaluate f and f' at `step` and call `next` until it reports `.converged` or `.warning`.

/// State of one Moré–Thuente line search (`dcsrch`).
struct MoreThuenteLineSearch {
    enum Task: Equatable {
        /// Evaluate f and f' at `step` and call `next`.
        case evaluate
        /// `step` satisfies the strong Wolfe conditions.
        case converged
        /// No further progress is possible; `step` is the best point found (dcsrch's WARNING cases).
        case warning(Warning)
        /// The input is invalid (e.g. f'(0) ≥ 0); no step is proposed.
        case error
    }

    enum Warning: Equatable {
        case roundingErrorsPreventProgress, xtolTestSatisfied, stepIsMaximum, stepIsMinimum
    }

    let ftol: Double, gtol: Double, xtol: Double
    let stepMin: Double, stepMax: Double

    private(set) var step: Double = 0
    private var bracketed = false
    private var stage = 1
    private var finit = 0.0, ginit = 0.0, gtest = 0.0
    private var stx = 0.0, fx = 0.0, gx = 0.0
    private var sty = 0.0, fy = 0.0, gy = 0.0
    private var stmin = 0.0, stmax = 0.0
    private var width = 0.0, width1 = 0.0

    /// L-BFGS-B's parameters: ftol 1e-3, gtol 0.9, xtol 0.1, stpmin 0.
    init(ftol: Double = 1e-3, gtol: Double = 0.9, xtol: Double = 0.1, stepMin: Double = 0, stepMax: Double) {
        self.ftol = ftol
        self.gtol = gtol
        self.xtol = xtol
        self.stepMin = stepMin
        self.stepMax = stepMax
    }

    /// dcsrch with task = START: f = f(0), g = f'(0), `initialStep` the first trial.
    mutating func start(value f: Double, slope g: Double, initialStep: Double) -> Task {
        step = initialStep
        if step < stepMin || step > stepMax || g >= 0 || ftol < 0 || gtol < 0 || xtol < 0
            || stepMin < 0 || stepMax < stepMin {
            return .error
        }
        bracketed = false
        stage = 1
        finit = f
        ginit = g
        gtest = ftol * ginit
        width = stepMax - stepMin
        width1 = width / 0.5
        stx = 0; fx = finit; gx = ginit
        sty = 0; fy = finit; gy = ginit
        stmin = 0
        stmax = step + 4.0 * step   // xtrapu = 4
        return .evaluate
    }

    /// dcsrch after an evaluation: f = f(step), g = f'(step).
    mutating func next(value f: Double, slope g: Double) -> Task {
        let xtrapl = 1.1, xtrapu = 4.0
        let ftest = finit + step * gtest
        if stage == 1 && f <= ftest && g >= 0 { stage = 2 }

        // Tests for warnings, then for convergence (which overrides them).
        var task = Task.evaluate
        if bracketed && (step <= stmin || step >= stmax) { task = .warning(.roundingErrorsPreventProgress) }
        if bracketed && stmax - stmin <= xtol * stmax { task = .warning(.xtolTestSatisfied) }
        if step == stepMax && f <= ftest && g <= gtest { task = .warning(.stepIsMaximum) }
        if step == stepMin && (f > ftest || g >= gtest) { task = .warning(.stepIsMinimum) }
        if f <= ftest && abs(g) <= gtol * (-ginit) { task = .converged }
        if task != .evaluate { return task }

        // In the first stage, with a lower value but not sufficient decrease, step on the modified
        // function psi(stp) = f(stp) - f(0) - ftol·stp·f'(0).
        if stage == 1 && f <= fx && f > ftest {
            var fxm = fx - stx * gtest, fym = fy - sty * gtest
            var gxm = gx - gtest, gym = gy - gtest
            Self.cstep(stx: &stx, fx: &fxm, dx: &gxm, sty: &sty, fy: &fym, dy: &gym, stp: &step,
                       fp: f - step * gtest, dp: g - gtest, bracketed: &bracketed, stpmin: stmin, stpmax: stmax)
            fx = fxm + stx * gtest
            fy = fym + sty * gtest
            gx = gxm + gtest
            gy = gym + gtest
        } else {
            Self.cstep(stx: &stx, fx: &fx, dx: &gx, sty: &sty, fy: &fy, dy: &gy, stp: &step,
                       fp: f, dp: g, bracketed: &bracketed, stpmin: stmin, stpmax: stmax)
        }

        // Bisect if the interval did not shrink enough.
        if bracketed {
            if abs(sty - stx) >= 0.66 * width1 { step = stx + 0.5 * (sty - stx) }
            width1 = width
            width = abs(sty - stx)
        }
        if bracketed {
            stmin = min(stx, sty)
            stmax = max(stx, sty)
        } else {
            stmin = step + xtrapl * (step - stx)
            stmax = step + xtrapu * (step - stx)
        }
        step = max(step, stepMin)
        step = min(step, stepMax)
        // If no further progress is possible, fall back to the best step so far.
        if (bracketed && (step <= stmin || step >= stmax)) || (bracketed && stmax - stmin <= xtol * stmax) {
            step = stx
        }
        return .evaluate
    }

    /// dcstep: a safeguarded cubic/quadratic step; updates the interval [stx, sty] that brackets a
    /// minimizer. (stx, fx, dx): best step; (sty, fy, dy): other endpoint; (stp, fp, dp): current.
    static func cstep(stx: inout Double, fx: inout Double, dx: inout Double,
                      sty: inout Double, fy: inout Double, dy: inout Double,
                      stp: inout Double, fp: Double, dp: Double, bracketed: inout Bool,
                      stpmin: Double, stpmax: Double) {
        let sgnd = dp * (dx / abs(dx))
        var stpf: Double
        if fp > fx {
            // Case 1: higher value; the minimum is bracketed. Cubic if closer to stx, else the average.
            let theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp
            let s = max(abs(theta), max(abs(dx), abs(dp)))
            var gamma = s * ((theta / s) * (theta / s) - (dx / s) * (dp / s)).squareRoot()
            if stp < stx { gamma = -gamma }
            let p = (gamma - dx) + theta
            let q = ((gamma - dx) + gamma) + dp
            let r = p / q
            let stpc = stx + r * (stp - stx)
            let stpq = stx + ((dx / ((fx - fp) / (stp - stx) + dx)) / 2.0) * (stp - stx)
            stpf = abs(stpc - stx) < abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2.0
            bracketed = true
        } else if sgnd < 0 {
            // Case 2: lower value, derivatives of opposite sign; bracketed. Cubic if farther, else secant.
            let stpc = cubicMinimizer(from: stp, fp, dp, toward: stx, fx, dx)
            let stpq = stp + (dp / (dp - dx)) * (stx - stp)
            stpf = abs(stpc - stp) > abs(stpq - stp) ? stpc : stpq
            bracketed = true
        } else if abs(dp) < abs(dx) {
            // Case 3: lower value, same sign, the derivative's magnitude decreases.
            let theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp
            let s = max(abs(theta), max(abs(dx), abs(dp)))
            var gamma = s * max(0, (theta / s) * (theta / s) - (dx / s) * (dp / s)).squareRoot()
            if stp > stx { gamma = -gamma }
            let p = (gamma - dp) + theta
            let q = (gamma + (dx - dp)) + gamma
            let r = p / q
            let stpc: Double
            if r < 0 && gamma != 0 {
                stpc = stp + r * (stx - stp)
            } else if stp > stx {
                stpc = stpmax
            } else {
                stpc = stpmin
            }
            let stpq = stp + (dp / (dp - dx)) * (stx - stp)
            if bracketed {
                stpf = abs(stpc - stp) < abs(stpq - stp) ? stpc : stpq
                if stp > stx {
                    stpf = min(stp + 0.66 * (sty - stp), stpf)
                } else {
                    stpf = max(stp + 0.66 * (sty - stp), stpf)
                }
            } else {
                stpf = abs(stpc - stp) > abs(stpq - stp) ? stpc : stpq
                stpf = min(stpmax, stpf)
                stpf = max(stpmin, stpf)
            }
        } else {
            // Case 4: lower value, same sign, the derivative does not decrease.
            if bracketed {
                stpf = cubicMinimizer(from: stp, fp, dp, toward: sty, fy, dy)
            } else if stp > stx {
                stpf = stpmax
            } else {
                stpf = stpmin
            }
        }

        // Update the interval that contains a minimizer.
        if fp > fx {
            sty = stp; fy = fp; dy = dp
        } else {
            if sgnd < 0 { sty = stx; fy = fx; dy = dx }
            stx = stp; fx = fp; dx = dp
        }
        stp = stpf
    }

    /// The minimizer of the cubic through (stp, fp, dp) and (st, f, d), when it lies between them (cases 2 and 4
    /// of dcstep). (f − fp) / (stp − st) negates both of MINPACK's factors in case 4, so the bits are unchanged.
    private static func cubicMinimizer(from stp: Double, _ fp: Double, _ dp: Double,
                                       toward st: Double, _ f: Double, _ d: Double) -> Double {
        let theta = 3.0 * (f - fp) / (stp - st) + d + dp
        let s = max(abs(theta), max(abs(d), abs(dp)))
        var gamma = s * ((theta / s) * (theta / s) - (d / s) * (dp / s)).squareRoot()
        if stp > st { gamma = -gamma }
        let p = (gamma - dp) + theta
        let q = ((gamma - dp) + gamma) + d
        return stp + (p / q) * (st - stp)
    }
}
