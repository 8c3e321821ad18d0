#!/usr/bin/env bash
# Runs a libFuzzer target for a number of seconds: Scripts/fuzz.sh csv|model|onnx SECONDS [libFuzzer options...]
# Builds the library with ASan and libFuzzer's coverage (swift build -Xswiftc -sanitize-coverage=...,inline-8bit-counters,pc-table;
# -sanitize=fuzzer alone does not instrument a library target) into .build/fuzz,
# links Fuzz/<Target>/*.swift against it with swiftc -sanitize=fuzzer,address, and runs it on a scratch copy of
# the committed seed corpus (Fuzz/<Target>/corpus), so the repository's corpus stays small. Exit 0: no crash.
# Crash inputs are written to .build/fuzz/artifacts/. CI: Scripts/fuzz.sh csv 30 && Scripts/fuzz.sh model 30
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: Scripts/fuzz.sh csv|model|onnx SECONDS [libFuzzer options]}
seconds=${2:?usage: Scripts/fuzz.sh csv|model|onnx SECONDS [libFuzzer options]}
shift 2
case "$target" in
    csv) directory=CSVReader; modules=(MLPCore) ;;
    model) directory=ModelFile; modules=(MLPModelFile MLPCore) ;;
    onnx) directory=ONNX; modules=(MLPONNX MLPModelFile MLPCore) ;;
    *) echo "fuzz.sh: unknown target '$target' (csv, model or onnx)" >&2; exit 2 ;;
esac
scratch=.build/fuzz
products=$scratch/release
# SwiftPM may keep objects built with other flags: without coverage counters, rebuild the library modules.
if [ -e "$products/MLPCore.build/CSVReader.swift.o" ] && ! nm "$products/MLPCore.build/CSVReader.swift.o" | grep -q sanitizer_cov_8bit_counters; then
    rm -rf "$scratch/build.db" "$(readlink -f "$products")"
fi
swift build -c release --scratch-path "$scratch" --target "${modules[0]}" \
    -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table \
    -Xcc -fsanitize=fuzzer-no-link -Xcc -fsanitize=address >&2
objects=()
for module in "${modules[@]}" MLPKernels CMLPKernels; do objects+=("$products/$module.build/"*.o); done
binary=$scratch/fuzz-$target
swiftc -O -sanitize=fuzzer,address -parse-as-library Fuzz/$directory/*.swift -I "$products/Modules" \
    -Xcc -fmodule-map-file="$products/CMLPKernels.build/module.modulemap" -I Sources/CMLPKernels/include \
    "${objects[@]}" -o "$binary"
corpus=$scratch/corpus-$target
mkdir -p "$corpus" "$scratch/artifacts"
cp -n Fuzz/$directory/corpus/* "$corpus/" 2>/dev/null || true
echo "fuzz.sh: $target, $(ls "$corpus" | wc -l) inputs in the corpus at start" >&2
"$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$scratch/artifacts/$target-" "$@" "$corpus"
echo "fuzz.sh: $target, $(ls "$corpus" | wc -l) inputs in the corpus at end" >&2
