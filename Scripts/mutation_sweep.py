#!/usr/bin/env python3
"""Plants one fault at a time in the library, the tool and the interop code, and runs the test suite on each: a fault
the suite does not fail on (SURVIVED) marks a claim no test can fail.

    python3 Scripts/mutation_sweep.py                 # every fault, on a scratch clone of HEAD (about an hour)
    python3 Scripts/mutation_sweep.py --list
    python3 Scripts/mutation_sweep.py --check         # does each fault's text still occur once (seconds)
    python3 Scripts/mutation_sweep.py tol-sign dropout-scale --repo /tmp/clone   # some, in a clone of your own

Each fault is one exact text replacement; the file is restored after its run. The clone is built once with
`swift build --build-tests`; each fault rebuilds incrementally and runs `swift test --skip-build`, first only the
suites the fault names (seconds, when they fail it) and else the whole suite (about 3 min). A fault in code that one
of CI's check scripts covers (CI_CHECKS: the ONNX exports in onnxruntime) and that passes the suite runs that script
too. Exit 1 when a fault survives or no longer applies (its text changed: update the list). Not run by CI.
Faults that can never show (equivalent ones) stay off the list: `exponent += dropped` in NumberParser, for example,
matters only for mantissas that always take the strtod path.
Session 37 (2026-12-06) found seven survivors among the 25 semantic faults, session 38 nine among the 31 beyond them
(delimiter ties, a lone quoted empty field, edge spaces in output labels, the binary threshold at NaN, MinMaxScaler's
10ε, the signed-rank test's tied ranks and continuity correction, the range test's 4× stop; the exported binary
probabilities fail CI's onnx_check only); each is now failed by a test. docs/design.md keeps the history.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORE = "Sources/MLPCore/"
CANDIDATES = "Sources/MLPDiagnosis/DiagnosisSession+Candidates.swift"
UNIT_SCALE = "Sources/MLPDiagnosis/UnitScale.swift"
NARROW = "Sources/CMLPKernels/gemm_narrow_kernel.h"

# (name, file, text, replacement, what the fault breaks[, suites tried first])
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
    # Beyond scikit-learn's semantics: reading CSV, model files, ONNX, metrics, the diagnosis and the tool's output.
    # A sixth field names the suites tried first (`swift test --filter`): a fault they fail is killed without the
    # whole run; one they pass still meets every test.
    ("csv-escaped-quote", CORE + "Data/CSVTokenizer.swift",
     "try appendScratch(from: segment, to: p + 1, scratchStart: scratchStart)",
     "try appendScratch(from: segment, to: p, scratchStart: scratchStart)", "a doubled quote inside quotes is one quote",
     "CSVTests"),
    ("csv-delimiter-tie", CORE + "Data/CSVTokenizer.swift", "where counts[Int(candidate)] > bestCount",
     "where counts[Int(candidate)] >= bestCount", "the detected delimiter's tie order (comma first)",
     "CSVDelimiterTests"),
    ("csv-quoted-empty-record", CORE + "Data/CSVTokenizer.swift",
     "if fields.count == 1 && !fields[0].quoted && fields[0].start == fields[0].end",
     "if fields.count == 1 && fields[0].start == fields[0].end", "a record of one quoted empty field is not blank",
     "CSVTests"),
    ("csv-trailing-space", CORE + "Data/CSVTokenizer.swift",
     "while end > start && isTrimmed(base[end - 1]) { end -= 1 }", "", "spaces after an unquoted field are trimmed",
     "CSVTests"),
    ("csv-quoted-crlf", CORE + "Data/CSVTokenizer.swift", "if p < n && base[p] == Self.lf { p += 1 }", "",
     "CRLF inside a quoted field is one line end (line numbers)", "CSVTests"),
    ("number-fast-path", CORE + "Data/NumberParser.swift", "mantissa <= (1 << 53)", "mantissa <= (1 << 62)",
     "Clinger's fast path only for exact mantissas", "CSVTests"),
    ("number-null-missing", CORE + "Data/NumberParser.swift", "\"#n/a\", \"null\",", "\"#n/a\",",
     "'null' is a missing value, as pandas reads it", "CSVTests"),
    ("model-checksum", "Sources/MLPModelFile/ModelFile.swift", "guard stored == actual else {",
     "guard stored == actual || true else {", "a model file's checksum is checked", "ModelFileTests"),
    ("model-major-version", "Sources/MLPModelFile/ModelFile.swift", "guard major == majorVersion else {",
     "guard major == majorVersion || true else {", "another major version is refused", "ModelFileTests"),
    ("crc-slicing-table", "Sources/MLPModelFile/CRC32.swift", "^ t[1 * 256 + Int((hi >> 16) & 0xFF)]",
     "^ t[2 * 256 + Int((hi >> 16) & 0xFF)]", "CRC-32 is zlib's (a wrong table still round-trips)", "ModelFileTests"),
    ("same-file-input", "Sources/MLPModelFile/AtomicFile.swift",
     "return x.st_dev == y.st_dev && x.st_ino == y.st_ino", "return false",
     "an output that is the command's own input is refused", "MLPCLITests"),
    ("signal-leaves-temporaries", "Sources/mlp/Signals.swift",
     "            AtomicFile.abandonAll()\n            // End as", "            // End as",
     "a signal removes the temporary files of unfinished writes", "MLPCLITests"),
    ("csv-field-quote-escape", "Sources/mlp/Output.swift",
     "s.replacingOccurrences(of: \"\\\"\", with: \"\\\"\\\"\")", "s", "a label's quote is doubled in CSV output",
     "MLPCLITests"),
    ("csv-field-edge-space", "Sources/mlp/Output.swift", "|| s.first == \" \" || s.last == \" \" ", "",
     "a label with an edge space is quoted (readers trim it)", "CLICSVCorpusTests"),
    ("confusion-transposed", CORE + "Metrics/ClassificationMetrics.swift", "m[yTrue[i]][yPred[i]] += 1",
     "m[yPred[i]][yTrue[i]] += 1", "confusion_matrix's rows are the truth", "MetricsTests"),
    ("accuracy-weight", CORE + "Metrics/ClassificationMetrics.swift", "if yTrue[i] == yPred[i] { correct += w }",
     "if yTrue[i] == yPred[i] { correct += 1 }", "accuracy's sample weights", "MetricsTests"),
    ("r2-overflow-rescue", CORE + "Metrics/RegressionMetrics.swift", "if !residual.isFinite || !total.isFinite {",
     "if false {", "r2 of targets whose squares overflow", "MetricsTests|TargetOverflowTests"),
    ("argmax-first", CORE + "Estimators/Argmax.swift", "if value > bestValue {", "if value >= bestValue {",
     "argmax takes the first of tied maxima (numpy)", "MLPTests"),
    ("binary-nan-threshold", CORE + "Preprocessing/LabelBinarizer.swift",
     "outputs[r] > 0.5 && classes.count > 1 ? 1 : 0", "!(outputs[r] <= 0.5) && classes.count > 1 ? 1 : 0",
     "a NaN probability predicts classes[0], as scikit-learn's threshold", "MLPTests"),
    ("minmax-small-range", CORE + "Preprocessing/MinMaxScaler.swift", "range < 10 * Double.ulpOfOne ? 1 : range",
     "range == 0 ? 1 : range", "MinMaxScaler's range 1 below 10ε (_handle_zeros_in_scale)", "ScalerTests"),
    ("streaming-merge", CORE + "OutOfCore/StreamingStatistics.swift",
     "m2 += other.m2 + delta * delta * (na * nb / n)", "m2 += other.m2", "Chan's merge of two chunks' variances",
     "OutOfCoreTests"),
    ("poisson-constant", CORE + "Core/Loss.swift", "xlogy(y[k], y[k]) - xlogy(y[k], p[k]) - y[k] + p[k]",
     "xlogy(y[k], y[k]) - xlogy(y[k], p[k]) + p[k]", "the reported Poisson loss keeps its constants",
     "SklearnParityTests|SklearnSmallFixtureTests"),
    ("rank-ties", "Sources/MLPDiagnosis/RankTest.swift", "ranks[order[k]] = Double(i + j + 2) / 2",
     "ranks[order[k]] = Double(i + 1)", "tied differences share their mean rank", "RankTestTests"),
    ("rank-continuity", "Sources/MLPDiagnosis/RankTest.swift", "(observed - 0.5 - mean)", "(observed - mean)",
     "the normal approximation's continuity correction", "RankTestTests"),
    ("diagnosis-significance", "Sources/MLPDiagnosis/DiagnosisSession+Proof.swift", "static let significance = 0.05",
     "static let significance = 0.5", "a fix is proven at p < 0.05", "MLPDiagnosisTests"),
    ("curve-diverged", "Sources/MLPDiagnosis/LossCurveShape.swift", "if peakOverFirst > 1e3 { diverged = true }",
     "if peakOverFirst > 1e6 { diverged = true }", "a loss curve 1000× its start has diverged", "MLPDiagnosisTests"),
    ("unstable-sign-changes", "Sources/MLPDiagnosis/LossCurveShape.swift", "var zigzags: Bool { signChangeShare > 1.0 / 3 }",
     "var zigzags: Bool { signChangeShare > 2.0 / 3 }", "a loss that zigzags in over a third of its steps is unstable",
     "ProbeTests"),
    ("offscale-spread", UNIT_SCALE, "std > 10 || (std > 0 && std < 0.1)", "std > 100 || (std > 0 && std < 0.1)",
     "inputs spread over ten times unit scale are off scale", "MLPDiagnosisTests"),
    ("offscale-narrow", UNIT_SCALE, "std > 10 || (std > 0 && std < 0.1)", "std > 10 || (std > 0 && std < 0.01)",
     "inputs spread under a tenth of unit scale are off scale", "MLPDiagnosisTests"),
    ("offscale-offset", UNIT_SCALE, "abs(mean) > 10 * max(std, 0.1)", "abs(mean) > 100 * max(std, 0.1)",
     "inputs centred ten spreads from zero are off scale", "MLPDiagnosisTests"),
    ("target-unit-wide", UNIT_SCALE, "std > 2 || std < 0.5 || abs(mean) > std",
     "std > 4 || std < 0.5 || abs(mean) > std",
     "a target spread over twice unit scale calls for scaling", "MLPDiagnosisTests"),
    ("target-unit-narrow", UNIT_SCALE, "std > 2 || std < 0.5 || abs(mean) > std",
     "std > 2 || std < 0.25 || abs(mean) > std",
     "a target spread under half unit scale calls for scaling", "MLPDiagnosisTests"),
    ("target-unit-offset", UNIT_SCALE, "std > 2 || std < 0.5 || abs(mean) > std",
     "std > 2 || std < 0.5 || abs(mean) > 2 * std",
     "a target centred a spread from zero calls for scaling", "MLPDiagnosisTests"),
    ("inputs-symptom-bound", CANDIDATES, "zip(mean, std).contains(where: UnitScale.isFarOff)",
     "zip(mean, std).contains(where: UnitScale.isOff)", "the inputs' symptom counts an order of magnitude off",
     "MLPDiagnosisTests"),
    ("target-try-bound", CANDIDATES, "zip(targetMeans, targetStds).map(UnitScale.isOff)",
     "zip(targetMeans, targetStds).map(UnitScale.isFarOff)", "a target beyond a factor of two is worth scaling",
     "MLPDiagnosisTests"),
    ("imbalance-ratio", CANDIDATES, "if ratio < 0.5 {", "if ratio < 0.25 {",
     "classes below 1:2 call for balanced weights", "MLPDiagnosisTests"),
    ("vanishing-ratio", CANDIDATES, "ratio < 0.1 ? .vanishingGradient", "ratio < 0.01 ? .vanishingGradient",
     "a tenfold gradient loss across layers is a vanishing gradient", "MLPDiagnosisTests"),
    ("dead-half", CANDIDATES, "p.activation == .relu && dead >= 0.5", "p.activation == .relu && dead >= 0.9",
     "half a layer dead calls for leaky relu", "MLPDiagnosisTests"),
    ("narrow-outputs", CANDIDATES, "if narrowestAlive < Double(max(outputCount, 2))",
     "if narrowestAlive < Double(max(outputCount, 2)) / 2",
     "a layer with fewer live units than outputs is too narrow", "MLPDiagnosisTests"),
    ("alpha-decades", CANDIDATES, "for factor in [1e2, 1e4]", "for factor in [1e1, 1e4]",
     "alpha tried at 100× and 10,000× the given", "MLPDiagnosisTests"),
    ("oscillation-halved", "Sources/MLPDiagnosis/DiagnosisSession+Findings.swift",
     "shape.finalLoss > 0.5 * shape.firstLoss", "shape.finalLoss > 0.1 * shape.firstLoss",
     "a zigzagging loss that has not halved oscillates", "MLPDiagnosisTests"),
    ("borderline-more-runs", "Sources/MLPDiagnosis/DiagnosisSession+Proof.swift", "p > Self.significance && p <= 0.25",
     "p > Self.significance && p <= 0.05", "a suggestive gain (p at most 0.25) gets five more random states",
     "MLPDiagnosisTests"),
    ("borderline-ceiling", "Sources/MLPDiagnosis/DiagnosisSession+Proof.swift", "p > Self.significance && p <= 0.25",
     "p > Self.significance && p <= 0.5", "a gain at p above 0.25 is not suggestive", "MLPDiagnosisTests"),
    ("probe-poisson-loss", "Sources/MLPDiagnosis/ProbePass.swift", "case .exp: return .poisson",
     "case .exp: return .squaredError", "the probe takes the loss its gradient belongs to", "ProbeTests"),
    ("range-test-median", "Sources/MLPDiagnosis/LearningRateRangeTest.swift", "$0.ceiling < $1.ceiling }[runs / 2]",
     "$0.ceiling < $1.ceiling }[0]", "the range test's median run of three sets the ceiling", "RangeTestCeilingTests"),
    ("held-out-unseen-class", "Sources/MLPDiagnosis/HeldOutLoss.swift", "columns.firstIndex(of: $0) ?? k }",
     "columns.firstIndex(of: $0) ?? 0 }", "a class the model never saw has probability 0", "HeldOutLossTests"),
    ("column-moments-scaler", "Sources/MLPDiagnosis/Statistics.swift",
     "StandardScaler.meanAndDeviation(count: rows) { storage[$0 * columns + c] }",
     "StandardScaler.meanAndDeviation(count: rows) { storage[$0 * columns] }", "each column's own moments",
     "MLPDiagnosisTests"),
    ("unstable-majority", "Sources/MLPDiagnosis/DiagnosisSession+Steps.swift", "unstableShare(baseline) > 0.5 }",
     "unstableShare(baseline) > 0.9 }", "the step is the symptom when most runs are unstable", "MLPDiagnosisTests"),
    ("range-test-suggestion", "Sources/MLPDiagnosis/LearningRateRangeTest.swift", "if loss > stopFactor * best { count = i",
     "if loss > 10 * stopFactor * best { count = i", "the range test stops at 4× the best loss", "RangeTestCeilingTests"),
    ("onnx-gemm-transb", "Sources/MLPONNX/ONNXImport.swift",
     "weights = (0..<inputs * outputs).map { k in weights[(k % outputs) * inputs + k / outputs] }",
     "weights = (0..<inputs * outputs).map { k in weights[k] }", "an imported Gemm's transB", "MLPONNXTests"),
    ("onnx-binary-negative", "Sources/MLPONNX/ONNXExport.swift",
     "let negative = builder.node(\"Sub\", [builder.scalar(1, type), y])",
     "let negative = builder.node(\"Sub\", [y, builder.scalar(1, type)])", "the exported binary probabilities [1 − p, p]",
     "MLPONNXTests"),
    ("onnx-leaky-slope", "Sources/MLPONNX/ONNXExport.swift", "builder.scalar(Activation.leakySlope, type)",
     "builder.scalar(0.02, type)", "the exported leaky ReLU's slope", "MLPONNXTests"),
    ("narrow-transpose", NARROW, "__m512i low = _mm512_set_epi64(11, 10, 9, 8, 3, 2, 1, 0)",
     "__m512i low = _mm512_set_epi64(11, 10, 9, 8, 7, 6, 5, 4)", "rows as lanes: the 8 x 8 transpose", "GemmNarrowTests"),
    ("narrow-k-tail", NARROW, "FN(load_block)(ar, p0, k - p0, r);", "FN(load_block)(ar, p0, 1, r);",
     "rows as lanes: the last k % 8 steps", "GemmNarrowTests"),
    ("narrow-transpose-f32", NARROW, "__m512i low = _mm512_set_epi32(27, 26, 25, 24, 11, 10, 9, 8,",
     "__m512i low = _mm512_set_epi32(27, 26, 25, 24, 15, 14, 13, 12,", "rows as lanes, float32: the halves' transpose",
     "GemmNarrowTests"),
    ("narrow-tail-f32", NARROW, "rows[(r % 8) * 16 + (r / 8) * 8 + q] = ar[r][p0 + q];",
     "rows[(r % 8) * 16 + q] = ar[r][p0 + q];", "rows as lanes, float32: the last k % 8 steps of rows 8-15",
     "GemmNarrowTests"),
    ("narrow-store-f32", NARROW, "(double *)(tile + (q + 8) * NARROW_TILE + cb), _mm512_extractf64x4_pd(x, 1)",
     "(double *)(tile + (q + 7) * NARROW_TILE + cb), _mm512_extractf64x4_pd(x, 1)",
     "rows as lanes, float32: rows 8-15 stored back", "GemmNarrowTests"),
    ("narrow-upward", NARROW, "long i0 = singles + (upward ? count - 1 - s : s) * VL;",
     "long i0 = singles + (upward ? count - s : s) * VL;", "rows as lanes: a part that walks its panels upward",
     "GemmNarrowTests"),
    ("narrow-upward-pairs", NARROW, "for (long s = pairCount - 1; s >= 0; s--)", "for (long s = pairCount - 1; s > 0; s--)",
     "rows as lanes, A transposed: a part that walks its pairs of panels upward", "GemmNarrowTests"),
    ("narrow-pair-second-load", NARROW, "ap2 = *(const VU *)(a + p * lda + VL);", "ap2 = *(const VU *)(a + p * lda);",
     "rows as lanes, A transposed: the pair's second panel of A", "GemmNarrowTests"),
    ("narrow-pair-second-store", NARROW, "FN(narrow_store)(g, i0 + VL, VL, n, acc + n);",
     "FN(narrow_store)(g, i0 + VL, VL, n, acc);", "rows as lanes, A transposed: the pair's second panel stored",
     "GemmNarrowTests"),
    ("narrow-transposed-step", NARROW, "V ap = FN(load_lanes)(a + p * lda, rows);",
     "V ap = FN(load_lanes)(a + p * lda + (p > 0), rows);", "rows as lanes, A transposed: a partial panel's rows",
     "GemmNarrowTests"),
    ("narrow-store-lanes", NARROW, "long lanes = n - w * VL < VL ? n - w * VL : VL;", "long lanes = VL;",
     "rows as lanes: stores past column n", "GemmNarrowTests"),
    ("narrow-epilogue-row", NARROW, "FN(tile_epilogue_at)(&g->epilogue, i0, 0);", "FN(tile_epilogue_at)(&g->epilogue, 0, 0);",
     "rows as lanes: the ReLU derivative's rows", "GemmNarrowTests"),
    ("narrow-part-rows", "Sources/CMLPKernels/gemm.c", "long r0 = p0 * job->lanes, r1 = p1 * job->lanes < job->g->m",
     "long r0 = p0 * job->lanes + (index > 0), r1 = p1 * job->lanes < job->g->m",
     "rows as lanes on several threads: each part's first row", "GemmNarrowTests"),
    ("even-tail-rows", "Sources/CMLPKernels/gemm_kernel.h", "mr = index == panels - 1 ? mc - ir : 4;",
     "mr = index == panels - 1 ? mc - ir : 3;", "AVX2's last two row tiles as 4 + 4 rows cover every row",
     "GemmTests"),
    ("sparse-zero-sum", "Sources/CMLPKernels/row_kernel.h", "    if (zero) return 0;\n", "",
     "a single row's block whose sum is a zero reads every input (its sign)", "DenseRowPanelsTests"),
    ("sparse-positions", "Sources/CMLPKernels/row_kernel.h", "{1, 2, 0, 0}, {0, 1, 2, 0},", "{1, 2, 0, 0}, {0, 2, 1, 0},",
     "the non-zero inputs' positions, in order", "DenseRowPanelsTests"),
    ("sparse-tail-inputs", "Sources/CMLPKernels/row_kernel.h", "        count += x[p] != (T)0;\n", "        count += x[p] > (T)0;\n",
     "the non-zero inputs after the groups of eight, negative ones included", "DenseRowPanelsTests"),
    ("sparse-infinite-weight", "Sources/MLPCore/Estimators/SingleRowPass.swift",
     "skipsZeroInputs: weights.allSatisfy { parameters[$0].isFinite }", "skipsZeroInputs: true",
     "a single row skips zero inputs only where 0 × weight is 0", "MLPPredictorTests"),
    ("placement-kept", "Sources/CMLPKernels/pool_placement.c",
     "    if (job.round_trip_ns > 0) {",
     "    if (job.round_trip_ns < 0) {",
     "the pool keeps the cores' measured round trip", "PoolStateTests"),
    ("stratified-train-order", CORE + "ModelSelection/TrainTestSplit.swift", "rng.shuffle(&train)   // rng.permutation(train)",
     "// rng.permutation(train)", "train_test_split permutes the stratified train rows", "MLPTests"),
]

# The check scripts CI runs after the suite, by the sources they check: a fault the suite passes but one of them
# fails is caught before it lands.
CI_CHECKS = {
    "Sources/MLPONNX/": "swift build --product mlp && python3 Scripts/onnx_check.py --mlp .build/debug/mlp --no-install",
}


def run(command, cwd):
    return subprocess.run(command, shell=True, cwd=cwd, capture_output=True, text=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="faults to plant (default: all)")
    parser.add_argument("--repo", help="a clone to plant them in (default: a scratch clone of HEAD)")
    parser.add_argument("--list", action="store_true", help="list the faults and exit")
    parser.add_argument("--check", action="store_true",
                        help="check that each fault's text occurs once, without building (exit 1 if not)")
    args = parser.parse_args()
    if args.list:
        for name, path, _, _, what, *_ in FAULTS:
            print(f"{name:26} {what} ({path})")
        return 0
    if args.check:
        stale = [name for name, path, text, *_ in FAULTS if open(os.path.join(ROOT, path)).read().count(text) != 1]
        for name in stale:
            print(f"{name}: its text does not occur exactly once")
        print(f"{len(FAULTS) - len(stale)} of {len(FAULTS)} faults apply")
        return 1 if stale else 0
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
    for name, path, text, replacement, what, *first in FAULTS:
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
            tested = run(f"swift test --skip-build --filter '{first[0]}'", repo) if first else None
            if tested is None or tested.returncode == 0:
                tested = run("swift test --skip-build", repo)
            failures = [line for line in (tested.stdout + tested.stderr).splitlines()
                        if line.startswith("✘ Test ") and " recorded an issue" in line]
            tests = sorted({line.split("(")[0].removeprefix("✘ Test ") for line in failures})
            check = next((c for prefix, c in CI_CHECKS.items() if path.startswith(prefix)), None)
            if tested.returncode == 0 and check:
                checked = run(check, repo)
                if checked.returncode != 0:
                    print(f"{name}: passed the suite, failed by CI's {check.split('&& ')[-1].split()[1]} in "
                          f"{time.time() - start:.0f} s ({what})", flush=True)
                    continue
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
