#!/usr/bin/env bash
# Runs the tests that exercise the worker pool, the parallel GEMM, the fused training passes (with their batch
# prefetch) and whole fits under ThreadSanitizer and AddressSanitizer: Scripts/sanitizers.sh [thread|address]...
# Each sanitizer builds into its own scratch folder (.build/sanitize-<name>), so the normal build is untouched.
# FILTER overrides the test selection (a swift test --filter regex); the default keeps each run to a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
filter=${FILTER:-'PoolTests|GemmTests|GemmEpilogueTests|GemmNarrowTests|FusedPassesTests|DeterminismTests|TrainingStepTests|EstimatorPersistenceTests|ModelFileTests|CSVTests|ScalerTests|MemoryEstimateTests|AtomicFileTests'}
sanitizers=("$@")
[ ${#sanitizers[@]} -eq 0 ] && sanitizers=(thread address)
for sanitizer in "${sanitizers[@]}"; do
    case "$sanitizer" in
        thread|address) ;;
        *) echo "sanitizers.sh: unknown sanitizer '$sanitizer' (thread or address)" >&2; exit 2 ;;
    esac
    echo "sanitizers.sh: swift test --sanitize=$sanitizer --filter '$filter'" >&2
    # halt_on_error: the first report fails the run instead of scrolling past.
    TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" ASAN_OPTIONS="halt_on_error=1 detect_leaks=0" \
        swift test --scratch-path ".build/sanitize-$sanitizer" --sanitize="$sanitizer" --filter "$filter"
done
echo "sanitizers.sh: ${sanitizers[*]}: no report" >&2
