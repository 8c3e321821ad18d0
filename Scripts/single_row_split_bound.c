// The least a single float32 row of the large problem's network (100-256-128-10, ReLU) can take on one core and split
// over two, with AVX-512 or AVX2 (whichever the compiler flags enable), against the library's own split pass in the
// same process: the predictor's FMA chains with nothing else around them, and for the split the fewest hand-offs a
// column split allows (one flag each way per layer, no pool). It bounds what any split of `SingleRowPass` could reach
// on the machine it runs on (docs/performance.md, "The single row").
//
//   S=Sources/CMLPKernels; L="$S/gemm.c $S/cpu.c $S/pool.c $S/pool_probe.c $S/single_row.c"
//   clang -O2 -mavx512f -mfma -I $S/include Scripts/single_row_split_bound.c $L -o /tmp/split_bound -lpthread -lm
//   clang -O2 -mavx2 -mfma -I $S/include Scripts/single_row_split_bound.c $L -o /tmp/split_bound -lpthread -lm  # AVX2
//   /tmp/split_bound [rounds]   # CPUs 0 and 1; per mode the median, 10th and 90th percentile of a row's latency
//
// Modes, alternated in rounds: "one core"; "flags" (the caller computes the first 128 units of layer 1 and the first 64
// of layer 2, a worker pinned to the other CPU the rest; layer 2 waits for the other half of layer 1, the output layer
// for the other half of layer 2); "library" (mlp_row_layers_f32 on the same panels: the pool's phased job, its worker
// not pinned, kept on the workers by restarting the pool's measurement). Each unit is one FMA chain over its inputs in
// order, as in the predictor. Weights come in panels of 64 columns (the predictor's: four zmm or eight ymm), each
// panel's rows followed by its bias; the 10-unit output layer is padded to 16 columns, as the predictor pads it.
#define _GNU_SOURCE
#include "CMLPKernels.h"
#include <immintrin.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__AVX512F__)
#define VL 16
#define ISA MLP_ISA_AVX512
#elif defined(__AVX2__)
#define VL 8
#define ISA MLP_ISA_AVX2
#else
#error "compile with -mavx512f -mfma or -mavx2 -mfma"
#endif
#define PANEL 64           // columns a panel
#define VECS (PANEL / VL)  // vectors a panel
#define OUTPUT 16          // the output layer's padded columns
typedef float vec __attribute__((vector_size(VL * sizeof(float))));

#define ROWS 100000

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

// One block of `vecs` vectors of columns: out = act(Σ x[p] w[p][j] + bias[j]) over the n inputs x, w holding n rows of
// the block's columns and then its bias row.
static inline __attribute__((always_inline)) void dense_block(const float *x, int n, const float *w, float *out,
                                                              int relu, int vecs) {
    int columns = vecs * VL;
    vec acc[VECS];
    for (int v = 0; v < vecs; v++) acc[v] = (vec){0};
    for (int p = 0; p < n; p++) {
        vec xp = (vec){0} + x[p];
        for (int v = 0; v < vecs; v++)
            acc[v] = __builtin_elementwise_fma(xp, *(const vec *)(w + p * columns + v * VL), acc[v]);
    }
    for (int v = 0; v < vecs; v++) {
        vec r = acc[v] + *(const vec *)(w + n * columns + v * VL);
        if (relu) r = __builtin_elementwise_max(r, (vec){0});
        *(vec *)(out + v * VL) = r;
    }
}

// `panels` panels of columns, each (n + 1) x PANEL weights, into out's consecutive PANEL-column runs (ReLU).
static void dense(const float *x, int n, const float *w, int panels, float *out) {
    for (int panel = 0; panel < panels; panel++) dense_block(x, n, w + (long)panel * (n + 1) * PANEL, out + panel * PANEL, 1, VECS);
}

static void output_layer(const float *x, const float *w, float *y) { dense_block(x, 128, w, y, 0, OUTPUT / VL); }

// The network's panels in the library's layout, one after another: layer 1 (4 panels of 101 rows), layer 2 (2 of
// 257), the output layer (one of 129 rows of 16 columns).
#define LAYER1 0L
#define LAYER2 (LAYER1 + 4L * 101 * PANEL)
#define LAYER3 (LAYER2 + 2L * 257 * PANEL)
#define PACKED (LAYER3 + 129L * OUTPUT)
static float *packed;
static _Alignas(64) float x[128], hidden1[256], hidden2[128], y[OUTPUT], outputs[256 + 128 + OUTPUT];
// One cache line per flag: the caller's row sequence number, each side's finished layers.
static _Alignas(64) atomic_long go;
static _Alignas(64) atomic_long callerLayer1;
static _Alignas(64) atomic_long workerLayer1;
static _Alignas(64) atomic_long workerLayer2;

static void wait_for(atomic_long *flag, long value) {
    while (atomic_load_explicit(flag, memory_order_acquire) != value) _mm_pause();
}

static void pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

// The flags mode's worker, from row `start` + 1 until `go` turns negative.
static void *worker(void *start) {
    pin(1);
    for (long row = (long)start + 1;; row++) {
        long seen;
        while ((seen = atomic_load_explicit(&go, memory_order_acquire)) != row) {
            if (seen < 0) return NULL;
            _mm_pause();
        }
        dense(x, 100, packed + LAYER1 + 2L * 101 * PANEL, 2, hidden1 + 128);
        atomic_store_explicit(&workerLayer1, row, memory_order_release);
        wait_for(&callerLayer1, row);
        dense(hidden1, 256, packed + LAYER2 + 257L * PANEL, 1, hidden2 + 64);
        atomic_store_explicit(&workerLayer2, row, memory_order_release);
    }
}

static int ascending(const void *a, const void *b) {
    long p = *(const long *)a, q = *(const long *)b;
    return p < q ? -1 : p > q;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 2;
    srand(1);
    packed = aligned_alloc(64, (PACKED * sizeof(float) + 63) / 64 * 64);
    long *latency = malloc(ROWS * sizeof(long));
    if (!packed || !latency) return 1;
    for (long i = 0; i < PACKED; i++) packed[i] = (rand() / (float)RAND_MAX - 0.5f) * 0.1f;
    for (long i = LAYER3; i < PACKED; i++)
        if ((i - LAYER3) % OUTPUT >= 10) packed[i] = 0;  // the padding columns, as the predictor packs them
    for (int i = 0; i < 100; i++) x[i] = rand() / (float)RAND_MAX;
    const mlp_row_layer layers[3] = {
        {.n_in = 100, .padded_columns = 256, .panel_count = 4, .panels = LAYER1, .relu = 1, .splits = 1},
        {.n_in = 256, .padded_columns = 128, .panel_count = 2, .panels = LAYER2, .relu = 1, .splits = 1},
        {.n_in = 128, .padded_columns = OUTPUT, .panel_count = 1, .panels = LAYER3, .relu = 0, .splits = 0},
    };
    mlp_row_layers_f32(ISA, layers, 0, 3, packed, PANEL, x, outputs, outputs + 256, 2, 66000);  // the pool's worker
    pin(0);                                                                     // starts before the caller is pinned
    const char *names[] = {"one core", "flags", "library"};
    long row = 0;
    for (int round = 0; round < rounds; round++)
        for (int mode = 0; mode < 3; mode++) {
            pthread_t thread;
            if (mode == 1) pthread_create(&thread, NULL, worker, (void *)row);
            for (int i = 0; i < ROWS; i++) {
                long started = now_ns();
                if (mode == 0) {
                    dense(x, 100, packed + LAYER1, 4, hidden1);
                    dense(hidden1, 256, packed + LAYER2, 2, hidden2);
                    output_layer(hidden2, packed + LAYER3, y);
                } else if (mode == 1) {
                    atomic_store_explicit(&go, ++row, memory_order_release);
                    dense(x, 100, packed + LAYER1, 2, hidden1);
                    atomic_store_explicit(&callerLayer1, row, memory_order_release);
                    wait_for(&workerLayer1, row);
                    dense(hidden1, 256, packed + LAYER2, 1, hidden2);
                    wait_for(&workerLayer2, row);
                    output_layer(hidden2, packed + LAYER3, y);
                } else {
                    // Layer 3 reads buffer 0 (layer 1 wrote it, then layer 2 buffer 1; the third layer writes 0 again).
                    mlp_row_layers_f32(ISA, layers, 0, 3, packed, PANEL, x, outputs, outputs + 256, 2, 66000);
                }
                latency[i] = now_ns() - started;
                if (mode == 2 && (i & 127) == 0) mlp_pool_end_solo();  // keep the pool on its workers
                x[i % 100] += 1e-7f;  // a new row each time
            }
            if (mode == 1) {
                atomic_store(&go, -1);
                pthread_join(thread, NULL);
                atomic_store(&go, row);
            }
            qsort(latency, ROWS, sizeof(long), ascending);
            printf("%-8s median %5ld ns, 10th percentile %5ld, 90th %5ld (output %.7g)\n", names[mode],
                   latency[ROWS / 2], latency[ROWS / 10], latency[9 * ROWS / 10], mode == 2 ? outputs[3] : y[3]);
        }
    return 0;
}
