#!/usr/bin/env python3
"""Write scikit-learn's cross-validation reference for swift-mlp's KFold, StratifiedKFold and crossValScore.

Usage:  python3 Scripts/make_cv_fixtures.py   (from anywhere; needs numpy and scikit-learn 1.9.x)

Output: Tests/MLPTests/Fixtures/sklearn/cv.json
  splits   per label vector y and splitter (KFold / StratifiedKFold, shuffled or not, random_state, n_splits):
           every fold's test indices in sklearn's order, or the ValueError sklearn raises, plus its warnings.
  errors   the ValueError messages for bad n_splits / random_state and for X and y of different lengths.
  scores   cross_val_score(make_pipeline(scaler, MLPClassifier|MLPRegressor(...)), X, y, cv=K): the per-fold
           scores, their mean and numpy's std (ddof=0). Iris comes from the bundled Datasets/iris.csv, which the
           tests read too; the regression set is written inline.
Floats are written with Python's repr, so every Float64 round-trips exactly.
"""

import csv
import json
import os
import subprocess
import sys
import warnings

SKLEARN_SERIES = "1.9."
try:
    import sklearn

    if not sklearn.__version__.startswith(SKLEARN_SERIES):
        raise ImportError
except ImportError:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "scikit-learn>=1.9,<1.10"])
    import sklearn

import numpy as np
from sklearn.datasets import make_regression
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "MLPTests", "Fixtures", "sklearn", "cv.json")


def load_csv(name):
    with open(os.path.join(ROOT, "Datasets", f"{name}.csv"), newline="") as f:
        rows = list(csv.reader(f))[1:]
    return np.array([[float(v) for v in r[:-1]] for r in rows]), [r[-1] for r in rows]


IRIS_X, IRIS_Y = load_csv("iris")


# ----------------------------------------------------------------------------------------------
# Label vectors for the splitters


def label_sets():
    rng = np.random.RandomState(7)
    balanced = [int(v) for v in rng.permutation(np.repeat([0, 1, 2], 10))]
    # a tiny class (2 members): a warning for K > 2; with K = 3 and 5 the other classes still split
    imbalanced = [int(v) for v in rng.permutation(np.array([0] * 20 + [1] * 9 + [2] * 2))]
    # string classes whose first appearance ("spam", "ham", "eggs") is not their sorted order
    strings = ["spam", "ham", "eggs"] + [str(v) for v in rng.choice(["eggs", "ham", "spam"], size=22, p=[0.2, 0.3, 0.5])]
    # 23 samples: not divisible by 2, 3 or 5
    odd_binary = [int(v) for v in rng.randint(0, 2, size=23)]
    # every class smaller than K = 3 and 5: sklearn's ValueError
    all_small = [1, 0, 2, 1, 0, 2]
    # one class only (type_of_target says "binary"): all folds from one class
    single = [4] * 7
    return {
        "balanced": balanced,
        "imbalanced_tiny_class": imbalanced,
        "strings_first_appearance": strings,
        "odd_binary": odd_binary,
        "all_classes_small": all_small,
        "single_class": single,
        "iris": IRIS_Y,
    }


def run_splitter(splitter, y):
    """The test folds (sklearn's order) or the error, with the warnings raised on the way."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            folds = [[int(i) for i in test] for _, test in splitter.split(np.zeros((len(y), 1)), y)]
            error = None
        except ValueError as e:
            folds, error = None, str(e)
    return folds, error, [str(w.message) for w in caught]


def splits():
    out = []
    for name, y in label_sets().items():
        for k in (2, 3, 5, 7):
            for kind, cls in (("kfold", KFold), ("stratified", StratifiedKFold)):
                for random_state in (None, 0, 42):
                    shuffle = random_state is not None
                    folds, error, warned = run_splitter(cls(k, shuffle=shuffle, random_state=random_state), y)
                    out.append({
                        "y": name, "splitter": kind, "n_splits": k, "shuffle": shuffle,
                        "random_state": random_state, "test_folds": folds, "error": error, "warnings": warned,
                    })
    return {"labels": label_sets(), "cases": out}


# ----------------------------------------------------------------------------------------------
# cross_val_score


def regression_set():
    X, y = make_regression(n_samples=60, n_features=3, noise=5.0, random_state=0)
    return X, y / 100.0


def scores():
    reg_x, reg_y = regression_set()
    scalers = {"standard": StandardScaler, "minmax": MinMaxScaler, "none": None}
    classifier = {"hidden_layer_sizes": [5], "max_iter": 50, "learning_rate_init": 0.01, "random_state": 0}
    regressor = {"hidden_layer_sizes": [8], "max_iter": 100, "learning_rate_init": 0.01, "random_state": 0}
    lbfgs = {"hidden_layer_sizes": [4], "solver": "lbfgs", "max_iter": 40, "random_state": 1}
    grid = [
        ("classifier", "iris", classifier, "standard", 3),
        ("classifier", "iris", classifier, "standard", 5),
        ("classifier", "iris", classifier, "minmax", 5),
        ("classifier", "iris", lbfgs, "none", 4),
        ("regressor", "regression", regressor, "standard", 3),
        ("regressor", "regression", regressor, "standard", 5),
        ("regressor", "regression", regressor, "minmax", 3),
    ]
    out = []
    for estimator, data, params, scaler, k in grid:
        X, y = (IRIS_X, IRIS_Y) if data == "iris" else (reg_x, reg_y)
        cls = MLPClassifier if estimator == "classifier" else MLPRegressor
        kwargs = dict(params, hidden_layer_sizes=tuple(params["hidden_layer_sizes"]))
        steps = ([scalers[scaler]()] if scalers[scaler] else []) + [cls(**kwargs)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ConvergenceWarning at max_iter: expected
            s = cross_val_score(make_pipeline(*steps), X, y, cv=k)
        out.append({
            "estimator": estimator, "data": data, "params": params, "scaler": scaler, "n_splits": k,
            "scores": [float(v) for v in s], "mean": float(s.mean()), "std": float(s.std()),
        })
    return {
        "regression": {"X": reg_x.tolist(), "y": reg_y.tolist()},
        "cases": out,
    }


def message(call):
    try:
        call()
    except ValueError as e:
        return str(e)
    raise AssertionError("sklearn accepted it")


def errors():
    """sklearn's words for bad splitter parameters and for X and y of different lengths."""
    x, y = np.zeros((6, 1)), [0, 1, 0, 1, 0, 1]
    return [
        {"splitter": "kfold", "n_splits": 1, "shuffle": False, "random_state": None,
         "message": message(lambda: KFold(1))},
        {"splitter": "stratified", "n_splits": 0, "shuffle": False, "random_state": None,
         "message": message(lambda: StratifiedKFold(0))},
        {"splitter": "kfold", "n_splits": 3, "shuffle": False, "random_state": 0,
         "message": message(lambda: KFold(3, random_state=0))},
        {"splitter": "stratified", "n_splits": 3, "shuffle": False, "random_state": 5,
         "message": message(lambda: StratifiedKFold(3, random_state=5))},
        {"splitter": "kfold", "n_splits": 3, "shuffle": True, "random_state": 2**32,
         "message": message(lambda: list(KFold(3, shuffle=True, random_state=2**32).split(x)))},
        {"cross_val_score": True, "x_rows": 6, "y_count": 5,
         "message": message(lambda: cross_val_score(MLPClassifier(), x, y[:5], cv=3))},
    ]


def main():
    doc = {
        "generator": "Scripts/make_cv_fixtures.py",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "splits": splits(),
        "scores": scores(),
        "errors": errors(),
    }
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
