#!/usr/bin/env python3
"""One GEMM shape against numpy in one process, call by call: the ratio on a machine whose speed drifts.

`compare.py gemm` runs each library in its own process and keeps each side's best; on a machine whose speed moves
10-30% over seconds (the Intel VMs of sessions 12-18) a cell can land in a slow spell on one side only. Here numpy
and one or more builds of our kernels (`libCMLPKernels` objects linked into a shared library, through ctypes) run
the same product in turn, round after round, and the ratio is the median of the per-round ratios, so both sides of
each pair see the same spell. Several builds take turns at running right after numpy, one round each.

    python3 Scripts/gemm_pairs.py float64 NN:200x2048x256 --rounds 41 --threads 1
    python3 Scripts/gemm_pairs.py float32 1024x1024x1024 --isa avx2             # numpy with its Haswell kernels
    python3 Scripts/gemm_pairs.py float64 NN:200x2048x256 --build default --build order=1 --build old.so
    python3 Scripts/gemm_pairs.py --grid [--isa avx2] [--rounds 11]   # compare.py's whole GEMM table, paired

A --build is `default`, comma-separated mlp_gemm_options settings (isa, threads, small_threshold, parallel_threshold,
mc, kc, nc, in_place, order, half_tails, shared_blocks, narrow), a path to a shared library built from other kernel objects, or
`PATH:SETTINGS`. The script links `.build/release/CMLPKernels.build/{gemm,cpu,pool,pool_probe,environment,pool_placement}.c.o`
into a temporary shared library (run `swift build -c release` first; the last two where the build has them). Shapes
are `[NN|NT|TN|TT:]MxNxK`, row-major, as compare.py's.

Each sample times enough calls to last about a millisecond (as many for every side), so the MLP products, a few
microseconds each, can be paired too: numpy's calls loop in Python, each paying numpy's own call cost as a numpy
user does; ours loop in a small C helper, since a ctypes call costs microseconds that no Swift or C caller pays.
With two threads each side starts 0.25 s after the other's last call, when the other's idle threads have stopped
spinning (OpenBLAS's spin about 0.1 s after a call, ours 0.2 ms), calls untimed for 20 ms while its own threads wake
and join (on a 2-vCPU KVM guest a woken thread ran nothing for 2-3 ms, in both libraries), then times about 5 ms.
"""
import argparse
import ctypes
import os
import subprocess
import sys
import tempfile

from compare_training import cpu_name, openblas_kernels

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OPENBLAS_CORETYPE = {"avx2": "Haswell", "avx512": "SkylakeX"}


def link_library(directory):
    objects = os.path.join(ROOT, ".build", "release", "CMLPKernels.build")
    inputs = [os.path.join(objects, name) for name in ("gemm.c.o", "cpu.c.o", "pool.c.o")]
    # Files split out later (the probe, the environment's settings, the cores' placement): linked where the build has
    # them.
    inputs += [path for path in (os.path.join(objects, name)
                                 for name in ("pool_probe.c.o", "environment.c.o", "pool_placement.c.o"))
               if os.path.exists(path)]
    missing = [path for path in inputs if not os.path.exists(path)]
    if missing:
        sys.exit(f"gemm_pairs: {missing[0]} is missing; run `swift build -c release` first")
    output = os.path.join(directory, "libmlpgemm.so")
    subprocess.run(["clang", "-shared", "-o", output, *inputs, "-lpthread", "-lm"], check=True)
    return output


# Calls a build's mlp_sgemm or mlp_dgemm `calls` times with one set of arguments (the scalars as doubles).
REPEAT_SOURCE = r"""
typedef void (*dgemm_fn)(int, int, long, long, long, double, const void *, long, const void *, long, double, void *,
                         long, const void *);
typedef void (*sgemm_fn)(int, int, long, long, long, float, const void *, long, const void *, long, float, void *,
                         long, const void *);
void gemm_repeat(void *function, int isDouble, long calls, int transA, int transB, long m, long n, long k,
                 double alpha, const void *a, long lda, const void *b, long ldb, double beta, void *c, long ldc,
                 const void *options) {
    for (long call = 0; call < calls; call++) {
        if (isDouble) ((dgemm_fn)function)(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, options);
        else ((sgemm_fn)function)(transA, transB, m, n, k, (float)alpha, a, lda, b, ldb, (float)beta, c, ldc,
                                  options);
    }
}
"""


def repeat_library(directory):
    source = os.path.join(directory, "repeat.c")
    with open(source, "w") as f:
        f.write(REPEAT_SOURCE)
    output = os.path.join(directory, "librepeat.so")
    subprocess.run(["clang", "-O2", "-shared", "-fPIC", "-o", output, source], check=True)
    library = ctypes.CDLL(output)
    long, pointer = ctypes.c_long, ctypes.c_void_p
    library.gemm_repeat.argtypes = [pointer, ctypes.c_int, long, ctypes.c_int, ctypes.c_int, long, long, long,
                                    ctypes.c_double, pointer, long, pointer, long, ctypes.c_double, pointer, long,
                                    pointer]
    library.gemm_repeat.restype = None
    return library


class Options(ctypes.Structure):  # mlp_gemm_options, CMLPKernels.h
    _fields_ = [("isa", ctypes.c_int), ("threads", ctypes.c_int), ("small_threshold", ctypes.c_long),
                ("parallel_threshold", ctypes.c_long), ("mc", ctypes.c_long), ("kc", ctypes.c_long),
                ("nc", ctypes.c_long), ("in_place", ctypes.c_int), ("order", ctypes.c_int),
                ("bias", ctypes.c_void_p), ("relu", ctypes.c_int), ("relu_output", ctypes.c_void_p),
                ("ld_relu_output", ctypes.c_long), ("workspace_limit", ctypes.c_long), ("half_tails", ctypes.c_int),
                ("shared_blocks", ctypes.c_int), ("narrow", ctypes.c_int)]


def parse_shape(text):
    op, _, dims = text.rpartition(":")
    op = op or "NN"
    if op not in ("NN", "NT", "TN", "TT"):
        raise argparse.ArgumentTypeError(f"'{op}' is not NN, NT, TN or TT")
    try:
        m, n, k = (int(x) for x in dims.split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{dims}' is not MxNxK")
    if min(m, n, k) < 1:
        raise argparse.ArgumentTypeError("every dimension must be at least 1")
    return op, m, n, k


def operands(op, m, n, k, dtype):
    """A and B stored so that op(A) is (m, k) and op(B) is (k, n), and a C."""
    import numpy as np
    rng = np.random.default_rng(0)
    a = rng.standard_normal((k, m) if op[0] == "T" else (m, k)).astype(dtype)
    b = rng.standard_normal((n, k) if op[1] == "T" else (k, n)).astype(dtype)
    return a, b, np.zeros((m, n), dtype)


def parse_settings(spec, settings, error):
    """(field, value) pairs of mlp_gemm_options from a --build's comma-separated settings."""
    pairs = []
    for item in filter(None, settings.split(",")):
        if item == "default":
            continue
        key, _, value = item.partition("=")
        if key not in dict(Options._fields_) or key in ("bias", "relu_output") or not value.lstrip("-").isdigit():
            error(f"--build {spec}: '{item}' is not a setting=integer of mlp_gemm_options")
        pairs.append((key, int(value)))
    return pairs


def our_side(spec, ours, repeat, shape, dtype, arrays, threads, error):
    """A function running `calls` products on build `spec` (see --build), with its options kept alive beside it."""
    import numpy as np
    op, m, n, k = shape
    a, b, c = arrays
    path, settings = ours, spec
    if spec.endswith(".so") or ".so:" in spec:
        path, _, settings = spec.partition(":")
    library = ctypes.CDLL(os.path.abspath(path))
    options = Options()
    library.mlp_gemm_options_init(ctypes.byref(options))
    options.threads = threads
    for key, value in parse_settings(spec, settings, error):
        setattr(options, key, value)
    function = library.mlp_sgemm if dtype == np.float32 else library.mlp_dgemm
    # Every argument declared (gemm_repeat's prototype): without it ctypes passes Python ints as 32-bit ints, and a
    # long read from a stack slot holds garbage in its upper half.
    arguments = (ctypes.cast(function, ctypes.c_void_p), int(dtype == np.float64))
    transA, transB = op[0] == "T", op[1] == "T"
    call = (int(transA), int(transB), m, n, k, 1.0, a.ctypes.data, m if transA else k, b.ctypes.data,
            k if transB else n, 0.0, c.ctypes.data, n, ctypes.addressof(options))
    return lambda calls, library=library, options=options: repeat.gemm_repeat(*arguments, calls, *call)


def pair(shape, dtype, threads, builds, ours, repeat, rounds, error):
    """Seconds per call of numpy and of each build, `rounds` samples each, in turn; and the calls per sample."""
    import time
    import numpy as np
    from threadpoolctl import threadpool_limits
    op, m, n, k = shape
    arrays = operands(op, m, n, k, dtype)
    a, b, c = arrays
    opA, opB = (a.T if op[0] == "T" else a), (b.T if op[1] == "T" else b)

    def numpy_calls(calls):
        for _ in range(calls):
            np.matmul(opA, opB, out=c)

    sides = [("numpy", numpy_calls)]
    sides += [(spec, our_side(spec, ours, repeat, shape, dtype, arrays, threads, error)) for spec in builds]
    # With several threads, each side waits until the other's idle threads have stopped spinning, so neither runs
    # beside the other's spinning core, then calls untimed for `warm` seconds: its parked threads can take
    # milliseconds to join (2-3 ms for both libraries on a 2-vCPU KVM guest, whose Linux queued a woken thread on
    # the waker's CPU), and the timed calls then see each side's threads as in a loop of calls.
    settle, warm, sample = (0.25, 0.02, 5e-3) if threads > 1 else (0, 0, 1e-3)
    with threadpool_limits(threads, user_api="blas"):
        reference = opA.astype(np.float64) @ opB.astype(np.float64)
        tolerance = (1e-4 if dtype == np.float32 else 1e-12) * k * float(np.abs(reference).max() + 1)
        for name, run in sides:  # warm up (pages, pools, workspaces), and check each build computes the product
            c.fill(np.nan)
            run(1)
            difference = float(np.abs(c - reference).max())
            if not difference <= tolerance:
                sys.exit(f"gemm_pairs: {name} is off by {difference:g} on {shape} (tolerance {tolerance:g})")
        start = time.perf_counter()
        sides[-1][1](10)
        calls = max(1, int(sample / ((time.perf_counter() - start) / 10)))
        seconds = {name: [] for name, _ in sides}
        builds_in_turn = sides[1:]
        for index in range(rounds):
            # The builds take turns right after numpy: the one that always ran there measured 1-4% slow (its
            # workspace, shared with another setting of the same library, left cold by numpy's call).
            shift = index % len(builds_in_turn)
            for name, run in sides[:1] + builds_in_turn[shift:] + builds_in_turn[:shift]:
                if settle:
                    time.sleep(settle)
                start = time.perf_counter()
                while time.perf_counter() - start < warm:
                    run(1)
                start = time.perf_counter()
                run(calls)
                seconds[name].append((time.perf_counter() - start) / calls)
    return seconds, calls


def median(values):
    return sorted(values)[len(values) // 2]


def ratio(seconds, name):
    """A build's speed over numpy's: the median of the per-round ratios."""
    return median([reference / ours for reference, ours in zip(seconds["numpy"], seconds[name])])


def grid(args, ours, repeat, error):
    """compare.py's GEMM table (squares and the large problem's products, each element type and thread count),
    every cell paired."""
    import time
    import numpy as np
    from compare import gemm_shapes
    print(f"GEMM pairs on {cpu_name()}, {time.strftime('%Y-%m-%d %H:%M')}"
          + (f", --isa {args.isa}" if args.isa else "") + f": {args.rounds} pairs a cell, ratio = median of the "
          f"pairs' ratios (ours / numpy {np.__version__}, {openblas_kernels()})")
    header = f"{'shape':<16} {'op':<2} {'m':>5} {'n':>5} {'k':>5}  {'dtype':<7} {'thr':>3}  " \
             f"{'ours':>7} {'numpy':>7}  {'ours/np':>7}"
    print(header)
    print("-" * len(header), flush=True)
    squares, products = [], []
    for dtype in args.grid_dtypes:
        for threads in args.grid_threads:
            for s in gemm_shapes(quick=False):
                shape = (s["op"], s["m"], s["n"], s["k"])
                seconds, _ = pair(shape, np.dtype(dtype), threads, ["default"], ours, repeat, args.rounds, error)
                flop = 2.0 * s["m"] * s["n"] * s["k"]
                r = ratio(seconds, "default")
                flag = ""
                if s["name"].startswith("square") and s["m"] >= 128:
                    squares.append(r)
                    flag = "  < 95% of numpy" if r < 0.95 else ""
                elif not s["name"].startswith("square"):
                    products.append(r)
                    flag = "  < numpy" if r < 1.0 else ""
                print(f"{s['name']:<16} {s['op']:<2} {s['m']:>5} {s['n']:>5} {s['k']:>5}  {dtype:<7} {threads:>3}  "
                      f"{flop / median(seconds['default']) / 1e9:7.1f} {flop / median(seconds['numpy']) / 1e9:7.1f}  "
                      f"{r:7.3f}{flag}", flush=True)
    print(f"\nsquares >= 128 below 95% of numpy: {sum(r < 0.95 for r in squares)} of {len(squares)}; "
          f"products below numpy: {sum(r < 1.0 for r in products)} of {len(products)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dtype", nargs="?", choices=["float32", "float64"])
    parser.add_argument("shape", nargs="?", type=parse_shape, help="[NN|NT|TN|TT:]MxNxK")
    parser.add_argument("--grid", action="store_true",
                        help="compare.py's GEMM table instead of one shape: every square and MLP product, "
                             "float32 and float64, 1 and 2 threads (or --threads), the default build")
    parser.add_argument("--rounds", type=int, default=21, help="pairs per build (default 21)")
    parser.add_argument("--threads", type=int, help="threads for both sides (default 1; --grid: 1 and 2)")
    parser.add_argument("--isa", choices=sorted(OPENBLAS_CORETYPE),
                        help="force one instruction set on both sides (MLP_KERNEL_ISA, OPENBLAS_CORETYPE)")
    parser.add_argument("--build", action="append", default=[], help="a build to pair with numpy (repeatable)")
    args = parser.parse_args()
    if args.grid == (args.shape is not None):
        parser.error("give a dtype and a shape, or --grid")
    if args.rounds < 1 or (args.threads is not None and args.threads < 1):
        parser.error("--rounds and --threads must be at least 1")
    if args.grid and args.build:
        parser.error("--grid pairs the default build only")
    args.grid_threads = [args.threads] if args.threads else [1, 2]
    args.grid_dtypes = [args.dtype] if args.dtype else ["float32", "float64"]
    # Before numpy loads OpenBLAS: its threads (at most these; each pair limits them to its count) and its kernels.
    os.environ.update(OPENBLAS_NUM_THREADS=str(max(args.grid_threads)))
    if args.isa:
        os.environ.update(MLP_KERNEL_ISA=args.isa, OPENBLAS_CORETYPE=OPENBLAS_CORETYPE[args.isa])
    else:  # OpenBLAS picks its own kernel for this CPU, as compare.py lets it (a machine may set these)
        os.environ.pop("OPENBLAS_CORETYPE", None)
        os.environ.pop("OPENBLAS_L2_SIZE", None)
    from compare_training import ensure  # pip-installs a missing package, as compare.py does
    ensure("threadpoolctl")
    ensure("numpy")
    import numpy as np

    with tempfile.TemporaryDirectory() as directory:
        ours = link_library(directory)
        repeat = repeat_library(directory)
        if args.grid:
            grid(args, ours, repeat, parser.error)
            return
        op, m, n, k = args.shape
        threads = args.grid_threads[0]
        builds = args.build or ["default"]
        seconds, calls = pair(args.shape, np.dtype(args.dtype), threads, builds, ours, repeat, args.rounds,
                              parser.error)

    flop = 2.0 * m * n * k
    print(f"{op} {m} x {n} x {k} {args.dtype}, {threads} thread(s) on {cpu_name()}, {args.rounds} pairs of {calls} call(s)"
          + (f", --isa {args.isa}" if args.isa else "") + ": GFLOP/s best / median, ratio to numpy (median of pairs)")
    for name in ["numpy"] + builds:
        line = f"  {name:32s} {flop / min(seconds[name]) / 1e9:8.1f} / {flop / median(seconds[name]) / 1e9:8.1f}"
        if name != "numpy":
            line += f"   x{ratio(seconds, name):.3f}"
        print(line)


if __name__ == "__main__":
    try:
        main()
    except (BrokenPipeError, KeyboardInterrupt):
        sys.exit(1)
