#!/usr/bin/env python3
"""Write the scikit-learn reference fixtures for swift-mlp's MLPClassifier/MLPRegressor.

Usage:  python3 Scripts/make_sklearn_fixtures.py   (from the repository root)

Output: Tests/MLPTests/Fixtures/sklearn/*.json
  cases.json       the training grid: per case the estimator parameters, the data reference,
                   the initial weights (captured from sklearn's own `_initialize`), the loss curve,
                   n_iter_, t_, best_loss_, validation scores, final weights, predictions, score.
  kernels.json     small hand-worked checks (sklearn's test_fit one step, loss kernel values).
  validation.json  parameter-validation and bad-input messages exactly as sklearn words them.
  labels.json      LabelBinarizer behaviour (classes_, transform) on a few label sets.

Datasets are referenced by name (iris, digits: loaded by the tests from the library's bundled Datasets/*.csv,
the same CSV files this script reads), synthetic sets are written inline.
Floats are written with Python's repr, so every Float64 round-trips exactly.
"""

import csv
import json
import os
import subprocess
import sys
import warnings

# sklearn's messages list option sets in hash order: fix the hash seed so reruns write identical files.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

SKLEARN_VERSION = "1.9.1"
try:
    import sklearn

    if sklearn.__version__ != SKLEARN_VERSION:
        raise ImportError
except ImportError:
    subprocess.check_call([sys.executable, "-m", "pip", "install", f"scikit-learn=={SKLEARN_VERSION}"])
    import sklearn

import numpy as np
from sklearn.datasets import make_classification, make_multilabel_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.neural_network import _base
from sklearn.preprocessing import LabelBinarizer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "MLPTests", "Fixtures")
ROOT_DATASETS = os.path.join(ROOT, "Datasets")
OUT = os.path.join(FIXTURES, "sklearn")
PROBA_ROWS = 200  # predict_proba / regression outputs are stored for the first rows only


# ----------------------------------------------------------------------------------------------
# Data


def load_csv(name):
    with open(os.path.join(ROOT_DATASETS, f"{name}.csv"), newline="") as f:
        rows = list(csv.reader(f))[1:]
    X = np.array([[float(v) for v in r[:-1]] for r in rows])
    y = [r[-1] for r in rows]
    return X, y


IRIS_X, IRIS_Y = load_csv("iris")  # string labels
DIGITS_X, DIGITS_Y = load_csv("digits")
DIGITS_Y = np.array([int(v) for v in DIGITS_Y])


def dataset(ref):
    """Resolve a data reference. Named sets: iris, digits (optionally `rows`, `scale`)."""
    if "X" in ref:
        X = np.array(ref["X"], dtype=float)
        y = np.array(ref["y"])
        return X, y
    if ref["name"] == "iris":
        X, y = IRIS_X.copy(), np.array(IRIS_Y)
    elif ref["name"] == "digits":
        X, y = DIGITS_X.copy(), DIGITS_Y.copy()
    else:
        raise KeyError(ref["name"])
    if "rows" in ref:
        X, y = X[: ref["rows"]], y[: ref["rows"]]
    if "scale" in ref:
        X = X * ref["scale"]
    if "classes" in ref:  # keep only these classes (e.g. a binary digits subset)
        keep = np.isin(y, ref["classes"])
        X, y = X[keep], y[keep]
    return X, y


def inline(X, y):
    return {"X": np.asarray(X).tolist(), "y": np.asarray(y).tolist()}


def synthetic():
    sets = {}
    X, y = make_classification(n_samples=80, n_features=5, n_informative=3, random_state=7)
    sets["binary"] = inline(X, y)
    X, y = make_classification(n_samples=90, n_features=6, n_informative=4, n_classes=3, random_state=11)
    sets["multiclass"] = inline(X, y)
    X, Y = make_multilabel_classification(n_samples=60, n_features=6, n_classes=3, random_state=3)
    sets["multilabel"] = inline(X, Y)
    X, y = make_regression(n_samples=70, n_features=4, noise=0.5, random_state=5)
    sets["regression"] = inline(X, y / 50.0)
    X, Y = make_regression(n_samples=70, n_features=5, n_targets=3, noise=0.5, random_state=9)
    sets["regression_multi"] = inline(X, Y / 50.0)
    rs = np.random.RandomState(13)
    X = rs.normal(size=(80, 4)) * 0.5
    mu = np.exp(X @ np.array([0.3, -0.2, 0.5, 0.1]) + 0.2)
    sets["poisson"] = inline(X, rs.poisson(mu).astype(float))
    return sets


SYNTH = synthetic()
SAMPLE_WEIGHTS = {}


def sample_weight_for(n, seed):
    # Positive, varied weights from a fixed RandomState; stored inline in the case.
    return np.random.RandomState(seed).uniform(0.5, 2.0, n)


# ----------------------------------------------------------------------------------------------
# Recording estimators: capture the initial weights sklearn draws in `_initialize`.


class Recorder:
    def _initialize(self, y, layer_units, dtype):
        super()._initialize(y, layer_units, dtype)
        self.init_coefs_ = [c.copy() for c in self.coefs_]
        self.init_intercepts_ = [b.copy() for b in self.intercepts_]


class RecClassifier(Recorder, MLPClassifier):
    pass


class RecRegressor(Recorder, MLPRegressor):
    pass


def floats(a):
    return np.asarray(a, dtype=float).tolist()


def run_case(case):
    kind, params = case["estimator"], dict(case["params"])
    if "hidden_layer_sizes" in params:
        params["hidden_layer_sizes"] = tuple(params["hidden_layer_sizes"])
    if params.get("n_iter_no_change") == "inf":
        params["n_iter_no_change"] = np.inf
    est = (RecClassifier if kind == "classifier" else RecRegressor)(**params)
    X, y = dataset(case["data"])
    sw = None
    if case.get("sample_weight_seed") is not None:
        sw = sample_weight_for(len(X), case["sample_weight_seed"])
        case["sample_weight"] = floats(sw)
    if case.get("dtype") == "float32":  # sklearn keeps float32 end to end (coefs, activations, optimizer state)
        X = X.astype(np.float32)
        if kind == "regressor":
            y = y.astype(np.float32)
        if sw is not None:
            sw = sw.astype(np.float32)
    calls = case.get("calls", [{"method": "fit"}])
    warn_msgs = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for call in calls:
            rows = slice(*call["rows"]) if "rows" in call else slice(None)
            kw = {} if sw is None else {"sample_weight": sw[rows]}
            if call["method"] == "fit":
                est.fit(X[rows], y[rows], **kw)
            else:
                if "classes" in call:
                    kw["classes"] = np.array(call["classes"])
                est.partial_fit(X[rows], y[rows], **kw)
    for w in caught:
        warn_msgs.append({"category": w.category.__name__, "message": str(w.message)})

    r = {
        "init_coefs": [floats(c) for c in est.init_coefs_],
        "init_intercepts": [floats(b) for b in est.init_intercepts_],
        "coefs": [floats(c) for c in est.coefs_],
        "intercepts": [floats(b) for b in est.intercepts_],
        "n_iter": int(est.n_iter_),
        "n_layers": int(est.n_layers_),
        "n_outputs": int(est.n_outputs_),
        "out_activation": est.out_activation_,
        "loss": float(est.loss_),
        "warnings": warn_msgs,
    }
    if params.get("solver", "adam") != "lbfgs":
        r["loss_curve"] = floats(est.loss_curve_)
        r["t"] = int(est.t_)
        r["best_loss"] = None if est.best_loss_ is None else float(est.best_loss_)
        r["validation_scores"] = None if est.validation_scores_ is None else floats(est.validation_scores_)
        r["best_validation_score"] = (
            None if est.best_validation_score_ is None else float(est.best_validation_score_)
        )
    score_kw = {} if sw is None else {"sample_weight": sw}
    r["score"] = float(est.score(X, y, **score_kw))
    if kind == "classifier":
        r["classes"] = [c.item() if hasattr(c, "item") else c for c in est.classes_]
        pred = est.predict(X)
        r["predict"] = pred.tolist()
        r["predict_proba"] = floats(est.predict_proba(X[:PROBA_ROWS]))
    else:
        r["predict"] = floats(est.predict(X[:PROBA_ROWS]))
    case["expected"] = r
    return case


def C(name, estimator, data, params, **extra):
    return dict(name=name, estimator=estimator, data=data, params=params, **extra)


IRIS = {"name": "iris"}
DIGITS500 = {"name": "digits", "rows": 500, "scale": 0.0625}
DIGITS = {"name": "digits", "scale": 0.0625}
DIGITS_BINARY = {"name": "digits", "rows": 400, "scale": 0.0625, "classes": [3, 8]}
S = {k: v for k, v in SYNTH.items()}


def cases():
    cl, rg = "classifier", "regressor"
    sgd = dict(solver="sgd", random_state=0)
    out = [
        # --- iris (string labels, 3 classes -> softmax), every SGD schedule and momentum variant
        C("iris_sgd_constant_nesterov_relu", cl, IRIS,
          dict(sgd, hidden_layer_sizes=[10], learning_rate_init=0.01, batch_size=32, max_iter=20)),
        C("iris_sgd_constant_momentum_tanh", cl, IRIS,
          dict(sgd, hidden_layer_sizes=[8], activation="tanh", nesterovs_momentum=False,
               learning_rate_init=0.02, batch_size=25, max_iter=20)),
        C("iris_sgd_invscaling_logistic", cl, IRIS,
          dict(sgd, hidden_layer_sizes=[6, 5], activation="logistic", learning_rate="invscaling",
               learning_rate_init=0.5, power_t=0.25, batch_size=16, max_iter=20)),
        C("iris_sgd_adaptive_nomomentum_identity", cl, IRIS,
          dict(sgd, hidden_layer_sizes=[5], activation="identity", learning_rate="adaptive",
               momentum=0.0, learning_rate_init=0.05, tol=0.05, n_iter_no_change=2,
               batch_size=50, max_iter=200)),
        C("iris_adam_relu_200", cl, IRIS,
          dict(solver="adam", hidden_layer_sizes=[10], learning_rate_init=0.01, max_iter=200,
               tol=0.0, n_iter_no_change="inf", random_state=1)),
        C("iris_adam_tanh_early_stopping", cl, IRIS,
          dict(solver="adam", hidden_layer_sizes=[10], activation="tanh", learning_rate_init=0.01,
               early_stopping=True, validation_fraction=0.2, n_iter_no_change=10, max_iter=100,
               random_state=3)),
        C("iris_lbfgs_tanh", cl, IRIS,
          dict(solver="lbfgs", hidden_layer_sizes=[10], activation="tanh", max_iter=200, random_state=0)),
        C("iris_sgd_sample_weight", cl, IRIS,
          dict(sgd, hidden_layer_sizes=[10], learning_rate_init=0.01, batch_size=40, max_iter=20),
          sample_weight_seed=21),
        C("iris_sgd_noshuffle_batch_clipped", cl, IRIS,
          dict(sgd, hidden_layer_sizes=[4], shuffle=False, batch_size=500, max_iter=20,
               learning_rate_init=0.05)),
        # --- digits (integer labels 0..9), scaled by 1/16
        C("digits500_adam_relu_20", cl, DIGITS500,
          dict(solver="adam", hidden_layer_sizes=[32], learning_rate_init=0.005, batch_size=64,
               max_iter=20, random_state=0)),
        C("digits500_sgd_logistic_early_stopping", cl, DIGITS500,
          dict(sgd, hidden_layer_sizes=[24], activation="logistic", learning_rate_init=0.2,
               early_stopping=True, batch_size=50, max_iter=30, n_iter_no_change=4)),
        C("digits_adam_relu_200", cl, DIGITS,
          dict(solver="adam", hidden_layer_sizes=[16], learning_rate_init=0.002, batch_size=200,
               max_iter=200, tol=0.0, n_iter_no_change="inf", random_state=0)),
        C("digits_binary_lbfgs_logistic", cl, DIGITS_BINARY,
          dict(solver="lbfgs", hidden_layer_sizes=[8], activation="logistic", alpha=1e-3, max_iter=100,
               random_state=2)),
        # --- synthetic binary (logistic output, stratified early-stopping split)
        C("binary_sgd_tanh", cl, S["binary"],
          dict(sgd, hidden_layer_sizes=[7], activation="tanh", learning_rate_init=0.05, batch_size=10,
               max_iter=20)),
        C("binary_adam_relu_early_stopping_weighted", cl, S["binary"],
          dict(solver="adam", hidden_layer_sizes=[7], learning_rate_init=0.02, batch_size=16,
               early_stopping=True, validation_fraction=0.25, n_iter_no_change=3, max_iter=60,
               random_state=4), sample_weight_seed=5),
        C("binary_lbfgs_relu_weighted", cl, S["binary"],
          dict(solver="lbfgs", hidden_layer_sizes=[6], alpha=1e-2, max_iter=60, random_state=1),
          sample_weight_seed=6),
        C("binary_sgd_converges_tol", cl, S["binary"],
          dict(sgd, hidden_layer_sizes=[5], learning_rate_init=0.1, tol=1e-2, n_iter_no_change=3,
               batch_size=20, max_iter=200)),
        # --- synthetic multiclass integer labels
        C("multiclass_sgd_invscaling_relu_weighted", cl, S["multiclass"],
          dict(sgd, hidden_layer_sizes=[9], learning_rate="invscaling", learning_rate_init=0.2,
               batch_size=12, max_iter=20, random_state=8), sample_weight_seed=9),
        C("multiclass_adam_identity_early_stopping", cl, S["multiclass"],
          dict(solver="adam", hidden_layer_sizes=[6], activation="identity", learning_rate_init=0.01,
               batch_size=20, early_stopping=True, n_iter_no_change=4, max_iter=50, random_state=2)),
        # --- multilabel (logistic per label)
        C("multilabel_adam_logistic", cl, S["multilabel"],
          dict(solver="adam", hidden_layer_sizes=[8], activation="logistic", learning_rate_init=0.02,
               batch_size=15, max_iter=20, random_state=0)),
        C("multilabel_sgd_relu_early_stopping", cl, S["multilabel"],
          dict(sgd, hidden_layer_sizes=[8], learning_rate_init=0.05, batch_size=10, early_stopping=True,
               validation_fraction=0.2, n_iter_no_change=3, max_iter=40)),
        C("multilabel_lbfgs_identity", cl, S["multilabel"],
          dict(solver="lbfgs", hidden_layer_sizes=[5], activation="identity", max_iter=50, random_state=0)),
        # --- regression
        C("regression_sgd_invscaling_identity", rg, S["regression"],
          dict(sgd, hidden_layer_sizes=[5], activation="identity", learning_rate="invscaling",
               learning_rate_init=0.05, batch_size=10, max_iter=20)),
        C("regression_sgd_adaptive_relu", rg, S["regression"],
          dict(sgd, hidden_layer_sizes=[10], learning_rate="adaptive", learning_rate_init=0.01,
               nesterovs_momentum=False, tol=1e-3, n_iter_no_change=3, batch_size=14, max_iter=200)),
        C("regression_adam_tanh_weighted", rg, S["regression"],
          dict(solver="adam", hidden_layer_sizes=[10], activation="tanh", learning_rate_init=0.01,
               batch_size=16, max_iter=20, random_state=3), sample_weight_seed=2),
        C("regression_multi_adam_relu_early_stopping_weighted", rg, S["regression_multi"],
          dict(solver="adam", hidden_layer_sizes=[12], learning_rate_init=0.01, batch_size=16,
               early_stopping=True, validation_fraction=0.2, n_iter_no_change=4, max_iter=60,
               random_state=0), sample_weight_seed=3),
        C("regression_multi_sgd_logistic", rg, S["regression_multi"],
          dict(sgd, hidden_layer_sizes=[6], activation="logistic", learning_rate_init=0.05, batch_size=7,
               max_iter=20)),
        C("regression_lbfgs_tanh", rg, S["regression"],
          dict(solver="lbfgs", hidden_layer_sizes=[6], activation="tanh", max_iter=300, random_state=0)),
        C("regression_multi_lbfgs_relu_weighted", rg, S["regression_multi"],
          dict(solver="lbfgs", hidden_layer_sizes=[6], max_iter=80, random_state=1), sample_weight_seed=4),
        C("poisson_adam_relu", rg, S["poisson"],
          dict(loss="poisson", solver="adam", hidden_layer_sizes=[6], learning_rate_init=0.01, batch_size=20,
               max_iter=20, random_state=0)),
        C("poisson_sgd_tanh_weighted", rg, S["poisson"],
          dict(loss="poisson", solver="sgd", hidden_layer_sizes=[5], activation="tanh", learning_rate_init=0.01,
               batch_size=16, max_iter=20, random_state=1), sample_weight_seed=8),
        C("poisson_lbfgs_identity", rg, S["poisson"],
          dict(loss="poisson", solver="lbfgs", hidden_layer_sizes=[4], activation="identity", max_iter=60,
               random_state=2)),
        # --- Float32 end to end
        C("iris_adam_relu_float32", cl, IRIS,
          dict(solver="adam", hidden_layer_sizes=[10], learning_rate_init=0.01, max_iter=50, random_state=1),
          dtype="float32"),
        C("regression_sgd_tanh_float32_weighted", rg, S["regression"],
          dict(sgd, hidden_layer_sizes=[6], activation="tanh", learning_rate_init=0.05, batch_size=10, max_iter=20),
          dtype="float32", sample_weight_seed=12),
        # lbfgs on float32 data: scipy hands the objective each iterate in x0's dtype (float32), so it runs in
        # float32 while L-BFGS's own state is float64; coefs_ end as float64 (opt_res.x).
        C("regression_lbfgs_logistic_float32", rg, S["regression"],
          dict(solver="lbfgs", hidden_layer_sizes=[20, 10], activation="logistic", alpha=1e-2, max_iter=15,
               random_state=3),
          dtype="float32"),
        C("iris_lbfgs_tanh_float32", cl, IRIS,
          dict(solver="lbfgs", hidden_layer_sizes=[12], activation="tanh", max_iter=15, random_state=2),
          dtype="float32"),
        # --- continued training: partial_fit sequence and warm_start
        C("iris_partial_fit_sgd", cl, IRIS,
          dict(sgd, hidden_layer_sizes=[6], learning_rate_init=0.02, batch_size=20),
          calls=[{"method": "partial_fit", "rows": [0, 150], "classes": ["setosa", "versicolor", "virginica"]},
                 {"method": "partial_fit", "rows": [0, 150]},
                 {"method": "partial_fit", "rows": [0, 150]}]),
        C("regression_warm_start_adam", rg, S["regression"],
          dict(solver="adam", hidden_layer_sizes=[5], warm_start=True, learning_rate_init=0.02, max_iter=10,
               batch_size=10, random_state=0),
          calls=[{"method": "fit"}, {"method": "fit"}]),
    ]
    return out


# ----------------------------------------------------------------------------------------------
# Small focused fixtures


def kernels():
    yt = np.array([[1, 0, 0], [0, 1, 0]])
    yp = np.array([[0.0, 1.0, 0.0], [0.9, 0.05, 0.05]])
    sw = np.array([1.0, 2.0])
    yb, pb = np.array([[0], [1]]), np.array([[0.1], [0.9]])
    losses = {
        "y_true": yt.tolist(), "y_pred": yp.tolist(), "sample_weight": sw.tolist(),
        "squared_error": _base.squared_loss(yt, yp), "squared_error_weighted": _base.squared_loss(yt, yp, sw),
        "log_loss": _base.log_loss(yt, yp), "log_loss_weighted": _base.log_loss(yt, yp, sw),
        "binary_y_true": yb.tolist(), "binary_y_pred": pb.tolist(),
        "binary_log_loss": _base.binary_log_loss(yb, pb),
        "binary_log_loss_weighted": _base.binary_log_loss(yb, pb, sw),
    }
    yc = np.array([[0.0, 2.0], [3.0, 1.0]])
    pc = np.array([[0.5, 1.5], [2.0, 1.2]])
    losses.update({"poisson_y_true": yc.tolist(), "poisson_y_pred": pc.tolist(),
                   "poisson": _base.poisson_loss(yc, pc), "poisson_weighted": _base.poisson_loss(yc, pc, sw)})

    # sklearn's test_fit: one SGD step from hand-set weights.
    X = np.array([[0.6, 0.8, 0.7]])
    mlp = MLPClassifier(solver="sgd", learning_rate_init=0.1, alpha=0.1, activation="logistic",
                        random_state=1, max_iter=1, hidden_layer_sizes=2, momentum=0)
    mlp.coefs_ = [np.array([[0.1, 0.2], [0.3, 0.1], [0.5, 0]]), np.array([[0.1], [0.2]])]
    mlp.intercepts_ = [np.array([0.1, 0.1]), np.array([1.0])]
    mlp.n_outputs_, mlp.n_features_in_, mlp.n_iter_, mlp.n_layers_ = 1, 3, 0, 3
    mlp.out_activation_, mlp.t_, mlp.best_loss_, mlp.loss_curve_ = "logistic", 0, np.inf, []
    mlp._no_improvement_count = 0
    init = {"coefs": [floats(c) for c in mlp.coefs_], "intercepts": [floats(b) for b in mlp.intercepts_]}
    mlp.partial_fit(X, np.array([0]), classes=[0, 1])
    one_step = {"X": X.tolist(), "y": [0], "classes": [0, 1], "init": init,
                "params": {"solver": "sgd", "learning_rate_init": 0.1, "alpha": 0.1, "activation": "logistic",
                           "hidden_layer_sizes": [2], "momentum": 0.0},
                "coefs": [floats(c) for c in mlp.coefs_], "intercepts": [floats(b) for b in mlp.intercepts_],
                "loss": float(mlp.loss_), "predict_proba": floats(mlp.predict_proba(X))}
    return {"losses": losses, "test_fit": one_step}


def validation():
    rs = np.random.RandomState(0)
    X, y = rs.rand(20, 3), np.arange(20) % 2
    out = []
    bad = [("alpha", -1.0), ("alpha", float("inf")), ("max_iter", 0), ("hidden_layer_sizes", 0),
           ("momentum", 1.5), ("momentum", -0.1), ("validation_fraction", 1.0), ("n_iter_no_change", 0),
           ("batch_size", 0), ("learning_rate_init", 0.0), ("epsilon", 0.0), ("beta_1", 1.0), ("beta_2", -0.5),
           ("tol", -1.0), ("power_t", -1.0), ("max_fun", 0), ("activation", "foo"), ("solver", "foo"),
           ("learning_rate", "foo")]
    for est_name, Est in (("MLPClassifier", MLPClassifier), ("MLPRegressor", MLPRegressor)):
        for p, v in bad + ([("loss", "foo")] if est_name == "MLPRegressor" else []):
            try:
                Est(**{p: v}).fit(X, y)
                msg = None
            except Exception as e:  # noqa: BLE001 - we record the message
                msg = str(e)
            out.append({"estimator": est_name, "parameter": p, "value": v, "message": msg})
    other = {}

    def record(key, fn):
        try:
            fn()
            other[key] = None
        except Exception as e:  # noqa: BLE001
            other[key] = str(e).split("\n")[0]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = MLPClassifier(max_iter=2).fit(X, y)
        record("feature_mismatch", lambda: m.predict(X[:, :2]))
        record("hidden_layer_zero_element", lambda: MLPClassifier(hidden_layer_sizes=(3, 0)).fit(X, y))
        record("continuous_target", lambda: MLPClassifier(max_iter=2).fit(X, np.linspace(0, 1, 20)))
        Xn = X.copy()
        Xn[2, 1] = np.nan
        record("nan_in_X", lambda: MLPClassifier(max_iter=2).fit(Xn, y))
        Xi = X.copy()
        Xi[2, 1] = np.inf
        record("inf_in_X", lambda: MLPClassifier(max_iter=2).fit(Xi, y))
        record("nan_in_y", lambda: MLPRegressor(max_iter=2).fit(X, np.where(y == 0, np.nan, 1.0)))
        record("empty", lambda: MLPClassifier(max_iter=2).fit(X[:0], y[:0]))
        pm = MLPClassifier(max_iter=2)
        pm.partial_fit(X, y, classes=[0, 1])
        record("unseen_label_partial_fit", lambda: pm.partial_fit(X, y + 1))
        record("partial_fit_no_classes", lambda: MLPClassifier().partial_fit(X, y))
        record("partial_fit_lbfgs", lambda: MLPClassifier(solver="lbfgs").partial_fit(X, y, classes=[0, 1]))
        record("partial_fit_early_stopping",
               lambda: MLPClassifier(early_stopping=True).partial_fit(X, y, classes=[0, 1]))
        record("validation_too_small",
               lambda: MLPRegressor(early_stopping=True, validation_fraction=0.01).fit(X, y))
        wm = MLPClassifier(warm_start=True, max_iter=2).fit(X, y)
        record("warm_start_classes", lambda: wm.fit(X, y + 1))
        record("diverging", lambda: MLPRegressor(solver="sgd", learning_rate_init=1e5, max_iter=50,
                                                 random_state=0).fit(X * 1e10, y * 1e10))
    return {"parameters": out, "errors": other}


def labels():
    sets = [[3, 7, 3, 7], [-1, 1, 1], [2, 0, 1, 2], ["b", "a", "c", "a"], ["yes", "no"], [[1, 0, 1], [0, 1, 1]]]
    out = []
    for y in sets:
        lb = LabelBinarizer().fit(y)
        out.append({"y": y, "y_type": lb.y_type_, "classes": [c.item() if hasattr(c, "item") else c for c in lb.classes_],
                    "transform": lb.transform(y).tolist()})
    return out


def dump(name, obj):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
    print(f"{path}: {os.path.getsize(path) / 1024:.0f} KiB")


def main():
    os.makedirs(OUT, exist_ok=True)
    meta = {"sklearn": sklearn.__version__, "numpy": np.__version__, "proba_rows": PROBA_ROWS}
    dump("cases.json", {"meta": meta, "cases": [run_case(c) for c in cases()]})
    dump("kernels.json", kernels())
    dump("validation.json", validation())
    dump("labels.json", labels())


if __name__ == "__main__":
    main()
