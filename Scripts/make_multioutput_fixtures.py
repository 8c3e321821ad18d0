#!/usr/bin/env python3
"""Write scikit-learn's reference for `mlp train/predict/evaluate/cv` with several target columns: multi-output
regression, and multilabel classification (0/1 target columns).

Usage:  python3 Scripts/make_multioutput_fixtures.py   (from anywhere; needs numpy and scikit-learn 1.9.x)

Output: Tests/MLPCLITests/Fixtures/sklearn_multioutput.json, a list of cases. Each case holds
  csv      the data, written with Python's repr so every float reads back exactly; the target columns are 'b' and
           'a', in that order in the file, and the cases name them '--target a,b' so that the order given, not the
           file's, is the order of the outputs;
  args     the mlp arguments after the subcommand and the data file (the test adds --json);
  command  "train" or "cv";
  train:   make_pipeline(StandardScaler(), MLPRegressor(...)) fitted on every row, or on train_test_split's training
           rows with --test-size (with --scale-target standard: TransformedTargetRegressor(regressor=that pipeline,
           transformer=StandardScaler()), which standardizes each target column); its predictions on every row
           (row-major, rows x targets), and on the scored rows r2_score (uniform average over the targets, which is
           the pipeline's score), mean_absolute_error and root_mean_squared_error (uniform averages), and each per
           target (multioutput='raw_values');
  cv:      scores, mean and std (numpy, ddof=0) of cross_val_score(that pipeline, X, Y, cv=K) (KFold, R²).
Multilabel cases ("train-multilabel", "cv-multilabel") hold make_pipeline(StandardScaler(), MLPClassifier(...))
fitted on three 0/1 columns 'tag_c', 'tag_a', 'tag_b' (named '--target tag_a,tag_b,tag_c'): predict (0/1, row-major)
and predict_proba, and on the scored rows accuracy_score (subset accuracy, the pipeline's score), hamming_loss and
precision_recall_fscore_support(average=None, zero_division=0) per label; with --test-size the split is
train_test_split(stratify=Y), which stratifies by each row's label combination; cv uses KFold, as check_cv does for a
multilabel y.
"""

import json
import os
import warnings

import numpy as np
import sklearn
from sklearn import metrics
from sklearn.compose import TransformedTargetRegressor
from sklearn.datasets import make_multilabel_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore", category=ConvergenceWarning)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "MLPCLITests", "Fixtures", "sklearn_multioutput.json")


def data(offset):
    """Four features and two targets; the file holds 'b' before 'a', the outputs are [a, b]."""
    X, Y = make_regression(n_samples=120, n_features=4, n_informative=3, n_targets=2, noise=5.0, random_state=8)
    X = np.round(X, 6)
    Y = np.round(np.column_stack([Y[:, 0] + offset, 0.5 * Y[:, 1] - offset]), 4)
    header = ["x0", "x1", "x2", "x3", "b", "a"]
    lines = [",".join(header)]
    for r in range(len(X)):
        lines.append(",".join(repr(float(v)) for v in list(X[r]) + [Y[r, 1], Y[r, 0]]))
    return "\n".join(lines) + "\n", X, Y


def model(params, scale_target):
    pipeline = make_pipeline(StandardScaler(), MLPRegressor(**params))
    return TransformedTargetRegressor(regressor=pipeline, transformer=StandardScaler()) if scale_target else pipeline


def args_of(params, scale_target):
    args = []
    for key, value in params.items():
        args += ["--" + key.replace("_", "-"), ",".join(map(str, value)) if isinstance(value, tuple) else str(value)]
    return args + ["--regression", "--target", "a,b"] + (["--scale-target", "standard"] if scale_target else [])


def scores(Y, P):
    return {"r2": float(metrics.r2_score(Y, P)),
            "r2_per_target": metrics.r2_score(Y, P, multioutput="raw_values").tolist(),
            "mae": float(metrics.mean_absolute_error(Y, P)),
            "mae_per_target": metrics.mean_absolute_error(Y, P, multioutput="raw_values").tolist(),
            "rmse": float(metrics.root_mean_squared_error(Y, P)),
            "rmse_per_target": metrics.root_mean_squared_error(Y, P, multioutput="raw_values").tolist()}


cases = []


def train_case(name, params, offset, scale_target=False, test_size=None, split_state=None):
    text, X, Y = data(offset)
    rows = np.arange(len(X))
    args = args_of(params, scale_target)
    case = {"name": name, "command": "train", "csv": text}
    if test_size is not None:
        rows, test = train_test_split(rows, test_size=test_size, random_state=split_state)
        args += ["--test-size", repr(test_size), "--split-random-state", str(split_state)]
        case["test_indices"] = test.tolist()
    fitted = model(params, scale_target).fit(X[rows], Y[rows])
    case["args"] = args
    case["predict"] = fitted.predict(X).ravel().tolist()
    case["train"] = scores(Y[rows], fitted.predict(X[rows]))
    if test_size is not None:
        case["test"] = scores(Y[case["test_indices"]], fitted.predict(X[case["test_indices"]]))
    cases.append(case)


def cv_case(name, params, offset, folds, scale_target=False):
    text, X, Y = data(offset)
    s = cross_val_score(model(params, scale_target), X, Y, cv=folds)
    cases.append({"name": name, "command": "cv", "csv": text, "args": args_of(params, scale_target) + ["--folds", str(folds)],
                  "scores": s.tolist(), "mean": float(s.mean()), "std": float(s.std())})


adam = {"hidden_layer_sizes": (12,), "max_iter": 150, "random_state": 0, "learning_rate_init": 0.01}
lbfgs = {"hidden_layer_sizes": (6,), "solver": "lbfgs", "max_iter": 80, "random_state": 3}
train_case("two targets, adam", adam, 0)
train_case("two targets in hundreds, standardized per column", adam, 300, scale_target=True)
train_case("two targets, lbfgs, held-out rows", lbfgs, 0, test_size=0.25, split_state=4)
cv_case("cv two targets", adam, 0, 3)
cv_case("cv two targets in hundreds, standardized per fold", adam, 300, 4, scale_target=True)



def multilabel_data():
    """Four count features and three 0/1 labels; the file holds tag_c, tag_a, tag_b, the outputs are [a, b, c]."""
    X, Y = make_multilabel_classification(n_samples=120, n_features=4, n_classes=3, n_labels=2, random_state=1)
    X = X.astype(float)
    header = ["x0", "x1", "x2", "x3", "tag_c", "tag_a", "tag_b"]
    lines = [",".join(header)]
    for r in range(len(X)):
        lines.append(",".join([repr(float(v)) for v in X[r]] + [str(Y[r, 2]), str(Y[r, 0]), str(Y[r, 1])]))
    return "\n".join(lines) + "\n", X, Y


def multilabel_args(params):
    return args_of(params, False)[:-3] + ["--target", "tag_a,tag_b,tag_c"]  # no --regression


def multilabel_scores(Y, P):
    precision, recall, f1, support = metrics.precision_recall_fscore_support(Y, P, average=None, zero_division=0)
    return {"accuracy": float(metrics.accuracy_score(Y, P)), "hamming_loss": float(metrics.hamming_loss(Y, P)),
            "precision": precision.tolist(), "recall": recall.tolist(), "f1": f1.tolist(),
            "support": [int(v) for v in support]}


def multilabel_train_case(name, params, test_size=None, split_state=None):
    text, X, Y = multilabel_data()
    rows = np.arange(len(X))
    args = multilabel_args(params)
    case = {"name": name, "command": "train-multilabel", "csv": text}
    if test_size is not None:
        rows, test = train_test_split(rows, test_size=test_size, random_state=split_state, stratify=Y)
        args += ["--test-size", repr(test_size), "--split-random-state", str(split_state)]
        case["test_indices"] = test.tolist()
    fitted = make_pipeline(StandardScaler(), MLPClassifier(**params)).fit(X[rows], Y[rows])
    case["args"] = args
    case["predict"] = fitted.predict(X).ravel().astype(float).tolist()
    case["proba"] = fitted.predict_proba(X).ravel().tolist()
    case["train"] = multilabel_scores(Y[rows], fitted.predict(X[rows]))
    if test_size is not None:
        case["test"] = multilabel_scores(Y[case["test_indices"]], fitted.predict(X[case["test_indices"]]))
    cases.append(case)


def multilabel_cv_case(name, params, folds):
    text, X, Y = multilabel_data()
    s = cross_val_score(make_pipeline(StandardScaler(), MLPClassifier(**params)), X, Y, cv=folds)
    cases.append({"name": name, "command": "cv-multilabel", "csv": text,
                  "args": multilabel_args(params) + ["--folds", str(folds)],
                  "scores": s.tolist(), "mean": float(s.mean()), "std": float(s.std())})


multilabel = {"hidden_layer_sizes": (10,), "max_iter": 200, "random_state": 0, "learning_rate_init": 0.01}
multilabel_train_case("three labels, adam", multilabel)
multilabel_train_case("three labels, held-out rows stratified by label combination", multilabel, 0.25, 5)
multilabel_cv_case("cv three labels", multilabel, 3)

with open(OUT, "w") as f:
    json.dump({"sklearn": sklearn.__version__, "cases": cases}, f, indent=1)
    f.write("\n")
print(f"wrote {len(cases)} cases to {os.path.relpath(OUT, ROOT)}")
