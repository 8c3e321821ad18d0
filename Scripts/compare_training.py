#!/usr/bin/env python3
"""Training speed and memory of swift-mlp against numpy, scikit-learn 1.9.1 and PyTorch (CPU), in one run.

    python3 Scripts/compare_training.py [--quick] [--json FILE] [--no-build]
    python3 Scripts/compare.py training ...         (the same, from the combined driver)

Problems (issue 4):
  seed    the question's 10x2 network, 2-3-1 sigmoid, full batch: µs per iteration. numpy: the question's loop
          (with its calculateError); scikit-learn: MLPClassifier((3,), logistic, adam) per epoch; PyTorch: a
          2-3-1 nn.Sequential with SGD, per step. Ours: `mlp seed` (numpy engine) and the general library path.
  digits  1797x64 (X/16), hidden 100, relu, adam, batch 200, Float64: ms per epoch over 200 epochs.
  large   make_classification(n_samples=100000, n_features=100, n_informative=50, n_classes=10, random_state=0),
          hidden (256, 128), relu, adam, batch 200, 5 epochs: s per epoch in Float64 and Float32, and peak RSS.

Every side runs in its own process, with 2 threads (threadpoolctl for OpenBLAS, torch.set_num_threads) and with
OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE removed so OpenBLAS picks its own kernel. Peak RSS is the child's own VmHWM (high-water resident set),
interpreter and libraries included, as a user would see it.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THREADS = 2


def openblas_kernels():
    """The OpenBLAS that numpy loaded in this process and the kernels it chose, as threadpoolctl reports them."""
    from threadpoolctl import threadpool_info
    blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    return ", ".join(f"{i['internal_api']} {i['version']} ({i.get('architecture')} kernels)" for i in blas) \
        or "no BLAS found"


def cpu_name():
    """The CPU as every table's header names it: model, family and model numbers (a VM's model name is often just
    "AMD EPYC"), the widest vector instruction set, L2 per core, logical CPUs."""
    fields = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if not line.strip():
                    break  # the first processor's block
                key, _, value = line.partition(":")
                fields[key.strip()] = value.strip()
    except OSError:
        return platform.processor()
    flags = fields.get("flags", "").split()
    isa = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "no AVX2"
    details = [f"family {fields['cpu family']} model {fields['model']}"] if "cpu family" in fields else []
    details.append(isa)
    try:
        with open("/sys/devices/system/cpu/cpu0/cache/index2/size") as f:
            details.append(f"L2 {f.read().strip()}")
    except OSError:
        pass
    return f"{fields.get('model name', platform.processor())} ({', '.join(details)}), {os.cpu_count()} cpus"


def round_trip_probe(directory):
    """A command that prints the first two CPUs' cache-line round trip (Scripts/vcpu_round_trip.c), built into
    `directory`; None without two CPUs, Linux or a C compiler. On a 2-vCPU VM it tells where the host put the vCPUs,
    which two-thread figures and the split single row depend on."""
    import shutil
    compiler = shutil.which("clang") or shutil.which("cc")
    if not compiler or (os.cpu_count() or 1) < 2 or not sys.platform.startswith("linux"):
        return None
    binary = os.path.join(directory, "vcpu_round_trip")
    source = os.path.join(ROOT, "Scripts", "vcpu_round_trip.c")
    built = subprocess.run([compiler, "-O2", source, "-o", binary, "-lpthread"], capture_output=True)
    return [binary] if built.returncode == 0 else None


def round_trip_ns(probe):
    """The round trip in ns now, from round_trip_probe's command, or None."""
    if not probe:
        return None
    result = subprocess.run(probe, capture_output=True, text=True)
    words = result.stdout.split()
    return int(words[-2]) if result.returncode == 0 and len(words) >= 2 and words[-2].isdigit() else None


def ensure(package, pip_name=None):
    """Imports `package`, pip-installing it first if missing."""
    try:
        __import__(package)
    except ImportError:
        print(f"installing {pip_name or package} ...", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", pip_name or package])


KEEP_OPENBLAS_ENV = False


def child_env():
    env = dict(os.environ)
    if not KEEP_OPENBLAS_ENV:
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
    env["OMP_NUM_THREADS"] = str(THREADS)
    env["OPENBLAS_NUM_THREADS"] = str(THREADS)
    env["MLP_NUM_THREADS"] = str(THREADS)
    return env


PRELUDE = textwrap.dedent("""
    import json, resource, sys, time, warnings
    warnings.filterwarnings("ignore")
    import numpy as np
    from threadpoolctl import threadpool_limits
    threadpool_limits(%d)
    def rss_mb():
        # VmHWM: this process's own peak. ru_maxrss would include the parent's peak, inherited over fork.
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    def emit(**row):
        row["peak_rss_mb"] = rss_mb()
        print(json.dumps(row))
""" % THREADS)


def run_python(body, label):
    """Runs `body` (after PRELUDE) in a fresh interpreter and returns the JSON rows it prints."""
    out = subprocess.run([sys.executable, "-c", PRELUDE + textwrap.dedent(body)], capture_output=True, text=True,
                         env=child_env(), cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(f"{label} failed:\n{out.stderr[-2000:]}")
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def run_ours(arguments):
    binary = os.path.join(ROOT, ".build", "release", "mlp-bench")
    out = subprocess.run([binary] + arguments + ["--json"], capture_output=True, text=True, env=child_env(), cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(f"mlp-bench {' '.join(arguments)} failed:\n{out.stderr[-2000:]}")
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


SEED_NUMPY = """
    X = np.array([[7, 4.7], [6.3, 6], [6.9, 4.9], [6.4, 5.3], [5.8, 5.1], [5.5, 4], [7.1, 5.9], [6.3, 5.6], [6.4, 4.5], [7.7, 6.7]])
    Y = np.array([[0], [1], [0], [1], [1], [0], [0], [1], [0], [1]])
    np.random.seed(1)
    w1 = 2 * np.random.random((2, 3)) - 1; w2 = 2 * np.random.random((3, 1)) - 1
    b1 = 2 * np.random.random(3) - 1; b2 = 2 * np.random.random(1) - 1
    sigmoid = lambda x: 1 / (1 + np.exp(-x))
    def error(Y, P):
        total = 0
        for i in range(len(Y)):
            total = total + np.square(Y[i] - P[i])
        return total
    n = 20000
    start = time.perf_counter()
    for i in range(n):
        l1 = sigmoid(np.dot(X, w1) + b1); l2 = sigmoid(np.dot(l1, w2) + b2)
        d2 = (l2 - Y) * l2 * (1 - l2); d1 = d2.dot(w2.T) * l1 * (1 - l1)
        w2 -= 0.5 * l1.T.dot(d2); w1 -= 0.5 * X.T.dot(d1); b2 -= 0.5 * np.sum(d2, axis=0); b1 -= 0.5 * np.sum(d1, axis=0)
        if error(Y, l2) < 0.001: pass
    emit(side="numpy", problem="seed", us_per_iteration=(time.perf_counter() - start) / n * 1e6)

    from sklearn.neural_network import MLPClassifier
    clf = MLPClassifier(hidden_layer_sizes=(3,), activation="logistic", max_iter=2000, tol=0, n_iter_no_change=10**9, random_state=1)
    start = time.perf_counter()
    clf.fit(X, Y.ravel())
    emit(side="scikit-learn", problem="seed", us_per_iteration=(time.perf_counter() - start) / clf.n_iter_ * 1e6)
"""

SEED_TORCH = """
    import torch
    torch.set_num_threads(%d)
    torch.manual_seed(1)
    X = torch.tensor([[7, 4.7], [6.3, 6], [6.9, 4.9], [6.4, 5.3], [5.8, 5.1], [5.5, 4], [7.1, 5.9], [6.3, 5.6], [6.4, 4.5], [7.7, 6.7]], dtype=torch.float64)
    Y = torch.tensor([[0], [1], [0], [1], [1], [0], [0], [1], [0], [1]], dtype=torch.float64)
    net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Sigmoid(), torch.nn.Linear(3, 1), torch.nn.Sigmoid()).double()
    opt = torch.optim.SGD(net.parameters(), lr=0.5)
    n = 5000
    start = time.perf_counter()
    for i in range(n):
        opt.zero_grad()
        loss = 0.5 * ((net(X) - Y) ** 2).sum()
        loss.backward()
        opt.step()
    emit(side="pytorch", problem="seed", us_per_iteration=(time.perf_counter() - start) / n * 1e6)
""" % THREADS

DIGITS_SKLEARN = """
    import csv
    rows = list(csv.reader(open("Datasets/digits.csv")))[1:]
    X = np.array([[float(v) for v in r[:-1]] for r in rows]) / 16
    y = np.array([int(r[-1]) for r in rows])
    from sklearn.neural_network import MLPClassifier
    clf = MLPClassifier(hidden_layer_sizes=(100,), batch_size=200, max_iter=EPOCHS, tol=0, n_iter_no_change=10**9, random_state=0)
    start = time.perf_counter()
    clf.fit(X, y)
    emit(side="scikit-learn", problem="digits", dtype="float64", seconds_per_epoch=(time.perf_counter() - start) / clf.n_iter_)
"""

LARGE_SKLEARN = """
    X = np.fromfile(XPATH, dtype=np.float64).reshape(-1, 100)
    y = np.fromfile(YPATH, dtype=np.int32)
    if DTYPE == "float32":
        X = X.astype(np.float32)
    from sklearn.neural_network import MLPClassifier
    clf = MLPClassifier(hidden_layer_sizes=(256, 128), batch_size=200, max_iter=EPOCHS, tol=0, n_iter_no_change=10**9, random_state=0)
    start = time.perf_counter()
    clf.fit(X, y)
    emit(side="scikit-learn", problem="large", dtype=DTYPE, seconds_per_epoch=(time.perf_counter() - start) / clf.n_iter_)
"""

LARGE_TORCH = """
    import torch
    torch.set_num_threads(%d)
    torch.manual_seed(0)
    dtype = torch.float32 if DTYPE == "float32" else torch.float64
    X = torch.from_numpy(np.fromfile(XPATH, dtype=np.float64).reshape(-1, 100)).to(dtype)
    y = torch.from_numpy(np.fromfile(YPATH, dtype=np.int32).astype(np.int64))
    net = torch.nn.Sequential(torch.nn.Linear(100, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128), torch.nn.ReLU(),
                              torch.nn.Linear(128, 10)).to(dtype)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    lossf = torch.nn.CrossEntropyLoss()
    start = time.perf_counter()
    for epoch in range(EPOCHS):
        order = torch.randperm(X.shape[0])
        for s in range(0, X.shape[0], 200):
            idx = order[s:s + 200]
            opt.zero_grad()
            loss = lossf(net(X[idx]), y[idx])
            loss.backward()
            opt.step()
    emit(side="pytorch", problem="large", dtype=DTYPE, seconds_per_epoch=(time.perf_counter() - start) / EPOCHS)
""" % THREADS


def make_large_problem(folder):
    from sklearn.datasets import make_classification
    import numpy as np
    X, y = make_classification(n_samples=100000, n_features=100, n_informative=50, n_classes=10, random_state=0)
    xpath, ypath = os.path.join(folder, "X.f64"), os.path.join(folder, "y.i32")
    X.astype("<f8").tofile(xpath)
    y.astype("<i4").tofile(ypath)
    return xpath, ypath, X.nbytes / 1048576


def ratio(anchor, ours):
    return f"{anchor / ours:.1f}x" if anchor and ours else "-"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer epochs (digits 20, large 2)")
    parser.add_argument("--json", help="also write every measured row to this file")
    parser.add_argument("--no-build", action="store_true", help="use the existing release build")
    parser.add_argument("--digits-rounds", type=int, default=5,
                        help="digits runs, alternating the sides; the ratio is the median of the rounds' ratios "
                             "(the machine's speed drifts over minutes, and digits is short)")
    parser.add_argument("--keep-openblas-env", action="store_true",
                        help="keep OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE as the environment sets them (slower OpenBLAS)")
    args = parser.parse_args(argv)
    global KEEP_OPENBLAS_ENV
    KEEP_OPENBLAS_ENV = args.keep_openblas_env
    for module, pip_name in [("numpy", None), ("sklearn", "scikit-learn==1.9.1"), ("threadpoolctl", None),
                             ("torch", None)]:
        ensure(module, pip_name)
    if not args.no_build:
        subprocess.check_call(["swift", "build", "-c", "release", "--product", "mlp-bench"], cwd=ROOT)
    digits_epochs, large_epochs = (20, 2) if args.quick else (200, 5)
    rows = []
    rows += run_ours(["seed"])
    rows += run_python(SEED_NUMPY, "seed numpy/sklearn")
    rows += run_python(SEED_TORCH, "seed torch")
    for _ in range(args.digits_rounds):
        rows += run_ours(["digits", "--epochs", str(digits_epochs)])
        rows += run_python(DIGITS_SKLEARN.replace("EPOCHS", str(digits_epochs)), "digits sklearn")
    with tempfile.TemporaryDirectory() as folder:
        xpath, ypath, data_mb = make_large_problem(folder)
        for dtype in ["float64", "float32"]:
            rows += run_ours(["large", "--x", xpath, "--y", ypath, "--dtype", dtype, "--epochs", str(large_epochs)])
            fill = lambda body: (body.replace("XPATH", repr(xpath)).replace("YPATH", repr(ypath))
                                 .replace("DTYPE", repr(dtype)).replace("EPOCHS", str(large_epochs)))
            rows += run_python(fill(LARGE_SKLEARN), f"large sklearn {dtype}")
            rows += run_python(fill(LARGE_TORCH), f"large torch {dtype}")

    def key(r):
        if "benchmark" in r:
            name = r["benchmark"]  # seed-numpy, seed-fast, seed-library, digits, large
            side = "swift-mlp" if "-" not in name else "swift-mlp-" + name.split("-")[1]
            return (side, name.split("-")[0], r.get("dtype"))
        return (r["side"], r["problem"], r.get("dtype"))

    def find(side, problem, dtype=None):
        for r in rows:
            s_, p_, d_ = key(r)
            if s_ == side and p_ == problem and (dtype is None or d_ == dtype):
                return r
        return None

    print(f"\nswift-mlp against numpy, scikit-learn {__import__('sklearn').__version__} and PyTorch "
          f"{__import__('torch').__version__}, {THREADS} threads, on {cpu_name()}, same run; OpenBLAS "
          f"{'as the environment sets it (OPENBLAS_CORETYPE=' + os.environ.get('OPENBLAS_CORETYPE', '-') + ')' if KEEP_OPENBLAS_ENV else 'choosing its own kernel'}\n")
    print(f"{'problem':<34}{'swift-mlp':>12}{'numpy':>12}{'sklearn':>12}{'pytorch':>12}   ratios (anchor / ours)")
    seed = {s: (find(s, "seed") or {}).get("us_per_iteration") for s in ["numpy", "scikit-learn", "pytorch"]}
    for engine, label in [("swift-mlp-numpy", "numpy-exact engine"), ("swift-mlp-fast", "fast engine"),
                          ("swift-mlp-library", "library path")]:
        ours_seed = find(engine, "seed")["microsecondsPerIteration"]
        print(f"{'seed µs/iter, ' + label:<34}{ours_seed:>12.3f}{seed['numpy']:>12.1f}{seed['scikit-learn']:>12.1f}"
              f"{seed['pytorch']:>12.1f}   numpy {ratio(seed['numpy'], ours_seed)}, sklearn {ratio(seed['scikit-learn'], ours_seed)},"
              f" pytorch {ratio(seed['pytorch'], ours_seed)}")
    ours_rounds = [r["secondsPerEpoch"] * 1e3 for r in rows if key(r)[:2] == ("swift-mlp", "digits")]
    sk_rounds = [r["seconds_per_epoch"] * 1e3 for r in rows if key(r)[:2] == ("scikit-learn", "digits")]
    round_ratios = sorted(sk / ours for ours, sk in zip(ours_rounds, sk_rounds))
    median = lambda values: sorted(values)[len(values) // 2]
    print(f"{'digits Float64, ms per epoch':<34}{median(ours_rounds):>12.2f}{'':>12}{median(sk_rounds):>12.2f}{'':>12}   "
          f"sklearn {median(round_ratios):.1f}x (median of {len(round_ratios)} alternating rounds: "
          + ", ".join(f"{r:.1f}x" for r in round_ratios) + ")")
    for dtype in ["float64", "float32"]:
        ours = find("swift-mlp", "large", dtype)
        sk, pt = find("scikit-learn", "large", dtype), find("pytorch", "large", dtype)
        o = ours["secondsPerEpoch"]
        print(f"{'large ' + dtype + ', s per epoch':<34}{o:>12.3f}{'':>12}{sk['seconds_per_epoch']:>12.3f}"
              f"{pt['seconds_per_epoch']:>12.3f}   sklearn {ratio(sk['seconds_per_epoch'], o)}, pytorch {ratio(pt['seconds_per_epoch'], o)}")
    for dtype in ["float64", "float32"]:
        ours = find("swift-mlp", "large", dtype)
        sk, pt = find("scikit-learn", "large", dtype), find("pytorch", "large", dtype)
        print(f"{'large ' + dtype + ', peak RSS MB':<34}{ours['peakRSSMegabytes']:>12.0f}{'':>12}{sk['peak_rss_mb']:>12.0f}"
              f"{pt['peak_rss_mb']:>12.0f}   ours / data in {dtype}: {ours['peakRSSMegabytes'] / ours['dataMegabytes']:.2f}"
              f" (X as float64: {data_mb:.0f} MB)")
    allocations = {(r["benchmark"], r["dtype"]): r for r in rows if r.get("allocationsPerBatch") is not None}
    for r in allocations.values():
        print(f"swift-mlp {r['benchmark']} {r['dtype']}: {r['allocationsPerBatch']:.3f} heap allocations per minibatch "
              f"(counted; epoch-level bookkeeping spread over its batches)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
