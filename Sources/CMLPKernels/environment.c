// The kernels' settings from the environment. A variable set to a value it does not take is named on stderr, once per
// process, and the default applies, as OpenMP runtimes treat a bad OMP_NUM_THREADS: these variables exist to measure
// one path or cache size on a machine that would pick another, and a typo must not measure the default unnoticed.
#include "environment.h"
#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const variables[] = {"MLP_KERNEL_ISA",      "MLP_NUM_THREADS",     "MLP_CACHE_SIZES",
                                        "MLP_GEMM_IN_PLACE",   "MLP_WIDE_FMA_HALVES", "MLP_GEMM_HALF_TAILS",
                                        "MLP_GEMM_ORDER",      "MLP_GEMM_KC",         "MLP_GEMM_NARROW"};
#define VARIABLES (sizeof variables / sizeof variables[0])
static atomic_int warned[VARIABLES];

// One line on stderr: the variable, its value and `why` (which says what applies instead).
static void warn(const char *variable, const char *value, const char *why) {
    for (size_t i = 0; i < VARIABLES; i++)
        if (!strcmp(variable, variables[i]) && atomic_exchange(&warned[i], 1)) return;
    fprintf(stderr, "swift-mlp: %s=%s: %s\n", variable, value, why);
}

// Unset and empty are the same: the default.
static const char *setting(const char *variable) {
    const char *value = getenv(variable);
    return value && *value ? value : NULL;
}

static const char *isa_name(int isa) {
    return isa == MLP_ISA_AVX512 ? "avx512f" : isa == MLP_ISA_AVX2 ? "avx2+fma" : "generic";
}

int mlp_env_isa(int detected) {
    const char *value = setting("MLP_KERNEL_ISA");
    if (!value) return detected;
    int wanted = !strcmp(value, "generic") ? MLP_ISA_GENERIC
               : !strcmp(value, "avx2")    ? MLP_ISA_AVX2
               : !strcmp(value, "avx512")  ? MLP_ISA_AVX512
                                           : -1;
    char why[96];
    if (wanted < 0) {
        snprintf(why, sizeof why, "expected generic, avx2 or avx512; using %s", isa_name(detected));
    } else if (!mlp_isa_supported(wanted)) {
        snprintf(why, sizeof why, "this CPU cannot run those kernels; using %s", isa_name(detected));
    } else {
        return wanted;
    }
    warn("MLP_KERNEL_ISA", value, why);
    return detected;
}

int mlp_env_threads(long fallback) {
    const char *value = setting("MLP_NUM_THREADS");
    if (!value) return (int)fallback;
    char *end;
    long wanted = strtol(value, &end, 10);
    if (end != value && *end == '\0' && wanted >= 1 && wanted <= 64) return (int)wanted;
    char why[96];
    long used = end != value && *end == '\0' && wanted > 64 ? 64 : fallback;
    snprintf(why, sizeof why, "expected a whole number of threads from 1 to 64; using %ld", used);
    warn("MLP_NUM_THREADS", value, why);
    return (int)used;
}

// One entry of MLP_CACHE_SIZES from `text`: its level (1-3), size in bytes and ways (0: not given); returns the
// character after it, or NULL when it is malformed.
static const char *cache_entry(const char *text, int *level, long *size, long *ways) {
    if ((text[0] != 'l' && text[0] != 'L') || text[1] < '1' || text[1] > '3' || text[2] != '=') return NULL;
    *level = text[1] - '0';
    if (!isdigit((unsigned char)text[3])) return NULL;
    char *end;
    *size = strtol(text + 3, &end, 10);
    long unit = *end == 'K' || *end == 'k' ? 1024L : *end == 'M' || *end == 'm' ? 1024L * 1024
              : *end == 'G' || *end == 'g' ? 1024L * 1024 * 1024 : 1;
    if (unit > 1) end++;
    if (*size <= 0 || *size > (1L << 40) / unit) return NULL;
    *size *= unit;
    *ways = 0;
    if (*end == ':') {
        if (!isdigit((unsigned char)end[1])) return NULL;
        *ways = strtol(end + 1, &end, 10);
        if (*ways <= 0 || *ways > 1024) return NULL;
    }
    return *end == ',' || *end == '\0' ? end : NULL;
}

void mlp_env_cache_sizes(mlp_cache_info *info) {
    const char *value = setting("MLP_CACHE_SIZES");
    if (!value) return;
    mlp_cache_info found = *info;
    for (const char *text = value;;) {
        int level;
        long size, ways;
        text = cache_entry(text, &level, &size, &ways);
        if (!text) {
            warn("MLP_CACHE_SIZES", value,
                 "expected entries such as l1=32K, l2=1M:16 and l3=32M, separated by commas; using the detected sizes");
            return;
        }
        // Without ":ways", the defaults of current x86 cores: 8-way L1 and L2, 16-way L3.
        if (ways == 0) ways = level == 3 ? 16 : 8;
        mlp_cache_level *entry = level == 1 ? &found.l1 : level == 2 ? &found.l2 : &found.l3;
        *entry = (mlp_cache_level){size, (int)ways, entry->line > 0 ? entry->line : 64};
        if (*text == '\0') break;
        text++;
    }
    *info = found;
}

int mlp_env_switch(const char *variable) {
    const char *value = setting(variable);
    if (!value) return -1;
    if (!strcmp(value, "0") || !strcmp(value, "1")) return value[0] == '1';
    warn(variable, value, "expected 0 or 1; using the default");
    return -1;
}

int mlp_env_gemm_order(void) {
    const char *value = setting("MLP_GEMM_ORDER");
    if (!value) return -1;
    if (!strcmp(value, "rows")) return 1;
    if (!strcmp(value, "columns")) return 0;
    warn("MLP_GEMM_ORDER", value, "expected rows or columns; using the default order");
    return -1;
}

int mlp_env_gemm_kc_model(void) {
    const char *value = setting("MLP_GEMM_KC");
    if (!value) return 0;
    if (!strcmp(value, "model")) return 1;
    warn("MLP_GEMM_KC", value, "expected model; using the streamed KC");
    return 0;
}
