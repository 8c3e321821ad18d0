#!/usr/bin/env python3
"""Where an epoch's time goes: perf samples of a long run minus those of a short one, per symbol.

    python3 Scripts/epoch_profile.py [--dtype float32] [--epochs 1,6] [--x X.f64 --y y.i32]

Runs `mlp-bench large` twice under `perf record` (all threads), for the short and the long epoch count, and
subtracts the per-symbol sample counts: what is left is the cost of the extra epochs alone, without loading the
data, validating X, hashing labels or initializing the network. Prints the GEMM share (the GEMM micro-kernel loop
`gemm_range_*` and its packing `pack_*`) and the largest other symbols. Needs Linux perf. Without --x and --y
it writes the large problem (make_classification, as Scripts/compare_training.py does) to a temporary folder.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
GEMM = re.compile(r"^(gemm_range_|pack_)")


def samples(binary, arguments, folder, tag):
    data = os.path.join(folder, f"{tag}.data")
    subprocess.run(["perf", "record", "-q", "-o", data, binary] + arguments, check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    report = subprocess.run(["perf", "report", "-i", data, "--stdio", "-n", "--no-children", "--sort", "symbol"],
                            check=True, capture_output=True, text=True).stdout
    counts = {}
    for line in report.splitlines():
        # "    71.04%        123456  [.] gemm_range_f32_avx512"
        m = re.match(r"\s*[\d.]+%\s+(\d+)\s+\[[.k]\]\s+(\S+)", line)
        if m:
            counts[m.group(2)] = counts.get(m.group(2), 0) + int(m.group(1))
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--x", help="X as float64, row-major (Scripts/compare_training.py's X.f64)")
    parser.add_argument("--y", help="labels as int32")
    parser.add_argument("--dtype", default="float64", choices=["float32", "float64"])
    parser.add_argument("--epochs", default="1,6", help="short,long epoch counts")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    short, long = (int(e) for e in args.epochs.split(","))
    binary = os.path.join(ROOT, ".build", "release", "mlp-bench")
    subprocess.run(["swift", "build", "-c", "release", "--product", "mlp-bench"], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as folder:
        if args.x and args.y:
            xpath, ypath = args.x, args.y
        else:
            sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
            from compare_training import ensure, make_large_problem
            ensure("sklearn", "scikit-learn==1.9.1")
            xpath, ypath, _ = make_large_problem(folder)
        common = ["large", "--x", xpath, "--y", ypath, "--dtype", args.dtype]
        a = samples(binary, common + ["--epochs", str(short)], folder, "short")
        b = samples(binary, common + ["--epochs", str(long)], folder, "long")
    delta = {s: b.get(s, 0) - a.get(s, 0) for s in set(a) | set(b)}
    total = sum(v for v in delta.values() if v > 0)
    gemm = sum(v for s, v in delta.items() if GEMM.match(s) and v > 0)
    print(f"large {args.dtype}: samples of epochs {short + 1}..{long} ({long - short} epochs), all threads")
    print(f"GEMM (gemm_range_*, pack_*): {100 * gemm / total:.1f}%")
    for symbol, v in sorted(delta.items(), key=lambda kv: -kv[1])[:args.top]:
        name = symbol if len(symbol) < 60 else symbol[:57] + "..."
        print(f"  {100 * v / total:5.1f}%  {name}")


if __name__ == "__main__":
    sys.exit(main())
