#!/usr/bin/env bash
# Measures CSV read speed: generates a numeric CSV (default 200,000 rows × 50 columns, ~100 MB),
# then times `mlp bench-csv` in a release build. Peak memory comes from /usr/bin/time when present.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${ROWS:-200000}
cols=${COLS:-50}
file=${1:-/tmp/mlp-bench-${rows}x${cols}.csv}
if [ ! -f "$file" ]; then
  python3 - "$file" "$rows" "$cols" <<'PY'
import random, sys
path, rows, cols = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(0)
with open(path, "w") as f:
    f.write(",".join(f"x{i}" for i in range(cols)) + ",y\n")
    for _ in range(rows):
        f.write(",".join(f"{rng.gauss(0, 10):.6f}" for _ in range(cols)) + f",{rng.randrange(3)}\n")
PY
fi
swift build -c release --product mlp >/dev/null
bin=$(swift build -c release --show-bin-path)/mlp
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "peak RSS: %M KB" "$bin" bench-csv "$file" --repeats 3
else
  "$bin" bench-csv "$file" --repeats 3
fi
