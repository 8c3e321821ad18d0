"""`mlp train --json` against make_pipeline(StandardScaler(), MLPClassifier/MLPRegressor(...)) on scikit-learn's
bundled data sets: six configurations (adam, sgd with each schedule and momentum, lbfgs, early stopping) x two seeds.
Prints each run's n_iter, the largest relative difference of the loss curves and the training scores, and flags a
run whose curve differs by more than 1e-9 (lbfgs: 1e-6, scipy's line search) or whose n_iter or score differs.

    python3 Scripts/sklearn_parity_sweep.py [path/to/mlp]     # default .build/release/mlp (built first)

docs/sklearn-mapping.md, "Parity", has the latest results.
"""
import json, os, subprocess, sys, tempfile, warnings
import numpy as np
from sklearn import datasets
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler
warnings.filterwarnings("ignore")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if len(sys.argv) > 1:
    MLP = sys.argv[1]
else:
    subprocess.check_call(["swift", "build", "-c", "release", "--product", "mlp"], cwd=ROOT, stdout=subprocess.DEVNULL)
    MLP = os.path.join(ROOT, ".build", "release", "mlp")
work = tempfile.mkdtemp()
sets = {
    "breast_cancer": (datasets.load_breast_cancer(), False),
    "wine": (datasets.load_wine(), False),
    "iris": (datasets.load_iris(), False),
    "digits": (datasets.load_digits(), False),
    "diabetes": (datasets.load_diabetes(), True),
}
configs = [
    dict(hidden_layer_sizes=(20,), max_iter=30),
    dict(hidden_layer_sizes=(15, 7), activation="tanh", solver="sgd", learning_rate_init=0.05, max_iter=25),
    dict(hidden_layer_sizes=(10,), activation="logistic", solver="lbfgs", max_iter=40),
    dict(hidden_layer_sizes=(12,), early_stopping=True, max_iter=60, validation_fraction=0.2),
    dict(hidden_layer_sizes=(8,), solver="sgd", learning_rate="adaptive", nesterovs_momentum=False, batch_size=32, max_iter=20),
    dict(hidden_layer_sizes=(16,), solver="sgd", learning_rate="invscaling", learning_rate_init=0.1, momentum=0, max_iter=15, alpha=0.01),
]
def flag(k, v):
    k = "--" + k.replace("_", "-")
    if isinstance(v, bool): return [k] if v else ["--no-" + k[2:]]
    if isinstance(v, tuple): return [k, ",".join(map(str, v))]
    return [k, str(v)]
runs = flags = 0
for name, (d, regression) in sets.items():
    x, y = d.data, d.target
    csv = os.path.join(work, name + ".csv")
    cols = [f"f{i}" for i in range(x.shape[1])]
    with open(csv, "w") as f:
        f.write(",".join(cols + ["y"]) + "\n")
        for row, t in zip(x, y):
            f.write(",".join(repr(float(v)) for v in row) + "," + (repr(float(t)) if regression else str(int(t))) + "\n")
    for cfg in configs:
        for seed in [0, 3]:
            cfg2 = dict(cfg, random_state=seed)
            args = [MLP, "train", csv, "--json", "-q", "-o", os.path.join(work, "m.mlp")] + (["--regression"] if regression else [])
            for k, v in cfg2.items(): args += flag(k, v)
            r = subprocess.run(args, capture_output=True, text=True)
            Est = MLPRegressor if regression else MLPClassifier
            xs = StandardScaler().fit_transform(x)
            try:
                est, failure = Est(**cfg2).fit(xs, y), None
            except ValueError as error:
                est, failure = None, str(error)
            if r.returncode != 0 or failure:
                both = r.returncode != 0 and failure and "diverged" in r.stderr
                print(f"{name:14s} {cfg2.get('solver','adam'):5s} {str(cfg2['hidden_layer_sizes']):8s} seed {seed}: "
                      + ("both diverge" if both else "  <-- DIFFERS") + f" (mlp exit {r.returncode}; sklearn: {failure})")
                flags += not both
                runs += 1
                continue
            ours = json.loads(r.stdout)
            ref_curve = getattr(est, "loss_curve_", None)
            our_curve = ours.get("loss_curve")
            if ref_curve is not None:
                n = min(len(ref_curve), len(our_curve or []))
                diff = max(abs(a - b) / max(1e-12, abs(b)) for a, b in zip(our_curve[:n], ref_curve[:n])) if n else float("nan")
                same_len = len(ref_curve) == len(our_curve or [])
            else:
                diff = abs(ours["loss"] - est.loss_) / abs(est.loss_); same_len = ours.get("n_iter") == est.n_iter_
            score = est.score(xs, y)
            limit = 1e-6 if cfg2.get("solver") == "lbfgs" else 1e-9
            flagged = "" if diff < limit and same_len and abs(ours["train_score"] - score) < 1e-9 else "  <-- DIFFERS"
            print(f"{name:14s} {cfg2.get('solver','adam'):5s} {str(cfg2['hidden_layer_sizes']):8s} seed {seed}: n_iter {ours.get('n_iter')}/{est.n_iter_} rel diff {diff:.2e} score {ours['train_score']:.6f}/{score:.6f}{flagged}")
            flags += bool(flagged)
            runs += 1
print(f"{runs - flags} of {runs} runs match; {flags} flagged")
