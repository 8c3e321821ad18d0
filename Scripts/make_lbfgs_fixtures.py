#!/usr/bin/env python3
"""scipy's L-BFGS-B on a few unconstrained problems, for LBFGS's tests.

Writes Tests/MLPTests/Fixtures/lbfgs_scipy.json: for each case, the options passed to
scipy.optimize.minimize(method="L-BFGS-B", jac=True, options=...) as scikit-learn passes them
(maxfun, maxiter, gtol; ftol and maxcor left at scipy's defaults unless stated), and scipy's
nit, nfev, fun, x, status, message, plus the accepted iterates' f values (callback trace).

The objectives are written so that Swift can evaluate them with the same operations:
  rosenbrock(x)  = sum_{i<n-1} 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2   (sequential sum)
  quadratic(x)   = sum_i 0.5 * a[i] * x[i]^2 - b[i] * x[i], a = 10**linspace(0, k, n), b = 1
Usage: python3 Scripts/make_lbfgs_fixtures.py
"""
import json
import os

import numpy as np
import scipy
from scipy.optimize import minimize

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "MLPTests", "Fixtures", "lbfgs_scipy.json")


def rosenbrock(x):
    f = 0.0
    g = np.zeros_like(x)
    for i in range(len(x) - 1):
        a = x[i + 1] - x[i] * x[i]
        b = 1.0 - x[i]
        f += 100.0 * a * a + b * b
        g[i] += -400.0 * x[i] * a - 2.0 * b
        g[i + 1] += 200.0 * a
    return f, g


def quadratic(a, b):
    def fun(x):
        f = 0.0
        for i in range(len(x)):
            f += 0.5 * a[i] * x[i] * x[i] - b[i] * x[i]
        return f, a * x - b
    return fun


def case(name, fun, x0, options, problem):
    trace = []
    res = minimize(fun, np.array(x0, dtype=float), method="L-BFGS-B", jac=True, options=options,
                   callback=lambda intermediate_result: trace.append(float(intermediate_result.fun)))
    return {"name": name, "problem": problem, "x0": list(map(float, x0)), "options": options,
            "nit": int(res.nit), "nfev": int(res.nfev), "fun": float(res.fun), "x": list(map(float, res.x)),
            "status": int(res.status), "message": str(res.message), "trace_f": trace}


def main():
    cases = []
    rosen = {"kind": "rosenbrock"}
    cases.append(case("rosenbrock 2d", rosenbrock, [-1.2, 1.0], {}, rosen))
    cases.append(case("rosenbrock 2d sklearn tol", rosenbrock, [-1.2, 1.0],
                      {"maxfun": 15000, "maxiter": 200, "gtol": 1e-4}, rosen))
    cases.append(case("rosenbrock 5d", rosenbrock, [1.3, 0.7, 0.8, 1.9, 1.2], {}, rosen))
    cases.append(case("rosenbrock 10d", rosenbrock, [0.0] * 10, {}, rosen))
    cases.append(case("rosenbrock 10d tight", rosenbrock, [-1.2, 1.0] * 5, {"gtol": 1e-8, "ftol": 1e-15}, rosen))
    cases.append(case("rosenbrock maxiter 5", rosenbrock, [-1.2, 1.0], {"maxiter": 5}, rosen))
    cases.append(case("rosenbrock maxfun 10", rosenbrock, [-1.2, 1.0], {"maxfun": 10}, rosen))
    cases.append(case("rosenbrock memory 3", rosenbrock, [-1.2, 1.0] * 3, {"maxcor": 3}, rosen))
    for k, n in [(0, 5), (2, 20), (4, 50)]:
        a = 10.0 ** np.linspace(0, k, n)
        b = np.ones(n)
        cases.append(case(f"quadratic cond 1e{k} n{n}", quadratic(a, b), [0.0] * n, {"gtol": 1e-10},
                          {"kind": "quadratic", "a": list(map(float, a)), "b": list(map(float, b))}))
    data = {"generator": "Scripts/make_lbfgs_fixtures.py", "scipy": scipy.__version__, "numpy": np.__version__,
            "cases": cases}
    with open(OUT, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    for c in cases:
        print(f"{c['name']:28s} nit={c['nit']:4d} nfev={c['nfev']:4d} f={c['fun']:.3e} {c['message']}")


if __name__ == "__main__":
    main()
