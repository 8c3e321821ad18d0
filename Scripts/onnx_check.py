#!/usr/bin/env python3
"""Round-trips MLPs through ONNX in both directions and prints the largest differences.

1. `mlp train` → `mlp export` → onnx.checker → onnxruntime, against `mlp predict` (--proba):
   every hidden activation × float32/float64 × binary (int labels) / multiclass (string labels) / regressor,
   plus imputation, one-hot, min-max scaling and a standardized target (--scale-target standard); tolerance
   1e-6 (float32) and 1e-12 (float64). Regressors are imported back (`mlp import`) and must predict the same.
2. scikit-learn → skl2onnx → `mlp import` → `mlp predict`, against onnxruntime on the same graph (1e-6 float32,
   1e-12 float64) and scikit-learn's labels: classifiers (binary, multiclass on iris and digits, multilabel),
   regressors (one and several outputs), alone or after a StandardScaler. Multilabel classifiers and
   multi-output regressors imported this way are exported again and checked in onnxruntime too.

Usage: python3 Scripts/onnx_check.py [--mlp .build/debug/mlp] [--no-install]. Exits 1 on any failure.
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile

PACKAGES = ["numpy", "scikit-learn", "onnx", "onnxruntime", "skl2onnx"]


def install():
    try:
        import numpy, sklearn, onnx, onnxruntime, skl2onnx  # noqa: F401
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", *PACKAGES])


ACTIVATIONS = ["identity", "logistic", "tanh", "relu", "leaky_relu", "elu", "gelu", "silu", "softplus"]
FAILURES = []
ROWS = []


def record(name, kind, diff, tolerance, labels_ok=True):
    ok = diff <= tolerance and labels_ok
    ROWS.append((name, kind, diff, tolerance, labels_ok, ok))
    if not ok:
        FAILURES.append(name)


def run(args, **kw):
    result = subprocess.run(args, capture_output=True, text=True, **kw)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def read_csv(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


class Tool:
    def __init__(self, binary, workdir):
        self.binary = binary
        self.dir = workdir
        self.count = 0

    def path(self, suffix):
        self.count += 1
        return os.path.join(self.dir, f"f{self.count}{suffix}")

    def predict(self, model, data, proba):
        import numpy as np
        out = self.path(".csv")
        run([self.binary, "predict", model, data, "-o", out] + (["--proba"] if proba else []))
        header, rows = read_csv(out)
        if proba:
            # The label column first (one 0/1 column per label for multilabel: "<target>_<label>"), then one
            # probability column per class.
            n, half = len(header), len(header) // 2
            multilabel = n % 2 == 0 and all(header[i].endswith("_" + header[half + i]) for i in range(half))
            first = half if multilabel else 1
            return np.array([[float(v) for v in r[first:]] for r in rows])
        return [r[0] for r in rows]


def ort_session(path, check=True):
    import onnx
    import onnxruntime as ort
    if check:
        onnx.checker.check_model(onnx.load(path), full_check=True)
    options = ort.SessionOptions()
    options.log_severity_level = 3
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def feeds_from_csv(session, data_csv, target, one_hot, dtype):
    import numpy as np
    header, rows = read_csv(data_csv)
    feeds = {}
    names = [i.name for i in session.get_inputs()]
    numeric = [j for j, h in enumerate(header) if h != target and h not in one_hot]
    if "X" in names:
        def number(v):
            return np.nan if v in ("", "NA", "NaN") else float(v)
        feeds["X"] = np.array([[number(r[j]) for j in numeric] for r in rows], dtype=dtype)
    for column in one_hot:
        j = header.index(column)
        feeds[column] = np.array([[r[j].strip()] for r in rows], dtype=object)
    return feeds


# MARK: our export → onnxruntime

def make_data(tmp):
    import numpy as np
    rng = np.random.RandomState(0)
    n = 120
    x = rng.normal(size=(n, 4)) * [1, 3, 0.5, 10] + [0, 5, -1, 50]
    y_bin = (x[:, 0] + 0.3 * x[:, 1] > 1.5).astype(int) * 7 - 2   # labels -2 and 5
    y_reg = x[:, 0] * 2 - x[:, 2] + 0.1 * x[:, 3]
    color = rng.choice(["red", "green", "blue"], size=n)
    header = ["a", "b", "c", "d"]
    files = {}
    files["binary"] = os.path.join(tmp, "binary.csv")
    write_csv(files["binary"], header + ["y"], [list(map(repr, r)) + [str(int(t))] for r, t in zip(x.tolist(), y_bin)])
    files["regression"] = os.path.join(tmp, "regression.csv")
    write_csv(files["regression"], header + ["y"], [list(map(repr, r)) + [repr(float(t))] for r, t in zip(x.tolist(), y_reg)])
    files["target"] = os.path.join(tmp, "target.csv")  # a target in the hundreds, far from standard units
    write_csv(files["target"], header + ["y"], [list(map(repr, r)) + [repr(float(300 + 40 * t))] for r, t in zip(x.tolist(), y_reg)])
    rows = []
    for i, (r, t) in enumerate(zip(x.tolist(), y_bin)):
        cells = list(map(repr, r))
        if i % 7 == 3:
            cells[i % 4] = ""
        rows.append(cells[:2] + [str(color[i])] + cells[2:] + [str(int(t))])
    files["encoded"] = os.path.join(tmp, "encoded.csv")
    write_csv(files["encoded"], ["a", "b", "color", "c", "d", "y"], rows)
    return files


def check_export(tool, root, tmp):
    import numpy as np
    files = make_data(tmp)
    iris = os.path.join(root, "Datasets", "iris.csv")
    cases = []
    for activation in ACTIVATIONS:
        cases.append(("iris", iris, "species", activation, "standard", [], []))
        cases.append(("binary", files["binary"], "y", activation, "standard", [], []))
        cases.append(("regression", files["regression"], "y", activation, "standard", ["--regression"], []))
    cases.append(("encoded", files["encoded"], "y", "relu", "minmax", ["--impute", "median", "--one-hot", "color"], ["color"]))
    cases.append(("encoded-regression", files["encoded"], "y", "tanh", "none",
                  ["--regression", "--impute", "mean", "--one-hot", "color"], ["color"]))
    # A standardized target: the graph must map the network's output back (y · scale + mean).
    cases.append(("target-scaled-regression", files["target"], "y", "tanh", "standard",
                  ["--regression", "--scale-target", "standard"], []))
    for name, data, target, activation, scale, extra, one_hot in cases:
        for dtype in ["float32", "float64"]:
            label = f"export {name} {activation} {dtype}"
            model = tool.path(".mlp")
            run([tool.binary, "train", data, "-o", model, "--hidden-layer-sizes", "7,5", "--activation", activation,
                 "--solver", "lbfgs", "--max-iter", "60", "--random-state", "1", "--scale", scale, "--dtype", dtype]
                + extra)
            onnx_path = tool.path(".onnx")
            run([tool.binary, "export", model, "-o", onnx_path])
            try:
                session = ort_session(onnx_path)
                feeds = feeds_from_csv(session, data, target, one_hot, np.float32 if dtype == "float32" else np.float64)
                outputs = dict(zip([o.name for o in session.get_outputs()], session.run(None, feeds)))
            except Exception as e:  # noqa: BLE001 — report every failure, then go on
                print(f"FAIL {label}: {e}")
                FAILURES.append(label)
                continue
            tolerance = 1e-6 if dtype == "float32" else 1e-12
            if "--regression" in extra:
                ours = tool.predict(model, data, proba=False)
                ours = np.array([float(v) for v in ours])
                diff = float(np.max(np.abs(outputs["variable"][:, 0] - ours) / np.maximum(1, np.abs(ours))))
                record(label, "values", diff, tolerance)
                # `mlp import` of the export predicts what the original does, bit for bit.
                back = tool.path(".mlp")
                run([tool.binary, "import", onnx_path, "-o", back])
                again = np.array([float(v) for v in tool.predict(back, data, proba=False)])
                record(label + " → import", "mlp predict: imported vs orig.", float(np.max(np.abs(again - ours))), 0)
            else:
                proba = tool.predict(model, data, proba=True)
                labels = tool.predict(model, data, proba=False)
                diff = float(np.max(np.abs(outputs["probabilities"] - proba)))
                onnx_labels = [x.decode() if isinstance(x, bytes) else str(x) for x in outputs["label"].tolist()]
                record(label, "probabilities", diff, tolerance, onnx_labels == labels)


# MARK: scikit-learn → skl2onnx → mlp import

def sklearn_cases():
    import numpy as np
    from sklearn.datasets import load_digits, load_iris, make_classification, make_multilabel_classification, make_regression
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.impute import SimpleImputer
    from sklearn.preprocessing import StandardScaler
    iris = load_iris()
    digits = load_digits()
    xb, yb = make_classification(n_samples=200, n_features=6, random_state=0)
    xm, ym = make_multilabel_classification(n_samples=200, n_features=8, n_classes=3, random_state=0)
    xr, yr = make_regression(n_samples=200, n_features=5, noise=0.1, random_state=0)
    xr2, yr2 = make_regression(n_samples=200, n_features=5, n_targets=3, noise=0.1, random_state=1)
    iris_names = iris.target_names[iris.target]
    xn = xb.copy()
    xn[::7, 2] = np.nan
    xn[3::11, 0] = np.nan
    cases = []
    for activation in ["identity", "logistic", "tanh", "relu"]:
        cases.append((f"iris {activation}", MLPClassifier((10,), activation=activation, max_iter=300, random_state=0),
                      iris.data, iris_names, "classifier"))
    cases += [
        ("iris pipeline", make_pipeline(StandardScaler(), MLPClassifier((8, 6), max_iter=400, random_state=0)),
         iris.data, iris.target, "classifier"),
        ("digits pipeline", make_pipeline(StandardScaler(), MLPClassifier((32,), max_iter=200, random_state=0)),
         digits.data, digits.target, "classifier"),
        ("binary", MLPClassifier((5,), activation="tanh", max_iter=400, random_state=0), xb, yb, "classifier"),
        ("imputer pipeline", make_pipeline(SimpleImputer(), StandardScaler(), MLPClassifier((6,), max_iter=400, random_state=0)),
         xn, yb, "classifier"),
        ("multilabel", MLPClassifier((9,), max_iter=400, random_state=0), xm, ym, "multilabel"),
        ("regressor", make_pipeline(StandardScaler(), MLPRegressor(hidden_layer_sizes=(10,), max_iter=800, random_state=0)), xr, yr, "regressor"),
        ("regressor 3 outputs", MLPRegressor(hidden_layer_sizes=(12,), activation="tanh", max_iter=800, random_state=0), xr2, yr2, "regressor"),
    ]
    return cases


def check_import(tool, tmp):
    import warnings
    import numpy as np
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import DoubleTensorType, FloatTensorType
    from sklearn.neural_network import MLPClassifier
    warnings.filterwarnings("ignore")
    for name, estimator, x, y, kind in sklearn_cases():
        estimator.fit(x, y)
        for dtype in ["float32", "float64"]:
            label = f"import {name} {dtype}"
            tensor = FloatTensorType if dtype == "float32" else DoubleTensorType
            npdtype = np.float32 if dtype == "float32" else np.float64
            try:
                # float64: no ZipMap (skl2onnx's ZipMap takes float32 only); float32 keeps it, as skl2onnx's default.
                options = {MLPClassifier: {"zipmap": False}} if dtype == "float64" else None
                onx = convert_sklearn(estimator, initial_types=[("X", tensor([None, x.shape[1]]))],
                                      target_opset={"": 17, "ai.onnx.ml": 3}, options=options)
            except Exception as e:  # noqa: BLE001 — skl2onnx may not convert every combination in float64
                print(f"skip {label}: skl2onnx cannot convert it ({str(e).splitlines()[0][:100]})")
                continue
            onnx_path = tool.path(".onnx")
            with open(onnx_path, "wb") as f:
                f.write(onx.SerializeToString())
            model = tool.path(".mlp")
            data = tool.path(".csv")
            xs = x.astype(npdtype)
            write_csv(data, [f"x{j}" for j in range(x.shape[1])], [[repr(float(v)) for v in r] for r in xs.tolist()])
            try:
                run([tool.binary, "import", onnx_path, "-o", model])
            except Exception as e:  # noqa: BLE001
                print(f"FAIL {label}: {e}")
                FAILURES.append(label)
                continue
            try:
                reference = ort_session(onnx_path, check=False).run(None, {"X": xs})
            except Exception as e:  # noqa: BLE001 — e.g. onnxruntime has no float64 Binarizer for skl2onnx's graph
                print(f"note {label}: onnxruntime cannot run skl2onnx's graph ({str(e).splitlines()[0][:90]}); "
                      "compared with scikit-learn only")
                reference = None
            # float32: the graph's float32 arithmetic against ours (values relative: regressor outputs are large
            # sums whose float32 rounding depends on the summation order); float64: 1e-12 against everything.
            tolerance = 1e-6 if dtype == "float32" else 1e-12
            sklearn_tolerance = 1e-5 if dtype == "float32" else 1e-12
            if any(node.op_type == "Imputer" for node in onx.graph.node):
                sklearn_tolerance = 1e-5  # skl2onnx stores SimpleImputer's statistics as float32 attributes
            if kind == "regressor":
                ours = np.array([[float(v) for v in r] for r in read_csv(predict_values(tool, model, data))[1]])
                if reference is not None:
                    onnx_values = reference[0].reshape(ours.shape)
                    scale = np.maximum(1, np.abs(onnx_values))
                    record(label, "values vs onnxruntime (rel.)", float(np.max(np.abs(ours - onnx_values) / scale)),
                           1e-5 if dtype == "float32" else 1e-12)
                sk = np.asarray(estimator.predict(x)).reshape(ours.shape)
                record(label, "values vs sklearn (rel.)", float(np.max(np.abs(ours - sk) / np.maximum(1, np.abs(sk)))),
                       1e-4 if dtype == "float32" else 1e-12)
            else:
                proba = tool.predict(model, data, proba=True)
                if reference is not None:
                    onnx_proba = reference[1]
                    if isinstance(onnx_proba, list):  # ZipMap: a list of {class: probability}
                        onnx_proba = np.array([[row[k] for k in sorted(row)] for row in onnx_proba])
                    record(label, "probabilities vs onnxruntime", float(np.max(np.abs(proba - onnx_proba))), tolerance)
                sk_proba = estimator.predict_proba(x)
                if kind == "multilabel":
                    record(label, "probabilities vs sklearn", float(np.max(np.abs(proba - sk_proba))), sklearn_tolerance)
                    check_reexport(tool, label, model, xs, npdtype, kind)
                    continue
                labels = tool.predict(model, data, proba=False)
                sk_labels = [str(v) for v in estimator.predict(x)]
                # A row whose two best classes sklearn separates by less than float32 rounding may go either way.
                top = np.sort(sk_proba, axis=1)
                clear = (top[:, -1] - top[:, -2]) > 1e-5
                agree = all(a == b for a, b, c in zip(labels, sk_labels, clear) if c)
                record(label, "probabilities vs sklearn", float(np.max(np.abs(proba - sk_proba))), sklearn_tolerance, agree)
            if kind == "regressor":
                check_reexport(tool, label, model, xs, npdtype, kind)


def predict_values(tool, model, data):
    out = tool.path(".csv")
    run([tool.binary, "predict", model, data, "-o", out])
    return out


def check_reexport(tool, label, model, xs, npdtype, kind):
    """An imported model exported again: onnxruntime against `mlp predict` (multilabel and multi-output cases)."""
    import numpy as np
    data = tool.path(".csv")
    write_csv(data, [f"x{j}" for j in range(xs.shape[1])], [[repr(float(v)) for v in r] for r in xs.tolist()])
    onnx_path = tool.path(".onnx")
    run([tool.binary, "export", model, "-o", onnx_path])
    session = ort_session(onnx_path)
    outputs = dict(zip([o.name for o in session.get_outputs()], session.run(None, {"X": xs})))
    tolerance = 1e-6 if npdtype == np.float32 else 1e-12
    if kind == "regressor":
        ours = np.array([[float(v) for v in r] for r in read_csv(predict_values(tool, model, data))[1]])
        diff = np.max(np.abs(outputs["variable"] - ours) / np.maximum(1, np.abs(ours)))
    else:
        diff = np.max(np.abs(outputs["probabilities"] - tool.predict(model, data, proba=True)))
    record(label + " → export", "onnxruntime vs mlp", float(diff), tolerance)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mlp", default=None, help="the mlp binary (default: build it with swift build)")
    parser.add_argument("--no-install", action="store_true", help="do not pip install the Python packages")
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if not args.no_install:
        install()
    binary = args.mlp
    if binary is None:
        subprocess.check_call(["swift", "build", "--product", "mlp"], cwd=root)
        binary = os.path.join(root, ".build", "debug", "mlp")
    with tempfile.TemporaryDirectory() as tmp:
        tool = Tool(os.path.abspath(binary), tmp)
        check_export(tool, root, tmp)
        check_import(tool, tmp)
    width = max(len(r[0]) for r in ROWS) if ROWS else 10
    print(f"{'case':<{width}}  {'compared':<30} {'max diff':>10}  {'tolerance':>9}  labels  result")
    for name, kind, diff, tolerance, labels_ok, ok in sorted(ROWS, key=lambda r: -(r[2] / r[3] if r[3] else float("inf") if r[2] else 0)):
        print(f"{name:<{width}}  {kind:<30} {diff:10.3g}  {tolerance:9.0e}  {'same' if labels_ok else 'DIFFER':6}  "
              f"{'ok' if ok else 'FAIL'}")
    print(f"{len(ROWS)} comparisons, {len(FAILURES)} failures")
    if FAILURES:
        print("failed: " + ", ".join(FAILURES))
        sys.exit(1)


if __name__ == "__main__":
    main()
