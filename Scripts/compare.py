#!/usr/bin/env python3
"""Side-by-side benchmarks of swift-mlp against numpy (OpenBLAS) and PyTorch (CPU), in one run on one machine.

    python3 Scripts/compare.py all                  # every section below, in one run
    python3 Scripts/compare.py training [--quick] [--keep-openblas-env]
    python3 Scripts/compare.py predict [--dtype float32,float64] [--rounds N] [--e2e | --e2e-only]
    python3 Scripts/compare.py gemm [--quick] [--threads 1,2] [--dtype float32,float64] [--only TEXT]
                                    [--rounds N] [--settle SECONDS] [--json FILE]
                                    [--isa avx2|avx512|generic] [--cache-sizes l1=32K,l2=512K,l3=32M]

Sections:
  training  the seed network (µs per iteration), digits (ms per epoch), the large make_classification problem
        (s per epoch, Float64 and Float32) and its peak memory, against numpy, scikit-learn and PyTorch
        (Scripts/compare_training.py)
  predict  predict_proba rows/s of the large problem's network (100-256-128-10) for batches of 1, 32, 1024 and
        100,000 rows and single-row latency: ours (MLPPredictor) against scikit-learn, PyTorch (eval, no_grad,
        2 threads) and onnxruntime (2 threads, the ONNX graph built here); --e2e adds `mlp predict` on a CSV
  gemm  GFLOP/s of C = op(A) op(B), Float32 and Float64, per thread count: squares 64...2048 and the batch-200
        MLP products of the large problem (forward X.W, weight gradient A^T.delta, input gradient delta.W^T), and the
        forward product of a 2048-unit layer (wide fwd, 200 x 2048 x 256).

Every side is timed the same way: one warm-up call, then samples of enough calls to last ~20 ms, median of
7 samples. Each library runs as a server process and the driver asks them in turn, shape by shape, --rounds
times (default 3); each side keeps its best median, so load from other processes hits all sides alike. numpy (and
scikit-learn through it) runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from its environment, so OpenBLAS
picks its own kernel (threadpoolctl reports which; --keep-openblas-env keeps them for training and predict).
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


sys.path.insert(0, os.path.join(ROOT, "Scripts"))
from compare_training import cpu_name, ensure, openblas_kernels, round_trip_ns, round_trip_probe  # noqa: E402  (ensure imports `package`, pip-installing it first if missing)


# ---------------------------------------------------------------- shapes (same as `mlp-bench gemm`)

def gemm_shapes(quick):
    squares = [64, 128, 256, 512] if quick else [64, 128, 256, 512, 1024, 2048]
    shapes = [dict(name=f"square {s}", op="NN", m=s, n=s, k=s) for s in squares]
    layers = [(100, 256), (256, 128), (128, 10)]
    for i, (n_in, n_out) in enumerate(layers):
        shapes.append(dict(name=f"fwd L{i + 1} X.W", op="NN", m=200, n=n_out, k=n_in))
    for i, (n_in, n_out) in enumerate(layers):
        shapes.append(dict(name=f"wgrad L{i + 1} At.d", op="TN", m=n_in, n=n_out, k=200))
    for i, (n_in, n_out) in list(enumerate(layers))[1:]:
        shapes.append(dict(name=f"igrad L{i + 1} d.Wt", op="NT", m=200, n=n_in, k=n_out))
    # A wide layer: W's rows 8 KiB (float32) or 16 KiB (float64) apart share few cache sets.
    shapes.append(dict(name="wide fwd X.W", op="NN", m=200, n=2048, k=256))
    return shapes


# The wall clock, or with `--clock thread` (MLP_BENCH_CLOCK=thread, passed to every side) the calling thread's CPU
# time: on a machine shared with other busy processes, single-threaded figures then count only the time the
# measured thread ran. Meaningful for one thread only (other threads' work is not on this clock).
CLOCK = time.thread_time if os.environ.get("MLP_BENCH_CLOCK") == "thread" else time.perf_counter


def measure(fn, repeats=7, sample_seconds=0.02):
    fn()
    t = CLOCK()
    fn()
    once = max(CLOCK() - t, 1e-9)
    calls = max(1, int(sample_seconds / once))
    samples = []
    for _ in range(repeats):
        t = CLOCK()
        for _ in range(calls):
            fn()
        samples.append((CLOCK() - t) / calls)
    samples.sort()
    return samples[len(samples) // 2]


# ---------------------------------------------------------------- servers
# Each library runs in its own long-lived process that answers requests "dtype threads op m n k" on stdin with
# one JSON line. The driver asks every side in turn for the same shape, so load from other processes on a
# shared machine hits all sides alike (sequential whole-suite runs were off by 2x under such load).

def operands(lib, op, m, n, k, dtype):
    """A, B stored so that op(A) is (m, k) and op(B) is (k, n); returns op(A), op(B) as views."""
    import numpy as np
    rng = np.random.default_rng(0)
    a = rng.uniform(-1, 1, (k, m) if op[0] == "T" else (m, k)).astype(dtype)
    b = rng.uniform(-1, 1, (n, k) if op[1] == "T" else (k, n)).astype(dtype)
    if lib == "torch":
        import torch
        a, b = torch.from_numpy(a), torch.from_numpy(b)
    return (a.T if op[0] == "T" else a), (b.T if op[1] == "T" else b)


def serve(lib):
    if lib == "numpy":
        import numpy as np
        from threadpoolctl import threadpool_limits
        library = f"numpy {np.__version__}: {openblas_kernels()}"
    else:
        import torch
        library = f"torch {torch.__version__} (CPU, {'MKL' if torch.backends.mkl.is_available() else 'no MKL'})"
    print(json.dumps(dict(library=library)), flush=True)
    for line in sys.stdin:
        dtype, threads, op, m, n, k = line.split()
        threads, m, n, k = int(threads), int(m), int(n), int(k)
        a, b = operands(lib, op, m, n, k, dtype)
        if lib == "numpy":
            c = np.empty((m, n), dtype=dtype)
            with threadpool_limits(threads):
                seconds = measure(lambda: np.matmul(a, b, out=c))
        else:
            torch.set_num_threads(threads)
            c = torch.empty((m, n), dtype=getattr(torch, dtype))
            seconds = measure(lambda: torch.matmul(a, b, out=c))
        print(json.dumps(dict(seconds=seconds)), flush=True)


class Side:
    """A benchmark server process: `request` sends one shape and returns seconds per call."""

    def __init__(self, command, env=None, first_line_is_library=True, library=None):
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, text=True, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE)
        self.library = json.loads(self.process.stdout.readline())["library"] if first_line_is_library else library

    def request(self, dtype, threads, shape):
        self.process.stdin.write(f"{dtype} {threads} {shape['op']} {shape['m']} {shape['n']} {shape['k']}\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())["seconds"]

    def close(self):
        self.process.stdin.close()
        self.process.wait()


OPENBLAS_CORETYPE = {"avx2": "Haswell", "avx512": "SkylakeX", "generic": "Prescott"}


def bench_binary():
    subprocess.check_call(["swift", "build", "-c", "release", "--product", "mlp-bench"], cwd=ROOT,
                          stdout=subprocess.DEVNULL)
    path = subprocess.check_output(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, text=True)
    return os.path.join(path.strip(), "mlp-bench")


def start_sides(isa=None, cache_sizes=None):
    ours_env = dict(os.environ)
    numpy_env = dict(os.environ)
    numpy_env.pop("OPENBLAS_CORETYPE", None)  # let OpenBLAS choose its kernel for this CPU
    numpy_env.pop("OPENBLAS_L2_SIZE", None)
    if isa:  # one instruction set on both sides: ours through MLP_KERNEL_ISA, OpenBLAS through its core type
        ours_env["MLP_KERNEL_ISA"] = isa
        numpy_env["OPENBLAS_CORETYPE"] = OPENBLAS_CORETYPE[isa]
    if cache_sizes:
        ours_env["MLP_CACHE_SIZES"] = cache_sizes
    binary = bench_binary()
    info = json.loads(subprocess.check_output([binary, "gemm", "--json", "--only", "none"], cwd=ROOT,
                                              text=True, env=ours_env))
    ours = Side([binary, "gemm", "--serve"], env=ours_env, first_line_is_library=False,
                library=f"swift-mlp ({info['kernels']} kernels; {info['blocking']})")
    me = [sys.executable, os.path.abspath(__file__), "--serve"]
    return {"ours": ours, "numpy": Side(me + ["numpy"], env=numpy_env), "torch": Side(me + ["torch"])}


def gflops(shape, seconds):
    return 2.0 * shape["m"] * shape["n"] * shape["k"] / seconds / 1e9


def compare_gemm(args):
    ensure("numpy")
    ensure("threadpoolctl")
    ensure("torch")
    sides = start_sides(args.isa, args.cache_sizes)
    print(f"GEMM GFLOP/s on {cpu_name()}, {time.strftime('%Y-%m-%d %H:%M')}; each cell: best of {args.rounds} "
          f"interleaved medians")
    for name, side in sides.items():
        print(f"  {name}: {side.library}")
    header = f"{'shape':<16} {'op':<2} {'m':>5} {'n':>5} {'k':>5}  {'dtype':<7} {'thr':>3}  " \
             f"{'ours':>7} {'numpy':>7} {'torch':>7}  {'ours/np':>7} {'ours/torch':>10}"
    print(header)
    print("-" * len(header), flush=True)
    rows, misses = [], []
    for dtype in args.dtype.split(","):
        for threads in args.threads:
            for shape in [s for s in gemm_shapes(args.quick) if args.only is None or args.only in s["name"]]:
                best = {}
                for _ in range(args.rounds):
                    for name, side in sides.items():
                        # Let the previous side's idle threads stop spinning (OpenMP and OpenBLAS workers
                        # busy-wait for up to ~0.1-0.2 s after a call) before timing the next side.
                        time.sleep(args.settle)
                        best[name] = min(best.get(name, float("inf")), side.request(dtype, threads, shape))
                g = {name: gflops(shape, seconds) for name, seconds in best.items()}
                rows.append(dict(shape, dtype=dtype, threads=threads, **g))
                flag = ""
                if shape["name"].startswith("square") and shape["m"] >= 128 and g["ours"] < 0.95 * g["numpy"]:
                    flag = "  < 95% of numpy"
                    misses.append(rows[-1])
                print(f"{shape['name']:<16} {shape['op']:<2} {shape['m']:>5} {shape['n']:>5} {shape['k']:>5}  "
                      f"{dtype:<7} {threads:>3}  {g['ours']:7.1f} {g['numpy']:7.1f} {g['torch']:7.1f}  "
                      f"{g['ours'] / g['numpy']:7.2f} {g['ours'] / g['torch']:10.2f}{flag}", flush=True)
    for side in sides.values():
        side.close()
    print(f"\nsquares >= 128 below 95% of numpy: {len(misses)}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(dict(libraries={n: s.library for n, s in sides.items()}, rows=rows), f, indent=1)


def compare_training_section(args):
    """The seed network, digits and the large problem (Scripts/compare_training.py)."""
    import compare_training
    argv = (["--quick"] if args.quick else []) + (["--keep-openblas-env"] if args.keep_openblas_env else [])
    argv += ["--json", args.json + ".training.json"] if args.json else []
    compare_training.main(argv)


# ---------------------------------------------------------------- prediction

PREDICT_LAYERS = [100, 256, 128, 10]
PREDICT_BATCHES = [1, 32, 1024, 100000]


def predict_network():
    """The large problem's trained network and its rows: scikit-learn's MLPClassifier (256, 128), relu, adam, batch
    200, 5 epochs, random_state 0, on make_classification's 100,000 rows as in the training section. Its rows are the
    predict section's inputs on every side: a single row's time depends on which hidden units the row zeroes, since
    ours skips the weights of zero inputs (about half of a ReLU layer's outputs)."""
    import warnings
    import numpy as np
    from sklearn.datasets import make_classification
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    x, y = make_classification(n_samples=100000, n_features=PREDICT_LAYERS[0], n_informative=50,
                               n_classes=PREDICT_LAYERS[-1], random_state=0)
    clf = MLPClassifier(hidden_layer_sizes=tuple(PREDICT_LAYERS[1:-1]), batch_size=200, max_iter=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(x, y)
    return clf.coefs_, clf.intercepts_, np.ascontiguousarray(x)


def predict_sides(dtype, coefs, intercepts):
    """predict_proba callables (x -> probabilities) for scikit-learn, PyTorch and onnxruntime, same weights."""
    import warnings
    import numpy as np
    import onnx
    import onnxruntime
    import torch
    from onnx import TensorProto, helper, numpy_helper
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    rng = np.random.default_rng(1)
    clf = MLPClassifier(hidden_layer_sizes=tuple(PREDICT_LAYERS[1:-1]), max_iter=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(rng.normal(size=(200, PREDICT_LAYERS[0])).astype(dtype), np.arange(200) % PREDICT_LAYERS[-1])
    clf.coefs_ = [c.astype(dtype) for c in coefs]
    clf.intercepts_ = [b.astype(dtype) for b in intercepts]

    torch.set_num_threads(2)
    layers = []
    for i, (c, b) in enumerate(zip(coefs, intercepts)):
        linear = torch.nn.Linear(c.shape[0], c.shape[1]).to(getattr(torch, dtype))
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(c.T.astype(dtype)))
            linear.bias.copy_(torch.from_numpy(b.astype(dtype)))
        layers += [linear, torch.nn.ReLU() if i < len(coefs) - 1 else torch.nn.Softmax(dim=1)]
    model = torch.nn.Sequential(*layers).eval()

    def torch_predict(x):
        with torch.no_grad():
            return model(torch.from_numpy(x))

    # The ONNX graph of the same network: MatMul + Add (+ Relu) per layer, Softmax over the classes.
    elem = TensorProto.FLOAT if dtype == "float32" else TensorProto.DOUBLE
    nodes, inits, current = [], [], "X"
    for i, (c, b) in enumerate(zip(coefs, intercepts)):
        inits += [numpy_helper.from_array(c.astype(dtype), f"W{i}"), numpy_helper.from_array(b.astype(dtype), f"B{i}")]
        nodes += [helper.make_node("MatMul", [current, f"W{i}"], [f"M{i}"]),
                  helper.make_node("Add", [f"M{i}", f"B{i}"], [f"A{i}"])]
        current = f"A{i}"
        if i < len(coefs) - 1:
            nodes.append(helper.make_node("Relu", [current], [f"R{i}"]))
            current = f"R{i}"
    nodes.append(helper.make_node("Softmax", [current], ["P"], axis=1))
    graph = helper.make_graph(nodes, "mlp", [helper.make_tensor_value_info("X", elem, ["N", PREDICT_LAYERS[0]])],
                              [helper.make_tensor_value_info("P", elem, ["N", PREDICT_LAYERS[-1]])], inits)
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(onnx_model)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 2
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(onnx_model.SerializeToString(), options, providers=["CPUExecutionProvider"])

    sides = {"scikit-learn": clf.predict_proba, "torch": torch_predict,
             "onnxruntime": lambda x: session.run(None, {"X": x})[0]}
    x = rng.normal(size=(64, PREDICT_LAYERS[0])).astype(dtype)
    reference = clf.predict_proba(x)
    for name, fn in sides.items():  # the same model on every side
        got = np.asarray(fn(x))
        assert np.allclose(got, reference, rtol=1e-4, atol=1e-5), f"{name} disagrees with scikit-learn"
    return sides


def compare_predict(args):
    import tempfile
    ensure("numpy")
    ensure("sklearn", "scikit-learn")
    ensure("torch")
    ensure("onnx")
    ensure("onnxruntime")
    ensure("threadpoolctl")
    import numpy as np
    coefs, intercepts, x_rows = predict_network()
    if args.e2e_only:
        return compare_predict_end_to_end(args, coefs, intercepts)
    weights = tempfile.NamedTemporaryFile(suffix=".bin", delete=False)
    weights.write(np.concatenate([c.ravel() for c in coefs] + intercepts).astype("<f8").tobytes())
    weights.close()
    inputs = tempfile.NamedTemporaryFile(suffix=".bin", delete=False)
    inputs.write(x_rows.astype("<f8").tobytes())
    inputs.close()
    binary = bench_binary()
    ours = subprocess.Popen([binary, "predict", "--serve", "--weights", weights.name, "--inputs", inputs.name],
                            cwd=ROOT, text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def ask_ours(dtype, batch):
        ours.stdin.write(f"{dtype} {batch}\n")
        ours.stdin.flush()
        return json.loads(ours.stdout.readline())

    names = ["ours", "scikit-learn", "torch", "onnxruntime"]
    scratch = tempfile.TemporaryDirectory()
    probe = round_trip_probe(scratch.name)  # where the host put the two vCPUs (Scripts/vcpu_round_trip.c)
    print(f"predict_proba rows/s, network {'-'.join(map(str, PREDICT_LAYERS))} (relu, softmax) on {cpu_name()}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}; load average {os.getloadavg()[0]:.1f}; each cell: best of "
          f"{args.rounds} interleaved medians; the large problem's trained network on its own rows (ours takes single "
          f"rows in turn from the first 1,000). ours: MLPPredictor through mlp-bench (Swift, no Python in the loop); "
          f"the others are called from Python (its call overhead counts, as for any Python user); scikit-learn's "
          f"numpy {np.__version__}: {openblas_kernels()}")
    header = f"{'dtype':<8} {'batch':>6}  " + " ".join(f"{n:>13}" for n in names) + f"  {'ours/ort':>8} {'ours/skl':>8}"
    print(header)
    print("-" * len(header), flush=True)
    rows = []
    for dtype in args.dtype.split(","):
        sides = predict_sides(dtype, coefs, intercepts)
        x_all = x_rows.astype(dtype)
        for batch in PREDICT_BATCHES:
            x = np.ascontiguousarray(x_all[:batch])
            best, allocations = {}, None
            apart = [round_trip_ns(probe)] if batch == 1 else []  # the split single row depends on it
            for _ in range(args.rounds):
                for name in names:
                    time.sleep(args.settle)
                    if name == "ours":
                        answer = ask_ours(dtype, batch)
                        seconds = answer["seconds"]
                        allocations = answer.get("allocations_per_row", allocations)
                    else:
                        seconds = measure(lambda: sides[name](x))
                    best[name] = min(best.get(name, float("inf")), seconds)
            apart += [round_trip_ns(probe)] if batch == 1 else []
            rate = {n: batch / best[n] for n in names}
            rows.append(dict(dtype=dtype, batch=batch, rows_per_second=rate, allocations_per_row=allocations))
            print(f"{dtype:<8} {batch:>6}  " + " ".join(f"{rate[n]:13,.0f}" for n in names)
                  + f"  {rate['ours'] / rate['onnxruntime']:8.2f} {rate['ours'] / rate['scikit-learn']:8.2f}"
                  + ("  < onnxruntime" if rate["ours"] < rate["onnxruntime"] else ""), flush=True)
            if batch == 1:
                print(f"{'':<8} single-row latency: " + ", ".join(f"{n} {best[n] * 1e6:.2f} us" for n in names)
                      + (f"; ours makes {allocations:g} heap allocations per call" if allocations is not None else "")
                      + (f"; the vCPUs {apart[0]} -> {apart[1]} ns apart" if None not in apart else ""), flush=True)
    ours.stdin.close()
    ours.wait()
    os.unlink(weights.name)
    os.unlink(inputs.name)
    scratch.cleanup()
    if args.e2e:
        compare_predict_end_to_end(args, coefs, intercepts)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(dict(rows=rows), f, indent=1)


def compare_predict_end_to_end(args, coefs, intercepts):
    """`mlp predict` on a 100,000-row CSV, whole process, against numpy.loadtxt + predict_proba in this process."""
    import tempfile
    import numpy as np
    workdir = tempfile.mkdtemp(prefix="mlp-predict-")
    csv = os.path.join(workdir, "large.csv")
    rng = np.random.default_rng(3)
    x = rng.normal(size=(100000, PREDICT_LAYERS[0]))
    y = rng.integers(0, PREDICT_LAYERS[-1], 100000)
    header = ",".join(f"x{i}" for i in range(PREDICT_LAYERS[0])) + ",y"
    np.savetxt(csv, np.column_stack([x, y]), delimiter=",", header=header, comments="", fmt="%.6g")
    subprocess.check_call(["swift", "build", "-c", "release", "--product", "mlp"], cwd=ROOT, stdout=subprocess.DEVNULL)
    bin_path = subprocess.check_output(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, text=True)
    mlp = os.path.join(bin_path.strip(), "mlp")
    model = os.path.join(workdir, "model.mlp")
    # One epoch on 2000 rows: the timing depends on the network's shape, not on its weights.
    small = os.path.join(workdir, "small.csv")
    with open(csv) as f, open(small, "w") as g:
        for _ in range(2001):
            g.write(f.readline())
    subprocess.check_call([mlp, "train", small, "--hidden-layer-sizes", "256,128", "--max-iter", "1", "-o", model],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sides = predict_sides("float64", coefs, intercepts)
    out = os.path.join(workdir, "out.csv")

    # Each job's wall time and CPU time (user + system, all threads: the child's rusage for `mlp predict`, this
    # process's for Python); on a shared machine the CPU time is the steadier figure.
    def ours(extra, binary=mlp):
        t, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.check_call([binary, "predict", model, csv, "-o", out] + extra, stdout=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.perf_counter() - t, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime

    def python_job():
        t, cpu = time.perf_counter(), time.process_time()
        data = np.loadtxt(csv, delimiter=",", skiprows=1)
        sides["scikit-learn"](np.ascontiguousarray(data[:, :PREDICT_LAYERS[0]]))
        return time.perf_counter() - t, time.process_time() - cpu

    jobs = [("mlp predict", lambda: ours([])), ("mlp predict --proba", lambda: ours(["--proba"])),
            ("numpy.loadtxt + predict_proba", python_job)]
    if args.mlp_baseline:  # another build of `mlp` (e.g. before a change), timed in the same rounds
        jobs += [("baseline mlp predict", lambda: ours([], args.mlp_baseline)),
                 ("baseline mlp predict --proba", lambda: ours(["--proba"], args.mlp_baseline))]
    best_wall, best_cpu = {}, {}
    for _ in range(args.rounds):
        for name, job in jobs:
            time.sleep(args.settle)
            wall, cpu = job()
            best_wall[name] = min(best_wall.get(name, float("inf")), wall)
            best_cpu[name] = min(best_cpu.get(name, float("inf")), cpu)
    print(f"\nend to end, 100,000 x {PREDICT_LAYERS[0]} CSV ({os.path.getsize(csv) / 1e6:.1f} MB), float64, best of "
          f"{args.rounds}, on {cpu_name()}, load average {os.getloadavg()[0]:.1f}:")
    print(f"  {'':<32} {'wall':>9} {'CPU':>9}")
    for name in best_wall:
        print(f"  {name:<32} {best_wall[name]:7.3f} s {best_cpu[name]:7.3f} s")
    python = "numpy.loadtxt + predict_proba"
    print(f"  mlp predict / Python: {best_wall['mlp predict'] / best_wall[python]:.2f} of the wall time, "
          f"{best_cpu['mlp predict'] / best_cpu[python]:.2f} of the CPU time")
    shutil.rmtree(workdir, ignore_errors=True)


def compare_all(args):
    compare_gemm(args)
    compare_training_section(args)
    compare_predict(args)


SECTIONS = {"gemm": compare_gemm, "training": compare_training_section, "predict": compare_predict,
            "all": compare_all}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("section", nargs="?", default="gemm", choices=sorted(SECTIONS))
    parser.add_argument("--quick", action="store_true", help="squares up to 512 only")
    parser.add_argument("--threads", default="1,2", help="thread counts, e.g. 1,2")
    parser.add_argument("--dtype", default="float32,float64", help="element types, e.g. float32")
    parser.add_argument("--only", help="only shapes whose name contains this text, e.g. 'square'")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per shape; each side keeps its best")
    parser.add_argument("--settle", type=float, default=0.25, help="seconds between sides (idle threads stop spinning)")
    parser.add_argument("--json", help="also write the table as JSON to this file")
    parser.add_argument("--isa", choices=sorted(OPENBLAS_CORETYPE),
                        help="gemm: force one instruction set on both sides (MLP_KERNEL_ISA, OPENBLAS_CORETYPE)")
    parser.add_argument("--cache-sizes", help="gemm: MLP_CACHE_SIZES for ours, e.g. l1=32K,l2=512K,l3=32M")
    parser.add_argument("--keep-openblas-env", action="store_true",
                        help="training, predict: keep OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE as set (the issue's reference "
                             "figures)")
    parser.add_argument("--e2e", action="store_true",
                        help="predict: also time `mlp predict` on a 100,000-row CSV against numpy.loadtxt + predict_proba")
    parser.add_argument("--e2e-only", action="store_true", help="predict: only the end-to-end `mlp predict` timing")
    parser.add_argument("--mlp-baseline", metavar="PATH",
                        help="predict --e2e: also time this `mlp` binary (e.g. a build from before a change)")
    parser.add_argument("--serve", choices=["numpy", "torch"], help=argparse.SUPPRESS)
    parser.add_argument("--clock", choices=["wall", "thread"], default="wall",
                        help="gemm, predict: 'thread' times each side with its calling thread's CPU clock (one thread "
                             "only), for a machine shared with other busy processes")
    args = parser.parse_args()
    args.threads = [int(t) for t in args.threads.split(",")]
    if args.clock == "thread":
        if args.threads != [1] and not args.serve:
            parser.error("--clock thread measures one thread: add --threads 1")
        os.environ["MLP_BENCH_CLOCK"] = "thread"  # inherited by every side's process
        global CLOCK
        CLOCK = time.thread_time
    if args.serve:
        serve(args.serve)
        return
    if not args.keep_openblas_env:  # this process's numpy (predict's scikit-learn side) picks its own kernel too
        os.environ.pop("OPENBLAS_CORETYPE", None)
        os.environ.pop("OPENBLAS_L2_SIZE", None)
    SECTIONS[args.section](args)


if __name__ == "__main__":
    main()
