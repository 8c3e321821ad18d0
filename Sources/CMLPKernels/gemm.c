// GEMM driver: argument checks, the choice of path (tiny / packed, one or more threads), the split of C
// between threads, and the per-instruction-set instantiations of gemm_kernel.h.
//
// Why C and not Swift for packing and blocking: a plain `swift build -c release` targets baseline
// x86-64 (SSE2), so Swift packing loops cannot use 256/512-bit moves, and an FMA in Swift without the
// feature becomes a libm call. Function-level target attributes exist only in C. Keeping the five loops
// next to the micro-kernel also lets each instruction set pick its own block sizes.
#include "CMLPKernels.h"
#include <stdlib.h>
#include <string.h>

// What the store of a finished element of C applies (see mlp_gemm_options).
typedef struct {
    const void *bias;
    int relu;
    const void *relu_output;
    long ld_relu_output;
} gemm_epilogue;

static inline int has_epilogue(const gemm_epilogue *e) { return e->bias || e->relu || e->relu_output; }

static gemm_epilogue epilogue_of(const mlp_gemm_options *o) {
    if (!o) return (gemm_epilogue){0};
    return (gemm_epilogue){o->bias, o->relu, o->relu_output, o->ld_relu_output};
}

typedef struct {
    int transA, transB;
    long m, n, k;
    double alpha, beta;  // exact for float too
    const void *a, *b;
    void *c;
    long lda, ldb, ldc;
    long csc;  // column stride of C: 1, or ldc of the caller's C when computing C^T = op(B)^T op(A)^T
    gemm_epilogue epilogue;  // never with csc != 1
} gemm_args;

// Packing workspace, one per thread (the caller and each pool worker), grown on demand, 64-byte aligned.
static _Thread_local void *workspace_ptr;
static _Thread_local size_t workspace_size;

static void *workspace(size_t bytes) {
    if (bytes > workspace_size) {
        free(workspace_ptr);
        size_t size = (bytes + 4095) & ~(size_t)4095;
        workspace_ptr = aligned_alloc(64, size);
        workspace_size = workspace_ptr ? size : 0;
        if (!workspace_ptr) abort();
    }
    return workspace_ptr;
}

// ---- generic: baseline vectors (SSE2 / NEON), 16 registers: 4 x 2 vectors of accumulators ----
#define FMA(a, b, c) ((a) * (b) + (c))
#define T float
#define VL 4
#define MR 4
#define NV 2
#define SUF f32_generic
#include "gemm_kernel.h"
#undef T
#undef VL
#undef SUF
#define T double
#define VL 2
#define SUF f64_generic
#include "gemm_kernel.h"
#undef T
#undef VL
#undef SUF
#undef MR
#undef NV
#undef FMA

#if defined(__x86_64__)
#define FMA(a, b, c) __builtin_elementwise_fma(a, b, c)
// ---- AVX2 + FMA: 16 ymm registers. Double: 6 x 2 accumulators + 2 for B + 1 broadcast. Float uses 5 rows:
// with 6, clang spills one accumulator inside the k loop (docs/performance.md, "Tuning history"). ----
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define NV 2
#define MR 5
#define T float
#define VL 8
#define SUF f32_avx2
#include "gemm_kernel.h"
#undef T
#undef VL
#undef SUF
#undef MR
#define MR 6
#define T double
#define VL 4
#define SUF f64_avx2
#include "gemm_kernel.h"
#undef T
#undef VL
#undef SUF
#undef MR
#undef NV
#pragma clang attribute pop

// ---- AVX-512F: 32 zmm registers, 12 x 2 accumulators; A is broadcast from memory inside the FMA ----
#pragma clang attribute push(__attribute__((target("avx512f,avx2,fma"))), apply_to = function)
#define MR 12
#define NV 2
#define T float
#define VL 16
#define SUF f32_avx512
#include "gemm_kernel.h"
#undef T
#undef VL
#undef SUF
#define T double
#define VL 8
#define SUF f64_avx512
#include "gemm_kernel.h"
#undef T
#undef VL
#undef SUF
#undef MR
#undef NV
#pragma clang attribute pop
#undef FMA
#endif

typedef void (*range_fn)(const gemm_args *, long, long, long, long, long, long, long);
typedef void (*small_fn)(const gemm_args *);

typedef struct {
    range_fn range;
    small_fn small;
    int mr, nr;
    long mc, kc, nc;  // cache blocks, see below
} gemm_kernel;

// Block sizes (Zen 5: 48 KiB L1d, 1 MiB L2 per core at 64 B/cycle, 32 MiB L3 shared), AVX-512:
//   KC: long k blocks mean fewer read-modify-write passes over C and longer micro-kernel runs. The B micro-panel
//       (128 / 64 KiB) then streams from L2 alongside the A micro-panel instead of sitting in L1, which Zen 5's
//       L2 bandwidth covers.
//   MC: the A block MC x KC stays in L2 with a B micro-panel: f32 48 x 1024 x 4 = 192 KiB, f64 96 x 512 x 8
//       = 384 KiB.
//   NC: the B block KC x NC fits in the shared L3: 2048 x 1024 x 4 = 8 MiB (f32), 2048 x 512 x 8 = 8 MiB.
// AVX2 and generic keep the textbook L1-resident B micro-panel (KC = 256): no AVX2-only machine to tune them on.
// The scans behind these numbers: docs/performance.md, "Tuning history".
static gemm_kernel kernel_for(int isa, int element_size) {
    gemm_kernel kr;
    memset(&kr, 0, sizeof kr);
#if defined(__x86_64__)
    if (isa == MLP_ISA_AVX512) {
        if (element_size == 4) kr = (gemm_kernel){gemm_range_f32_avx512, gemm_small_f32_avx512, 12, 32, 48, 1024, 2048};
        else kr = (gemm_kernel){gemm_range_f64_avx512, gemm_small_f64_avx512, 12, 16, 96, 512, 2048};
        return kr;
    }
    if (isa == MLP_ISA_AVX2) {
        if (element_size == 4) kr = (gemm_kernel){gemm_range_f32_avx2, gemm_small_f32_avx2, 5, 16, 240, 256, 4096};
        else kr = (gemm_kernel){gemm_range_f64_avx2, gemm_small_f64_avx2, 6, 8, 120, 256, 2048};
        return kr;
    }
#endif
    (void)isa;
    if (element_size == 4) kr = (gemm_kernel){gemm_range_f32_generic, gemm_small_f32_generic, 4, 8, 128, 256, 2048};
    else kr = (gemm_kernel){gemm_range_f64_generic, gemm_small_f64_generic, 4, 4, 64, 256, 1024};
    return kr;
}

void mlp_gemm_micro_tile(int isa, int element_size, int *mr, int *nr) {
    gemm_kernel kr = kernel_for(isa, element_size);
    *mr = kr.mr;
    *nr = kr.nr;
}

void mlp_gemm_options_init(mlp_gemm_options *o) {
    o->isa = -1;
    o->threads = 0;
    o->small_threshold = -1;
    o->parallel_threshold = 0;
    o->mc = o->kc = o->nc = 0;
    o->bias = NULL;
    o->relu = 0;
    o->relu_output = NULL;
    o->ld_relu_output = 0;
}

#define DEFAULT_SMALL_THRESHOLD 4096L       // m*n*k: packing costs more than it saves below ~16^3
#define DEFAULT_PARALLEL_THRESHOLD 131072L  // m*n*k: below ~50^3 (~1 us of work) the hand-off outweighs the split

long mlp_gemm_small_threshold(void) { return DEFAULT_SMALL_THRESHOLD; }

typedef struct {
    const gemm_args *g;
    gemm_kernel kr;
    int split_columns;
    long tiles;
} parallel_job;

// Thread `index` of `count` computes a contiguous run of whole micro-tile rows or columns of C.
static void parallel_task(void *context, int index, int count) {
    const parallel_job *job = context;
    const gemm_args *g = job->g;
    long t0 = job->tiles * index / count, t1 = job->tiles * (index + 1) / count;
    if (t0 == t1) return;
    if (job->split_columns) {
        long c0 = t0 * job->kr.nr, c1 = t1 * job->kr.nr < g->n ? t1 * job->kr.nr : g->n;
        job->kr.range(g, 0, g->m, c0, c1, job->kr.mc, job->kr.kc, job->kr.nc);
    } else {
        long r0 = t0 * job->kr.mr, r1 = t1 * job->kr.mr < g->m ? t1 * job->kr.mr : g->m;
        job->kr.range(g, r0, r1, 0, g->n, job->kr.mc, job->kr.kc, job->kr.nc);
    }
}

static long round_up(long x, long to) { return (x + to - 1) / to * to; }

// C <- beta * C, then the epilogue: the whole product when k == 0 or alpha == 0.
#define FINISH(T)                                                                                            \
    do {                                                                                                     \
        T *c = (T *)g->c + i * g->ldc + j;                                                                   \
        T r = g->beta == 0 ? (T)0 : (T)g->beta * *c;                                                        \
        const gemm_epilogue *e = &g->epilogue;                                                               \
        if (e->bias) r = r + ((const T *)e->bias)[j];                                                        \
        if (e->relu) r = r < 0 ? (T)0 : r;                                                                  \
        if (e->relu_output) r = ((const T *)e->relu_output)[i * e->ld_relu_output + j] == 0 ? (T)0 : r;     \
        *c = r;                                                                                              \
    } while (0)
static void scale_c(const gemm_args *g, int element_size) {
    for (long i = 0; i < g->m; i++)
        for (long j = 0; j < g->n; j++) {
            if (element_size == 4) FINISH(float);
            else FINISH(double);
        }
}
#undef FINISH

static void gemm(const gemm_args *g, int element_size, const mlp_gemm_options *o) {
    if (g->m <= 0 || g->n <= 0) return;
    if (g->k <= 0 || g->alpha == 0) {  // BLAS: A and B are not read
        if (g->beta != 1 || has_epilogue(&g->epilogue)) scale_c(g, element_size);
        return;
    }
    mlp_gemm_options defaults;
    if (!o) { mlp_gemm_options_init(&defaults); o = &defaults; }
    int isa = o->isa >= 0 && mlp_isa_supported(o->isa) ? o->isa : mlp_best_isa();
    gemm_kernel kr = kernel_for(isa, element_size);
    double work = (double)g->m * (double)g->n * (double)g->k;
    long small = o->small_threshold >= 0 ? o->small_threshold : DEFAULT_SMALL_THRESHOLD;
    if (work <= (double)small) {
        kr.small(g);
        return;
    }
    // A narrow C (e.g. 200 x 10 for a 10-class output layer) wastes most of each NR-wide tile. Then compute
    // C^T = op(B)^T op(A)^T, whose tiles fit better, storing through the scalar path with column stride ldc.
    // The choice depends on the shape only, and each element is still one FMA chain over p in order.
    gemm_args swapped;
    long tiles = ((g->m + kr.mr - 1) / kr.mr) * ((g->n + kr.nr - 1) / kr.nr);
    long swappedTiles = ((g->n + kr.mr - 1) / kr.mr) * ((g->m + kr.nr - 1) / kr.nr);
    // Cost per tile ~ k FMA rounds plus its store: ~4 rounds' worth for the vector store, ~40 for the scalar
    // transposed one (fitted on 64x100x64, 200x20x100, 200x10x128 and 128x10x200 in Float and Double).
    // Not when A is stored by rows and C has one column panel: the packed driver then reads A in place.
    // Not with an epilogue either: it is indexed by C's rows and columns.
    if (!has_epilogue(&g->epilogue) && !(!g->transA && g->n <= kr.nr) && (double)swappedTiles * (double)(g->k + 40) < (double)tiles * (double)(g->k + 4)) {
        swapped = (gemm_args){!g->transB, !g->transA, g->n, g->m, g->k, g->alpha, g->beta, g->b, g->a, g->c,
                              g->ldb, g->lda, 1, g->ldc, {0}};
        g = &swapped;
    }
    if (o->mc > 0) kr.mc = round_up(o->mc, kr.mr);
    if (o->kc > 0) kr.kc = o->kc;
    if (o->nc > 0) kr.nc = round_up(o->nc, kr.nr);
    int threads = o->threads > 0 ? o->threads : mlp_get_num_threads();
    long parallel = o->parallel_threshold > 0 ? o->parallel_threshold : DEFAULT_PARALLEL_THRESHOLD;
    parallel_job job = {g, kr, 0, 0};
    // Split the longer side of C so each thread packs the shorter operand's block once more at most.
    long rowTiles = (g->m + kr.mr - 1) / kr.mr, colTiles = (g->n + kr.nr - 1) / kr.nr;
    job.split_columns = colTiles * kr.nr >= rowTiles * kr.mr;
    job.tiles = job.split_columns ? colTiles : rowTiles;
    if (threads > job.tiles) threads = (int)job.tiles;
    if (threads <= 1 || work < (double)parallel) {
        kr.range(g, 0, g->m, 0, g->n, kr.mc, kr.kc, kr.nc);
        return;
    }
    mlp_pool_run(threads, threads, parallel_task, &job);
}

void mlp_sgemm(int transA, int transB, long m, long n, long k,
               float alpha, const float *a, long lda, const float *b, long ldb,
               float beta, float *c, long ldc, const mlp_gemm_options *options) {
    gemm_args g = {transA != 0, transB != 0, m, n, k, alpha, beta, a, b, c, lda, ldb, ldc, 1, epilogue_of(options)};
    gemm(&g, 4, options);
}

void mlp_dgemm(int transA, int transB, long m, long n, long k,
               double alpha, const double *a, long lda, const double *b, long ldb,
               double beta, double *c, long ldc, const mlp_gemm_options *options) {
    gemm_args g = {transA != 0, transB != 0, m, n, k, alpha, beta, a, b, c, lda, ldb, ldc, 1, epilogue_of(options)};
    gemm(&g, 8, options);
}
