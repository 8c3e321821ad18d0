// GEMM driver: argument checks, the choice of path (tiny / packed, one or more threads), the split of C
// between threads, and the per-instruction-set instantiations of gemm_kernel.h.
//
// Why C and not Swift for packing and blocking: a plain `swift build -c release` targets baseline
// x86-64 (SSE2), so Swift packing loops cannot use 256/512-bit moves, and an FMA in Swift without the
// feature becomes a libm call. Function-level target attributes exist only in C. Keeping the five loops
// next to the micro-kernel also lets each instruction set pick its own block sizes.
#include "CMLPKernels.h"
#include "environment.h"
#include <limits.h>
#include <stdatomic.h>
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
    long direct_a_span;      // bytes an MR-row micro-panel of A read in place may span (set by gemm from L1)
    long direct_b_rows;      // k rows of a B micro-panel read in place that stay in L1 (set by gemm; at most 256)
    int in_place;            // whether A stored by rows is read in place where reused (mlp_gemm_options.in_place)
    int rows_first;          // the loop order (gemm_range)
    int rows_upward;         // columns first walks its row blocks and micro-panels upward (parallel_task)
    int half_tails;          // mlp_gemm_options.half_tails, resolved
    long workspace_limit;    // mlp_gemm_options.workspace_limit
} gemm_args;

// One step of the rows-first loops (a k block, an A block and a B block) run by several threads as one phased pool
// job: phase 0 packs the B block, and the A block when the step is the first of its A block (pack_a_parts > 0; its
// parts come first), phase 1 computes the tiles, a run of A micro-panels per part (rows_first_part in
// gemm_kernel.h, rows_first_shared below).
typedef struct {
    const gemm_args *g;
    long ic, mc, pc, kc, jc, nc;  // the A block's rows, the k block, the B block's columns
    int pack_a_parts;
    void *ap, *bp;  // the shared packed blocks
} rows_first_step;

// Where part `part` of `parts` starts in `extent` lines split into runs of whole `width`-line micro-panels.
static inline long panel_run_start(long extent, int width, long part, long parts) {
    long panels = (extent + width - 1) / width, start = panels * part / parts * width;
    return start < extent ? start : extent;
}

// Packing workspace, one per thread (the caller and each pool worker), grown on demand, 64-byte aligned. NULL when
// `bytes` exceeds `limit` (> 0) or the allocation fails: the caller then takes the unpacked path.
static _Thread_local void *workspace_ptr;
static _Thread_local size_t workspace_size;

static void *workspace(size_t bytes, long limit) {
    if (limit > 0 && bytes > (size_t)limit) return NULL;
    if (bytes > workspace_size) {
        free(workspace_ptr);
        size_t size = (bytes + 4095) & ~(size_t)4095;
        workspace_ptr = aligned_alloc(64, size);
        workspace_size = workspace_ptr ? size : 0;
    }
    return workspace_ptr;
}

// Block lengths evened over `extent`: as many blocks as `block` requires, of equal length in whole multiples of
// `multiple`. 1024 columns over NC 896 would pack every A block twice, once for a last block of 128.
static inline long even_block(long extent, long block, long multiple) {
    long blocks = (extent + block - 1) / block;
    return blocks > 1 ? ((extent + blocks - 1) / blocks + multiple - 1) / multiple * multiple : block;
}

// This thread's workspace holding a packed A block of up to mc x kc (in mr-row micro-panels) followed by a B block
// of up to kc x nc (nr-column micro-panels); *bp receives the B block, 64-byte aligned for the aligned vector loads.
// NULL when the workspace cannot be had (see workspace).
static void *packed_blocks(const gemm_args *g, long mc, long nc, long kc, int mr, int nr, int element_size, void **bp) {
    long mcp = (mc + mr - 1) / mr * mr, ncp = (nc + nr - 1) / nr * nr;
    long aSize = (mcp * kc + 15) / 16 * 16;
    char *ap = workspace((size_t)(aSize + ncp * kc) * (size_t)element_size, g->workspace_limit);
    *bp = ap ? ap + aSize * element_size : NULL;
    return ap;
}

// The widest C that rows as lanes computes (gemm_narrow_kernel.h, on AVX-512): the columns' accumulators, eight
// transposed vectors of A and the transpose's eight temporaries take the 32 registers.
#define NARROW_MAX_N 15

// A cache line's round trip between two cores that share no L3: the project's two vCPUs measured 40-100 ns within a
// Zen 5 CCD and 470-500 ns across two (Scripts/vcpu_round_trip.c, mlp_pool_round_trip_ns).
#define CORES_APART_NS 250

// The longest k block whose operands may be read in place instead of packed (gemm_range): past it packing won even
// at odd strides (512 squares of doubles, docs/performance.md "Kernels").
#define MAX_IN_PLACE_K 256

// ---- generic: baseline vectors (SSE2 / NEON) ----
// x86-64's SSE2 has 16 registers: 4 x 2 vectors of accumulators. arm64's NEON has 32, and cores that issue four FMAs
// a cycle at a latency of four (Apple's, Neoverse V1) need 16 sums in flight: BLIS's armv8a tiles, 8 x 3 vectors of
// float32 and 6 x 4 of float64, 24 accumulators beside the B vectors and A's lanes. Not timed on an arm64 machine
// (none has been lent); the tiles are checked under qemu (Scripts/portable_kernels_check.sh).
#if defined(__aarch64__)
#define GENERIC_F32_MR 8
#define GENERIC_F32_NV 3
#define GENERIC_F64_MR 6
#define GENERIC_F64_NV 4
#else
#define GENERIC_F32_MR 4
#define GENERIC_F32_NV 2
#define GENERIC_F64_MR 4
#define GENERIC_F64_NV 2
#endif
// A fused multiply-add where the baseline has one (arm64; x86-64 built with -mfma), else a multiply and an add.
// Explicit either way: clang contracts a * b + c wherever FP contraction is on, which there fused the tiles' sums but
// not the single row's (under `fp contract(off)`), so a row alone and in a batch differed
// (Scripts/portable_kernels_check.c).
#if defined(__ARM_FEATURE_FMA) || defined(__FMA__)
#define FMA(a, b, c) __builtin_elementwise_fma(a, b, c)
#else
#define FMA(a, b, c) ((a) * (b) + (c))
#endif
#define TRANSPOSED_A_PANELS 4
#define MR GENERIC_F32_MR
#define NV GENERIC_F32_NV
#define T float
#define VL 4
#define SUF f32_generic
#include "gemm_kernel.h"
#undef MR
#undef NV
#define MR GENERIC_F64_MR
#define NV GENERIC_F64_NV
#define T double
#define VL 2
#define SUF f64_generic
#include "gemm_kernel.h"
#undef MR
#undef NV
#undef TRANSPOSED_A_PANELS
#undef FMA

#if defined(__x86_64__)
#define FMA(a, b, c) __builtin_elementwise_fma(a, b, c)
// ---- AVX2 + FMA: 16 ymm registers: 6 x 2 accumulators + 2 for B + 1 broadcast, as BLIS's Haswell kernels. ----
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define MR 6
#define NV 2
#define TRANSPOSED_A_PANELS 3
// Four k steps an iteration: one step a loop left clang two register copies of an accumulator per step (15 of the
// 16 registers taken); written out four times, none, and squares of 256-2048 gained 2-10% on an Intel Xeon, the MLP
// products -1% to +8% (docs/performance.md, "The AVX2 k loop"). A stored by rows is read in place beside a packed B
// (A_BESIDE_PACKED_B, see gemm_range). Each instance consumes both (gemm_kernel.h).
#define T float
#define VL 8
#define K_UNROLL 4
#define A_BESIDE_PACKED_B 1
#define SUF f32_avx2
#include "gemm_kernel.h"
#define T double
#define VL 4
#define K_UNROLL 4
#define A_BESIDE_PACKED_B 1
#define SUF f64_avx2
#include "gemm_kernel.h"
#undef MR
#undef NV
#undef TRANSPOSED_A_PANELS
#pragma clang attribute pop

// ---- AVX-512F: 32 zmm registers, 12 x 2 accumulators; A is broadcast from memory inside the FMA ----
// A ymm half vector for the last columns where a zmm would be at most half used (HALF_TAIL; where the CPU gains
// from it: mlp_gemm_half_tails_default).
#pragma clang attribute push(__attribute__((target("avx512f,avx2,fma"))), apply_to = function)
#include <immintrin.h>
#define MR 12
#define NV 2
#define TRANSPOSED_A_PANELS 8
#define T float
#define VL 16
#define HALF_TAIL 1
#define MASKED_TAILS 1
#define SUF f32_avx512
#define ROWS_AS_LANES 1  // narrow products (gemm_narrow_kernel.h)
#include "gemm_kernel.h"
#define T double
#define VL 8
#define HALF_TAIL 1
#define MASKED_TAILS 1
#define SUF f64_avx512
#define ROWS_AS_LANES 1  // narrow products (gemm_narrow_kernel.h)
#include "gemm_kernel.h"
#undef MR
#undef NV
#undef TRANSPOSED_A_PANELS
#pragma clang attribute pop
#undef FMA
#endif

typedef void (*range_fn)(const gemm_args *, long, long, long, long, long, long, long);
typedef void (*small_fn)(const gemm_args *, long, long, long, long);
typedef void (*narrow_fn)(const gemm_args *, long, long, int);

typedef struct {
    range_fn range;
    small_fn small;
    mlp_phase_task_fn rows_first_part;  // one part of a shared rows-first step (rows_first_shared)
    int mr, nr;
    long mc, kc, nc;     // cache blocks, see below
    long mc_rows, nc_rows;  // the rows-first order's row and column blocks (KC is the same)
    long kc_tall;           // KC of rows-first products of several row blocks (tall_kc)
    int tall_kc_halves;     // whether kc_tall is the L2-way KC of 512-bit FMAs run as halves, else half of L1
    int tall_rows_first;    // whether products of more than MC rows take the rows-first order (tall_rows_first_for)
    int wide_rows_first;    // wide products of one row block do, when operands are packed, past this many rows-first
                            // B blocks of columns; 0: never (wide_rows_first_for)
    int short_rows_first;   // whether products of a short k take the rows-first order (short_rows_first_for)
    mlp_cache_level l1, l2;  // L1d and L2, for the operands read in place
    narrow_fn narrow;        // rows as lanes for narrow products (gemm_narrow_kernel.h); NULL where not written
    int narrow_lanes;        // its vector's lanes (the rows of a panel)
    int narrow_columns;      // the most columns it takes by default (narrow_applies)
} gemm_kernel;

// The kernels of one instantiation of gemm_kernel.h, with its register tile.
#define KERNELS(SUF)                                                                                                 \
    (gemm_kernel) {                                                                                                  \
        gemm_range_##SUF, gemm_small_##SUF, rows_first_part_##SUF, tile_rows_##SUF, tile_columns_##SUF               \
    }

// The micro-kernel of each instruction set and element type; its cache blocks come from blocking_for.
static gemm_kernel micro_kernel_for(int isa, int element_size) {
#if defined(__x86_64__)
    if (isa == MLP_ISA_AVX512) {
        gemm_kernel kr = element_size == 4 ? KERNELS(f32_avx512) : KERNELS(f64_avx512);
        kr.narrow = element_size == 4 ? narrow_rows_f32_avx512 : narrow_rows_f64_avx512;
        kr.narrow_lanes = element_size == 4 ? 16 : 8;
        kr.narrow_columns = element_size == 4 ? 11 : 12;
        return kr;
    }
    if (isa == MLP_ISA_AVX2) return element_size == 4 ? KERNELS(f32_avx2) : KERNELS(f64_avx2);
#endif
    (void)isa;
    return element_size == 4 ? KERNELS(f32_generic) : KERNELS(f64_generic);
}

static long sets_of(const mlp_cache_level *c) {
    long sets = c->size / ((long)c->ways * c->line);
    return sets > 0 ? sets : 1;
}

static long ways_for(long bytes, const mlp_cache_level *c) {
    long way = sets_of(c) * c->line;
    return (bytes + way - 1) / way;
}

static long gcd(long a, long b) {
    while (b) {
        long t = a % b;
        a = b;
        b = t;
    }
    return a;
}

// How many rows of `width` bytes, `stride` bytes apart, fit in the sets of `cache` they map to, `ways` ways of each.
// Rows a power of two apart share few sets: a 1 KiB stride reaches 4 of the 64 sets of a 32 KiB 8-way L1, 28 rows
// in 7 ways, so a 256-row micro-panel read in place at that stride is re-read from L2 for every tile (a 256 square
// of doubles on Zen 3: -25%); an 8 KiB stride reaches 16 of the 2,048 sets of a 2 MiB 16-way L2, which the A block
// also fills (1024 x 1024 x 256 doubles on an Intel Xeon: -15%). At odd strides the count exceeds 256.
static long rows_in_sets(const mlp_cache_level *cache, long stride, long width, long ways) {
    long way = sets_of(cache) * cache->line;
    long linesPerRow = (width + cache->line - 1) / cache->line;
    long sets = way / gcd(stride > 0 ? stride : way, way) * linesPerRow;
    if (sets > sets_of(cache)) sets = sets_of(cache);
    return sets * (ways > 1 ? ways : 1) / linesPerRow;
}

// Cache blocks from the caches, after the analytical model of Low, Igual, Smith and Quintana-Orti, "Analytical modeling
// is enough for high-performance BLIS" (ACM TOMS 43(2), 2016), for a set-associative cache of W ways, N sets and lines
// of C bytes, elements of S bytes:
//   KC: the A micro-panel (MR x KC) fills L1 and the B micro-panel streams from L2: KC = L1 / (MR * S). Fewer, longer
//       k blocks; the published form keeps the B micro-panel in L1 instead (C_A = floor((W1 - 1) / (1 + NR/MR)) ways
//       for A, KC = C_A * N1 * C1 / (MR * S); MLP_GEMM_KC=model), which measured up to 40% slower with small L1s
//       (docs/performance.md, "Cache blocks from the machine").
//   MC: the A block (MC x KC) stays in L2 next to one B micro-panel, with one way left for streaming C:
//       MC = (W2 - 1 - ways(B micro-panel)) * N2 * C2 / (KC * S), rounded down to a multiple of MR.
//   NC: the B block (KC x NC) stays in this thread's share of L3 next to the A block:
//       NC = (W3 - 1 - ways(A block)) * N3 * C3 / (KC * S * sharers), rounded down to a multiple of NR, where
//       sharers is at least L3_SHARERS: an L3 serves a whole core complex (8 cores on Zen 2-5, a socket's cores on
//       Intel), and in a VM or container the other cores' work is invisible but still takes its share. With the
//       visible 2 processors, NC covered all of a 2048 square and two threads ran 8-10% slower than with NC = 512
//       (docs/performance.md, "Cache blocks from the machine").
// The rows-first order (gemm_range; products with more rows than MC) swaps the roles of the blocks:
//   NC: the B block (KC x NC) stays in L2 beside one A micro-panel, with one way for C:
//       NC = (W2 - 1 - ways(A micro-panel)) * N2 * C2 / (KC * S), rounded down to a multiple of NR;
//   MC: the A block (MC x KC) in this thread's share of L3 beside the B block, as NC above.
// Where the AVX-512 kernels run each 512-bit FMA as two halves (mlp_wide_fma_runs_as_halves, Zen 4), a tile's k step
// takes twice the cycles for the same bytes, and the A micro-panel streams from L2 as fast as from L1: products of
// several row blocks in the rows-first order then take a KC whose A micro-panel fills one way of L2 (KC_tall), so each
// tile's C is loaded and stored a quarter as often. NC and MC stay those of the L1-sized KC: the B block
// outgrows L2 and streams from L3 with its prefetch; sizing NC to L2 left each A micro-panel two tiles and lost 5-14%
// (docs/performance.md, "Longer k blocks where FMAs run as halves").
// Elsewhere such products take, on one thread, a KC whose A micro-panel fills half of L1 (KC_tall = KC / 2), in k
// blocks of about that length (nearest_k_block): in the rows-first order the A micro-panel is what L1 must keep
// between the tiles of its row, and one that fills L1 is partly evicted by the B lines each tile streams through.
// On a Zen 5, one thread, paired with numpy in the machine's slow spells, 2048^2 float32 0.83-0.86 -> 0.91-0.95,
// 1024^2 0.89-0.91 -> 0.96, float64 +3-9%; in its fast spells float32 level, float64 2048^2 -4%. Intel float64 had
// 0.86 -> 0.90 at KC 256 in session 17. Shared steps on two threads keep the L1-sized KC: there the shorter one
// measured level to 5% slower (docs/performance.md, "Half of L1 for the A micro-panel").
// Summation does not depend on KC (each k block resumes the previous block's chain, see gemm_range), so results
// do not change with the caches.
// MLP_GEMM_KC=model: KC from the published L1 model (the B micro-panel resident in L1) instead of the streamed form.
#define L3_SHARERS 8

static int l1_resident_b_panel(void) {
    return mlp_env_gemm_kc_model();
}

// Lines (rows or columns) of KC elements that fit in `cache`'s ways left beside `besideBytes` and one way for C,
// divided among `sharers`, rounded down to a multiple of `multiple` (and at least one).
static long cache_block(const mlp_cache_level *cache, long besideBytes, long kc, int s, int multiple, long sharers) {
    long ways = cache->ways - 1 - ways_for(besideBytes, cache);
    if (ways < 1) ways = 1;
    long n = ways * sets_of(cache) * cache->line / (kc * s) / sharers / multiple * multiple;
    return n < multiple ? multiple : n;
}

static void derive_blocking(const mlp_cache_info *caches, int mr, int nr, int s, int halves, gemm_kernel *kr) {
    const mlp_cache_level *l1 = &caches->l1, *l2 = &caches->l2, *l3 = &caches->l3;
    long k;
    if (!l1_resident_b_panel()) {
        k = l1->size / ((long)mr * s);
    } else {
        long waysA1 = (long)((l1->ways - 1) / (1.0 + (double)nr / mr));
        if (waysA1 < 1) waysA1 = 1;
        k = waysA1 * sets_of(l1) * l1->line / ((long)mr * s);
    }
    k = k >= 16 ? k / 8 * 8 : 16;  // whole unrolled iterations of the k loop
    long l3Sharers = mlp_usable_processors();
    if (l3Sharers < L3_SHARERS) l3Sharers = L3_SHARERS;
    kr->kc = k;
    kr->mc = cache_block(l2, k * nr * s, k, s, mr, 1);  // beside a B micro-panel
    kr->nc = cache_block(l3, kr->mc * k * s, k, s, nr, l3Sharers);
    kr->nc_rows = cache_block(l2, (long)mr * k * s, k, s, nr, 1);  // beside an A micro-panel
    kr->mc_rows = cache_block(l3, kr->nc_rows * k * s, k, s, mr, l3Sharers);
    if (halves) {
        long l2WayK = sets_of(l2) * l2->line / ((long)mr * s) / 8 * 8;
        kr->kc_tall = l2WayK > k ? l2WayK : k;
    } else {
        long halfL1K = l1->size / 2 / ((long)mr * s) / 8 * 8;
        kr->kc_tall = halfL1K >= 16 ? halfL1K : 16;
    }
    kr->tall_kc_halves = halves;
}

// Products of more rows than MC take the rows-first order on the AVX-512 kernels (12-row tiles), where it measured
// 3-12% faster on float64 squares of 512 and more on an Intel Xeon and level on float32; on the AVX2 kernels (6-row
// tiles) it measured level to 5% either way, so they keep BLIS's order (docs/performance.md, "Rows first").
// MLP_GEMM_ORDER=rows or columns sets it for every instruction set, to measure another machine.
static int forced_order(void) {
    return mlp_env_gemm_order();
}

static int tall_rows_first_for(int isa) {
    int forced = forced_order();
    return forced >= 0 ? forced : isa == MLP_ISA_AVX512;
}

// Tall products take it only where C is at most this many times taller than wide: on a Zen 5, columns first ran
// 4096 x 64-512 x 1024 and 1024 x 100-256 x 784 2-12% faster on one thread, and 2-74% faster on two while the vCPUs
// sat far apart (rows first shares each packed block between the threads), 5% slower to 5% faster while they sat
// close; squares keep rows first (float64 2048^2 +5%) (docs/performance.md, "Tall and narrow products").
#define TALL_ASPECT 2

// Products of one row block take it, when operands are packed anyway, past one rows-first B block of columns on the
// AVX-512 kernels and past two on the AVX2 kernels (half as many columns a block there): on an Intel Xeon, 200 x 2048
// x 256 gained 13-24% on AVX-512 and 6-17% on AVX2, 512 columns 4-16% and 0-7%, while 256 columns on AVX2 (just past
// its one block) lost 2-11% (docs/performance.md, "Wide products"). The generic kernels were not measured.
static int wide_rows_first_for(int isa) {
    int forced = forced_order();
    return forced >= 0 ? forced : isa == MLP_ISA_AVX512 ? 1 : isa == MLP_ISA_AVX2 ? 2 : 0;
}

// Products of a short k (at most SHORT_K) with at least k micro-panels of columns take the rows-first order on the
// AVX2 kernels, with a B block of the columns that fit L2 at that k. Each tile then runs only k FMA steps, so what its
// stores cost decides: columns first walks each micro-panel down C (a line per row, rows ldc apart), rows first along
// C's rows, line after line. Rows first packs A, which narrow products do not repay. On a Zen 3, one thread, against
// columns first: 200 x 256 x 10 float64 1.25x, float32 1.05x; 200 x 512 x 20 1.17x / 1.11x; 64 x 512 x 10 1.30x /
// 1.14x; 1000 x 1000 x 48 1.13x / 1.09x; where k exceeded the micro-panels (200 x 128 x 32-64 and 100 x 100 x 10-64
// float32) 0.87-0.96x (docs/performance.md, "Short k"). The AVX-512 kernels take it too: on a Zen 5, against numpy,
// one thread, float64 200 x 512 x 10 0.46x -> 1.50x (NT, a 512-unit layer's input gradient from ten outputs: 0.44x ->
// 1.55x), 64 x 512 x 10 1.01x -> 1.51x, float32 64 x 512 x 10 0.99x -> 1.15x; every shape it selects gained or
// stayed within 2%, on one and two threads, with either build timed first (docs/performance.md, "Short k on AVX-512").
#define SHORT_K 64
static int short_rows_first_for(int isa) {
    int forced = forced_order();
    return forced >= 0 ? forced : isa == MLP_ISA_AVX2 || isa == MLP_ISA_AVX512;
}

enum { ISA_COUNT = 3 };
static gemm_kernel kernels[ISA_COUNT][2];
static atomic_int kernels_ready = 0;

// The micro-kernel and the cache blocks for an instruction set and element type, derived once per process.
static gemm_kernel kernel_for(int isa, int element_size) {
    if (!atomic_load_explicit(&kernels_ready, memory_order_acquire)) {
        mlp_cache_info caches;
        mlp_cache_info_get(&caches);
        for (int i = 0; i < ISA_COUNT; i++)
            for (int t = 0; t < 2; t++) {
                int size = t ? 8 : 4;
                gemm_kernel kr = micro_kernel_for(i, size);
                derive_blocking(&caches, kr.mr, kr.nr, size, i == MLP_ISA_AVX512 && mlp_wide_fma_runs_as_halves(), &kr);
                kr.tall_rows_first = tall_rows_first_for(i);
                kr.wide_rows_first = wide_rows_first_for(i);
                kr.short_rows_first = short_rows_first_for(i);
                kr.l1 = caches.l1;
                kr.l2 = caches.l2;
                kernels[i][t] = kr;  // every thread computes the same values
            }
        atomic_store_explicit(&kernels_ready, 1, memory_order_release);
    }
    if (isa < 0 || isa >= ISA_COUNT) isa = MLP_ISA_GENERIC;
    return kernels[isa][element_size == 8];
}

void mlp_gemm_blocking(int isa, int element_size, long *mc, long *kc, long *nc) {
    gemm_kernel kr = kernel_for(isa, element_size);
    *mc = kr.mc;
    *kc = kr.kc;
    *nc = kr.nc;
}

void mlp_gemm_rows_first_blocking(int isa, int element_size, long *mc, long *nc) {
    gemm_kernel kr = kernel_for(isa, element_size);
    *mc = kr.mc_rows;
    *nc = kr.nc_rows;
}

long mlp_gemm_tall_kc(int isa, int element_size) { return kernel_for(isa, element_size).kc_tall; }
long mlp_gemm_short_rows_first_k(int isa) { return kernel_for(isa, 8).short_rows_first ? SHORT_K : 0; }

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
    o->in_place = -1;
    o->order = -1;
    o->half_tails = -1;
    o->shared_blocks = -1;
    o->narrow = -1;
    o->bias = NULL;
    o->relu = 0;
    o->relu_output = NULL;
    o->ld_relu_output = 0;
    o->workspace_limit = 0;
}

#define DEFAULT_SMALL_THRESHOLD 4096L       // m*n*k: packing costs more than it saves below ~16^3
#define DEFAULT_PARALLEL_THRESHOLD 131072L  // m*n*k: below ~50^3 (~1 us of work) the hand-off outweighs the split
// Each column block packs the A block again, about a cycle per element, while its product takes a cycle per element
// of A per micro-panel of columns (NR FMAs a cycle on two FMA units): 16 micro-panels keep re-packing near 1/16.
#define MIN_L2_COLUMN_PANELS 16

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
        // Parts of a row split write adjacent rows of C. Walking down, the part above ran its stride prefetcher on
        // into the next part's rows, whose stores then found those lines in the other core: 200 x 128 x 10 float32
        // on two threads, the lower part 8.2-8.7 us against 3.8 alone (docs/performance.md, "The row split's lower
        // half"). So each even part that has a part below it walks upward, away from it.
        gemm_args part = *g;
        part.rows_upward = index % 2 == 0 && index + 1 < count;
        long r0 = t0 * job->kr.mr, r1 = t1 * job->kr.mr < g->m ? t1 * job->kr.mr : g->m;
        job->kr.range(&part, r0, r1, 0, g->n, job->kr.mc, job->kr.kc, job->kr.nc);
    }
}

static long round_up(long x, long to) { return (x + to - 1) / to * to; }

// Even k blocks: as many as `kc` requires, of equal length (whole unrolled iterations). 2048 in blocks of 680 would
// leave a last block of 8: a whole pass over C (a load and a store of every tile) for 8 FMAs each.
static long even_k_block(long k, long kc) {
    long kBlocks = (k + kc - 1) / kc;
    return kBlocks > 1 ? round_up((k + kBlocks - 1) / kBlocks, 8) : kc;
}

// Even k blocks of about `kc`: k / kc rounded to the nearest count (at least one), so blocks run from 2/3 to 4/3 of
// kc. A k just past kc stays one block: two short blocks cost a second pass over C that the A micro-panel's few
// extra lines in L1 do not (float64 1000 x 1000 x 300 on a Zen 5: 5% slower in two blocks of 152).
static long nearest_k_block(long k, long kc) {
    long kBlocks = (k + kc / 2) / kc;
    return kBlocks > 1 ? round_up((k + kBlocks - 1) / kBlocks, 8) : k;
}

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

static void gemm(const gemm_args *g, int element_size, const mlp_gemm_options *o);

// beta != 0 over several k blocks: C holds beta's operand, so the partial sums go to a scratch product
// S = alpha op(A) op(B) first, then C = finish(S + beta C), which rounds as the single-block store does. The scratch
// holds a band of C's rows at a time, at most SCRATCH_BAND_BYTES (each band packs B again: at 32 MiB that is one
// pass over B per 2048 rows of a 2048-column float64 C, under 1% of the product); halved while the allocator
// refuses it. Where not one row can be had, the unpacked loop computes C directly: the same bits (one FMA chain per
// element, then the same update), only slower.
#define SCRATCH_BAND_BYTES (32L << 20)
#define COMBINE(T)                                                                                           \
    do {                                                                                                     \
        _Pragma("clang fp contract(off)")                                                                   \
        const T *s = (const T *)scratch;                                                                     \
        T *c = (T *)g->c;                                                                                    \
        const gemm_epilogue *e = &g->epilogue;                                                               \
        for (long i = i0; i < i1; i++)                                                                       \
            for (long j = 0; j < g->n; j++) {                                                                \
                T r = s[(i - i0) * g->n + j] + (T)g->beta * c[i * g->ldc + j];                               \
                if (e->bias) r = r + ((const T *)e->bias)[j];                                                \
                if (e->relu) r = r < 0 ? (T)0 : r;                                                           \
                if (e->relu_output) r = ((const T *)e->relu_output)[i * e->ld_relu_output + j] == 0 ? (T)0 : r; \
                c[i * g->ldc + j] = r;                                                                       \
            }                                                                                                \
    } while (0)
static void scratch_product(const gemm_args *g, int element_size, const mlp_gemm_options *o, small_fn small) {
    long rowBytes = g->n * (long)element_size;
    long budget = g->workspace_limit > 0 && g->workspace_limit < SCRATCH_BAND_BYTES ? g->workspace_limit
                                                                                     : SCRATCH_BAND_BYTES;
    long band = budget / rowBytes < 1 ? 1 : budget / rowBytes < g->m ? budget / rowBytes : g->m;
    int fits = g->workspace_limit <= 0 || band * rowBytes <= g->workspace_limit;
    void *scratch = NULL;
    while (fits && !(scratch = malloc((size_t)(band * rowBytes))) && band > 1) band = (band + 1) / 2;
    if (!scratch) {
        small(g, 0, g->m, 0, g->n);
        return;
    }
    for (long i0 = 0; i0 < g->m; i0 += band) {
        long i1 = g->m - i0 < band ? g->m : i0 + band;
        gemm_args product = *g;
        product.m = i1 - i0;
        product.a = (const char *)g->a + (g->transA ? i0 : i0 * g->lda) * element_size;
        product.beta = 0;
        product.c = scratch;
        product.ldc = g->n;
        product.csc = 1;
        product.epilogue = (gemm_epilogue){0};
        gemm(&product, element_size, o);
        if (element_size == 4) COMBINE(float);
        else COMBINE(double);
    }
    free(scratch);
}
#undef COMBINE

// Parts of a shared rows-first step: compute parts of at least MIN_PART_FMAS (30-60 us on one core; each claim
// moves a cache line between cores), packing parts of at least MIN_PACK_ELEMENTS, at most MAX_PACK_PARTS for each
// block, and the pool's MAX_PHASED_PARTS (pool.c) in all. A parallel threshold (mlp_gemm_options) set below these
// minimums lowers them to it: tests set 1 to split every step as finely as its micro-panels allow.
#define MIN_PART_FMAS (1L << 20)
#define MIN_PACK_ELEMENTS (1L << 16)
#define MAX_PACK_PARTS 32
#define MAX_STEP_PARTS 256
// Rows first on several threads without shared blocks (gemm): parts a thread, and the least lines of C's split side a
// part must get for that split to be the default.
#define OWN_PARTS_PER_THREAD 2
#define MIN_OWN_PART_LINES 512

// `amount` in parts of at least `minimum`, at most `cap` parts, at least one.
static int parts_for(long amount, long minimum, long cap) {
    long parts = amount / minimum;
    return (int)(parts < 1 ? 1 : parts > cap ? cap : parts);
}

// Rows first on several threads, for products of several row blocks: the threads share each packed A and B block
// and claim the tiles' rows a run of micro-panels at a time, one pool job per step (k block, A block, B block;
// rows_first_step). Static halves, as columns first splits, packed the whole B block on every thread and left the
// product waiting for the slower core: on the Intel VM measured, one core often ran 15-25% slower than the other for
// seconds at a time, and a hyperthread sibling or an efficiency core does the same. The largest products split into
// more parts than threads instead (gemm, MIN_OWN_PART_LINES). Each element is still one FMA chain over k in order,
// whichever thread computes its tile.
static void rows_first_shared(const gemm_args *g, const gemm_kernel *kr, int element_size, int threads,
                              long parallelThreshold) {
    long minPart = parallelThreshold > 0 && parallelThreshold < MIN_PART_FMAS ? parallelThreshold : MIN_PART_FMAS;
    long minPack = parallelThreshold > 0 && parallelThreshold < MIN_PACK_ELEMENTS ? parallelThreshold
                                                                                   : MIN_PACK_ELEMENTS;
    long MC = even_block(g->m, kr->mc, kr->mr), NC = even_block(g->n, kr->nc, kr->nr), KC = kr->kc;
    void *bp;
    void *ap = packed_blocks(g, g->m < MC ? g->m : MC, g->n < NC ? g->n : NC, g->k < KC ? g->k : KC, kr->mr, kr->nr,
                             element_size, &bp);
    if (!ap) {  // no workspace: the unpacked loop, the same bits
        kr->small(g, 0, g->m, 0, g->n);
        return;
    }
    rows_first_step step = {.g = g, .ap = ap, .bp = bp};
    for (step.pc = 0; step.pc < g->k; step.pc += KC) {
        step.kc = g->k - step.pc < KC ? g->k - step.pc : KC;
        for (step.ic = 0; step.ic < g->m; step.ic += MC) {
            step.mc = g->m - step.ic < MC ? g->m - step.ic : MC;
            long aPanels = (step.mc + kr->mr - 1) / kr->mr;
            for (step.jc = 0; step.jc < g->n; step.jc += NC) {
                step.nc = g->n - step.jc < NC ? g->n - step.jc : NC;
                long bPanels = (step.nc + kr->nr - 1) / kr->nr, packCap = 2L * threads;
                if (packCap > MAX_PACK_PARTS) packCap = MAX_PACK_PARTS;
                step.pack_a_parts = step.jc == 0 ? parts_for(step.mc * step.kc, minPack,
                                                             aPanels < packCap ? aPanels : packCap)
                                                 : 0;
                int packB = parts_for(step.nc * step.kc, minPack, bPanels < packCap ? bPanels : packCap);
                long computeCap = MAX_STEP_PARTS - step.pack_a_parts - packB;
                int parts[2] = {step.pack_a_parts + packB,
                                parts_for(step.mc * step.nc * step.kc, minPart,
                                          aPanels < computeCap ? aPanels : computeCap)};
                mlp_pool_run_phases(2, parts, threads, step.mc * step.nc * step.kc, kr->rows_first_part, &step);
            }
        }
    }
}

// Rows as lanes (gemm_narrow_kernel.h): B stored by rows, A by rows or transposed, n <= NARROW_MAX_N and not a whole
// vector, B small enough to stay in half of L2 while every panel reads all of it. By default where it measured faster
// than the tiles: at most narrow_columns columns (12 float64, 11 float32) and a k of NARROW_MIN_K or more, where each
// eight k steps' transpose and each panel's store are repaid (docs/performance.md, "Rows as lanes"; with A transposed,
// which needs no transposes, the same bounds kept it ahead: "Rows as lanes for weight gradients").
#define NARROW_MIN_K 32
// forced: 0 never, 1 wherever it applies, 2 by the bounds above (mlp_gemm_narrow_default).
static int narrow_applies(const gemm_args *g, const gemm_kernel *kr, int element_size, int forced) {
    long lanes = kr->narrow_lanes;
    int fits = kr->narrow && !g->transB && g->csc == 1 && g->n <= NARROW_MAX_N && g->n % lanes != 0 &&
               g->k * g->n * (long)element_size <= kr->l2.size / 2;
    return fits && (forced == 1 || (forced == 2 && g->n <= kr->narrow_columns && g->k >= NARROW_MIN_K));
}

typedef struct {
    const gemm_args *g;
    narrow_fn narrow;
    long panels, lanes;
} narrow_job;

// Part `index` of `count`: a run of whole panels, walking upward when a part follows it (parallel_task says why).
static void narrow_task(void *context, int index, int count) {
    const narrow_job *job = context;
    long p0 = job->panels * index / count, p1 = job->panels * (index + 1) / count;
    long r0 = p0 * job->lanes, r1 = p1 * job->lanes < job->g->m ? p1 * job->lanes : job->g->m;
    if (r0 < r1) job->narrow(job->g, r0, r1, index % 2 == 0 && index + 1 < count);
}

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
        kr.small(g, 0, g->m, 0, g->n);
        return;
    }
    int threads = o->threads > 0 ? o->threads : mlp_get_num_threads();
    long parallel = o->parallel_threshold > 0 ? o->parallel_threshold : DEFAULT_PARALLEL_THRESHOLD;
    if (narrow_applies(g, &kr, element_size, o->narrow >= 0 ? o->narrow != 0 : mlp_gemm_narrow_default())) {
        narrow_job job = {g, kr.narrow, (g->m + kr.narrow_lanes - 1) / kr.narrow_lanes, kr.narrow_lanes};
        int parts = threads <= 1 || work < (double)parallel ? 1 : threads;
        if (parts > job.panels) parts = (int)job.panels;
        if (parts <= 1) kr.narrow(g, 0, g->m, 0);
        else mlp_pool_run(parts, threads, work < (double)LONG_MAX ? (long)work : LONG_MAX, narrow_task, &job);
        return;
    }
    kr.kc = o->kc > 0 ? o->kc : even_k_block(g->k, kr.kc);
    if (g->beta != 0 && g->k > kr.kc) {
        scratch_product(g, element_size, o, kr.small);
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
        swapped.workspace_limit = g->workspace_limit;
        g = &swapped;
    }
    // More rows than one A block: rows first on kernels where it measured faster (tall_rows_first_for), each row
    // block's tiles walking along C's rows through a B block held in L2 (gemm_rows_first in gemm_kernel.h). Only
    // past MAX_IN_PLACE_K, where columns first packs both operands too: rows first always packs, and the training
    // products (k <= 256) keep their in-place reads where the CPU gains from them. Not where C is more than
    // TALL_ASPECT times taller than wide: each A block is then read again for only a few column blocks, and with two
    // threads half of it, packed by the other core, crosses between them first; columns first keeps each thread's
    // rows of A to itself (docs/performance.md, "Tall and narrow products").
    // One row block and a wide C (a wide layer's 200 x 2048 x 256), where A is packed anyway (wide_rows_first_for):
    // columns first streams every A micro-panel from L2 for each B micro-panel while its tiles walk down C, rows
    // 8-16 KiB apart; rows first keeps the A micro-panel in L1, walks along C's rows and prefetches the B micro-panels
    // it streams. A is packed anyway where the CPU packs (Intel) and where its rows would not be read in place (an
    // MR-row micro-panel spans more than half of L1, see gemm_range): float64 k = 256 on Zen 4, 200 x 512-2048 x 256
    // 0.98-0.99 -> 1.03-1.06 of numpy. Narrower products keep columns first.
    int inPlace = o->in_place >= 0 ? o->in_place != 0 : mlp_gemm_in_place_default();
    long kcFirst = g->k < kr.kc ? g->k : kr.kc, directASpan = kr.l1.size / 2;  // gemm_range's rule for A in place
    int aInPlace = inPlace && !g->transA && kcFirst <= MAX_IN_PLACE_K &&
                   ((kr.mr - 1) * g->lda + kcFirst) * (long)element_size <= directASpan;
    int shortK = kr.short_rows_first && g->k <= SHORT_K && g->k <= (g->n + kr.nr - 1) / kr.nr;
    // Not on several threads whose cores are far apart (no shared L3: a line's round trip over CORES_APART_NS,
    // pool_placement.c): rows first's threads then read half of every shared block, or B packed for the other part,
    // across the fabric; columns first gives each thread its own columns of C and its own B (docs/performance.md,
    // "Cores far apart").
    int tall = kr.tall_rows_first && g->m > kr.mc && g->k > MAX_IN_PLACE_K && g->m <= TALL_ASPECT * g->n;
    if (tall && o->order < 0 && threads > 1 && work >= (double)parallel &&
        mlp_pool_round_trip_ns(threads) > CORES_APART_NS)
        tall = 0;
    int rowsFirst = o->order >= 0 ? o->order != 0
                    : tall
                      || (kr.wide_rows_first && g->m <= kr.mc && g->n > kr.wide_rows_first * kr.nc_rows && !aInPlace)
                      || shortK;
    if (rowsFirst) {
        // A B block of nc_rows columns of KC fills L2 beside an A micro-panel; at a short k it holds KC / k times more.
        long nc = shortK && o->order < 0 ? kr.nc_rows * kr.kc / g->k / kr.nr * kr.nr : kr.nc_rows;
        if (g->m > kr.mc && o->kc <= 0 && kr.tall_kc_halves)  // several row blocks
            kr.kc = even_k_block(g->k, kr.kc_tall);
        else if (g->m > kr.mc && o->kc <= 0 && (threads <= 1 || work < (double)parallel))  // one thread
            kr.kc = nearest_k_block(g->k, kr.kc_tall);
        kr.mc = kr.mc_rows;
        kr.nc = nc;
    }
    if (o->mc > 0) kr.mc = round_up(o->mc, kr.mr);
    if (o->nc > 0) kr.nc = round_up(o->nc, kr.nr);
    gemm_args blocked = *g;
    blocked.rows_first = rowsFirst;
    blocked.half_tails = o->half_tails >= 0 ? o->half_tails != 0 : mlp_gemm_half_tails_default();
    blocked.direct_a_span = directASpan;
    // B rows read in place: MAX_IN_PLACE_K at most. Below it, the L1 sets a stride reaches matter where a refetch
    // from L2 is slow: on Zen 3 (8-way 32 KiB L1, 32 B per cycle from L2) packing B at such strides won 17-35%, on
    // Zen 5 (12-way 48 KiB, 64 B per cycle) reading it in place stayed 5-8% faster. CPUs do not report the fill
    // width; a 12-way L1 comes with the wide one (Zen 5), so only narrower L1s count sets. On the Intel measured,
    // packing won at every stride (mlp_gemm_in_place_default).
    blocked.in_place = inPlace;
    long rowStride = g->ldb * (long)element_size, rowWidth = kr.nr * (long)element_size;
    blocked.direct_b_rows = !blocked.in_place ? 0
                            : kr.l1.ways >= 12 ? MAX_IN_PLACE_K
                                               : rows_in_sets(&kr.l1, rowStride, rowWidth, kr.l1.ways - 1);
    // In L2 the rows share their sets with the A block (and one way for C), whatever the L1.
    long kcUsed = g->k < kr.kc ? g->k : kr.kc;
    long aBlock = (g->m < kr.mc ? g->m : kr.mc) * kcUsed * (long)element_size;
    long l2WaysBesideA = kr.l2.ways - 1 - ways_for(aBlock, &kr.l2);
    long rowsInL2 = rows_in_sets(&kr.l2, rowStride, rowWidth, l2WaysBesideA);
    if (blocked.direct_b_rows > rowsInL2) blocked.direct_b_rows = rowsInL2;
    if (blocked.direct_b_rows > MAX_IN_PLACE_K) blocked.direct_b_rows = MAX_IN_PLACE_K;
    g = &blocked;
    // With one row block (m <= MC) each packed B block is read by that block only, right after packing: it need not
    // wait in L3 for later row blocks, so it is cut to what stays in L2 beside the A block. A 2048-unit layer's 4 MB
    // of packed B otherwise went out to L3 and back (docs/performance.md, "An Intel Xeon"). Not below
    // MIN_L2_COLUMN_PANELS micro-panels: every column block packs the A block again, and where A nearly fills L2 the
    // cut left 32 columns, so a 444 x 2048 x 512 float64 product packed A 64 times and ran at 0.6-0.7 of its speed
    // (docs/performance.md, "Column blocks that re-pack A").
    if (o->nc <= 0 && !rowsFirst && g->m <= kr.mc) {
        long columnsInL2 = l2WaysBesideA * sets_of(&kr.l2) * kr.l2.line / (kcUsed * (long)element_size) / kr.nr * kr.nr;
        if (columnsInL2 >= MIN_L2_COLUMN_PANELS * kr.nr && columnsInL2 < kr.nc) kr.nc = columnsInL2;
    }
    parallel_job job = {g, kr, 0, 0};
    // Split the longer side of C so each thread packs the shorter operand's block once more at most.
    long rowTiles = (g->m + kr.mr - 1) / kr.mr, colTiles = (g->n + kr.nr - 1) / kr.nr;
    // Short k (rows first, no shared blocks: the packed B is small) splits rows: a column split's walk along each row
    // ran into the other thread's columns at every row (200 x 512 x 20 float64 on two threads: 1.82x numpy split by
    // rows, 1.22x by columns, 1.48-1.61x columns first).
    job.split_columns = !shortK && colTiles * kr.nr >= rowTiles * kr.mr;
    job.tiles = job.split_columns ? colTiles : rowTiles;
    // Shared blocks for several row blocks only. With one (a wide product), each B micro-panel is read a few times per
    // step (17 A micro-panels at 200 rows), so half of a B block packed by the other core came from that core's L2
    // through L3: 200 x 2048 x 256 on two threads, paired with numpy, float64 0.88 and float32 0.99 shared against
    // 1.07 and 1.19 with each thread packing and computing its own columns (the split below). Nor at a short k, where
    // B is small and the split below packs it on each thread: 200 x 512 x 20 float64 1.26x numpy shared, 1.82x split.
    // Nor where the split's parts, OWN_PARTS_PER_THREAD a thread, are long enough (MIN_OWN_PART_LINES) that packing
    // its own blocks costs a part little: its parts, claimed as threads come free, then balance a slower core as the
    // shared steps do, without a step's two hand-offs or the other core's half of each block (docs/performance.md,
    // "Own blocks for the largest products").
    int severalRowBlocks = rowsFirst && !shortK && g->m > kr.mc;
    long splitLines = job.split_columns ? g->n : g->m;
    int ownBlocks = o->shared_blocks >= 0 ? !o->shared_blocks
                                          : splitLines >= (long)MIN_OWN_PART_LINES * OWN_PARTS_PER_THREAD * threads;
    if (severalRowBlocks && threads > 1 && work >= (double)parallel && !ownBlocks) {
        rows_first_shared(g, &kr, element_size, threads, o->parallel_threshold);
        return;
    }
    if (threads > job.tiles) threads = (int)job.tiles;
    if (threads <= 1 || work < (double)parallel) {
        kr.range(g, 0, g->m, 0, g->n, kr.mc, kr.kc, kr.nc);
        return;
    }
    long parts = severalRowBlocks ? (long)OWN_PARTS_PER_THREAD * threads : threads;
    if (parts > job.tiles) parts = job.tiles;
    mlp_pool_run((int)parts, threads, work < (double)LONG_MAX ? (long)work : LONG_MAX, parallel_task, &job);
}

void mlp_sgemm(int transA, int transB, long m, long n, long k,
               float alpha, const float *a, long lda, const float *b, long ldb,
               float beta, float *c, long ldc, const mlp_gemm_options *options) {
    gemm_args g = {transA != 0, transB != 0, m, n, k, alpha, beta, a, b, c, lda, ldb, ldc, 1, epilogue_of(options)};
    g.workspace_limit = options ? options->workspace_limit : 0;
    gemm(&g, 4, options);
}

void mlp_dgemm(int transA, int transB, long m, long n, long k,
               double alpha, const double *a, long lda, const double *b, long ldb,
               double beta, double *c, long ldc, const mlp_gemm_options *options) {
    gemm_args g = {transA != 0, transB != 0, m, n, k, alpha, beta, a, b, c, lda, ldb, ldc, 1, epilogue_of(options)};
    g.workspace_limit = options ? options->workspace_limit : 0;
    gemm(&g, 8, options);
}

void mlp_dense_row_f32(int isa, const float *x, const float *w, const float *bias, float *out, long n_in, long n_out,
                       int relu) {
    if (isa < 0 || !mlp_isa_supported(isa)) isa = mlp_best_isa();
#if defined(__x86_64__)
    if (isa == MLP_ISA_AVX512) { dense_row_f32_avx512(x, w, bias, out, n_in, n_out, relu); return; }
    if (isa == MLP_ISA_AVX2) { dense_row_f32_avx2(x, w, bias, out, n_in, n_out, relu); return; }
#endif
    dense_row_f32_generic(x, w, bias, out, n_in, n_out, relu);
}

void mlp_dense_row_f64(int isa, const double *x, const double *w, const double *bias, double *out, long n_in,
                       long n_out, int relu) {
    if (isa < 0 || !mlp_isa_supported(isa)) isa = mlp_best_isa();
#if defined(__x86_64__)
    if (isa == MLP_ISA_AVX512) { dense_row_f64_avx512(x, w, bias, out, n_in, n_out, relu); return; }
    if (isa == MLP_ISA_AVX2) { dense_row_f64_avx2(x, w, bias, out, n_in, n_out, relu); return; }
#endif
    dense_row_f64_generic(x, w, bias, out, n_in, n_out, relu);
}

void mlp_dense_panels_f32(int isa, const float *x, const float *packed, float *out, long n_in, long padded_columns,
                          long width, long first_panel, long end_panel, int relu, int skip_zero_inputs) {
    if (isa < 0 || !mlp_isa_supported(isa)) isa = mlp_best_isa();
#if defined(__x86_64__)
    if (isa == MLP_ISA_AVX512) {
        dense_panels_f32_avx512(x, packed, out, n_in, padded_columns, width, first_panel, end_panel, relu,
                                skip_zero_inputs);
        return;
    }
    if (isa == MLP_ISA_AVX2) {
        dense_panels_f32_avx2(x, packed, out, n_in, padded_columns, width, first_panel, end_panel, relu,
                              skip_zero_inputs);
        return;
    }
#endif
    dense_panels_f32_generic(x, packed, out, n_in, padded_columns, width, first_panel, end_panel, relu,
                             skip_zero_inputs);
}

void mlp_dense_panels_f64(int isa, const double *x, const double *packed, double *out, long n_in, long padded_columns,
                          long width, long first_panel, long end_panel, int relu, int skip_zero_inputs) {
    if (isa < 0 || !mlp_isa_supported(isa)) isa = mlp_best_isa();
#if defined(__x86_64__)
    if (isa == MLP_ISA_AVX512) {
        dense_panels_f64_avx512(x, packed, out, n_in, padded_columns, width, first_panel, end_panel, relu,
                                skip_zero_inputs);
        return;
    }
    if (isa == MLP_ISA_AVX2) {
        dense_panels_f64_avx2(x, packed, out, n_in, padded_columns, width, first_panel, end_panel, relu,
                              skip_zero_inputs);
        return;
    }
#endif
    dense_panels_f64_generic(x, packed, out, n_in, padded_columns, width, first_panel, end_panel, relu,
                             skip_zero_inputs);
}
