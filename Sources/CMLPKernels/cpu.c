// CPU feature detection and the global kernel settings (instruction set, thread count).
#if defined(__linux__)
#define _GNU_SOURCE  // sched_getaffinity, CPU_COUNT
#include <sched.h>
#endif
#include "CMLPKernels.h"
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
    isa = mlp_cpu_has_avx512f() ? MLP_ISA_AVX512 : mlp_cpu_has_avx2_fma() ? MLP_ISA_AVX2 : MLP_ISA_GENERIC;
    const char *forced = getenv("MLP_KERNEL_ISA");
    if (forced) {
        int want = !strcmp(forced, "generic") ? MLP_ISA_GENERIC
                 : !strcmp(forced, "avx2") ? MLP_ISA_AVX2
                 : !strcmp(forced, "avx512") ? MLP_ISA_AVX512 : -1;
        if (want >= 0 && mlp_isa_supported(want)) isa = want;
    }
    atomic_store_explicit(&best_isa, isa, memory_order_relaxed);
    return isa;
}

static atomic_int num_threads = 0;

// Processors this process may run on: its affinity mask on Linux (containers, taskset), else all online.
static long usable_processors(void) {
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
    const char *env = getenv("MLP_NUM_THREADS");
    long wanted = env ? strtol(env, NULL, 10) : 0;
    if (wanted <= 0) wanted = usable_processors();
    count = clamp_threads(wanted);
    atomic_store_explicit(&num_threads, count, memory_order_relaxed);
    return count;
}

void mlp_set_num_threads(int count) {
    atomic_store_explicit(&num_threads, clamp_threads(count), memory_order_relaxed);
}
