#!/usr/bin/env bash
# Data-parallel training over MPI, for real (issue 16; docs/distributed.md):
#   1. `mpirun -np K mlp train … --distributed` writes the same model file, byte for byte, as a plain
#      single-process `mlp train`, for K = 1, 2, 4 (oversubscribed) and adam, sgd with dropout, lbfgs, early
#      stopping, float32 and a regressor; from a CSV (every rank reads it) and from an .mlpdata cache or
#      `--stream` or a CSV above --max-memory (each rank reads its shares: the rows each rank read add up to one
#      process's, about 1/K each);
#      with --test-size and --report (rank 0 scores and writes; the same output), --warm-start, and unseeded;
#   2. an error on one rank ends every rank with one message; a rank killed mid-run makes the job exit non-zero
#      within seconds, and so does a rank stopped mid-run (the watchdog, MLP_MPI_TIMEOUT);
#   3. two ranks in two network namespaces joined by a veth pair (TCP only, through a real network stack) give the
#      same bytes again.
# Needs root (apt-get, ip netns). Installs Open MPI and iproute2 when missing. MLP=path picks the binary (default:
# builds and uses .build/debug/mlp). MLP_MPI_SKIP_NETNS=1 skips step 3 where namespaces are not allowed.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v mpirun >/dev/null || ! ldconfig -p | grep -q 'libmpi.so.40' || ! command -v ip >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openmpi-bin libopenmpi-dev iproute2 >/dev/null
fi
if [ -z "${MLP:-}" ]; then
    swift build --product mlp >/dev/null  # the debug build `swift test` has made already
    MLP="$PWD/.build/debug/mlp"
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# One thread per rank: the ranks share this machine's cores.
export MLP_NUM_THREADS=1
MPIRUN=(mpirun --allow-run-as-root --oversubscribe --bind-to none)
WORK=$(mktemp -d)
NS0=mlp-mpi-ns0 NS1=mlp-mpi-ns1
cleanup() {
    ip netns del "$NS0" 2>/dev/null || true
    ip netns del "$NS1" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Generated data: 6 features from a deterministic LCG; 3 classes (data.csv), a numeric target (values.csv), and
# several targets (multi.csv: two numeric ones on different scales and two 0/1 labels).
awk -v labels="$WORK/data.csv" -v values="$WORK/values.csv" -v multi="$WORK/multi.csv" 'BEGIN {
    s = 12345
    print "f0,f1,f2,f3,f4,f5,label" > labels
    print "f0,f1,f2,f3,f4,f5,value" > values
    print "f0,f1,f2,f3,f4,f5,v1,v2,l1,l2" > multi
    for (i = 0; i < 1500; i++) {
        line = ""; sum = 0
        for (j = 0; j < 6; j++) { s = (s * 1103515245 + 12345) % 2147483648; v = s / 2147483648 * 4 - 2; x[j] = v; line = line sprintf("%.6f,", v) }
        score = x[0] + 0.7 * x[1] * x[2] - x[3] + 0.3 * x[4] * x[4]
        label = score < -0.8 ? "low" : (score < 0.8 ? "mid" : "high")
        print line label > labels
        printf "%s%.6f\n", line, score + 0.1 * x[5] > values
        printf "%s%.6f,%.6f,%d,%d\n", line, score, 300 + 50 * x[1] * x[5], (score > 0), (x[2] + x[4] > 0.5) > multi
    }
}'

# The caches of the streamed cases (each rank of those reads only its shares of every batch).
"$MLP" convert "$WORK/data.csv" "$WORK/data.mlpdata" --target label -q
"$MLP" convert "$WORK/values.csv" "$WORK/values.mlpdata" --target value --regression -q
"$MLP" convert "$WORK/multi.csv" "$WORK/multi-values.mlpdata" --target v2,v1 --drop l1,l2 --regression -q
"$MLP" convert "$WORK/multi.csv" "$WORK/multi-labels.mlpdata" --target l1,l2 --drop v1,v2 -q

# name | data file and arguments
CASES=(
    "adam|data.csv --hidden-layer-sizes 32,16 --batch-size 64 --max-iter 8 --random-state 3"
    "sgd-dropout|data.csv --solver sgd --dropout 0.2 --hidden-layer-sizes 24 --batch-size 50 --max-iter 6 --random-state 4"
    "lbfgs|data.csv --solver lbfgs --hidden-layer-sizes 20 --max-iter 25 --random-state 5"
    "early-stopping|data.csv --early-stopping --n-iter-no-change 2 --hidden-layer-sizes 32 --batch-size 40 --max-iter 60 --random-state 6"
    "float32|data.csv --dtype float32 --hidden-layer-sizes 32,16 --batch-size 77 --max-iter 5 --random-state 7"
    "regressor|values.csv --regression --hidden-layer-sizes 16 --batch-size 100 --max-iter 6 --random-state 8"
    "test-size-report|data.csv --test-size 0.25 --hidden-layer-sizes 32 --batch-size 64 --max-iter 5 --random-state 9"
    "mlpdata-adam|data.mlpdata --hidden-layer-sizes 32,16 --batch-size 64 --max-iter 8 --random-state 3"
    "mlpdata-sgd-dropout-blocks|data.mlpdata --solver sgd --dropout 0.2 --hidden-layer-sizes 24 --batch-size 50 --max-iter 6 --random-state 4 --shuffle-buffer 8K"
    "mlpdata-early-stopping|data.mlpdata --early-stopping --n-iter-no-change 2 --hidden-layer-sizes 32 --batch-size 40 --max-iter 60 --random-state 6 --shuffle-buffer 16K"
    "mlpdata-float32|data.mlpdata --dtype float32 --hidden-layer-sizes 32,16 --batch-size 77 --max-iter 5 --random-state 7"
    "mlpdata-regressor|values.mlpdata --regression --hidden-layer-sizes 16 --batch-size 100 --max-iter 6 --random-state 8"
    "mlpdata-class-weight|data.mlpdata --class-weight balanced --hidden-layer-sizes 24 --batch-size 50 --max-iter 5 --random-state 11 --shuffle-buffer 8K"
    "csv-stream|data.csv --stream --target label --hidden-layer-sizes 32 --batch-size 64 --max-iter 5 --random-state 10"
    "multi-output|multi.csv --regression --target v2,v1 --drop l1,l2 --scale-target standard --hidden-layer-sizes 16 --batch-size 64 --max-iter 5 --random-state 12"
    "multilabel|multi.csv --target l1,l2 --drop v1,v2 --hidden-layer-sizes 16 --batch-size 64 --max-iter 5 --random-state 13"
    "mlpdata-multi-output|multi-values.mlpdata --regression --scale-target standard --hidden-layer-sizes 16 --batch-size 50 --max-iter 5 --random-state 12 --shuffle-buffer 8K"
    "mlpdata-multilabel|multi-labels.mlpdata --early-stopping --n-iter-no-change 2 --hidden-layer-sizes 16 --batch-size 40 --max-iter 30 --random-state 13 --shuffle-buffer 16K"
    "csv-stream-multilabel|multi.csv --stream --target l1,l2 --drop v1,v2 --hidden-layer-sizes 16 --batch-size 64 --max-iter 5 --random-state 14"
)

echo "== model bytes: plain run against mpirun -np 1, 2, 4"
for case in "${CASES[@]}"; do
    name=${case%%|*}
    read -r -a args <<< "${case#*|}"
    args[0]="$WORK/${args[0]}"
    # The test-size case also writes a report and compares the printed scores (rank 0 scores the same rows).
    report=(); [ "$name" = test-size-report ] && report=(--report "$WORK/$name.plain.html")
    "$MLP" train "${args[@]}" "${report[@]}" -o "$WORK/$name.plain.mlp" 2>/dev/null | grep -v '^model written' \
        | sed 's/ in [0-9.]* s,/,/' > "$WORK/$name.plain.out"
    for k in 1 2 4; do
        [ -n "${report[*]}" ] && report=(--report "$WORK/$name.$k.html")
        if ! MLP_MPI_PROFILE=1 timeout 300 "${MPIRUN[@]}" -np "$k" -x MLP_MPI_PROFILE "$MLP" train "${args[@]}" \
            "${report[@]}" --distributed -o "$WORK/$name.$k.mlp" > "$WORK/$name.$k.log" 2> "$WORK/$name.$k.err"; then
            fail "$name: mpirun -np $k failed"; cat "$WORK/$name.$k.log" "$WORK/$name.$k.err"; continue
        fi
        if ! cmp -s "$WORK/$name.plain.mlp" "$WORK/$name.$k.mlp"; then
            fail "$name -np $k: the model file differs from the single-process one"; continue
        fi
        note=""
        if [ -n "${report[*]}" ]; then
            grep -v -e '^model written' -e '^distributed over' "$WORK/$name.$k.log" | sed 's/ in [0-9.]* s,/,/' \
                > "$WORK/$name.$k.out"
            if ! cmp -s "$WORK/$name.plain.out" "$WORK/$name.$k.out" || [ ! -s "$WORK/$name.$k.html" ]; then
                fail "$name -np $k: another summary or no report"; diff "$WORK/$name.plain.out" "$WORK/$name.$k.out"; continue
            fi
            note=", same test score, report written"
        fi
        # Streamed: each rank read only its shares, which add up to the rows one rank reads.
        reads=$(sed -n 's/^mlp: rows read by share per rank: //p' "$WORK/$name.$k.err")
        if [ "${name%%-*}" = mlpdata ] || [ "${name#csv-stream}" != "$name" ]; then
            [ "$k" = 1 ] && alone=$reads
            if ! awk -v r="$reads" -v alone="$alone" -v k="$k" 'BEGIN {
                    n = split(r, a, " "); t = 0; m = 0
                    for (i = 1; i <= n; i++) { t += a[i]; if (a[i] > m) m = a[i] }
                    exit !(n == k && t == alone && t > 0 && m <= 1.1 * t / k + 200) }'; then
                fail "$name -np $k: rows read per rank '$reads' are not shares of $alone"; continue
            fi
            note=", rows read per rank: $reads"
        fi
        echo "ok   $name -np $k: $(wc -c < "$WORK/$name.$k.mlp") bytes identical$note"
    done
done

echo "== --warm-start: every rank continues from the same model, as one process does"
for k in 2 4; do
    cp "$WORK/adam.plain.mlp" "$WORK/warm.plain.mlp"
    cp "$WORK/adam.plain.mlp" "$WORK/warm.$k.mlp"
    warm=("$WORK/data.csv" --warm-start --hidden-layer-sizes 32,16 --batch-size 64 --max-iter 4 --random-state 3)
    "$MLP" train "${warm[@]}" -q -o "$WORK/warm.plain.mlp"
    if ! timeout 300 "${MPIRUN[@]}" -np "$k" "$MLP" train "${warm[@]}" -q --distributed -o "$WORK/warm.$k.mlp" \
        > "$WORK/warm.$k.log" 2>&1; then
        fail "warm start -np $k failed"; cat "$WORK/warm.$k.log"
    elif cmp -s "$WORK/warm.plain.mlp" "$WORK/adam.plain.mlp" || ! cmp -s "$WORK/warm.plain.mlp" "$WORK/warm.$k.mlp"; then
        fail "warm start -np $k: the model differs from the single-process warm start (or did not change)"
    else
        echo "ok   warm start -np $k: $(wc -c < "$WORK/warm.$k.mlp") bytes identical"
    fi
done

echo "== --stream --distributed --cache: rank 0 makes the cache, every rank reads its shares of it"
stream=("$WORK/data.csv" --stream --target label --hidden-layer-sizes 32 --batch-size 64 --max-iter 5 --random-state 10)
if timeout 300 "${MPIRUN[@]}" -np 2 "$MLP" train "${stream[@]}" --cache "$WORK/shared.mlpdata" -q --distributed \
    -o "$WORK/cache.2.mlp" > "$WORK/cache.log" 2>&1 && cmp -s "$WORK/csv-stream.plain.mlp" "$WORK/cache.2.mlp" \
    && [ -s "$WORK/shared.mlpdata" ]; then
    echo "ok   -np 2 --cache: model bytes identical, $(wc -c < "$WORK/shared.mlpdata") bytes of cache"
else
    fail "--stream --distributed --cache"; cat "$WORK/cache.log"
fi

echo "== automatic streaming under --distributed: rank 0 decides from its memory, every rank streams"
auto=("$WORK/data.csv" --target label --hidden-layer-sizes 32 --batch-size 64 --max-iter 5 --random-state 10
      --max-memory 200K --shuffle-buffer 16K)
"$MLP" train "${auto[@]}" -q -o "$WORK/auto.plain.mlp" 2> "$WORK/auto.plain.log"
if timeout 300 "${MPIRUN[@]}" -np 2 "$MLP" train "${auto[@]}" -q --distributed -o "$WORK/auto.2.mlp" \
    > "$WORK/auto.log" 2>&1 && grep -q 'training out of core' "$WORK/auto.plain.log" \
    && [ "$(grep -c 'training out of core' "$WORK/auto.log")" = 1 ] && cmp -s "$WORK/auto.plain.mlp" "$WORK/auto.2.mlp"; then
    echo "ok   -np 2 above --max-memory: streamed, said once, model bytes identical to one process's"
else
    fail "automatic streaming under --distributed"; cat "$WORK/auto.log"
fi

echo "== without --random-state: rank 0 draws the seed for every rank"
if timeout 300 "${MPIRUN[@]}" -np 2 "$MLP" train "$WORK/data.mlpdata" --max-iter 3 --distributed -q \
    -o "$WORK/unseeded.mlp" > "$WORK/unseeded.log" 2>&1 && [ -s "$WORK/unseeded.mlp" ]; then
    echo "ok   -np 2 unseeded: the ranks finished with the same model"
else
    fail "an unseeded distributed run"; cat "$WORK/unseeded.log"
fi

echo "== what a streamed distributed run still refuses: one line, non-zero exit"
status=0
"${MPIRUN[@]}" -np 2 "$MLP" train "$WORK/data.mlpdata" --test-size 0.2 --distributed -q -o "$WORK/refused.mlp" \
    > "$WORK/refused.log" 2>&1 || status=$?
if [ "$status" -ne 0 ] && [ "$(grep -c '^mlp: error: ' "$WORK/refused.log")" = 1 ] && [ ! -e "$WORK/refused.mlp" ]; then
    echo "ok   exit $status: $(grep '^mlp: error: ' "$WORK/refused.log")"
else
    fail "a refused streamed option: exit $status"; cat "$WORK/refused.log"
fi

echo "== an error on one rank ends every rank, with one message"
cat > "$WORK/rank2-missing.sh" <<SCRIPT
#!/bin/sh
data="$WORK/data.csv"
[ "\$OMPI_COMM_WORLD_RANK" = 2 ] && data="$WORK/missing.csv"
exec "$MLP" train "\$data" --max-iter 3 --distributed -q -o "$WORK/error.mlp"
SCRIPT
chmod +x "$WORK/rank2-missing.sh"
status=0
timeout 120 "${MPIRUN[@]}" -np 4 "$WORK/rank2-missing.sh" > "$WORK/error.log" 2>&1 || status=$?
messages=$(grep -c '^mlp: error: ' "$WORK/error.log" || true)
if [ "$status" -ne 0 ] && [ "$status" -ne 124 ] && [ "$messages" = 1 ] && grep -q '^mlp: error: rank 2: ' "$WORK/error.log" \
    && [ ! -e "$WORK/error.mlp" ]; then
    echo "ok   exit $status, one message: $(grep '^mlp: error: ' "$WORK/error.log")"
else
    fail "an error on rank 2: exit $status, $messages messages"; cat "$WORK/error.log"
fi

echo "== a rank killed mid-run: the others exit non-zero within seconds"
"${MPIRUN[@]}" -np 4 "$MLP" train "$WORK/data.csv" --hidden-layer-sizes 64 --batch-size 10 --max-iter 100000 \
    --tol 0 --n-iter-no-change 100000 --distributed -q -o "$WORK/killed.mlp" > "$WORK/kill.log" 2>&1 &
launcher=$!
sleep 4
victim=$(pgrep -P "$launcher" -f 'mlp train' | sed -n 2p || true)
if [ -z "$victim" ]; then
    fail "no rank to kill under mpirun $launcher"; cat "$WORK/kill.log"
else
    kill -9 "$victim"
    killed_at=$(date +%s.%N)
    status=0
    # Waits at most 20 s for the job to end by itself.
    for _ in $(seq 200); do kill -0 "$launcher" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$launcher" 2>/dev/null; then
        fail "the job still runs 20 s after rank kill"; kill "$launcher"; wait "$launcher" || true
    else
        wait "$launcher" || status=$?
        seconds=$(awk -v a="$killed_at" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
        if [ "$status" -ne 0 ] && awk -v s="$seconds" 'BEGIN { exit !(s < 10) }'; then
            echo "ok   killed rank $victim; mpirun exited $status after $seconds s"
        else
            fail "after the kill mpirun exited $status"; cat "$WORK/kill.log"
        fi
    fi
fi

echo "== a rank stopped mid-run (alive, not progressing): the watchdog ends the job (MLP_MPI_TIMEOUT=3)"
MLP_MPI_TIMEOUT=3 "${MPIRUN[@]}" -np 4 -x MLP_MPI_TIMEOUT "$MLP" train "$WORK/data.csv" --hidden-layer-sizes 64 \
    --batch-size 10 --max-iter 100000 --tol 0 --n-iter-no-change 100000 --distributed -q -o "$WORK/stopped.mlp" \
    > "$WORK/stop.log" 2>&1 &
launcher=$!
sleep 4
victim=$(pgrep -P "$launcher" -f 'mlp train' | sed -n 3p || true)
if [ -z "$victim" ]; then
    fail "no rank to stop under mpirun $launcher"; cat "$WORK/stop.log"
else
    kill -STOP "$victim"
    stopped_at=$(date +%s.%N)
    status=0
    for _ in $(seq 300); do kill -0 "$launcher" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$launcher" 2>/dev/null; then
        fail "the job still runs 30 s after a rank stopped"; kill -9 "$victim"; kill "$launcher"; wait "$launcher" || true
    else
        wait "$launcher" || status=$?
        seconds=$(awk -v a="$stopped_at" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
        # mpirun signalled every rank; the stopped one acts on it once continued.
        kill -CONT "$victim" 2>/dev/null || true
        sleep 2
        kill -0 "$victim" 2>/dev/null && { kill -9 "$victim"; fail "the stopped rank outlived mpirun's end"; }
        if [ "$status" -ne 0 ] && grep -q 'another rank is stuck' "$WORK/stop.log"; then
            echo "ok   stopped rank $victim; mpirun exited $status after $seconds s: $(grep -m1 'another rank is stuck' "$WORK/stop.log")"
        else
            fail "after the stop mpirun exited $status"; cat "$WORK/stop.log"
        fi
    fi
fi

echo "== two ranks in two network namespaces joined by a veth pair (TCP through the kernel's network stack)"
if [ "${MLP_MPI_SKIP_NETNS:-0}" = 1 ]; then
    echo "skip (MLP_MPI_SKIP_NETNS=1)"
else
    # Private addresses inside the two namespaces only; nothing reaches the host's network.
    ip netns add "$NS0"
    ip netns add "$NS1"
    ip link add mlpveth0 netns "$NS0" type veth peer name mlpveth1 netns "$NS1"
    ip -n "$NS0" addr add 10.231.77.1/24 dev mlpveth0
    ip -n "$NS1" addr add 10.231.77.2/24 dev mlpveth1
    for ns in "$NS0" "$NS1"; do ip -n "$ns" link set lo up; done
    ip -n "$NS0" link set mlpveth0 up
    ip -n "$NS1" link set mlpveth1 up
    printf '10.231.77.1 slots=1\n10.231.77.2 slots=1\n' > "$WORK/hosts"
    # The "remote shell" of the second host: its namespace, with a hostname of its own (a UTS namespace) so Open
    # MPI sees two nodes. Like ssh, it runs the command line it is given through a shell.
    cat > "$WORK/netns-rsh" <<SCRIPT
#!/bin/sh
while [ "\${1#-}" != "\$1" ]; do shift; done
host=\$1; shift
case \$host in 10.231.77.1) ns=$NS0 ;; 10.231.77.2) ns=$NS1 ;; *) echo "netns-rsh: unknown host \$host" >&2; exit 1 ;; esac
exec ip netns exec "\$ns" unshare --uts sh -c "hostname \$ns; \$*"
SCRIPT
    chmod +x "$WORK/netns-rsh"
    before=$(ip netns exec "$NS1" cat /sys/class/net/mlpveth1/statistics/rx_bytes)
    args=("$WORK/data.csv" --hidden-layer-sizes 32,16 --batch-size 64 --max-iter 8 --random-state 3)
    status=0
    ip netns exec "$NS0" unshare --uts sh -c 'hostname "$0"; exec "$@"' "$NS0" \
        timeout 300 mpirun --allow-run-as-root --bind-to none --hostfile "$WORK/hosts" -np 2 \
        --mca plm_rsh_agent "$WORK/netns-rsh" --mca btl tcp,self \
        --mca btl_tcp_if_include 10.231.77.0/24 --mca oob_tcp_if_include 10.231.77.0/24 \
        -x MLP_NUM_THREADS -x OMPI_ALLOW_RUN_AS_ROOT -x OMPI_ALLOW_RUN_AS_ROOT_CONFIRM \
        "$MLP" train "${args[@]}" --distributed -q -o "$WORK/netns.mlp" > "$WORK/netns.log" 2>&1 || status=$?
    received=$(( $(ip netns exec "$NS1" cat /sys/class/net/mlpveth1/statistics/rx_bytes) - before ))
    if [ "$status" -ne 0 ]; then
        fail "mpirun across namespaces exited $status"; cat "$WORK/netns.log"
    elif ! cmp -s "$WORK/adam.plain.mlp" "$WORK/netns.mlp"; then
        fail "across namespaces: the model file differs from the single-process one"
    elif [ "$received" -lt 100000 ]; then
        fail "across namespaces: only $received bytes crossed the veth pair"
    else
        echo "ok   2 ranks in $NS0 and $NS1: model bytes identical, $received bytes received over the veth pair"
    fi
fi

if [ "$failures" -ne 0 ]; then
    echo "mpi_check: $failures failure(s)"
    exit 1
fi
echo "mpi_check: all passed"
