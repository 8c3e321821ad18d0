#!/usr/bin/env bash
# Scaling of `mlp train --distributed` on the large make_classification problem (100000 x 100, 10 classes,
# hidden 256,128, relu, adam, batch 200): one process with one thread against 1 and 2 ranks with one thread each,
# fit seconds per epoch and the seconds spent in MPI collectives, from the CSV (every rank reads all rows) and from
# an .mlpdata cache (each rank reads its shares of every batch). Prints the rows of docs/distributed.md's table.
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
OPTIONS=(--hidden-layer-sizes 256,128 --batch-size 200 --max-iter "$EPOCHS" --tol 0 --n-iter-no-change 1000
         --random-state 0 --scale none)
[ -s "$WORK/large.mlpdata" ] || "$MLP" convert "$DATA" "$WORK/large.mlpdata" --target label -q

# "trained … in 2.76 s, 3 epochs" (or "1:02" past a minute) → seconds.
fit_seconds() { sed -n 's/.* in \([0-9.:]*\)\( s\)\{0,1\}, [0-9]* epochs.*/\1/p' | head -1 | awk -F: '{ print NF == 2 ? $1 * 60 + $2 : $1 }'; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
for source in csv mlpdata; do
    input="$WORK/large.$source"
    plain=$("$MLP" train "$input" "${OPTIONS[@]}" -o "$WORK/plain.$source.mlp" 2>/dev/null | fit_seconds)
    echo "$source: 1 process, 1 thread: fit $plain s ($EPOCHS epochs)"
    # Waiting ranks yield the core (a busy-polling rank on an oversubscribed machine holds the core its partner
    # needs). The profiled 2-rank run separates waiting for the other rank from moving data (a barrier first).
    for k in 1 2 2p; do
        profile=0; [ "$k" = 2p ] && profile=1 && k=2
        output=$(MLP_MPI_PROFILE=$profile mpirun --allow-run-as-root --bind-to none --mca mpi_yield_when_idle 1 \
            -x MLP_MPI_PROFILE -np "$k" "$MLP" train "$input" "${OPTIONS[@]}" --distributed -o "$WORK/ranks$k.$source.mlp" 2>&1)
        fit=$(echo "$output" | fit_seconds)
        comm=$(echo "$output" | sed -n 's/^distributed over .*: \([0-9.]*\) s in communication.*/\1/p')
        waiting=$(echo "$output" | sed -n 's/.*of which \([0-9.]*\) s waiting.*/\1/p')
        reads=$(echo "$output" | sed -n 's/^mlp: rows read by share per rank: //p')
        same=$(cmp -s "$WORK/plain.$source.mlp" "$WORK/ranks$k.$source.mlp" && echo "identical model" || echo "MODEL DIFFERS")
        awk -v s="$source" -v k="$k" -v fit="$fit" -v comm="$comm" -v plain="$plain" -v same="$same" 'BEGIN {
            printf "%s: %d rank(s) x 1 thread: fit %.2f s, communication %.2f s (%.0f%%), speed-up %.2f, efficiency %.0f%%, %s\n",
                   s, k, fit, comm, 100 * comm / fit, plain / fit, 100 * plain / fit / k, same }'
        [ -n "$waiting" ] && echo "   (profiled: $waiting s of the communication is waiting for the other rank)"
        [ -n "$reads" ] && [ "$source" = mlpdata ] && echo "   (rows read per rank over the $EPOCHS epochs: $reads)"
    done
done
