// GEMM A/B in one process: runs one product under each configuration in turn, round after round, and prints each
// configuration's best and median GFLOP/s and the median of its per-round ratios to the first configuration.
// Alternating within one process pairs the sides more closely than separate servers do on a machine whose speed
// drifts over seconds (docs/performance.md, "Rows first"). A configuration may also be another build of the kernels
// (a shared library, loaded with dlopen), so two builds are compared call by call without Python in the loop: ctypes
// costs microseconds a call, as much as a whole MLP product (Scripts/gemm_pairs.py is the one against numpy).
//
//   swift build -c release --product mlp-bench
//   O=.build/release/CMLPKernels.build
//   clang -O2 -I Sources/CMLPKernels/include Scripts/gemm_ab.c $O/gemm.c.o $O/cpu.c.o $O/pool.c.o $O/pool_probe.c.o \
//       $O/environment.c.o $O/pool_placement.c.o -lpthread -lm -ldl -o /tmp/gemm_ab
//   /tmp/gemm_ab float64 1 2048 2048 2048 11 columns rows          # the two loop orders
//   /tmp/gemm_ab float64 1 1024 1024 1024 9 default kc=256 kc=384 mc=192,kc=384
//   /tmp/gemm_ab float32 1 TN:128x10x200 41 /tmp/before.so default   # a saved build against this one
//
// A shared library of a build: clang -shared -o /tmp/before.so $O/gemm.c.o $O/cpu.c.o $O/pool.c.o $O/pool_probe.c.o
// $O/environment.c.o $O/pool_placement.c.o -lpthread -lm.
// The product is M N K (NN), or OP:MxNxK with OP one of NN, NT, TN, TT (row-major, as compare.py's shapes).
// A configuration is `default`, comma-separated settings of mlp_gemm_options (rows, columns: the loop order; mc=N,
// kc=N, nc=N; in_place=0|1; half_tails=0|1; shared_blocks=0|1; narrow=0|1), or PATH.so[:SETTINGS] for another build.
// MLP_KERNEL_ISA and MLP_CACHE_SIZES apply as everywhere.
#include "CMLPKernels.h"
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CONFIGURATIONS 16

typedef void (*dgemm_fn)(int, int, long, long, long, double, const double *, long, const double *, long, double,
                         double *, long, const mlp_gemm_options *);
typedef void (*sgemm_fn)(int, int, long, long, long, float, const float *, long, const float *, long, float, float *,
                         long, const mlp_gemm_options *);
typedef void (*options_init_fn)(mlp_gemm_options *);

typedef struct {
    dgemm_fn dgemm;
    sgemm_fn sgemm;
    mlp_gemm_options options;
} configuration;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int ascending(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

// This build's kernels, or those of the shared library TEXT names before its settings.
static int parse_configuration(const char *text, int threads, configuration *c) {
    char copy[512];
    snprintf(copy, sizeof copy, "%s", text);
    char *settings = copy;
    options_init_fn init = mlp_gemm_options_init;
    c->dgemm = mlp_dgemm;
    c->sgemm = mlp_sgemm;
    char *library = strstr(copy, ".so");
    if (library && (library[3] == 0 || library[3] == ':')) {
        settings = library[3] ? library + 4 : library + 3;
        library[3] = 0;
        void *handle = dlopen(copy, RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            fprintf(stderr, "gemm_ab: %s\n", dlerror());
            return 0;
        }
        c->dgemm = (dgemm_fn)dlsym(handle, "mlp_dgemm");
        c->sgemm = (sgemm_fn)dlsym(handle, "mlp_sgemm");
        init = (options_init_fn)dlsym(handle, "mlp_gemm_options_init");
        if (!c->dgemm || !c->sgemm || !init) {
            fprintf(stderr, "gemm_ab: %s has no mlp_dgemm, mlp_sgemm or mlp_gemm_options_init\n", copy);
            return 0;
        }
    }
    init(&c->options);
    c->options.threads = threads;
    for (char *item = strtok(settings, ","); item; item = strtok(NULL, ",")) {
        if (!strcmp(item, "default")) continue;
        else if (!strcmp(item, "rows")) c->options.order = 1;
        else if (!strcmp(item, "columns")) c->options.order = 0;
        else if (!strncmp(item, "mc=", 3)) c->options.mc = atol(item + 3);
        else if (!strncmp(item, "kc=", 3)) c->options.kc = atol(item + 3);
        else if (!strncmp(item, "nc=", 3)) c->options.nc = atol(item + 3);
        else if (!strncmp(item, "in_place=", 9)) c->options.in_place = atoi(item + 9);
        else if (!strncmp(item, "half_tails=", 11)) c->options.half_tails = atoi(item + 11);
        else if (!strncmp(item, "shared_blocks=", 14)) c->options.shared_blocks = atoi(item + 14);
        else if (!strncmp(item, "narrow=", 7)) c->options.narrow = atoi(item + 7);
        else {
            fprintf(stderr, "gemm_ab: configuration '%s': expected default, PATH.so[:SETTINGS], or settings rows, "
                            "columns, mc=N, kc=N, nc=N, in_place=0|1, half_tails=0|1, shared_blocks=0|1, narrow=0|1\n", text);
            return 0;
        }
    }
    return 1;
}

// M N K as three arguments, or OP:MxNxK as one; returns the arguments used, 0 when they do not parse.
static int parse_shape(char **argv, int argc, int *transA, int *transB, long *m, long *n, long *k) {
    *transA = *transB = 0;
    if (argc >= 1 && strchr(argv[0], 'x')) {
        char op[3] = "NN";
        const char *dims = argv[0];
        if (strchr(dims, ':')) {
            if (strlen(dims) < 3 || dims[2] != ':' || !strchr("NT", dims[0]) || !strchr("NT", dims[1])) return 0;
            op[0] = dims[0];
            op[1] = dims[1];
            dims += 3;
        }
        *transA = op[0] == 'T';
        *transB = op[1] == 'T';
        return sscanf(dims, "%ldx%ldx%ld", m, n, k) == 3 ? 1 : 0;
    }
    if (argc < 3) return 0;
    *m = atol(argv[0]);
    *n = atol(argv[1]);
    *k = atol(argv[2]);
    return 3;
}

int main(int argc, char **argv) {
    const char *usage =
        "usage: gemm_ab float32|float64 THREADS (M N K | [OP:]MxNxK) ROUNDS CONFIGURATION... (at most %d)\n";
    if (argc < 5 || (strcmp(argv[1], "float32") && strcmp(argv[1], "float64"))) {
        fprintf(stderr, usage, MAX_CONFIGURATIONS);
        return 2;
    }
    int isDouble = !strcmp(argv[1], "float64"), threads = atoi(argv[2]), transA, transB;
    long m, n, k;
    int used = parse_shape(argv + 3, argc - 3, &transA, &transB, &m, &n, &k);
    int first = 3 + used + 1, count = argc - first;
    if (!used || count < 1 || count > MAX_CONFIGURATIONS) {
        fprintf(stderr, usage, MAX_CONFIGURATIONS);
        return 2;
    }
    int rounds = atoi(argv[first - 1]);
    if (threads < 1 || rounds < 1 || m < 1 || n < 1 || k < 1) {
        fprintf(stderr, "gemm_ab: THREADS, M, N, K and ROUNDS must be positive\n");
        return 2;
    }
    configuration configurations[MAX_CONFIGURATIONS];
    for (int i = 0; i < count; i++)
        if (!parse_configuration(argv[first + i], threads, &configurations[i])) return 2;
    size_t size = isDouble ? 8 : 4;
    void *a = malloc((size_t)(m * k) * size), *b = malloc((size_t)(k * n) * size), *c = malloc((size_t)(m * n) * size);
    double *seconds = malloc(sizeof(double) * (size_t)(rounds * count));
    double *sorted = malloc(sizeof(double) * (size_t)rounds);
    if (!a || !b || !c || !seconds || !sorted) {
        fprintf(stderr, "gemm_ab: out of memory for %ld x %ld x %ld\n", m, n, k);
        return 1;
    }
    srand(1);
    for (long i = 0; i < m * k; i++) {
        double v = rand() / (double)RAND_MAX - 0.5;
        if (isDouble) ((double *)a)[i] = v; else ((float *)a)[i] = (float)v;
    }
    for (long i = 0; i < k * n; i++) {
        double v = rand() / (double)RAND_MAX - 0.5;
        if (isDouble) ((double *)b)[i] = v; else ((float *)b)[i] = (float)v;
    }
    long lda = transA ? m : k, ldb = transB ? k : n;
    double flops = 2.0 * m * n * k;
    // About a millisecond of work a measurement or one call: enough that the clock's cost does not count, short
    // enough that the configurations see the same spell of the machine.
    int calls = flops > 4e7 ? 1 : (int)(4e7 / flops) + 1;
    for (int round = -1; round < rounds; round++)  // round -1 warms up every configuration
        for (int i = 0; i < count; i++) {
            const configuration *f = &configurations[i];
            double started = now();
            for (int call = 0; call < calls; call++) {
                if (isDouble) f->dgemm(transA, transB, m, n, k, 1, a, lda, b, ldb, 0, c, n, &f->options);
                else f->sgemm(transA, transB, m, n, k, 1, a, lda, b, ldb, 0, c, n, &f->options);
            }
            if (round >= 0) seconds[i * rounds + round] = (now() - started) / calls;
        }
    printf("%s, %d thread(s), %s%s %ld x %ld x %ld, %d rounds of %d call(s): GFLOP/s best / median, ratio to the "
           "first (median of the rounds' ratios)\n", argv[1], threads, transA ? "T" : "N", transB ? "T" : "N", m, n, k,
           rounds, calls);
    for (int i = 0; i < count; i++) {
        for (int r = 0; r < rounds; r++) sorted[r] = seconds[i * rounds + r];
        qsort(sorted, (size_t)rounds, sizeof(double), ascending);
        double best = flops / sorted[0] / 1e9, median = flops / sorted[rounds / 2] / 1e9;
        for (int r = 0; r < rounds; r++) sorted[r] = seconds[r] / seconds[i * rounds + r];
        qsort(sorted, (size_t)rounds, sizeof(double), ascending);
        printf("  %-32s %7.1f / %7.1f   x%.3f\n", argv[first + i], best, median, sorted[rounds / 2]);
    }
    return 0;
}
