// GEMM options A/B in one process: runs one product under each configuration in turn, call by call, for a number of
// rounds, and prints each configuration's best and median GFLOP/s. Alternating within one process pairs the sides
// more closely than separate servers do on a machine whose speed drifts over seconds (docs/performance.md, "Rows
// first"). It links the release build's kernel objects, so build `mlp-bench` (or `mlp`) in release first:
//
//   swift build -c release --product mlp-bench
//   O=.build/release/CMLPKernels.build
//   clang -O2 -I Sources/CMLPKernels/include Scripts/gemm_ab.c $O/gemm.c.o $O/cpu.c.o $O/pool.c.o -lpthread -lm \
//       -o /tmp/gemm_ab
//   /tmp/gemm_ab float64 1 2048 2048 2048 11 columns rows          # the two loop orders
//   /tmp/gemm_ab float64 1 1024 1024 1024 9 default kc=256 kc=384 mc=192,kc=384
//
// A configuration is `default`, or comma-separated settings of mlp_gemm_options: rows, columns (the loop order), mc=N,
// kc=N, nc=N. MLP_KERNEL_ISA and MLP_CACHE_SIZES apply as everywhere.
#include "CMLPKernels.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CONFIGURATIONS 16

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int ascending(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int parse_configuration(const char *text, int threads, mlp_gemm_options *o) {
    mlp_gemm_options_init(o);
    o->threads = threads;
    char copy[256];
    snprintf(copy, sizeof copy, "%s", text);
    for (char *item = strtok(copy, ","); item; item = strtok(NULL, ",")) {
        if (!strcmp(item, "default")) continue;
        else if (!strcmp(item, "rows")) o->order = 1;
        else if (!strcmp(item, "columns")) o->order = 0;
        else if (!strncmp(item, "mc=", 3)) o->mc = atol(item + 3);
        else if (!strncmp(item, "kc=", 3)) o->kc = atol(item + 3);
        else if (!strncmp(item, "nc=", 3)) o->nc = atol(item + 3);
        else return 0;
    }
    return 1;
}

int main(int argc, char **argv) {
    int count = argc - 7;
    if (count < 1 || count > MAX_CONFIGURATIONS || (strcmp(argv[1], "float32") && strcmp(argv[1], "float64"))) {
        fprintf(stderr, "usage: gemm_ab float32|float64 THREADS M N K ROUNDS CONFIGURATION... (at most %d)\n",
                MAX_CONFIGURATIONS);
        return 2;
    }
    int isDouble = !strcmp(argv[1], "float64"), threads = atoi(argv[2]), rounds = atoi(argv[6]);
    long m = atol(argv[3]), n = atol(argv[4]), k = atol(argv[5]);
    if (threads < 1 || rounds < 1 || m < 1 || n < 1 || k < 1) {
        fprintf(stderr, "gemm_ab: THREADS, M, N, K and ROUNDS must be positive\n");
        return 2;
    }
    mlp_gemm_options options[MAX_CONFIGURATIONS];
    for (int i = 0; i < count; i++)
        if (!parse_configuration(argv[7 + i], threads, &options[i])) {
            fprintf(stderr, "gemm_ab: configuration '%s': expected default or rows, columns, mc=N, kc=N, nc=N\n",
                    argv[7 + i]);
            return 2;
        }
    size_t size = isDouble ? 8 : 4;
    void *a = malloc((size_t)(m * k) * size), *b = malloc((size_t)(k * n) * size), *c = malloc((size_t)(m * n) * size);
    double *gflops = malloc(sizeof(double) * (size_t)(rounds * count));
    if (!a || !b || !c || !gflops) {
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
    double flops = 2.0 * m * n * k;
    int calls = flops > 4e9 ? 1 : (int)(4e9 / flops) + 1;  // about a second of work or more per measurement
    for (int round = -1; round < rounds; round++)  // round -1 warms up every configuration
        for (int i = 0; i < count; i++) {
            double started = now();
            for (int call = 0; call < calls; call++) {
                if (isDouble) mlp_dgemm(0, 0, m, n, k, 1, a, k, b, n, 0, c, n, &options[i]);
                else mlp_sgemm(0, 0, m, n, k, 1, a, k, b, n, 0, c, n, &options[i]);
            }
            if (round >= 0) gflops[i * rounds + round] = flops * calls / (now() - started) / 1e9;
        }
    printf("%s, %d thread(s), %ld x %ld x %ld, %d rounds, GFLOP/s best / median:\n", argv[1], threads, m, n, k, rounds);
    for (int i = 0; i < count; i++) {
        double *g = gflops + i * rounds;
        qsort(g, (size_t)rounds, sizeof(double), ascending);
        printf("  %-24s %7.1f / %7.1f\n", argv[7 + i], g[rounds - 1], g[rounds / 2]);
    }
    return 0;
}
