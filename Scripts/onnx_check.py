#!/usr/bin/env python3
"""Round-trips MLPs through ONNX in both directions and prints the largest differences.

1. `mlp train` → `mlp export` → onnx.checker → onnxruntime, against `mlp predict` (--proba):
   every hidden activation × float32/float64 × binary (int labels) / multiclass (string labels) / regressor,
   plus imputation, one-hot, min-max scaling and a standardized target (--scale-target standard), and models of
   several target columns (tanh and relu × float32/float64): multi-output regressors (with and without
   --scale-target standard) and multilabel classifiers (probabilities and the 0/1 label matrix); tolerance 2e-6
   (float32) and 1e-12 (float64), relative for regressor values. Every export is imported back (`mlp import`) and
   must predict the same, bit for bit, under the same column names (the target names).
2. scikit-learn → skl2onnx → `mlp import` → `mlp predict`, against onnxruntime on the same graph (2e-6 float32,
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
# Float32 graphs against `mlp predict`: 16 float32 ulps at 1.0. Both sides sum 100-256 products per unit in their own
# order (onnxruntime's GEMM blocking and Sigmoid/Tanh approximations differ by instruction set) and each lands a few
# ulps from the exact result; 8.9e-7 was seen on a Zen 3, so 1e-6 left no room for another CPU's kernels.
FLOAT32_TOLERANCE = 2e-6


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

    def predict_table(self, model, data, proba=False):
        """`mlp predict` (with --proba): its header and rows, as text."""
        out = self.path(".csv")
        run([self.binary, "predict", model, data, "-o", out] + (["--proba"] if proba else []))
        return read_csv(out)

    def predict(self, model, data, proba):
        import numpy as np
        header, rows = self.predict_table(model, data, proba)
        if proba:
            first = label_columns(header)
            return np.array([[float(v) for v in r[first:]] for r in rows])
        return [r[0] for r in rows]


def label_columns(header):
    """How many label columns `mlp predict --proba` writes before the probabilities: one, or one 0/1 column per label
    for multilabel, named "<target>_<label>" (an skl2onnx import) or as the target with "<target>_proba" after."""
    n, half = len(header), len(header) // 2
    multilabel = n % 2 == 0 and all(header[i].endswith("_" + header[half + i]) or header[half + i] == header[i] + "_proba"
                                    for i in range(half))
    return half if multilabel else 1


def values(rows):
    """`mlp predict` rows of numbers as a (rows, columns) array."""
    import numpy as np
    return np.array([[float(v) for v in r] for r in rows])


def relative_diff(a, b):
    """The largest difference relative to the value (absolute below 1): regressor outputs can be large."""
    import numpy as np
    return float(np.max(np.abs(a - b) / np.maximum(1, np.abs(b))))


def ort_session(path, check=True):
    import onnx
    import onnxruntime as ort
    if check:
        onnx.checker.check_model(onnx.load(path), full_check=True)
    options = ort.SessionOptions()
    options.log_severity_level = 3
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def feeds_from_csv(session, data_csv, targets, one_hot, dtype):
    import numpy as np
    header, rows = read_csv(data_csv)
    feeds = {}
    names = [i.name for i in session.get_inputs()]
    numeric = [j for j, h in enumerate(header) if h not in targets and h not in one_hot]
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
    # Several targets: two in a few units, and the same with a third in the hundreds (as above); a target column
    # left in a file would be a feature. Then three 0/1 label columns.
    ys = np.column_stack([y_reg, np.sin(x[:, 0]) * 3 + 0.2 * x[:, 1], 300 + 40 * x[:, 2] * x[:, 0]])
    for name, k in [("multi-output", 2), ("multi-output-hundreds", 3)]:
        files[name] = os.path.join(tmp, name + ".csv")
        write_csv(files[name], header + ["y1", "y2", "y3"][:k], [list(map(repr, r + t[:k])) for r, t in zip(x.tolist(), ys.tolist())])
    tags = np.column_stack([x[:, 0] > 0, x[:, 1] + 4 * x[:, 2] > 1, (x[:, 3] > 50) ^ (x[:, 0] > 1)]).astype(int)
    files["multilabel"] = os.path.join(tmp, "multilabel.csv")
    write_csv(files["multilabel"], header + ["t1", "t2", "t3"], [list(map(repr, r)) + list(map(str, t)) for r, t in zip(x.tolist(), tags.tolist())])
    rows = []
    for i, (r, t) in enumerate(zip(x.tolist(), y_bin)):
        cells = list(map(repr, r))
        if i % 7 == 3:
            cells[i % 4] = ""
        rows.append(cells[:2] + [str(color[i])] + cells[2:] + [str(int(t))])
    files["encoded"] = os.path.join(tmp, "encoded.csv")
    write_csv(files["encoded"], ["a", "b", "color", "c", "d", "y"], rows)
    return files


def export_cases(root, files):
    """(name, data, target columns, activation, --scale, more train flags, one-hot columns) of each exported model."""
    iris = os.path.join(root, "Datasets", "iris.csv")
    cases = []
    for activation in ACTIVATIONS:
        cases.append(("iris", iris, ["species"], activation, "standard", [], []))
        cases.append(("binary", files["binary"], ["y"], activation, "standard", [], []))
        cases.append(("regression", files["regression"], ["y"], activation, "standard", ["--regression"], []))
    cases.append(("encoded", files["encoded"], ["y"], "relu", "minmax", ["--impute", "median", "--one-hot", "color"], ["color"]))
    cases.append(("encoded-regression", files["encoded"], ["y"], "tanh", "none",
                  ["--regression", "--impute", "mean", "--one-hot", "color"], ["color"]))
    # A standardized target: the graph must map the network's output back (y · scale + mean).
    cases.append(("target-scaled-regression", files["target"], ["y"], "tanh", "standard",
                  ["--regression", "--scale-target", "standard"], []))
    # Several targets, given in another order than the file's (the outputs follow --target); with --scale-target
    # each is standardized apart, y3 in the hundreds among them. (Fitted unscaled, y3 drives the hidden layers'
    # sums into the hundreds, where float32 rounding alone parts two implementations by a few 1e-6.) And a multilabel
    # classifier: a 0/1 label output per column.
    for activation in ["tanh", "relu"]:
        cases.append(("multi-output", files["multi-output"], ["y2", "y1"], activation, "standard", ["--regression"], []))
        cases.append(("multi-output-target-scaled", files["multi-output-hundreds"], ["y3", "y1", "y2"], activation, "standard",
                      ["--regression", "--scale-target", "standard"], []))
        cases.append(("multilabel", files["multilabel"], ["t1", "t2", "t3"], activation, "standard", [], []))
    return cases


def check_export(tool, root, tmp):
    files = make_data(tmp)
    for name, data, targets, activation, scale, extra, one_hot in export_cases(root, files):
        for dtype in ["float32", "float64"]:
            label = f"export {name} {activation} {dtype}"
            model = tool.path(".mlp")
            run([tool.binary, "train", data, "-o", model, "--target", ",".join(targets), "--hidden-layer-sizes", "7,5",
                 "--activation", activation, "--solver", "lbfgs", "--max-iter", "60", "--random-state", "1",
                 "--scale", scale, "--dtype", dtype] + extra)
            onnx_path = tool.path(".onnx")
            run([tool.binary, "export", model, "-o", onnx_path])
            try:
                outputs = run_exported(onnx_path, data, targets, one_hot, dtype)
            except Exception as e:  # noqa: BLE001 — report every failure, then go on
                print(f"FAIL {label}: {e}")
                FAILURES.append(label)
                continue
            tolerance = FLOAT32_TOLERANCE if dtype == "float32" else 1e-12
            if "--regression" in extra:
                header, rows = tool.predict_table(model, data)
                ours = values(rows)
                # One column per target, named and ordered as --target.
                record(label, "values (rel.)", relative_diff(outputs["variable"].reshape(ours.shape), ours), tolerance,
                       header == targets)
            else:
                compare_labels(tool, label, model, data, outputs, tolerance, multilabel=len(targets) > 1)
            check_reimport(tool, label, model, onnx_path, data, proba="--regression" not in extra)


def run_exported(onnx_path, data, targets, one_hot, dtype):
    """onnx.checker, then onnxruntime on the CSV's feature columns: each output by name."""
    import numpy as np
    session = ort_session(onnx_path)
    feeds = feeds_from_csv(session, data, targets, one_hot, np.float32 if dtype == "float32" else np.float64)
    return dict(zip([o.name for o in session.get_outputs()], session.run(None, feeds)))


def compare_labels(tool, label, model, data, outputs, tolerance, multilabel):
    """A classifier's graph against `mlp predict`: probabilities within `tolerance`, labels equal (multilabel: the 0/1
    matrix, in the order of the target columns)."""
    import numpy as np
    proba = tool.predict(model, data, proba=True)
    diff = float(np.max(np.abs(outputs["probabilities"] - proba)))
    if multilabel:
        _, rows = tool.predict_table(model, data)
        same = outputs["label"].astype(int).tolist() == [[int(v) for v in r] for r in rows]
    else:
        onnx_labels = [x.decode() if isinstance(x, bytes) else str(x) for x in outputs["label"].tolist()]
        same = onnx_labels == tool.predict(model, data, proba=False)
    record(label, "probabilities", diff, tolerance, same)


def check_reimport(tool, label, model, onnx_path, data, proba):
    """`mlp import` of our export predicts what the original does, bit for bit, under the same column names."""
    back = tool.path(".mlp")
    run([tool.binary, "import", onnx_path, "-o", back])
    header, rows = tool.predict_table(model, data, proba)
    header_again, rows_again = tool.predict_table(back, data, proba)
    diff, same = table_diff(rows_again, rows)
    record(label + " → import", "mlp predict: imported vs orig.", diff, 0, same and header_again == header)


def table_diff(a, b):
    """The largest difference between two tables' numeric cells, and whether their other cells (labels) agree."""
    if len(a) != len(b) or any(len(r) != len(s) for r, s in zip(a, b)):
        return float("inf"), False
    diff, same = 0.0, True
    for r, s in zip(a, b):
        for u, v in zip(r, s):
            try:
                diff = max(diff, abs(float(u) - float(v)))
            except ValueError:
                same = same and u == v
    return diff, same


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
            tolerance = FLOAT32_TOLERANCE if dtype == "float32" else 1e-12
            sklearn_tolerance = 1e-5 if dtype == "float32" else 1e-12
            if any(node.op_type == "Imputer" for node in onx.graph.node):
                sklearn_tolerance = 1e-5  # skl2onnx stores SimpleImputer's statistics as float32 attributes
            if kind == "regressor":
                ours = values(tool.predict_table(model, data)[1])
                if reference is not None:
                    record(label, "values vs onnxruntime (rel.)", relative_diff(ours, reference[0].reshape(ours.shape)),
                           1e-5 if dtype == "float32" else 1e-12)
                sk = np.asarray(estimator.predict(x)).reshape(ours.shape)
                record(label, "values vs sklearn (rel.)", relative_diff(ours, sk), 1e-4 if dtype == "float32" else 1e-12)
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


def check_reexport(tool, label, model, xs, npdtype, kind):
    """An imported model exported again: onnxruntime against `mlp predict` (multilabel and multi-output cases)."""
    import numpy as np
    data = tool.path(".csv")
    write_csv(data, [f"x{j}" for j in range(xs.shape[1])], [[repr(float(v)) for v in r] for r in xs.tolist()])
    onnx_path = tool.path(".onnx")
    run([tool.binary, "export", model, "-o", onnx_path])
    session = ort_session(onnx_path)
    outputs = dict(zip([o.name for o in session.get_outputs()], session.run(None, {"X": xs})))
    tolerance = FLOAT32_TOLERANCE if npdtype == np.float32 else 1e-12
    if kind == "regressor":
        ours = values(tool.predict_table(model, data)[1])
        diff = relative_diff(outputs["variable"], ours)
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
