#!/usr/bin/env python3
"""Prints the scikit-learn reference values used in Tests/MLPTests/MetricsTests.swift (paste them there)."""
import numpy as np
from sklearn import metrics

rng = np.random.RandomState(0)
n, k = 40, 4
y_true = rng.randint(0, k - 1, n)          # class 3 never occurs in the truth
y_pred = np.where(rng.rand(n) < 0.6, y_true, rng.randint(0, k, n))
proba = rng.dirichlet(np.ones(k), n)
proba[0] = [1.0, 0.0, 0.0, 0.0]            # exercise clipping
y_reg = rng.randn(n)
y_reg_pred = y_reg + 0.3 * rng.randn(n)

def swift(a):
    return "[" + ", ".join(repr(float(x)) if isinstance(x, (float, np.floating)) else str(int(x)) for x in np.ravel(a)) + "]"

print("let yTrue =", swift(y_true))
print("let yPred =", swift(y_pred))
print("let proba =", swift(proba))
print("let accuracy =", repr(metrics.accuracy_score(y_true, y_pred)))
print("let logLoss =", repr(metrics.log_loss(y_true, proba, labels=range(k))))
print("let confusion =", swift(metrics.confusion_matrix(y_true, y_pred, labels=range(k))))
p, r, f, s = metrics.precision_recall_fscore_support(y_true, y_pred, labels=range(k), zero_division=0)
print("let precision =", swift(p)); print("let recall =", swift(r)); print("let f1 =", swift(f)); print("let support =", swift(s))
for avg in ["macro", "weighted"]:
    p, r, f, _ = metrics.precision_recall_fscore_support(y_true, y_pred, average=avg, zero_division=0)
    print(f"let {avg} = [{p!r}, {r!r}, {f!r}]")
print("let yReg =", swift(y_reg)); print("let yRegPred =", swift(y_reg_pred))
print("let r2 =", repr(metrics.r2_score(y_reg, y_reg_pred)))
print("let mae =", repr(metrics.mean_absolute_error(y_reg, y_reg_pred)))
print("let rmse =", repr(metrics.root_mean_squared_error(y_reg, y_reg_pred)))
