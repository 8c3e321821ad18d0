#!/usr/bin/env bash
# Scaling of `mlp train --distributed` on the large make_classification problem (100000 x 100, 10 classes,
# hidden 256,128, relu, adam, batch 200): one process with one thread against 1 and 2 ranks with one thread each,
# fit seconds per epoch and the seconds spent in MPI collectives. Prints a table for docs/distributed.md.
# Needs python3 with scikit-learn (the data), Open MPI (Scripts/mpi_check.sh installs it) and a release build.
#   Scripts/mpi_scaling.sh [epochs]
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS=${1:-3}
MLP=${MLP:-$PWD/.build/release/mlp}
[ -x "$MLP" ] || swift build -c release --product mlp >/dev/null
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 MLP_NUM_THREADS=1
WORK=${WORK:-$(mktemp -d)}
DATA="$WORK/large.csv"
if [ ! -s "$DATA" ]; then
    python3 - "$DATA" <<'PY'
import sys
import numpy as np
from sklearn.datasets import make_classification
x, y = make_classification(n_samples=100000, n_features=100, n_informative=50, n_classes=10, random_state=0)
with open(sys.argv[1], "w") as f:
    f.write(",".join(f"f{i}" for i in range(100)) + ",label\n")
    np.savetxt(f, np.column_stack([x, y]), fmt=["%.6f"] * 100 + ["%d"], delimiter=",")
PY
fi
ARGS=("$DATA" --hidden-layer-sizes 256,128 --batch-size 200 --max-iter "$EPOCHS" --tol 0 --n-iter-no-change 1000
      --random-state 0 --scale none)

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
plain=$("$MLP" train "${ARGS[@]}" -o "$WORK/plain.mlp" | sed -n 's/.* in \([0-9.]*\) s,.*/\1/p')
echo "1 process, 1 thread: fit $plain s ($EPOCHS epochs)"
# Waiting ranks yield the core (a busy-polling rank on an oversubscribed machine holds the core its partner needs).
# The second 2-rank run separates waiting for the other rank from moving data (MLP_MPI_PROFILE=1: a barrier first).
for k in 1 2 2p; do
    profile=0; [ "$k" = 2p ] && profile=1 && k=2
    line=$(MLP_MPI_PROFILE=$profile mpirun --allow-run-as-root --bind-to none --mca mpi_yield_when_idle 1 -x MLP_MPI_PROFILE \
        -np "$k" "$MLP" train "${ARGS[@]}" --distributed -o "$WORK/ranks$k.mlp" | head -1)
    fit=$(echo "$line" | sed -n 's/.* in \([0-9.]*\) s (.*/\1/p')
    comm=$(echo "$line" | sed -n 's/.*(\([0-9.]*\) s in communication.*/\1/p')
    waiting=$(echo "$line" | sed -n 's/.*of which \([0-9.]*\) s waiting.*/\1/p')
    same=$(cmp -s "$WORK/plain.mlp" "$WORK/ranks$k.mlp" && echo "identical model" || echo "MODEL DIFFERS")
    awk -v k="$k" -v fit="$fit" -v comm="$comm" -v plain="$plain" -v same="$same" 'BEGIN {
        printf "%d rank(s) x 1 thread: fit %.2f s, communication %.2f s (%.0f%%), speed-up %.2f, efficiency %.0f%%, %s\n",
               k, fit, comm, 100 * comm / fit, plain / fit, 100 * plain / fit / k, same }'
    [ -n "$waiting" ] && echo "   (profiled run: $waiting s of the communication is waiting for the other rank)"
done
