#!/usr/bin/env python3
"""Side-by-side benchmarks of swift-mlp against numpy (OpenBLAS) and PyTorch (CPU), in one run on one machine.

    python3 Scripts/compare.py gemm [--quick] [--threads 1,2] [--rounds N] [--json FILE]

Sections (add training comparisons next to `gemm`):
  gemm  GFLOP/s of C = op(A) op(B), Float32 and Float64, per thread count: squares 64...2048 and the batch-200
        MLP products of the large problem (forward X.W, weight gradient A^T.delta, input gradient delta.W^T).

Every side is timed the same way: one warm-up call, then samples of enough calls to last ~20 ms, median of
7 samples. With --rounds N the sides run N times, interleaved, and each keeps its best median (the machine
is shared, so this lowers the noise equally for all). numpy runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE
removed from its environment so OpenBLAS picks its own kernel (threadpoolctl reports which).
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def ensure(package, pip_name=None):
    """Imports `package`, pip-installing it first if missing."""
    try:
        __import__(package)
    except ImportError:
        print(f"installing {pip_name or package} ...", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", pip_name or package])


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
    return shapes


def measure(fn, repeats=7, sample_seconds=0.02):
    fn()
    t = time.perf_counter()
    fn()
    once = max(time.perf_counter() - t, 1e-9)
    calls = max(1, int(sample_seconds / once))
    samples = []
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(calls):
            fn()
        samples.append((time.perf_counter() - t) / calls)
    samples.sort()
    return samples[len(samples) // 2]


# ---------------------------------------------------------------- workers (run in their own process)

def operands(lib, shape, dtype):
    """A, B stored so that op(A) is (m, k) and op(B) is (k, n); returns the operands as views."""
    m, n, k, op = shape["m"], shape["n"], shape["k"], shape["op"]
    rng = __import__("numpy").random.default_rng(0)
    a = rng.uniform(-1, 1, (k, m) if op[0] == "T" else (m, k)).astype(dtype)
    b = rng.uniform(-1, 1, (n, k) if op[1] == "T" else (k, n)).astype(dtype)
    if lib == "torch":
        import torch
        a, b = torch.from_numpy(a), torch.from_numpy(b)
    return (a.T if op[0] == "T" else a), (b.T if op[1] == "T" else b)


def worker_numpy(args):
    import numpy as np
    from threadpoolctl import threadpool_info, threadpool_limits
    results = []
    for threads in args.threads:
        with threadpool_limits(threads):
            for dtype in ("float32", "float64"):
                for shape in gemm_shapes(args.quick):
                    a, b = operands("numpy", shape, dtype)
                    c = np.empty((shape["m"], shape["n"]), dtype=dtype)
                    seconds = measure(lambda: np.matmul(a, b, out=c))
                    results.append(dict(shape, dtype=dtype, threads=threads, seconds=seconds))
    blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    info = ", ".join(f"{i['internal_api']} {i['version']} ({i.get('architecture')} kernels)" for i in blas)
    return dict(library=f"numpy {np.__version__}: {info}", results=results)


def worker_torch(args):
    import torch
    results = []
    for threads in args.threads:
        torch.set_num_threads(threads)
        for dtype in ("float32", "float64"):
            for shape in gemm_shapes(args.quick):
                a, b = operands("torch", shape, dtype)
                c = torch.empty((shape["m"], shape["n"]), dtype=getattr(torch, dtype))
                seconds = measure(lambda: torch.matmul(a, b, out=c))
                results.append(dict(shape, dtype=dtype, threads=threads, seconds=seconds))
    blas = "MKL" if torch.backends.mkl.is_available() else "no MKL"
    return dict(library=f"torch {torch.__version__} ({blas}, CPU)", results=results)


# ---------------------------------------------------------------- drivers

def run_ours(args):
    subprocess.check_call(["swift", "build", "-c", "release", "--product", "mlp-bench"], cwd=ROOT,
                          stdout=subprocess.DEVNULL)
    command = ["swift", "run", "-c", "release", "--skip-build", "mlp-bench", "gemm", "--json",
               "--threads", ",".join(map(str, args.threads))]
    if args.quick:
        command.append("--quick")
    out = subprocess.check_output(command, cwd=ROOT, text=True)
    report = json.loads(out)
    return dict(library=f"swift-mlp ({report['kernels']} kernels)", results=report["results"])


def run_worker(lib, args):
    env = dict(os.environ)
    if lib == "numpy":  # let OpenBLAS choose its kernel for this CPU
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
    command = [sys.executable, os.path.abspath(__file__), "--worker", lib,
               "--threads", ",".join(map(str, args.threads))] + (["--quick"] if args.quick else [])
    return json.loads(subprocess.check_output(command, env=env, text=True))


def key(r):
    return (r["name"], r["dtype"], r["threads"])


def gflops(r):
    return 2.0 * r["m"] * r["n"] * r["k"] / r["seconds"] / 1e9


def compare_gemm(args):
    ensure("numpy")
    ensure("threadpoolctl")
    ensure("torch")
    sides = {"ours": run_ours, "numpy": lambda a: run_worker("numpy", a), "torch": lambda a: run_worker("torch", a)}
    best, libraries = {}, {}
    for round_index in range(args.rounds):
        for side, run in sides.items():
            print(f"round {round_index + 1}/{args.rounds}: {side} ...", file=sys.stderr)
            report = run(args)
            libraries[side] = report["library"]
            for r in report["results"]:
                previous = best.setdefault(side, {}).get(key(r))
                if previous is None or r["seconds"] < previous["seconds"]:
                    best[side][key(r)] = r

    print(f"\nGEMM GFLOP/s on {platform.node()} ({cpu_name()}), {time.strftime('%Y-%m-%d %H:%M')}, "
          f"best median of {args.rounds} round(s)")
    for side in sides:
        print(f"  {side}: {libraries[side]}")
    header = f"{'shape':<16} {'op':<2} {'m':>5} {'n':>5} {'k':>5}  {'dtype':<7} {'thr':>3}  " \
             f"{'ours':>7} {'numpy':>7} {'torch':>7}  {'ours/np':>7} {'ours/torch':>10}"
    print(header)
    print("-" * len(header))
    rows, misses = [], []
    for r in sorted(best["ours"].values(), key=lambda r: (r["dtype"], r["threads"])):
        k = key(r)
        ours, np_, th = gflops(r), gflops(best["numpy"][k]), gflops(best["torch"][k])
        rows.append(dict(name=r["name"], op=r["op"], m=r["m"], n=r["n"], k=r["k"], dtype=r["dtype"],
                         threads=r["threads"], ours=ours, numpy=np_, torch=th))
        flag = ""
        if r["name"].startswith("square") and r["m"] >= 128 and ours < 0.95 * np_:
            flag = "  < 95% of numpy"
            misses.append(r)
        print(f"{r['name']:<16} {r['op']:<2} {r['m']:>5} {r['n']:>5} {r['k']:>5}  {r['dtype']:<7} {r['threads']:>3}  "
              f"{ours:7.1f} {np_:7.1f} {th:7.1f}  {ours / np_:7.2f} {ours / th:10.2f}{flag}")
    print(f"\nsquares >= 128 below 95% of numpy: {len(misses)}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(dict(libraries=libraries, rows=rows), f, indent=1)


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip() + f", {os.cpu_count()} cpus"
    except OSError:
        pass
    return platform.processor()


SECTIONS = {"gemm": compare_gemm}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("section", nargs="?", default="gemm", choices=sorted(SECTIONS))
    parser.add_argument("--quick", action="store_true", help="squares up to 512 only")
    parser.add_argument("--threads", default="1,2", help="thread counts, e.g. 1,2")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds; each side keeps its best")
    parser.add_argument("--json", help="also write the table as JSON to this file")
    parser.add_argument("--worker", choices=["numpy", "torch"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.threads = [int(t) for t in args.threads.split(",")]
    if args.worker:
        print(json.dumps((worker_numpy if args.worker == "numpy" else worker_torch)(args)))
        return
    SECTIONS[args.section](args)


if __name__ == "__main__":
    main()
