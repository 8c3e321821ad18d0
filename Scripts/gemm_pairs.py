#!/usr/bin/env python3
"""One GEMM shape against numpy in one process, call by call: the ratio on a machine whose speed drifts.

`compare.py gemm` runs each library in its own process and keeps each side's best; on a machine whose speed moves
10-30% over seconds (the Intel VMs of sessions 12-18) a cell can land in a slow spell on one side only. Here numpy
and one or more builds of our kernels (`libCMLPKernels` objects linked into a shared library, through ctypes) run
the same product in turn, round after round, and the ratio is the median of the per-round ratios, so both sides of
each pair see the same spell.

    python3 Scripts/gemm_pairs.py float64 NN:200x2048x256 --rounds 41 --threads 1
    python3 Scripts/gemm_pairs.py float32 1024x1024x1024 --isa avx2             # numpy with its Haswell kernels
    python3 Scripts/gemm_pairs.py float64 NN:200x2048x256 --build default --build order=1 --build old.so

A --build is `default`, comma-separated mlp_gemm_options settings (isa, threads, small_threshold, parallel_threshold,
mc, kc, nc, in_place, order), a path to a shared library built from other kernel objects, or `PATH:SETTINGS`. The
script links `.build/release/CMLPKernels.build/{gemm,cpu,pool}.c.o` into a temporary shared library (run
`swift build -c release` first). Shapes are `[NN|NT|TN|TT:]MxNxK`, row-major, as compare.py's.

Each sample times enough calls to last about a millisecond (as many for every side), so the MLP products, a few
microseconds each, can be paired too: numpy's calls loop in Python, each paying numpy's own call cost as a numpy
user does; ours loop in a small C helper, since a ctypes call costs microseconds that no Swift or C caller pays.
"""
import argparse
import ctypes
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OPENBLAS_CORETYPE = {"avx2": "Haswell", "avx512": "SkylakeX"}


def link_library(directory):
    objects = os.path.join(ROOT, ".build", "release", "CMLPKernels.build")
    inputs = [os.path.join(objects, name) for name in ("gemm.c.o", "cpu.c.o", "pool.c.o")]
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
                ("ld_relu_output", ctypes.c_long), ("workspace_limit", ctypes.c_long)]


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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dtype", choices=["float32", "float64"])
    parser.add_argument("shape", type=parse_shape, help="[NN|NT|TN|TT:]MxNxK")
    parser.add_argument("--rounds", type=int, default=21, help="pairs per build (default 21)")
    parser.add_argument("--threads", type=int, default=1, help="threads for both sides (default 1)")
    parser.add_argument("--isa", choices=sorted(OPENBLAS_CORETYPE),
                        help="force one instruction set on both sides (MLP_KERNEL_ISA, OPENBLAS_CORETYPE)")
    parser.add_argument("--build", action="append", default=[], help="a build to pair with numpy (repeatable)")
    args = parser.parse_args()
    if args.rounds < 1 or args.threads < 1:
        parser.error("--rounds and --threads must be at least 1")
    # Before numpy loads OpenBLAS: its threads, its kernels, and idle threads that stop spinning soon after a call
    # (else the side timed next runs beside a spinning core).
    os.environ.update(OPENBLAS_NUM_THREADS=str(args.threads), MLP_NUM_THREADS=str(args.threads),
                      OPENBLAS_THREAD_TIMEOUT="4")
    if args.isa:
        os.environ.update(MLP_KERNEL_ISA=args.isa, OPENBLAS_CORETYPE=OPENBLAS_CORETYPE[args.isa])
    import time
    import numpy as np

    op, m, n, k = args.shape
    transA, transB = op[0] == "T", op[1] == "T"
    dtype = np.dtype(args.dtype)
    rng = np.random.default_rng(0)
    a = rng.standard_normal((k, m) if transA else (m, k)).astype(dtype)
    b = rng.standard_normal((n, k) if transB else (k, n)).astype(dtype)
    c = np.zeros((m, n), dtype)
    opA, opB = (a.T if transA else a), (b.T if transB else b)

    with tempfile.TemporaryDirectory() as directory:
        ours = link_library(directory)
        repeat = repeat_library(directory)

        def numpy_calls(calls):
            for _ in range(calls):
                np.matmul(opA, opB, out=c)

        sides = [("numpy", numpy_calls)]
        for spec in args.build or ["default"]:
            path, settings = ours, spec
            if spec.endswith(".so") or ".so:" in spec:
                path, _, settings = spec.partition(":")
            library = ctypes.CDLL(os.path.abspath(path))
            options = Options()
            library.mlp_gemm_options_init(ctypes.byref(options))
            options.threads = args.threads
            for item in filter(None, settings.split(",")):
                if item == "default":
                    continue
                key, _, value = item.partition("=")
                if key not in dict(Options._fields_) or key in ("bias", "relu_output") or not value.lstrip("-").isdigit():
                    parser.error(f"--build {spec}: '{item}' is not a setting=integer of mlp_gemm_options")
                setattr(options, key, int(value))
            function = library.mlp_sgemm if dtype == np.float32 else library.mlp_dgemm
            # Every argument declared (gemm_repeat's prototype): without it ctypes passes Python ints as 32-bit
            # ints, and a long read from a stack slot holds garbage in its upper half.
            arguments = (ctypes.cast(function, ctypes.c_void_p), int(dtype == np.float64))
            call = (int(transA), int(transB), m, n, k, 1.0, a.ctypes.data, m if transA else k, b.ctypes.data,
                    k if transB else n, 0.0, c.ctypes.data, n, ctypes.addressof(options))
            sides.append((spec, lambda calls, arguments=arguments, call=call, library=library, options=options:
                          repeat.gemm_repeat(*arguments, calls, *call)))

        seconds = {name: [] for name, _ in sides}
        reference = (opA.astype(np.float64) @ opB.astype(np.float64))
        tolerance = (1e-4 if dtype == np.float32 else 1e-12) * k * float(np.abs(reference).max() + 1)
        for name, run in sides:  # warm up (pages, pools, workspaces), and check each build computes the product
            c.fill(np.nan)
            run(1)
            error = float(np.abs(c - reference).max())
            if not error <= tolerance:
                sys.exit(f"gemm_pairs: {name} is off by {error:g} (tolerance {tolerance:g})")
        start = time.perf_counter()
        sides[-1][1](10)
        calls = max(1, int(1e-3 / ((time.perf_counter() - start) / 10)))  # about a millisecond a sample
        for _ in range(args.rounds):
            for name, run in sides:
                start = time.perf_counter()
                run(calls)
                seconds[name].append((time.perf_counter() - start) / calls)

    def median(values):
        return sorted(values)[len(values) // 2]

    flop = 2.0 * m * n * k
    print(f"{op} {m} x {n} x {k} {args.dtype}, {args.threads} thread(s), {args.rounds} pairs of {calls} call(s)"
          + (f", --isa {args.isa}" if args.isa else "") + ": GFLOP/s best / median, ratio to numpy (median of pairs)")
    for name, _ in sides:
        line = f"  {name:32s} {flop / min(seconds[name]) / 1e9:8.1f} / {flop / median(seconds[name]) / 1e9:8.1f}"
        if name != "numpy":
            ratios = [ref / ours for ref, ours in zip(seconds["numpy"], seconds[name])]
            line += f"   x{median(ratios):.3f}"
        print(line)


if __name__ == "__main__":
    try:
        main()
    except (BrokenPipeError, KeyboardInterrupt):
        sys.exit(1)
