// CPU feature detection and the global kernel settings (instruction set, thread count).
#if defined(__linux__)
#define _GNU_SOURCE  // sched_getaffinity, CPU_COUNT
#include <sched.h>
#endif
#include "CMLPKernels.h"
#include "environment.h"
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int mlp_cpu_has_avx2_fma(void) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

int mlp_cpu_has_avx512f(void) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    __builtin_cpu_init();  // also checks that the OS saves the ZMM state (XCR0)
    return mlp_cpu_has_avx2_fma() && __builtin_cpu_supports("avx512f");
#else
    return 0;
#endif
}

int mlp_isa_supported(int isa) {
    switch (isa) {
    case MLP_ISA_GENERIC: return 1;
    case MLP_ISA_AVX2: return mlp_cpu_has_avx2_fma();
    case MLP_ISA_AVX512: return mlp_cpu_has_avx512f();
    default: return 0;
    }
}

static atomic_int best_isa = -1;

int mlp_best_isa(void) {
    int isa = atomic_load_explicit(&best_isa, memory_order_relaxed);
    if (isa >= 0) return isa;
    isa = mlp_env_isa(mlp_cpu_has_avx512f()  ? MLP_ISA_AVX512
                      : mlp_cpu_has_avx2_fma() ? MLP_ISA_AVX2
                                               : MLP_ISA_GENERIC);
    atomic_store_explicit(&best_isa, isa, memory_order_relaxed);
    return isa;
}

static atomic_int num_threads = 0;

long mlp_usable_processors(void) {
#if defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
#endif
    return sysconf(_SC_NPROCESSORS_ONLN);
}

static int clamp_threads(long count) { return count < 1 ? 1 : count > 64 ? 64 : (int)count; }

int mlp_get_num_threads(void) {
    int count = atomic_load_explicit(&num_threads, memory_order_relaxed);
    if (count > 0) return count;
    count = clamp_threads(mlp_env_threads(mlp_usable_processors()));
    atomic_store_explicit(&num_threads, count, memory_order_relaxed);
    return count;
}

void mlp_set_num_threads(int count) {
    atomic_store_explicit(&num_threads, clamp_threads(count), memory_order_relaxed);
}

// ---- data caches ----

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>

// Deterministic cache parameters: leaf 4 (Intel) or 0x8000001D (AMD) enumerate one cache per subleaf, in the same
// register layout. Returns 0 when the leaf reports nothing.
static int caches_from_cpuid(unsigned leaf, mlp_cache_info *info) {
    int found = 0;
    for (unsigned sub = 0; sub < 16; sub++) {
        unsigned a, b, c, d;
        __cpuid_count(leaf, sub, a, b, c, d);
        unsigned type = a & 31, level = (a >> 5) & 7;
        if (type == 0) break;
        if (type == 2) continue;  // instruction cache
        mlp_cache_level entry = {
            (long)(((b >> 22) & 1023) + 1) * (((b >> 12) & 1023) + 1) * ((b & 4095) + 1) * ((long)c + 1),
            (int)((b >> 22) & 1023) + 1, (int)(b & 4095) + 1};
        if (level == 1) info->l1 = entry;
        else if (level == 2) info->l2 = entry;
        else if (level == 3) info->l3 = entry;
        found = 1;
    }
    return found;
}

#define VENDOR_AMD 0x68747541u    // "Auth"enticAMD
#define VENDOR_INTEL 0x756e6547u  // "Genu"ineIntel

// The vendor's first four letters as cpuid leaf 0 returns them (EBX), and the highest basic leaf; 0 without cpuid.
static unsigned cpu_vendor(unsigned *maxBasic) {
    unsigned a, b, c, d;
    if (!__get_cpuid(0, &a, &b, &c, &d)) return 0;
    *maxBasic = a;
    return b;
}

static int detect_caches(mlp_cache_info *info) {
    unsigned a, b, c, d, maxBasic = 0;
    unsigned vendor = cpu_vendor(&maxBasic);
    if (!vendor) return 0;
    if (vendor != VENDOR_AMD && maxBasic >= 4 && caches_from_cpuid(4, info)) return 1;
    if (__get_cpuid(0x80000000u, &a, &b, &c, &d) && a >= 0x8000001Du) {
        __get_cpuid(0x80000001u, &a, &b, &c, &d);
        if ((c >> 22) & 1) return caches_from_cpuid(0x8000001Du, info);  // TOPOEXT
    }
    return 0;
}
#elif defined(__linux__)
#include <stdio.h>

static long read_sysfs_number(int index, const char *field) {
    char path[96], text[32];
    snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/%s", index, field);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    long value = -1;
    if (fgets(text, sizeof text, f)) {
        char *end;
        value = strtol(text, &end, 10);
        if (*end == 'K') value *= 1024;
        else if (*end == 'M') value *= 1024 * 1024;
    }
    fclose(f);
    return value;
}

static int detect_caches(mlp_cache_info *info) {
    int found = 0;
    for (int index = 0; index < 8; index++) {
        long level = read_sysfs_number(index, "level");
        if (level < 0) break;
        char path[96], type[16] = "";
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/type", index);
        FILE *f = fopen(path, "r");
        if (f) { if (!fgets(type, sizeof type, f)) type[0] = 0; fclose(f); }
        if (!strncmp(type, "Instruction", 11)) continue;
        mlp_cache_level entry = {read_sysfs_number(index, "size"), (int)read_sysfs_number(index, "ways_of_associativity"),
                                 (int)read_sysfs_number(index, "coherency_line_size")};
        if (entry.size <= 0 || entry.ways <= 0 || entry.line <= 0) continue;
        if (level == 1) info->l1 = entry;
        else if (level == 2) info->l2 = entry;
        else if (level == 3) info->l3 = entry;
        found = 1;
    }
    return found;
}
#else
static int detect_caches(mlp_cache_info *info) { (void)info; return 0; }
#endif

// "l1=32K,l2=512K:8,l3=32M": sizes with K/M/G suffixes, optionally ":ways".
static mlp_cache_info cached_info;
static atomic_int cache_info_ready = 0;

void mlp_cache_info_get(mlp_cache_info *info) {
    if (!atomic_load_explicit(&cache_info_ready, memory_order_acquire)) {
        // Without a report: a small modern core (32 KiB 8-way L1d, 512 KiB 8-way L2, 8 MiB 16-way L3).
        mlp_cache_info found = {{32 * 1024, 8, 64}, {512 * 1024, 8, 64}, {8 * 1024 * 1024, 16, 64}};
        mlp_cache_info detected = found;
        if (detect_caches(&detected)) {
            if (detected.l1.size > 0) found.l1 = detected.l1;
            if (detected.l2.size > 0) found.l2 = detected.l2;
            if (detected.l3.size > 0) found.l3 = detected.l3;
        }
        mlp_env_cache_sizes(&found);
        cached_info = found;  // every thread computes the same value, so a race only repeats the work
        atomic_store_explicit(&cache_info_ready, 1, memory_order_release);
    }
    *info = cached_info;
}

// ---- operands read in place ----

// GEMM reads an operand stored by rows in place, skipping the packing copy, where its lines stay in L1 (gemm.c). On
// AMD's Zen 3 and Zen 5 that gained 3-11% on the MLP layers' products; on an Intel Sapphire Rapids-class Xeon the
// packed copy was faster on the same products, by 10-40% with the AVX-512 kernels and level with AVX2
// (docs/performance.md, "Reading in place on an Intel Xeon"). The cause was not isolated: the VM exposes no
// performance counters. Other Intel cores were not measured; MLP_GEMM_IN_PLACE=0|1 checks one.
static int is_intel(void) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    unsigned maxBasic;
    return cpu_vendor(&maxBasic) == VENDOR_INTEL;
#else
    return 0;
#endif
}

// A switch read once: `variable` set to 0 or 1 in the environment, else what `decide` says.
static int cached_switch(atomic_int *cache, const char *variable, int (*decide)(void)) {
    int value = atomic_load_explicit(cache, memory_order_relaxed);
    if (value < 0) {
        value = mlp_env_switch(variable);
        if (value < 0) value = decide();
        atomic_store_explicit(cache, value, memory_order_relaxed);
    }
    return value;
}

static int is_not_intel(void) { return !is_intel(); }

static atomic_int in_place_default = -1;

int mlp_gemm_in_place_default(void) { return cached_switch(&in_place_default, "MLP_GEMM_IN_PLACE", is_not_intel); }

static int by_shape(void) { return 2; }

static atomic_int narrow_default = -1;

int mlp_gemm_narrow_default(void) { return cached_switch(&narrow_default, "MLP_GEMM_NARROW", by_shape); }

// ---- half-vector tile tails ----

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include "monotonic_clock.h"

// Nanoseconds for `rounds` rounds of 12 independent FMAs on vectors of `lanes` doubles: enough chains in flight to
// cover the FMA latency of any current core, so the time is the throughput.
#define FMA_ROUNDS(NAME, LANES, TARGET)                                                                            \
    __attribute__((target(TARGET), noinline)) static long NAME(long rounds) {                                      \
        typedef double v __attribute__((ext_vector_type(LANES)));                                                  \
        v acc[12], x = (v)1.0000001, y = (v)1e-9;                                                                  \
        for (int i = 0; i < 12; i++) acc[i] = (v)(double)i;                                                        \
        long start = monotonic_ns();                                                                               \
        for (long r = 0; r < rounds; r++) {                                                                        \
            for (int i = 0; i < 12; i++) {                                                                         \
                acc[i] = __builtin_elementwise_fma(acc[i], x, y);                                                  \
                __asm__ volatile("" : "+v"(acc[i])); /* keeps every round, in registers */                          \
            }                                                                                                      \
        }                                                                                                          \
        long elapsed = monotonic_ns() - start;                                                                     \
        v sum = (v)0;                                                                                              \
        for (int i = 0; i < 12; i++) sum += acc[i];                                                                \
        volatile double sink = sum[0];                                                                             \
        (void)sink;                                                                                                \
        return elapsed;                                                                                            \
    }
FMA_ROUNDS(fma512_ns, 8, "avx512f")
FMA_ROUNDS(fma256_ns, 4, "avx2,fma")
#undef FMA_ROUNDS

// Whether a 512-bit FMA takes at least 1.5 times a 256-bit one: the best of 5 alternating timings of each, after
// 50,000 rounds of the wide ones (cores that lower their clock for 512-bit work run it slowly until they have); about
// 0.25 ms in all, once.
static int wide_fma_runs_as_halves(void) {
    if (!mlp_cpu_has_avx512f()) return 0;
    fma512_ns(50000);
    long wide = LONG_MAX, half = LONG_MAX;
    for (int trial = 0; trial < 5; trial++) {
        long w = fma512_ns(2000), h = fma256_ns(2000);
        if (w < wide) wide = w;
        if (h < half) half = h;
    }
    return 2 * wide >= 3 * half;
}
#else
static int wide_fma_runs_as_halves(void) { return 0; }
#endif

static atomic_int wide_fma_halves = -1, half_tails_default = -1;

int mlp_wide_fma_runs_as_halves(void) {
    return cached_switch(&wide_fma_halves, "MLP_WIDE_FMA_HALVES", wide_fma_runs_as_halves);
}

int mlp_gemm_half_tails_default(void) {
    return cached_switch(&half_tails_default, "MLP_GEMM_HALF_TAILS", mlp_wide_fma_runs_as_halves);
}
