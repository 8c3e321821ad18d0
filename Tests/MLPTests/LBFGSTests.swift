import Foundation
import Testing
@testable import MLPCore

// L-BFGS against closed-form minima, the strong Wolfe conditions, its limits, and scipy's L-BFGS-B
// (Scripts/make_lbfgs_fixtures.py → Fixtures/lbfgs_scipy.json).

/// Rosenbrock's function, written with the same operations as the fixture script.
private func rosenbrock(_ x: UnsafeBufferPointer<Double>, _ g: UnsafeMutableBufferPointer<Double>) -> Double {
    var f = 0.0
    for i in 0..<x.count { g[i] = 0 }
    for i in 0..<(x.count - 1) {
        let a = x[i + 1] - x[i] * x[i]
        let b = 1.0 - x[i]
        f += 100.0 * a * a + b * b
        g[i] += -400.0 * x[i] * a - 2.0 * b
        g[i + 1] += 200.0 * a
    }
    return f
}

/// f(x) = Σ ½·a_i·x_i² − b_i·x_i, minimum at x_i = b_i / a_i.
private func quadratic(_ a: [Double], _ b: [Double]) -> (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Double {
    return { x, g in
        var f = 0.0
        for i in 0..<x.count {
            f += 0.5 * a[i] * x[i] * x[i] - b[i] * x[i]
            g[i] = a[i] * x[i] - b[i]
        }
        return f
    }
}

private func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

@Suite struct LBFGSTests {
    @Test func quadraticReachesItsExactMinimum() {
        let a: [Double] = [1, 2, 3, 4, 5], b: [Double] = [1, -1, 2, -2, 3]
        // functionTolerance −∞ switches the f test off, so only the gradient test can stop the run.
        let result = LBFGS(gradientTolerance: 1e-12, functionTolerance: -.infinity).minimize(x0: [0, 0, 0, 0, 0], quadratic(a, b))
        let expected = zip(b, a).map { $0 / $1 }
        #expect(maxAbsDifference(result.x, expected) < 1e-10, "x \(result.x) vs \(expected)")
        #expect(result.status == .gradientConverged)
    }

    /// f = Σ ½·a_i·x_i² with condition number max(a)/min(a) up to 1e6. The minimum is 0 at x = 0, so f
    /// keeps full relative precision down to the minimum and the gradient test can be met.
    @Test(arguments: [(20, 2.0), (50, 4.0), (200, 6.0)])
    func illConditionedQuadratic(n: Int, log10Condition: Double) {
        let a = (0..<n).map { pow(10, log10Condition * Double($0) / Double(n - 1)) }
        let b = [Double](repeating: 0, count: n)
        let result = LBFGS(maxIterations: 20_000, maxEvaluations: 20_000, gradientTolerance: 1e-10,
                           functionTolerance: -.infinity).minimize(x0: [Double](repeating: 1, count: n), quadratic(a, b))
        #expect(result.status == .gradientConverged, "\(result.message) after \(result.iterations)")
        let worst = zip(a, result.x).map { abs($0 * $1) }.max()!   // |g_i| = a_i·|x_i − 0|
        #expect(worst <= 1e-10, "max |a_i x_i| = \(worst)")
    }

    @Test(arguments: [2, 10])
    func rosenbrockReachesTheMinimum(n: Int) {
        let x0 = (0..<n).map { $0 % 2 == 0 ? -1.2 : 1.0 }
        let result = LBFGS(gradientTolerance: 1e-9, functionTolerance: 0).minimize(x0: x0, rosenbrock)
        #expect(result.converged, "\(result.message)")
        #expect(maxAbsDifference(result.x, [Double](repeating: 1, count: n)) < 1e-6, "x = \(result.x)")
        #expect(result.value < 1e-12)
    }

    @Test func everyAcceptedStepSatisfiesTheStrongWolfeConditions() {
        var steps: [LBFGSStep] = []
        let x0 = (0..<10).map { $0 % 2 == 0 ? -1.2 : 1.0 }
        let result = LBFGS(gradientTolerance: 1e-9, functionTolerance: 0).minimize(x0: x0, observer: { steps.append($0) }, rosenbrock)
        #expect(steps.count == result.iterations)
        var warnings = 0
        for s in steps {
            #expect(s.slopeBefore < 0, "iteration \(s.iteration): not a descent direction")
            guard s.wolfeConverged else { warnings += 1; continue }
            let sufficientDecrease = s.valueAfter <= s.valueBefore + 1e-3 * s.stepLength * s.slopeBefore
            let curvature = abs(s.slopeAfter) <= 0.9 * abs(s.slopeBefore)
            #expect(sufficientDecrease && curvature,
                    "iteration \(s.iteration): f \(s.valueBefore) → \(s.valueAfter), slope \(s.slopeBefore) → \(s.slopeAfter), step \(s.stepLength)")
        }
        // dcsrch's warning exits (rounding limits) only happen right at the optimum, if at all.
        #expect(warnings <= 2, "\(warnings) steps ended on a line-search warning")
    }

    @Test func iterationAndEvaluationLimitsAreRespected() {
        let x0 = [-1.2, 1.0]
        for limit in [1, 2, 5, 17] {
            let r = LBFGS(maxIterations: limit).minimize(x0: x0, rosenbrock)
            #expect(r.iterations == limit && r.status == .iterationLimit)
        }
        for limit in [1, 5, 10, 30] {
            let r = LBFGS(maxEvaluations: limit).minimize(x0: x0, rosenbrock)
            #expect(r.status == .evaluationLimit)
            #expect(r.evaluations > limit && r.evaluations <= limit + 20, "nfev \(r.evaluations) for maxfun \(limit)")
        }
    }

    @Test func gradientAlreadySmallStopsAtZeroIterations() {
        let r = LBFGS().minimize(x0: [1, 1], rosenbrock)
        #expect(r.iterations == 0 && r.evaluations == 1 && r.status == .gradientConverged)
    }

    @Test func aWrongGradientEndsInAbnormalTermination() {
        // The gradient points uphill, so −g is an ascent direction: no line search can succeed.
        let r = LBFGS().minimize(x0: [3, -2]) { x, g in
            g[0] = -2 * x[0]; g[1] = -2 * x[1]
            return x[0] * x[0] + x[1] * x[1]
        }
        #expect(r.status == .abnormalLineSearch && r.status.warnFlag == 2)
        #expect(r.x == [3, -2] && r.iterations == 0)
    }

    /// A gradient so large that ‖d‖₂ overflows makes the first step 1/‖d‖ = 0: no progress is possible, which is
    /// abnormal (scipy's Cauchy point turns NaN there and it ends ABNORMAL too), never "converged".
    @Test func aFirstStepThatOverflowsToZeroIsAbnormal() {
        let r = LBFGS().minimize(x0: [0.5, -0.25]) { x, g in
            g[0] = 1e200 * x[0]; g[1] = 1e200 * x[1]
            return 0.5e200 * (x[0] * x[0] + x[1] * x[1])
        }
        #expect(r.status == .abnormalLineSearch && !r.converged)
        #expect(r.x == [0.5, -0.25] && r.iterations == 0)
    }

    /// scikit-learn with alpha = 1e200: "lbfgs failed to converge after 0 iteration(s) (status=2)".
    @Test func aHugePenaltyIsReportedAsAFailureToConverge() throws {
        var p = MLPParameters()
        p.solver = .lbfgs
        p.alpha = 1e200
        p.maxIter = 30
        p.randomState = 0
        let classifier = MLPClassifier<Double>(parameters: p)
        let x = Matrix(rows: 6, columns: 2, storage: [0.0, 1, 1, 0, 1, 1, 0, 0, 2, 1, 1, 2])
        try classifier.fit(x, [0, 1, 1, 0, 2, 2] as [Int])
        #expect(classifier.nIter == 0)
        let warning = try #require(classifier.warnings.first { $0.kind == .convergence })
        #expect(warning.message.hasPrefix("lbfgs failed to converge after 0 iteration(s) (status=2):\nABNORMAL"))
    }

    @Test func lineSearchFindsAWolfePointOnAOneDimensionalFunction() {
        // phi(a) = (a − 3)², phi'(a) = 2(a − 3): starting at a = 0 with a tiny first step.
        var search = MoreThuenteLineSearch(stepMax: 1e10)
        var task = search.start(value: 9, slope: -6, initialStep: 1e-3)
        var evaluations = 0
        while task == .evaluate && evaluations < 20 {
            let a = search.step
            task = search.next(value: (a - 3) * (a - 3), slope: 2 * (a - 3))
            evaluations += 1
        }
        #expect(task == .converged)
        let a = search.step
        #expect((a - 3) * (a - 3) <= 9 + 1e-3 * a * -6 && abs(2 * (a - 3)) <= 0.9 * 6)
    }

    /// L-BFGS-B's sufficient decrease is ftol = 1e-3: a first step that decreases f by only 5e-4 of the slope's
    /// promise is refused (the search goes on), though the curvature condition holds there; with ftol 1e-4 it would
    /// be taken. phi(a) = −6a + αa² + βa³ with phi(1) = −6 · 5e-4 and phi'(1) = 0.
    @Test func lineSearchRefusesAStepThatDecreasesTooLittle() {
        let r = 5e-4, alpha = 12 - 18 * r, beta = -6 + 12 * r
        func phi(_ a: Double) -> Double { -6 * a + alpha * a * a + beta * a * a * a }
        func slope(_ a: Double) -> Double { -6 + 2 * alpha * a + 3 * beta * a * a }
        var lenient = MoreThuenteLineSearch(ftol: 1e-4, stepMax: 1e10)
        _ = lenient.start(value: 0, slope: -6, initialStep: 1)
        #expect(lenient.next(value: phi(1), slope: slope(1)) == .converged)

        var search = MoreThuenteLineSearch(stepMax: 1e10)
        var task = search.start(value: 0, slope: -6, initialStep: 1)
        task = search.next(value: phi(1), slope: slope(1))
        #expect(task == .evaluate && search.step != 1)
        var evaluations = 1
        while task == .evaluate && evaluations < 20 {
            task = search.next(value: phi(search.step), slope: slope(search.step))
            evaluations += 1
        }
        let a = search.step
        #expect(task == .converged && phi(a) <= 1e-3 * a * -6 && abs(slope(a)) <= 0.9 * 6)
    }

    @Test func matchesScipyIterationAndEvaluationCounts() throws {
        let fixture = try loadRandomFixture("lbfgs_scipy")
        for c in fixture["cases"] as! [[String: Any]] {
            let name = c["name"] as! String
            let options = c["options"] as! [String: Any]
            let x0 = (c["x0"] as! [NSNumber]).map(\.doubleValue)
            var solver = LBFGS()
            if let v = options["maxiter"] as? NSNumber { solver.maxIterations = v.intValue }
            if let v = options["maxfun"] as? NSNumber { solver.maxEvaluations = v.intValue }
            if let v = options["gtol"] as? NSNumber { solver.gradientTolerance = v.doubleValue }
            if let v = options["ftol"] as? NSNumber { solver.functionTolerance = v.doubleValue }
            if let v = options["maxcor"] as? NSNumber { solver.memory = v.intValue }
            let problem = c["problem"] as! [String: Any]
            var trace: [Double] = []
            let result: LBFGSResult
            if problem["kind"] as! String == "rosenbrock" {
                result = solver.minimize(x0: x0, observer: { trace.append($0.valueAfter) }, rosenbrock)
            } else {
                let a = (problem["a"] as! [NSNumber]).map(\.doubleValue)
                let b = (problem["b"] as! [NSNumber]).map(\.doubleValue)
                result = solver.minimize(x0: x0, observer: { trace.append($0.valueAfter) }, quadratic(a, b))
            }
            let nit = (c["nit"] as! NSNumber).intValue, nfev = (c["nfev"] as! NSNumber).intValue
            // Our direction is the two-loop recursion, L-BFGS-B's the compact form: equal up to rounding,
            // which is invisible over short runs and drifts over hundreds of iterations.
            if nit <= 100 {
                #expect(result.iterations == nit && result.evaluations == nfev,
                        "\(name): nit \(result.iterations) vs scipy \(nit), nfev \(result.evaluations) vs scipy \(nfev)")
            } else {
                #expect(abs(result.iterations - nit) <= nit / 10 && abs(result.evaluations - nfev) <= nfev / 10,
                        "\(name): nit \(result.iterations) vs scipy \(nit), nfev \(result.evaluations) vs scipy \(nfev)")
            }
            #expect(result.message == c["message"] as! String, "\(name): \(result.message)")
            #expect(result.status.warnFlag == (c["status"] as! NSNumber).intValue)
            // The trajectory: f after each iteration, relative to scipy's.
            let scipyTrace = (c["trace_f"] as! [NSNumber]).map(\.doubleValue)
            let common = min(trace.count, scipyTrace.count, 20)
            for k in 0..<common {
                let tolerance = 1e-6 * max(1, abs(scipyTrace[k]))
                #expect(abs(trace[k] - scipyTrace[k]) <= tolerance,
                        "\(name): f after iteration \(k + 1): \(trace[k]) vs scipy \(scipyTrace[k])")
            }
            let fun = (c["fun"] as! NSNumber).doubleValue
            #expect(abs(result.value - fun) <= (nit <= 100 ? 1e-8 : 1e-6) * max(1, abs(fun)),
                    "\(name): f \(result.value) vs scipy \(fun)")
        }
    }
}
