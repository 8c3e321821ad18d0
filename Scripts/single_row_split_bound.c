// The least a single float32 (or, with -DDOUBLE, float64) row of the large problem's network (100-256-128-10, ReLU)
// can take on one core and split over two, with AVX-512 or AVX2 (whichever the compiler flags enable), against the
// library's own split pass in the same process: the predictor's FMA chains with nothing else around them, and for the split the fewest hand-offs a
// column split allows (one flag each way per layer, no pool). It bounds what any split of `SingleRowPass` could reach
// on the machine it runs on (docs/performance.md, "The single row").
//
//   S=Sources/CMLPKernels
//   L="$S/gemm.c $S/cpu.c $S/pool.c $S/pool_probe.c $S/pool_placement.c $S/single_row.c $S/environment.c"
//   clang -O2 -mavx512f -mfma -I $S/include Scripts/single_row_split_bound.c $L -o /tmp/split_bound -lpthread -lm
//   clang -O2 -mavx2 -mfma -I $S/include Scripts/single_row_split_bound.c $L -o /tmp/split_bound -lpthread -lm  # AVX2
//   (add -DDOUBLE for float64)
//   /tmp/split_bound [rounds]   # CPUs 0 and 1; per mode the median, 10th and 90th percentile of a row's latency
//
// Modes, alternated in rounds: "one core"; "flags" (the caller computes the first 128 units of layer 1 and the first 64
// of layer 2, a worker pinned to the other CPU the rest; layer 2 waits for the other half of layer 1, the output layer
// for the other half of layer 2); "library" (mlp_row_layers_f32 or _f64 on the same panels: the pool's phased job, its
// worker not pinned, kept on the workers by restarting the pool's measurement); "lib 1 thr" (the same on the calling
// thread alone: the library's loop against "one core"); "tagged" (the flags mode's split, but the data is the flag: the
// row, and each half a layer hands over, travel in cache lines whose last 8 bytes hold the row's number, so a hand-off
// is one trip of the lines instead of the flag's trip and then the data's; the last row is checked bit for bit against
// one core). Each unit is one FMA chain over its inputs in order, as in the predictor. The library's modes skip the
// zero inputs of layers 2 and 3 (about half: ReLU outputs) as the predictor does, so "one core", "flags" and
// "tagged", which read every weight, bound only the dense pass. Weights come in panels of the
// predictor's width (four zmm or eight ymm: 64 float32 or 32 float64 columns), each panel's rows followed by its bias;
// the 10-unit output layer is padded to whole vectors of an eighth of a panel (16 float32 columns, 12 float64 on AVX2)
// as the predictor pads it, and to whole registers here (16 float64 columns on AVX-512, where the predictor masks half
// a register: slightly more than the library reads).
#define _GNU_SOURCE
#include "CMLPKernels.h"
#include <immintrin.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifdef DOUBLE
typedef double real;
#define ROW_LAYERS mlp_row_layers_f64
#else
typedef float real;
#define ROW_LAYERS mlp_row_layers_f32
#endif
#if defined(__AVX512F__)
#define VECTOR_BYTES 64
#define VECS 4  // vectors a panel
#define ISA MLP_ISA_AVX512
#elif defined(__AVX2__)
#define VECTOR_BYTES 32
#define VECS 8
#define ISA MLP_ISA_AVX2
#else
#error "compile with -mavx512f -mfma or -mavx2 -mfma"
#endif
#define VL (VECTOR_BYTES / (int)sizeof(real))  // values a vector
#define PANEL (VECS * VL)                      // columns a panel
#define PANELS1 (256 / PANEL)                  // layer 1's panels
#define PANELS2 (128 / PANEL)                  // layer 2's
#define ROUND_UP(n, m) (((n) + (m) - 1) / (m) * (m))
#define OUTPUT ROUND_UP(ROUND_UP(10, PANEL / 8), VL)  // the output layer's padded columns
// ext_vector_type, as the library's kernels: `(vec)x` is a plain broadcast. (With vector_size, `(vec){0} + x` added
// a scalar zero before each broadcast, and this mode's one core ran 2.5 us where the library's pass took 1.9.)
typedef real vec __attribute__((ext_vector_type(VL)));

#define ROWS 100000

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

// One block of `vecs` vectors of columns: out = act(Σ x[p] w[p][j] + bias[j]) over the n inputs x, w holding n rows of
// the block's columns and then its bias row.
static inline __attribute__((always_inline)) void dense_block(const real *x, int n, const real *w, real *out, int relu,
                                                              int vecs) {
    int columns = vecs * VL;
    vec acc[VECS];
    for (int v = 0; v < vecs; v++) acc[v] = (vec){0};
    for (int p = 0; p < n; p++) {
        vec xp = (vec)x[p];
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
static void dense(const real *x, int n, const real *w, int panels, real *out) {
    for (int panel = 0; panel < panels; panel++) dense_block(x, n, w + (long)panel * (n + 1) * PANEL, out + panel * PANEL, 1, VECS);
}

static void output_layer(const real *x, const real *w, real *y) { dense_block(x, 128, w, y, 0, OUTPUT / VL); }

// The network's panels in the library's layout, one after another: layer 1 (panels of 101 rows), layer 2 (of 257),
// the output layer (one of 129 rows of OUTPUT columns).
#define LAYER1 0L
#define LAYER2 (LAYER1 + PANELS1 * 101L * PANEL)
#define LAYER3 (LAYER2 + PANELS2 * 257L * PANEL)
#define PACKED (LAYER3 + 129L * OUTPUT)
static real *packed;
static _Alignas(64) real x[128], hidden1[256], hidden2[128], y[OUTPUT], outputs[256 + 128 + OUTPUT];
// One cache line per flag: the caller's row sequence number, each side's finished layers.
static _Alignas(64) atomic_long go;
static _Alignas(64) atomic_long callerLayer1;
static _Alignas(64) atomic_long workerLayer1;
static _Alignas(64) atomic_long workerLayer2;

// A line whose last 8 bytes are the row it holds: the data is the flag.
#define PER_LINE ((64 - 8) / (int)sizeof(real))
typedef struct { _Alignas(64) real v[PER_LINE]; atomic_long seq; } tagged_line;
#define LINES(n) (((n) + PER_LINE - 1) / PER_LINE)
static tagged_line taggedX[LINES(100)], tagged1c[LINES(128)], tagged1w[LINES(128)], tagged2w[LINES(64)];
static void put(tagged_line *t, const real *values, int n, long row) {
    for (int l = 0; l < LINES(n); l++) {
        int m = n - l * PER_LINE < PER_LINE ? n - l * PER_LINE : PER_LINE;
        for (int i = 0; i < m; i++) t[l].v[i] = values[l * PER_LINE + i];
        atomic_store_explicit(&t[l].seq, row, memory_order_release);
    }
}
// Waits for every line of row `row` (polling all of them, so their transfers overlap) and copies them out.
static void take(tagged_line *t, real *values, int n, long row) {
    int lines = LINES(n);
    unsigned pending = (1u << lines) - 1;
    while (pending) {
        for (int l = 0; l < lines; l++)
            if ((pending >> l & 1) && atomic_load_explicit(&t[l].seq, memory_order_acquire) == row) {
                int m = n - l * PER_LINE < PER_LINE ? n - l * PER_LINE : PER_LINE;
                for (int i = 0; i < m; i++) values[l * PER_LINE + i] = t[l].v[i];
                pending &= ~(1u << l);
            }
        if (pending) _mm_pause();
    }
}
static _Alignas(64) real wx[128], wh1[256], wh2[128];  // the tagged worker's own copies

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
        dense(x, 100, packed + LAYER1 + PANELS1 / 2 * 101L * PANEL, PANELS1 / 2, hidden1 + 128);
        atomic_store_explicit(&workerLayer1, row, memory_order_release);
        wait_for(&callerLayer1, row);
        dense(hidden1, 256, packed + LAYER2 + PANELS2 / 2 * 257L * PANEL, PANELS2 / 2, hidden2 + 64);
        atomic_store_explicit(&workerLayer2, row, memory_order_release);
    }
}

// The tagged mode's worker: x arrives with the row number in its lines, and each half travels the same way.
static void *tagged_worker(void *start) {
    pin(1);
    for (long row = (long)start + 1;; row++) {
        while (atomic_load_explicit(&taggedX[0].seq, memory_order_acquire) != row) {
            if (atomic_load_explicit(&go, memory_order_relaxed) < 0) return NULL;
            _mm_pause();
        }
        take(taggedX, wx, 100, row);
        dense(wx, 100, packed + LAYER1 + PANELS1 / 2 * 101L * PANEL, PANELS1 / 2, wh1 + 128);
        put(tagged1w, wh1 + 128, 128, row);
        take(tagged1c, wh1, 128, row);
        dense(wh1, 256, packed + LAYER2 + PANELS2 / 2 * 257L * PANEL, PANELS2 / 2, wh2 + 64);
        put(tagged2w, wh2 + 64, 64, row);
    }
}

static int ascending(const void *a, const void *b) {
    long p = *(const long *)a, q = *(const long *)b;
    return p < q ? -1 : p > q;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 2;
    srand(1);
    packed = aligned_alloc(64, (PACKED * sizeof(real) + 63) / 64 * 64);
    long *latency = malloc(ROWS * sizeof(long));
    if (!packed || !latency) return 1;
    for (long i = 0; i < PACKED; i++) packed[i] = (rand() / (real)RAND_MAX - 0.5f) * 0.1f;
    // The padding columns as the predictor packs them: zero weights and a bias of 1. (With a bias of 0 their sums were
    // zero, which sends the library's output layer from its zero-skipping chains back to the full ones: 0.15 us more
    // in the library's modes until session 46.)
    for (long i = LAYER3; i < PACKED; i++)
        if ((i - LAYER3) % OUTPUT >= 10) packed[i] = (i - LAYER3) / OUTPUT == 128;
    for (int i = 0; i < 100; i++) x[i] = rand() / (real)RAND_MAX;
    const mlp_row_layer layers[3] = {
        {.n_in = 100, .padded_columns = 256, .panel_count = PANELS1, .panels = LAYER1, .relu = 1, .splits = 1,
         .skip_zero_inputs = 1},
        {.n_in = 256, .padded_columns = 128, .panel_count = PANELS2, .panels = LAYER2, .relu = 1, .splits = 1,
         .skip_zero_inputs = 1},
        {.n_in = 128, .padded_columns = OUTPUT, .panel_count = 1, .panels = LAYER3, .relu = 0, .splits = 0,
         .skip_zero_inputs = 1},
    };
    ROW_LAYERS(ISA, layers, 0, 3, packed, PANEL, x, outputs, outputs + 256, 2, 66000);  // the pool's worker
    pin(0);                                                                     // starts before the caller is pinned
    const char *names[] = {"one core", "flags", "library", "lib 1 thr", "tagged"};
    long row = 0;
    for (int round = 0; round < rounds; round++)
        for (int mode = 0; mode < 5; mode++) {
            pthread_t thread;
            if (mode == 1) pthread_create(&thread, NULL, worker, (void *)row);
            if (mode == 4) { atomic_store(&go, row); pthread_create(&thread, NULL, tagged_worker, (void *)row); }
            for (int i = 0; i < ROWS; i++) {
                long started = now_ns();
                if (mode == 0) {
                    dense(x, 100, packed + LAYER1, PANELS1, hidden1);
                    dense(hidden1, 256, packed + LAYER2, PANELS2, hidden2);
                    output_layer(hidden2, packed + LAYER3, y);
                } else if (mode == 1) {
                    atomic_store_explicit(&go, ++row, memory_order_release);
                    dense(x, 100, packed + LAYER1, PANELS1 / 2, hidden1);
                    atomic_store_explicit(&callerLayer1, row, memory_order_release);
                    wait_for(&workerLayer1, row);
                    dense(hidden1, 256, packed + LAYER2, PANELS2 / 2, hidden2);
                    wait_for(&workerLayer2, row);
                    output_layer(hidden2, packed + LAYER3, y);
                } else if (mode == 4) {
                    ++row;
                    put(taggedX, x, 100, row);
                    dense(x, 100, packed + LAYER1, PANELS1 / 2, hidden1);
                    put(tagged1c, hidden1, 128, row);
                    take(tagged1w, hidden1 + 128, 128, row);
                    dense(hidden1, 256, packed + LAYER2, PANELS2 / 2, hidden2);
                    take(tagged2w, hidden2 + 64, 64, row);
                    output_layer(hidden2, packed + LAYER3, y);
                } else if (mode == 3) {
                    ROW_LAYERS(ISA, layers, 0, 3, packed, PANEL, x, outputs, outputs + 256, 1, 66000);
                } else {
                    // Layer 3 reads buffer 0 (layer 1 wrote it, then layer 2 buffer 1; the third layer writes 0 again).
                    ROW_LAYERS(ISA, layers, 0, 3, packed, PANEL, x, outputs, outputs + 256, 2, 66000);
                }
                latency[i] = now_ns() - started;
                if (mode == 4 && i == ROWS - 1) {  // the same chains as one core's on the same row: the same bits
                    real tagged[OUTPUT];
                    for (int c = 0; c < OUTPUT; c++) tagged[c] = y[c];
                    dense(x, 100, packed + LAYER1, PANELS1, hidden1);
                    dense(hidden1, 256, packed + LAYER2, PANELS2, hidden2);
                    output_layer(hidden2, packed + LAYER3, y);
                    for (int c = 0; c < 10; c++)
                        if (tagged[c] != y[c])
                            printf("tagged output %d differs: %.9g against %.9g\n", c, tagged[c], y[c]);
                }
                if (mode == 2 && (i & 127) == 0) mlp_pool_end_solo();  // keep the pool on its workers
                x[i % 100] += (real)1e-7;  // a new row each time
            }
            if (mode == 1 || mode == 4) {
                atomic_store(&go, -1);
                pthread_join(thread, NULL);
                atomic_store(&go, row);
            }
            qsort(latency, ROWS, sizeof(long), ascending);
            printf("%-9s median %5ld ns, 10th percentile %5ld, 90th %5ld (output %.7g)\n", names[mode],
                   latency[ROWS / 2], latency[ROWS / 10], latency[9 * ROWS / 10],
                   mode == 2 || mode == 3 ? outputs[3] : y[3]);
        }
    return 0;
}
