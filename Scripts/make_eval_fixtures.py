#!/usr/bin/env python3
"""Write scikit-learn's reference for `mlp train --test-size` and `mlp cv`.

Usage:  python3 Scripts/make_eval_fixtures.py   (from anywhere; needs numpy and scikit-learn 1.9.x)

Output: Tests/MLPCLITests/Fixtures/sklearn_eval.json, a list of cases. Each case holds
  csv      the data, written with Python's repr so every float reads back exactly;
  args     the mlp arguments after the subcommand and the data file (the test adds --json);
  command  "train" or "cv";
  train:   train_indices / test_indices of train_test_split, and test_score / train_score of
           make_pipeline(StandardScaler(), MLP...(...)) fitted on the training rows (a regressor with
           --scale-target standard: TransformedTargetRegressor(regressor=that pipeline, transformer=StandardScaler()));
  cv:      scores, mean and std (numpy, ddof=0) of cross_val_score(that pipeline, X, y, cv=K).
With --one-hot/--impute the pipeline starts with ColumnTransformer([SimpleImputer on the numeric columns,
OneHotEncoder on the category column]) so that, as in mlp, both are fitted on the training rows only. The category
column holds 'a' < 'b' < 'c', coded 0 < 1 < 2 for OneHotEncoder, which sorts them the same way.
"""

import json
import os
import subprocess
import sys
import warnings

try:
    import sklearn

    if not sklearn.__version__.startswith("1.9."):
        raise ImportError
except ImportError:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "scikit-learn>=1.9,<1.10"])

import numpy as np
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

warnings.filterwarnings("ignore", category=ConvergenceWarning)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "MLPCLITests", "Fixtures", "sklearn_eval.json")


def csv_text(header, columns):
    lines = [",".join(header)]
    for row in zip(*columns):
        lines.append(",".join("" if isinstance(v, float) and np.isnan(v) else repr(v) if isinstance(v, float) else str(v)
                              for v in row))
    return "\n".join(lines) + "\n"


def iris():
    with open(os.path.join(ROOT, "Datasets", "iris.csv")) as f:
        text = f.read().replace("\r\n", "\n")
    rows = [r.split(",") for r in text.strip().split("\n")[1:]]
    return text, np.array([[float(v) for v in r[:4]] for r in rows]), np.array([r[4] for r in rows])


def numeric_classes():
    X, y = make_classification(n_samples=120, n_features=4, n_informative=3, n_redundant=0, n_classes=3,
                               random_state=4)
    y = np.array([10, 2, 7])[y]  # numeric labels whose text order differs from their numeric order
    X = np.round(X, 6)
    header = ["f0", "f1", "f2", "f3", "label"]
    return csv_text(header, [list(map(float, X[:, j])) for j in range(4)] + [list(map(int, y))]), X, y


def regression(thousands=False):
    X, y = make_regression(n_samples=160, n_features=5, n_informative=4, noise=8.0, random_state=5)
    X = np.round(X, 6)
    y = np.round(3000 + 9 * y if thousands else y, 4)
    header = ["x0", "x1", "x2", "x3", "x4", "target"]
    return csv_text(header, [list(map(float, X[:, j])) for j in range(5)] + [list(map(float, y))]), X, y


def encoded():
    """Three numeric columns with missing values and a category column, then a binary label."""
    rng = np.random.RandomState(11)
    n = 90
    X = np.round(rng.normal(size=(n, 3)), 5)
    codes = rng.randint(0, 3, size=n)
    y = ((X[:, 0] + 0.8 * codes + 0.3 * rng.normal(size=n)) > 0.8).astype(int)
    missing = rng.rand(n, 3) < 0.1
    X[missing] = np.nan
    header = ["a", "b", "c", "color", "y"]
    columns = [list(map(float, X[:, j])) for j in range(3)] + [["abc"[k] for k in codes], list(map(int, y))]
    Xcoded = np.column_stack([X, codes.astype(float)])
    return csv_text(header, columns), Xcoded, y


def encoder():
    return ColumnTransformer([("num", SimpleImputer(strategy="mean"), [0, 1, 2]),
                              ("cat", OneHotEncoder(sparse_output=False), [3])], sparse_threshold=0)


def params_args(params):
    args = []
    for key, value in params.items():
        flag = "--" + key.replace("_", "-")
        args += [flag, ",".join(map(str, value)) if isinstance(value, tuple) else str(value)]
    return args


cases = []


def train_case(name, text, X, y, params, test_size, split_state, regressor=False, target=None, scale_target=False,
               encoded_columns=False, extra_args=()):
    stratify = None if regressor else y
    idx = np.arange(len(y))
    train_idx, test_idx = train_test_split(idx, test_size=test_size, random_state=split_state, stratify=stratify)
    estimator = (MLPRegressor if regressor else MLPClassifier)(**params)
    steps = ([encoder()] if encoded_columns else []) + [StandardScaler(), estimator]
    model = make_pipeline(*steps)
    if scale_target:
        model = TransformedTargetRegressor(regressor=model, transformer=StandardScaler())
    model.fit(X[train_idx], y[train_idx])
    args = params_args(params) + ["--test-size", repr(test_size)]
    if split_state != params.get("random_state"):
        args += ["--split-random-state", str(split_state)]
    if regressor:
        args.append("--regression")
    if scale_target:
        args += ["--scale-target", "standard"]
    if target:
        args += ["--target", target]
    args += list(extra_args)
    case = {"name": name, "command": "train", "csv": text, "args": args,
            "train_indices": train_idx.tolist(), "test_indices": test_idx.tolist(),
            "train_score": float(model.score(X[train_idx], y[train_idx])),
            "test_score": float(model.score(X[test_idx], y[test_idx]))}
    cases.append(case)
    return case


def cv_case(name, text, X, y, params, folds, regressor=False, target=None, encoded_columns=False, scale_target=False,
            extra_args=()):
    estimator = (MLPRegressor if regressor else MLPClassifier)(**params)
    steps = ([encoder()] if encoded_columns else []) + [StandardScaler(), estimator]
    model = make_pipeline(*steps)
    if scale_target:
        model = TransformedTargetRegressor(regressor=model, transformer=StandardScaler())
    scores = cross_val_score(model, X, y, cv=folds)
    args = params_args(params) + ["--folds", str(folds)] + (["--regression"] if regressor else [])
    args += ["--scale-target", "standard"] if scale_target else []
    args += (["--target", target] if target else []) + list(extra_args)
    cases.append({"name": name, "command": "cv", "csv": text, "args": args, "scores": scores.tolist(),
                  "mean": float(scores.mean()), "std": float(scores.std())})


iris_text, iris_X, iris_y = iris()
small = {"hidden_layer_sizes": (10,), "max_iter": 150, "random_state": 0}
train_case("iris stratified", iris_text, iris_X, iris_y, small, 0.3, 7)
train_case("iris split seed = random_state", iris_text, iris_X, iris_y, dict(small, random_state=3), 0.25, 3)
text, X, y = numeric_classes()
train_case("numeric labels", text, X, y, {"hidden_layer_sizes": (8, 6), "max_iter": 120, "random_state": 2,
                                          "activation": "tanh"}, 0.2, 9)
train_case("numeric labels, an integer test_size (rows)", text, X, y,
           {"hidden_layer_sizes": (8,), "max_iter": 80, "random_state": 2}, 23, 9)
train_case("lbfgs", text, X, y, {"hidden_layer_sizes": (8,), "solver": "lbfgs", "max_iter": 60, "random_state": 1},
           0.35, 4)
text, X, y = regression()
reg = {"hidden_layer_sizes": (16,), "max_iter": 200, "random_state": 0, "learning_rate_init": 0.01}
train_case("regression", text, X, y, reg, 0.2, 2, regressor=True)
train_case("regression, an integer test_size (rows)", text, X, y, reg, 31, 2, regressor=True)
text, X, y = regression(thousands=True)
train_case("regression, target in thousands, scaled", text, X, y, reg, 0.25, 6, regressor=True, scale_target=True)
unscaled = train_case("regression, target in thousands, not scaled", text, X, y, reg, 0.25, 6, regressor=True)
text, X, y = encoded()
train_case("one-hot and imputation fitted on the training rows", text, X, y, small, 0.3, 5, encoded_columns=True,
           extra_args=["--one-hot", "color", "--impute", "mean"])

cv_case("cv iris", iris_text, iris_X, iris_y, small, 5)
text, X, y = numeric_classes()
cv_case("cv numeric labels", text, X, y, {"hidden_layer_sizes": (8,), "max_iter": 80, "random_state": 1}, 4)
text, X, y = regression()
cv_case("cv regression", text, X, y, reg, 3, regressor=True)
text, X, y = regression(thousands=True)
cv_case("cv regression, target in thousands, scaled per fold", text, X, y, reg, 4, regressor=True, scale_target=True)
text, X, y = encoded()
cv_case("cv one-hot and imputation per fold", text, X, y, small, 3, encoded_columns=True,
        extra_args=["--one-hot", "color", "--impute", "mean"])

with open(OUT, "w") as f:
    json.dump({"sklearn": sklearn.__version__, "cases": cases}, f, indent=1)
    f.write("\n")
print(f"wrote {len(cases)} cases to {os.path.relpath(OUT, ROOT)}")
