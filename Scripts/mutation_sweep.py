#!/usr/bin/env python3
"""Plants one fault at a time in scikit-learn's semantics and runs the whole test suite on each: a fault the suite
does not fail on (SURVIVED) marks a claim no test can fail.

    python3 Scripts/mutation_sweep.py                 # every fault, on a scratch clone of HEAD (about 3 min a fault)
    python3 Scripts/mutation_sweep.py --list
    python3 Scripts/mutation_sweep.py tol-sign dropout-scale --repo /tmp/clone   # some, in a clone of your own

Each fault is one exact text replacement; the file is restored after its run. The clone is built once with
`swift build --build-tests`, then each fault rebuilds incrementally and runs `swift test --skip-build`. Exit 1 when a
fault survives or no longer applies (its text changed: update the list). Not run by CI (about an hour for the list).
Session 37 (2026-12-06) found seven survivors, each now failed by a test: `balanced-present`, `macro-one-class`,
`dropout-scale`, `scaler-correction`, `scaler-is-constant`, `metric-logloss-eps` and `lbfgs-ftol` (no fixture's line
search took a step that the sufficient-decrease constant decides).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORE = "Sources/MLPCore/"

# (name, file, text, replacement, what the fault breaks)
FAULTS = [
    ("adam-bias-correction", CORE + "Optimizers/Adam.swift", ".squareRoot() / (1 - pow(beta1", " / (1 - pow(beta1",
     "Adam's step without √(1 − β₂ᵗ)"),
    ("tol-sign", CORE + "Estimators/PerceptronEngine+Stochastic.swift", "if loss > bestLoss! - p.tol",
     "if loss > bestLoss! + p.tol", "improvement by tol counted the wrong way"),
    ("no-change-off-by-one", CORE + "Estimators/PerceptronEngine+Stochastic.swift",
     "if Double(noImprovementCount) > maxNoImprovement", "if Double(noImprovementCount) >= maxNoImprovement",
     "stopping one epoch early"),
    ("best-validation-ties", CORE + "Estimators/PerceptronEngine+Stochastic.swift",
     "if score > bestValidationScore! {", "if score >= bestValidationScore! {",
     "a tied validation score replaces the best weights"),
    ("invscaling-t", CORE + "Optimizers/MomentumSGD.swift", "pow(Double(t + 1), powerT)", "pow(Double(t + 2), powerT)",
     "invscaling's (t + 1)"),
    ("adaptive-divisor", CORE + "Optimizers/MomentumSGD.swift", "learningRate /= 5.0", "learningRate /= 4.0",
     "adaptive's η / 5"),
    ("nesterov-formula", "Sources/CMLPKernels/training_passes_kernel.h", "p[i] + (mu * vi - eta * gi)",
     "p[i] + (mu * vi)", "Nesterov's look-ahead without the gradient term"),
    ("glorot-logistic", CORE + "Core/Initializer.swift", "== .logistic ? 2.0 : 6.0", "== .logistic ? 6.0 : 6.0",
     "Glorot's factor 2 for logistic"),
    ("l2-half", CORE + "Estimators/PerceptronEngine.swift",
     "+ 0.5 * alpha * Double(net.squaredWeightNorm) / normalizer", "+ alpha * Double(net.squaredWeightNorm) / normalizer",
     "the reported loss's ½α‖W‖²"),
    ("lbfgs-half-alpha", CORE + "Estimators/PerceptronEngine+LBFGS.swift", "halfAlpha = T(0.5 * p.alpha)",
     "halfAlpha = T(0.25 * p.alpha)", "L-BFGS's objective penalty"),
    ("lbfgs-ftol", CORE + "Optimizers/LBFGSLineSearch.swift", "init(ftol: Double = 1e-3", "init(ftol: Double = 1e-4",
     "the line search's sufficient decrease"),
    ("batch-auto", CORE + "Parameters/MLPParameters.swift", "batchSize ?? 200", "batchSize ?? 199",
     "batch_size='auto' = min(200, n)"),
    ("test-size-ceil", CORE + "ModelSelection/TrainTestSplit.swift", "rounded(.up))", "rounded(.down))",
     "train_test_split's ceil(test fraction · n)"),
    ("stratified-shuffle", CORE + "ModelSelection/StratifiedKFold.swift", "if shuffle { rng.shuffle(&foldsForClass) }",
     "if shuffle && c > 0 { rng.shuffle(&foldsForClass) }", "StratifiedKFold's shuffle of the first class"),
    ("kfold-larger-last", CORE + "ModelSelection/KFold.swift", "(fold < count % nSplits ? 1 : 0)",
     "(fold >= nSplits - count % nSplits ? 1 : 0)", "KFold's larger folds first"),
    ("binary-not-stratified", CORE + "Estimators/MLPClassifier.swift", "case .binary: stratify = classIndex",
     "case .binary: stratify = nil", "early stopping's stratified split of a binary target"),
    ("balanced-present", CORE + "Parameters/ClassWeight+Balanced.swift", "total / (present * $0)",
     "total / (Double(counts.count) * $0)", "'balanced' counting classes that weigh nothing"),
    ("partial-fit-balanced", CORE + "Estimators/MLPClassifier.swift", "if parameters.classWeight == .balanced {",
     "if parameters.classWeight == .balanced && false {", "partialFit balancing each batch"),
    ("dropout-scale", CORE + "Core/Backpropagation.swift", "let keepScale = T(1 / (1 - dropoutRate))",
     "let keepScale = T(1)", "inverted dropout without 1 / (1 − p)"),
    ("macro-one-class", CORE + "Metrics/ClassificationMetrics.swift", "f1: scores.map(\\.f1).reduce(0, +) / n)",
     "f1: scores.map(\\.f1).reduce(0, +) / Swift.max(n, 2))", "the macro F1 of one class"),
    ("metric-logloss-eps", CORE + "Metrics/ClassificationMetrics.swift",
     "        let eps = Double.ulpOfOne\n        return min(max(p, eps), 1 - eps).log()",
     "        let eps = Double.ulpOfOne * 4\n        return min(max(p, eps), 1 - eps).log()", "log_loss's clip at ε"),
    ("r2-constant-truth", CORE + "Metrics/RegressionMetrics.swift", "if total == 0 { return residual == 0 ? 1 : 0 }",
     "if total == 0 { return residual == 0 ? 1 : .nan }", "r2_score of a constant truth"),
    ("scaler-correction", CORE + "Preprocessing/StandardScaler.swift",
     "(squares[j] - corrections[j] * corrections[j] / n) / n", "squares[j] / n", "the variance's rounding correction"),
    ("scaler-small-deviation", CORE + "Preprocessing/StandardScaler.swift", "deviation < 10 * Double.ulpOfOne",
     "deviation < 1e-3", "scale_ 1 only below 10ε"),
    ("scaler-is-constant", CORE + "Preprocessing/StandardScaler.swift",
     "return variance <= n * .ulpOfOne * variance + meanError * meanError", "return variance <= 0",
     "_is_constant_feature's rounding bound"),
]


def run(command, cwd):
    return subprocess.run(command, shell=True, cwd=cwd, capture_output=True, text=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="faults to plant (default: all)")
    parser.add_argument("--repo", help="a clone to plant them in (default: a scratch clone of HEAD)")
    parser.add_argument("--list", action="store_true", help="list the faults and exit")
    args = parser.parse_args()
    if args.list:
        for name, path, _, _, what in FAULTS:
            print(f"{name:24} {what} ({path})")
        return 0
    unknown = set(args.names) - {f[0] for f in FAULTS}
    if unknown:
        sys.exit(f"mutation_sweep: unknown fault(s): {', '.join(sorted(unknown))} (see --list)")
    repo = args.repo
    if not repo:
        repo = tempfile.mkdtemp(prefix="mutation-sweep-")
        subprocess.run(["git", "clone", "-q", ROOT, repo], check=True)
    build = run("swift build --build-tests", repo)
    if build.returncode != 0:
        sys.exit(f"mutation_sweep: the unmodified clone does not build:\n{build.stderr[-2000:]}")
    bad = 0
    for name, path, text, replacement, what in FAULTS:
        if args.names and name not in args.names:
            continue
        file = os.path.join(repo, path)
        source = open(file).read()
        if source.count(text) != 1:
            print(f"{name}: NOT APPLIED (its text occurs {source.count(text)} times in {path})", flush=True)
            bad += 1
            continue
        start = time.time()
        try:
            with open(file, "w") as f:
                f.write(source.replace(text, replacement))
            built = run("swift build --build-tests", repo)
            if built.returncode != 0:
                print(f"{name}: NOT BUILT (fix the replacement)\n{built.stderr[-1500:]}", flush=True)
                bad += 1
                continue
            tested = run("swift test --skip-build", repo)
            failures = [line for line in (tested.stdout + tested.stderr).splitlines()
                        if line.startswith("✘ Test ") and " recorded an issue" in line]
            tests = sorted({line.split("(")[0].removeprefix("✘ Test ") for line in failures})
            if tested.returncode == 0:
                bad += 1
            verdict = "failed by" if tested.returncode != 0 else "SURVIVED"
            print(f"{name}: {verdict} {len(tests)} test(s) in {time.time() - start:.0f} s ({what})"
                  + (f": {', '.join(tests[:4])}{' …' if len(tests) > 4 else ''}" if tests else ""), flush=True)
        finally:
            with open(file, "w") as f:
                f.write(source)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
