// The least a single float32 row of the large problem's network (100-256-128-10, ReLU) can take on one core and split
// over two, with AVX-512 or AVX2 (whichever the compiler flags enable): the predictor's FMA chains with nothing else
// around them, and for the split the fewest hand-offs a column split allows (one flag each way per layer, no pool).
// It bounds what any split of `SingleRowPass` could reach on the machine it runs on (docs/performance.md, "The single
// row").
//
//   clang -O2 -mavx512f -mfma Scripts/single_row_split_bound.c -o /tmp/single_row_split_bound -lpthread   # AVX-512
//   clang -O2 -mavx2 -mfma Scripts/single_row_split_bound.c -o /tmp/single_row_split_bound -lpthread      # AVX2
//   /tmp/single_row_split_bound            # CPUs 0 and 1; prints the median, 10th and 90th percentile per row
//
// Split: the caller computes the first 128 units of layer 1 and the first 64 of layer 2, the worker (pinned to the
// other CPU) the rest; layer 2 waits for the other half of layer 1, the output layer for the other half of layer 2.
// Each unit is one FMA chain over its inputs in order, as in the predictor. Weights come in panels of 64 columns (the
// predictor's: four zmm or eight ymm), each panel's rows followed by its bias.
#define _GNU_SOURCE
#include <immintrin.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__AVX512F__)
#define VL 16
#elif defined(__AVX2__)
#define VL 8
#else
#error "compile with -mavx512f -mfma or -mavx2 -mfma"
#endif
#define PANEL 64            // columns a panel
#define VECS (PANEL / VL)   // vectors a panel
typedef float vec __attribute__((vector_size(VL * sizeof(float))));

#define ROWS 200000

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

// One panel: out[0 ..< PANEL] = act(Σ x[p] w[p][j] + bias[j]) over the inputs x0 (n0 values) then x1 (n1 values); w
// holds the panel's (n0 + n1) rows of PANEL weights and then its bias row.
static void dense_panel(const float *x0, int n0, const float *x1, int n1, const float *w, float *out, int relu) {
    vec acc[VECS];
    for (int v = 0; v < VECS; v++) acc[v] = (vec){0};
    for (int part = 0; part < 2; part++, w += n0 * PANEL, x0 = x1, n0 = n1)
        for (int p = 0; p < n0; p++) {
            vec xp = (vec){0} + x0[p];
            for (int v = 0; v < VECS; v++)
                acc[v] = __builtin_elementwise_fma(xp, *(const vec *)(w + p * PANEL + v * VL), acc[v]);
        }
    for (int v = 0; v < VECS; v++) {
        vec r = acc[v] + *(const vec *)(w + v * VL);
        if (relu) r = __builtin_elementwise_max(r, (vec){0});
        *(vec *)(out + v * VL) = r;
    }
}

// `panels` panels of columns, each (n0 + n1 + 1) x PANEL weights, into out's consecutive PANEL-column runs.
static void dense(const float *x0, int n0, const float *x1, int n1, const float *w, int panels, float *out, int relu) {
    for (int panel = 0; panel < panels; panel++)
        dense_panel(x0, n0, x1, n1, w + (long)panel * (n0 + n1 + 1) * PANEL, out + panel * PANEL, relu);
}

static float *weights(long count) {
    float *w = aligned_alloc(64, (count * sizeof(float) + 63) / 64 * 64);
    if (!w) exit(1);
    for (long i = 0; i < count; i++) w[i] = (rand() / (float)RAND_MAX - 0.5f) * 0.1f;
    return w;
}

static _Alignas(64) float x[112], hidden1a[128], hidden1b[128], hidden2a[64], hidden2b[64], y[PANEL];
static float *layer1a, *layer1b, *layer2a, *layer2b, *layer3;
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

static void *worker(void *unused) {
    (void)unused;
    pin(1);
    for (long row = 1;; row++) {
        wait_for(&go, row);
        dense(x, 100, x, 0, layer1b, 2, hidden1b, 1);
        atomic_store_explicit(&workerLayer1, row, memory_order_release);
        wait_for(&callerLayer1, row);
        dense(hidden1a, 128, hidden1b, 128, layer2b, 1, hidden2b, 1);
        atomic_store_explicit(&workerLayer2, row, memory_order_release);
    }
    return NULL;
}

static int ascending(const void *a, const void *b) {
    long p = *(const long *)a, q = *(const long *)b;
    return p < q ? -1 : p > q;
}

int main(void) {
    srand(1);
    layer1a = weights(2 * 101 * PANEL), layer1b = weights(2 * 101 * PANEL);
    layer2a = weights(257 * PANEL), layer2b = weights(257 * PANEL);
    layer3 = weights(129 * PANEL);  // the 10-unit output layer padded to a panel, as the predictor pads it
    for (int i = 0; i < 100; i++) x[i] = rand() / (float)RAND_MAX;
    pin(0);
    pthread_t thread;
    pthread_create(&thread, NULL, worker, NULL);
    long *latency = malloc(ROWS * sizeof(long)), row = 0;
    if (!latency) return 1;
    for (int round = 0; round < 4; round++) {
        int split = round % 2;
        for (int i = 0; i < ROWS; i++) {
            long started = now_ns();
            if (split) {
                atomic_store_explicit(&go, ++row, memory_order_release);
                dense(x, 100, x, 0, layer1a, 2, hidden1a, 1);
                atomic_store_explicit(&callerLayer1, row, memory_order_release);
                wait_for(&workerLayer1, row);
                dense(hidden1a, 128, hidden1b, 128, layer2a, 1, hidden2a, 1);
                wait_for(&workerLayer2, row);
            } else {
                dense(x, 100, x, 0, layer1a, 2, hidden1a, 1);
                dense(x, 100, x, 0, layer1b, 2, hidden1b, 1);
                dense(hidden1a, 128, hidden1b, 128, layer2a, 1, hidden2a, 1);
                dense(hidden1a, 128, hidden1b, 128, layer2b, 1, hidden2b, 1);
            }
            dense(hidden2a, 64, hidden2b, 64, layer3, 1, y, 0);
            latency[i] = now_ns() - started;
            x[i % 100] += 1e-7f;  // a new row each time
        }
        qsort(latency, ROWS, sizeof(long), ascending);
        printf("%s: median %ld ns, 10th percentile %ld, 90th %ld (output %g)\n",
               split ? "split over two cores" : "one core", latency[ROWS / 2], latency[ROWS / 10],
               latency[9 * ROWS / 10], y[0]);
    }
    return 0;
}
