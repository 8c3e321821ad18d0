#!/usr/bin/env bash
# The C kernels against naive loops (Scripts/portable_kernels_check.c) on CPUs the Swift tests do not run on:
#   1. this CPU, every instruction set it has;
#   2. on x86-64, built with -march=haswell, as `swift build -Xcc -march=native` would (the generic path then fuses);
#   3. arm64 (the generic path with NEON, as on Apple silicon or Graviton): cross-compiled with the Swift toolchain's
#      clang and lld, run under qemu-aarch64, with this host's caches and with two arm64 cores' cache sizes.
# Step 3 needs qemu-user, libc6-dev-arm64-cross and libgcc-N-dev-arm64-cross (apt); --install installs them (Debian or
# Ubuntu, as root). Without them the step is skipped with a note, or fails under --require-arm64 (CI).
set -euo pipefail
cd "$(dirname "$0")/.."
install=0 require_arm64=0
for argument in "$@"; do
    case $argument in
    --install) install=1 ;;
    --require-arm64) require_arm64=1 ;;
    *) echo "usage: $0 [--install] [--require-arm64]" >&2; exit 2 ;;
    esac
done

kernels=Sources/CMLPKernels
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
compile() {  # compile OUTPUT [clang flags...]
    local output=$1
    shift
    clang -O2 -Wall "$@" -I "$kernels/include" Scripts/portable_kernels_check.c "$kernels"/*.c -o "$build/$output" \
        -lpthread -lm
}

echo "== $(uname -m), this CPU"
compile native
"$build/native"
if [[ $(uname -m) == x86_64 ]]; then
    echo "== x86_64 built with -march=haswell"
    compile haswell -march=haswell
    if grep -qw fma /proc/cpuinfo 2>/dev/null; then "$build/haswell"; else echo "skipped: this CPU has no FMA"; fi
fi

if [[ $(uname -m) == aarch64 || $(uname -m) == arm64 ]]; then exit 0; fi  # step 1 ran on arm64 itself
echo "== arm64 under qemu-aarch64"
gcc_dir() { ls -d /usr/lib/gcc-cross/aarch64-linux-gnu/*/ 2>/dev/null | sort -V | tail -1; }
have_arm64_tools() { command -v qemu-aarch64 >/dev/null && [[ -d /usr/aarch64-linux-gnu/include && -n $(gcc_dir) ]]; }
if [[ $install == 1 ]] && ! have_arm64_tools; then
    apt-get update -q
    libgcc=$(apt-cache search --names-only '^libgcc-[0-9]+-dev-arm64-cross$' | cut -d' ' -f1 | sort -V | tail -1)
    apt-get install -y -q qemu-user libc6-dev-arm64-cross "${libgcc:-libgcc-12-dev-arm64-cross}"
fi
if ! have_arm64_tools; then
    message="needs qemu-user, libc6-dev-arm64-cross and libgcc-N-dev-arm64-cross (or run with --install)"
    if [[ $require_arm64 == 1 ]]; then echo "portable_kernels_check: arm64: $message" >&2; exit 1; fi
    echo "skipped: $message"
    exit 0
fi
# Static, so that qemu needs no arm64 loader; lld, so that no arm64 binutils are needed.
compile arm64 --target=aarch64-linux-gnu --sysroot=/usr/aarch64-linux-gnu -fuse-ld=lld -B "$(gcc_dir)" \
    -L "$(gcc_dir)" -static
qemu-aarch64 "$build/arm64"
# Cache blocks derived from arm64 cores' caches rather than this host's: a Neoverse N1 (Graviton 2) and an Apple M-class
# performance core (MLP_CACHE_SIZES stands in for the sysfs an arm64 Linux would read).
for caches in l1=64K:4,l2=1M:8,l3=32M l1=128K:8,l2=12M:12,l3=16M; do
    echo "== arm64 under qemu-aarch64, MLP_CACHE_SIZES=$caches"
    MLP_CACHE_SIZES=$caches qemu-aarch64 "$build/arm64"
done
