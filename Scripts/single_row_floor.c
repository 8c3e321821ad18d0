// How close one thread's single-row pass comes to the floor its weight bytes set: each layer of the large problem's
// network (100-256-128-10, ReLU) through the library's pass on the calling thread (mlp_row_layers_f32 or _f64, the
// predictor's panels, skipping zero inputs), against the time the same core takes to read as many bytes of a buffer
// held in its caches (read_all.h's four add chains, as l2_read_bound.c). A layer that skips its zero inputs reads the
// weight rows of its non-zero inputs and its bias; the others read every row. A layer's chains are also as long as the
// inputs it reads, one FMA's latency a step, so the floor is the longer of the read and one such chain (the output
// layer's: its 4 KB take less than its chain). docs/performance.md, "The single row's floor, layer by layer".
//
//   S=Sources/CMLPKernels
//   L="$S/gemm.c $S/cpu.c $S/pool.c $S/pool_probe.c $S/pool_placement.c $S/single_row.c $S/environment.c"
//   clang -O2 -mavx2 -mfma -I $S/include Scripts/single_row_floor.c $L -o /tmp/row_floor -lpthread -lm   # AVX2
//   clang -O2 -mavx512f -mfma -I $S/include Scripts/single_row_floor.c $L -o /tmp/row_floor -lpthread -lm
//   (add -DDOUBLE for float64)
//   /tmp/row_floor          # on CPU 0; medians of 200,000 calls, the clock's own cost taken off
#define _GNU_SOURCE
#include "CMLPKernels.h"
#include <immintrin.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "read_all.h"

#ifdef DOUBLE
typedef double real;
#define ROW_LAYERS mlp_row_layers_f64
#define TYPE_NAME "float64"
#else
typedef float real;
#define ROW_LAYERS mlp_row_layers_f32
#define TYPE_NAME "float32"
#endif
#if defined(__AVX512F__)
#define VECTOR_BYTES 64
#define VECS 4
#define ISA MLP_ISA_AVX512
#define ISA_NAME "AVX-512"
#elif defined(__AVX2__)
#define VECTOR_BYTES 32
#define VECS 8
#define ISA MLP_ISA_AVX2
#define ISA_NAME "AVX2"
#else
#error "compile with -mavx512f -mfma or -mavx2 -mfma"
#endif
#define VL (VECTOR_BYTES / (int)sizeof(real))
#define PANEL (VECS * VL)  // the predictor's panel width (DenseRowPanels.width)
#define ROUND_UP(n, m) (((n) + (m) - 1) / (m) * (m))
#define CALLS 200000

static const long sizes[4] = {100, 256, 128, 10};

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static int ascending(const void *a, const void *b) {
    long p = *(const long *)a, q = *(const long *)b;
    return p < q ? -1 : p > q;
}

static long latency[CALLS];

static long median(void) {
    qsort(latency, CALLS, sizeof(long), ascending);
    return latency[CALLS / 2];
}

// Median ns of reading `bytes` from a buffer that stays in this core's caches.
static long read_floor(long bytes, long clock_ns) {
    bytes = ROUND_UP(bytes, 128);
    float *buffer = aligned_alloc(64, (size_t)bytes);
    if (!buffer) return -1;
    for (long i = 0; i < bytes / 4; i++) buffer[i] = 1;
    volatile float sink = 0;
    for (int call = 0; call < 1000; call++) sink += read_all(buffer, bytes / 4);
    for (int call = 0; call < CALLS; call++) {
        long started = now_ns();
        sink += read_all(buffer, bytes / 4);
        latency[call] = now_ns() - started;
    }
    free(buffer);
    return median() - clock_ns;
}

// Median ns of one dependent chain of `steps` FMAs (the vector FMA's latency times steps).
static long chain_floor(long steps, long clock_ns) {
    volatile float seed = 1;
    for (int call = 0; call < CALLS; call++) {
        __m256 acc = _mm256_set1_ps(seed), x = _mm256_set1_ps(0.5f), w = _mm256_set1_ps(0.25f);
        long started = now_ns();
        for (long k = 0; k < steps; k++) __asm__ volatile("vfmadd231ps %1, %2, %0" : "+x"(acc) : "x"(x), "x"(w));
        latency[call] = now_ns() - started;
        seed = _mm256_cvtss_f32(acc);
    }
    return median() - clock_ns;
}

int main(void) {
    cpu_set_t cpu;
    CPU_ZERO(&cpu);
    CPU_SET(0, &cpu);
    sched_setaffinity(0, sizeof cpu, &cpu);
    mlp_row_layer layers[3];
    long offset = 0;
    for (int l = 0; l < 3; l++) {
        long padded = l < 2 ? sizes[l + 1] : ROUND_UP(sizes[l + 1], PANEL / 8);  // DenseRowPanels.paddedColumns
        layers[l] = (mlp_row_layer){.n_in = sizes[l], .padded_columns = padded,
                                    .panel_count = (padded + PANEL - 1) / PANEL, .panels = offset, .relu = l < 2,
                                    .splits = 0, .skip_zero_inputs = 1};
        offset += (sizes[l] + 1) * padded;
    }
    real *packed = aligned_alloc(64, (size_t)ROUND_UP(offset * (long)sizeof(real), 64));
    if (!packed) return 1;
    srand(1);
    for (long i = 0; i < offset; i++) packed[i] = (rand() / (real)RAND_MAX - 0.5f) * 0.1f;
    // The output layer's padding columns as DenseRowPanels.pack writes them: zero weights and a bias of 1.
    const mlp_row_layer *out = &layers[2];
    for (long p = 0; p <= out->n_in; p++)
        for (long j = sizes[3]; j < out->padded_columns; j++)
            packed[out->panels + p * out->padded_columns + j] = p == out->n_in;
    static _Alignas(64) real x[128], buffers[2][256];
    for (int i = 0; i < 100; i++) x[i] = rand() / (real)RAND_MAX;

    for (int call = 0; call < CALLS; call++) latency[call] = -now_ns() + now_ns();
    long clock_ns = median();
    printf("%s %s, one thread on CPU 0, medians of %d calls less the clock's %ld ns; the random network's rows "
           "(%d-column panels)\n", TYPE_NAME, ISA_NAME, CALLS, clock_ns, PANEL);
    printf("layers        inputs read      bytes     pass ns   read ns   chain ns   pass / floor\n");
    long total_bytes = 0, total_chain = 0;
    for (int range = 0; range < 4; range++) {
        int first = range < 3 ? range : 0, end = range < 3 ? range + 1 : 3;
        for (int call = 0; call < CALLS; call++) {
            long started = now_ns();
            ROW_LAYERS(ISA, layers, first, end, packed, PANEL, x, buffers[0], buffers[1], 1, 0);
            latency[call] = now_ns() - started;
            x[call % 100] += (real)1e-7;  // a new row each time
        }
        long pass = median() - clock_ns, bytes, chain;
        char inputs[32];
        if (range < 3) {
            const real *input = range == 0 ? x : buffers[(range - 1) % 2];
            long nonzero = 0;
            for (long p = 0; p < layers[range].n_in; p++) nonzero += input[p] != 0;
            long read = 4 * nonzero <= 3 * layers[range].n_in ? nonzero : layers[range].n_in;  // dense_panels' rule
            bytes = (read + 1) * layers[range].padded_columns * (long)sizeof(real);
            chain = chain_floor(read, clock_ns);
            total_bytes += bytes;
            total_chain += chain;
            snprintf(inputs, sizeof inputs, "%ld of %ld", read, layers[range].n_in);
        } else {  // the whole pass: its bytes in one read, its layers' chains one after another
            bytes = total_bytes;
            chain = total_chain;
            inputs[0] = 0;
        }
        long read = read_floor(bytes, clock_ns), floor = read > chain ? read : chain;
        char name[16];
        snprintf(name, sizeof name, range < 3 ? "%d" : "1-3", range + 1);
        printf("%-13s %-12s %7.1f KB %10ld %9ld %10ld %14.2f\n", name, inputs, bytes / 1024.0, pass, read, chain,
               floor > 0 ? (double)pass / (double)floor : 0.0);
    }
    return 0;
}
