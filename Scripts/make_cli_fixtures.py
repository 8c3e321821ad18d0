#!/usr/bin/env python3
"""Trains small scikit-learn models and dumps their weights, scalers and predictions to
Tests/MLPCLITests/Fixtures/sklearn_models.json. The CLI tests rebuild each as a model file and check that
`mlp predict` / `mlp evaluate` reproduce scikit-learn's predictions and metrics."""
import json, os
import csv
import numpy as np
from sklearn import metrics
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler, MinMaxScaler

here = os.path.dirname(os.path.abspath(__file__))
datasets = os.path.join(here, "..", "Datasets")
out = {}

def dump(name, model, scaler, scaler_kind, X, feature_names, target, extra):
    entry = {
        "estimator": type(model).__name__,
        "layer_sizes": [model.n_features_in_] + list(model.hidden_layer_sizes) + [model.n_outputs_],
        "activation": model.activation, "out_activation": model.out_activation_, "loss": model.loss,
        "coefs": [c.ravel().tolist() for c in model.coefs_],
        "intercepts": [b.tolist() for b in model.intercepts_],
        "scaler": scaler_kind, "feature_names": feature_names, "target": target,
        "loss_curve": list(map(float, getattr(model, "loss_curve_", []))), "n_iter": int(model.n_iter_),
    }
    if scaler_kind == "standard":
        entry["scaler_a"], entry["scaler_b"] = scaler.mean_.tolist(), scaler.scale_.tolist()
    elif scaler_kind == "minmax":
        entry["scaler_a"], entry["scaler_b"] = scaler.scale_.tolist(), scaler.min_.tolist()
    entry.update(extra)
    out[name] = entry

def read_csv(name):
    with open(os.path.join(datasets, name)) as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]

# iris: 3 classes, standard scaling, softmax output.
iris_header, iris_rows = read_csv("iris.csv")
X = np.array([[float(v) for v in r[:4]] for r in iris_rows]); y = np.array([r[4] for r in iris_rows])
sc = StandardScaler().fit(X)
clf = MLPClassifier(hidden_layer_sizes=(10,), max_iter=300, random_state=0).fit(sc.transform(X), y)
P = clf.predict_proba(sc.transform(X))
dump("iris", clf, sc, "standard", X, iris_header[:4], "species", {
    "classes": clf.classes_.tolist(), "predict": clf.predict(sc.transform(X)).tolist(), "proba": P.ravel().tolist(),
    "accuracy": metrics.accuracy_score(y, clf.predict(sc.transform(X))),
    "log_loss": metrics.log_loss(y, P, labels=clf.classes_)})

# seed: binary, 2 features (decision boundary), minmax scaling, tanh, lbfgs.
_, seed_rows = read_csv("seed.csv")
X = np.array([[float(r[0]), float(r[1])] for r in seed_rows]); y = np.array([int(r[2]) for r in seed_rows])
mm = MinMaxScaler().fit(X)
clf = MLPClassifier(hidden_layer_sizes=(6,), activation="tanh", solver="lbfgs", random_state=1, max_iter=500).fit(mm.transform(X), y)
P = clf.predict_proba(mm.transform(X))
dump("seed", clf, mm, "minmax", X, ["x1", "x2"], "sale", {
    "classes": [str(c) for c in clf.classes_], "predict": [str(c) for c in clf.predict(mm.transform(X))],
    "proba": P.ravel().tolist(), "accuracy": metrics.accuracy_score(y, clf.predict(mm.transform(X))),
    "log_loss": metrics.log_loss(y, P, labels=clf.classes_)})

# iris regression: petal_width from the other three, no scaling, relu, two hidden layers.
Xr = np.array([[float(v) for v in r[:3]] for r in iris_rows]); yr = np.array([float(r[3]) for r in iris_rows])
reg = MLPRegressor(hidden_layer_sizes=(8, 4), max_iter=800, random_state=0).fit(Xr, yr)
pred = reg.predict(Xr)
dump("iris_regression", reg, None, "none", Xr, ["sepal_length", "sepal_width", "petal_length"], "petal_width", {
    "predict_values": pred.tolist(), "r2": metrics.r2_score(yr, pred), "mae": metrics.mean_absolute_error(yr, pred),
    "rmse": metrics.root_mean_squared_error(yr, pred)})

path = os.path.join(here, "..", "Tests", "MLPCLITests", "Fixtures", "sklearn_models.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", path)
