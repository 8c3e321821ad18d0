#!/usr/bin/env python3
"""Reference values for the core: scalers and sklearn's optimizer steps, from scikit-learn itself.

Writes Tests/MLPTests/Fixtures/core_reference.json. Run: python3 Scripts/make_core_fixtures.py
(installs scikit-learn 1.9.1 with pip if it is missing).
"""
import json, os, subprocess, sys

try:
    import sklearn
except ImportError:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "scikit-learn==1.9.1"])
    import sklearn
import numpy as np
from sklearn.preprocessing import scale, MinMaxScaler, StandardScaler
from sklearn.neural_network._stochastic_optimizers import SGDOptimizer, AdamOptimizer

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "Tests", "MLPTests", "Fixtures", "core_reference.json")

seed_x = np.array([[7, 4.7], [6.3, 6], [6.9, 4.9], [6.4, 5.3], [5.8, 5.1],
                   [5.5, 4], [7.1, 5.9], [6.3, 5.6], [6.4, 4.5], [7.7, 6.7]])
rng = np.random.RandomState(3)
wide = np.column_stack([rng.normal(size=37) * 1e3 + 5, np.full(37, 2.5), rng.uniform(-1, 1, size=37)])

# Far from 0 with a small spread: the variance's correction (Σ(x − mean))² / n moves the first column's scale_ bits.
# The last column varies by one ulp (a deviation near 1e-8, above 10ε), within _is_constant_feature's bound for its
# mean's rounding: left unscaled (scale_ 1). The fifth spans one ulp of 1.0, a range below MinMaxScaler's 10ε: its
# range counts as 1 (_handle_zeros_in_scale).
offset_rng = np.random.RandomState(11)
offset = np.column_stack([1e8 + offset_rng.uniform(0, 1, size=29), 1e4 + offset_rng.normal(size=29) * 1e-3,
                          -3e6 + offset_rng.normal(size=29),
                          123456789.123 + np.random.RandomState(4).randint(-1, 2, 29) * np.spacing(123456789.123),
                          1.0 + np.random.RandomState(6).randint(0, 2, 29) * np.spacing(1.0)])

def scalers(x):
    mm = MinMaxScaler().fit(x)
    ss = StandardScaler().fit(x)
    return {"x": x.ravel().tolist(), "rows": x.shape[0], "columns": x.shape[1],
            "scale": scale(x).ravel().tolist(),
            "standard_mean": ss.mean_.tolist(), "standard_scale": ss.scale_.tolist(),
            "minmax": mm.transform(x).ravel().tolist()}

def nulls(a):
    """NaN as null: JSON has no NaN."""
    return [None if np.isnan(v) else float(v) for v in np.asarray(a, dtype=float).ravel()]

def missing_value_scalers():
    """Both scalers ignore NaN when fitting and keep it when transforming; an all-NaN column gets NaN statistics."""
    rng = np.random.RandomState(5)
    x = np.column_stack([rng.normal(size=23) * 40 + 3, rng.uniform(-2, 9, size=23), np.full(23, np.nan),
                         np.full(23, 1.25), rng.normal(size=23)])
    x[[0, 4, 5, 17], 0] = np.nan
    x[[2, 22], 1] = np.nan
    x[[1, 3, 8], 3] = np.nan
    x[np.arange(23) != 6, 4] = np.nan      # one value left in the column
    mm = MinMaxScaler().fit(x)
    ss = StandardScaler().fit(x)
    return {"x": nulls(x), "rows": x.shape[0], "columns": x.shape[1],
            "standard_mean": nulls(ss.mean_), "standard_scale": nulls(ss.scale_), "standard": nulls(ss.transform(x)),
            "minmax_scale": nulls(mm.scale_), "minmax_offset": nulls(mm.min_), "minmax": nulls(mm.transform(x))}

def optimizer_steps():
    rng = np.random.RandomState(0)
    params = [rng.uniform(-1, 1, (3, 2)), rng.uniform(-1, 1, 2)]
    grads_seq = [[rng.uniform(-1, 1, (3, 2)), rng.uniform(-1, 1, 2)] for _ in range(3)]
    flat = lambda arrays: np.concatenate([a.ravel() for a in arrays]).tolist()
    cases = []
    for name, make in [
        ("sgd_plain", lambda p: SGDOptimizer(p, learning_rate_init=0.1, momentum=0.0, nesterov=False)),
        ("sgd_momentum", lambda p: SGDOptimizer(p, learning_rate_init=0.1, momentum=0.9, nesterov=False)),
        ("sgd_nesterov", lambda p: SGDOptimizer(p, learning_rate_init=0.1, momentum=0.9, nesterov=True)),
        ("adam", lambda p: AdamOptimizer(p, learning_rate_init=0.01, beta_1=0.9, beta_2=0.999, epsilon=1e-8)),
    ]:
        p = [a.copy() for a in params]
        opt = make(p)
        after = []
        for g in grads_seq:
            opt.update_params(p, [x.copy() for x in g])
            after.append(flat(p))
        cases.append({"name": name, "initial": flat(params), "gradients": [flat(g) for g in grads_seq], "after": after})
    return cases

json.dump({"sklearn_version": sklearn.__version__, "numpy_version": np.__version__,
           "seed_scalers": scalers(seed_x), "wide_scalers": scalers(wide), "offset_scalers": scalers(offset),
           "missing_value_scalers": missing_value_scalers(), "optimizers": optimizer_steps()},
          open(out, "w"), indent=1)
print("wrote", os.path.relpath(out))
