#ifndef CMLPKERNELS_H
#define CMLPKERNELS_H
// C kernels behind MLPKernels: GEMM (packing, blocking, micro-kernels), vectorized exp/logistic/tanh,
// and the persistent worker pool. Each kernel exists once per instruction set (generic, AVX2+FMA,
// AVX-512F), compiled with function-level target attributes and chosen at run time.

#include <stddef.h>

#include "SeedNetwork.h"
#include "TrainingPasses.h"

/// Returns 1 when the CPU supports AVX2 and FMA (checked once, at run time).
int mlp_cpu_has_avx2_fma(void);
/// Returns 1 when the CPU (and OS) support AVX-512F (and AVX2/FMA).
int mlp_cpu_has_avx512f(void);

/// Instruction sets a kernel can be compiled for.
enum {
    MLP_ISA_GENERIC = 0,  // plain C, compiled for the target's baseline (SSE2 on x86-64, NEON on arm64)
    MLP_ISA_AVX2 = 1,     // AVX2 + FMA
    MLP_ISA_AVX512 = 2,   // AVX-512F (+ FMA)
};
/// The best instruction set this CPU supports (or MLP_KERNEL_ISA=generic|avx2|avx512 if set and supported; any other
/// value, or a set this CPU cannot run, is named on stderr once and the best applies).
int mlp_best_isa(void);
/// Whether `isa` can run on this CPU.
int mlp_isa_supported(int isa);

/// One cache level: total size in bytes, associativity (ways) and line size in bytes.
typedef struct {
    long size;
    int ways;
    int line;
} mlp_cache_level;
/// The data caches GEMM blocks for: L1d and L2 of one core, L3 (shared).
typedef struct {
    mlp_cache_level l1, l2, l3;
} mlp_cache_info;
/// The caches of this CPU, read once (cpuid leaf 4 or 0x8000001D on x86-64, sysfs elsewhere on Linux), then
/// overridden by MLP_CACHE_SIZES ("l1=32K,l2=512K,l3=32M", each optionally ":ways", e.g. "l2=1M:16") when set (a
/// malformed value is named on stderr once and the detected sizes apply).
void mlp_cache_info_get(mlp_cache_info *info);

/// Processors the calling thread may run on: its affinity mask on Linux (containers, taskset), else all online.
long mlp_usable_processors(void);

/// Threads used by GEMM: default = usable processors, or MLP_NUM_THREADS (1...64) when set (another value is named on
/// stderr once).
int mlp_get_num_threads(void);
/// Sets the GEMM thread count (clamped to 1...64).
void mlp_set_num_threads(int count);

/// Per-call overrides, mainly for tests. Fields <= 0 (or isa < 0) mean "use the default".
typedef struct {
    int isa;                  // instruction set; < 0: mlp_best_isa()
    int threads;              // <= 0: mlp_get_num_threads()
    long small_threshold;     // m*n*k at or below this uses the unpacked path; < 0: default, 0: never
    long parallel_threshold;  // m*n*k below this runs on the calling thread only; <= 0: default; below the
                              // least work of a part of a shared rows-first step (gemm.c), that least too
    long mc, kc, nc;          // cache blocks (rounded up to the micro-tile); <= 0: defaults
    int in_place;             // operands stored by rows read in place where reused: < 0: mlp_gemm_in_place_default(),
                              // 0: packed (still in place where each element is used once or twice), 1: in place
    int order;                // loops: < 0: rows first on the AVX-512 kernels when C has more rows than one A block
                              // and k > 256, and on the AVX-512 and AVX2 kernels for one A block's rows and more
                              // columns than one (AVX-512) or two (AVX2) rows-first B blocks with operands packed
                              // (MLP_GEMM_ORDER=rows|columns: on all or none), 0: columns first (BLIS's order),
                              // 1: rows first (gemm_rows_first in gemm_kernel.h)
    // Epilogue: applied to each element of C as its tile is stored, once its sum is complete (after alpha and
    // beta), in this order. It saves a pass over C for the training loop's bias + ReLU and ReLU derivative.
    const void *bias;         // non-NULL: C(i, j) += bias[j]
    int relu;                 // != 0: C(i, j) = C(i, j) < 0 ? 0 : C(i, j)   (NaN kept, like np.maximum)
    const void *relu_output;  // non-NULL: C(i, j) = relu_output(i, j) == 0 ? 0 : C(i, j)   (ReLU's derivative)
    long ld_relu_output;      // row stride of relu_output
    // Memory: GEMM allocates a packing workspace per thread and, for beta != 0 over several k blocks, a scratch
    // product in row bands of at most 32 MiB. A buffer that cannot be allocated, or that would exceed this limit,
    // makes GEMM take a path that needs less (smaller bands, then the unpacked loop): slower, the same bits, never
    // an abort. <= 0: no limit beyond what the allocator grants (tests set small limits to take those paths).
    long workspace_limit;
    int half_tails;           // AVX-512 tiles whose last vector would be at most half used end in a half vector:
                              // < 0: mlp_gemm_half_tails_default(), 0: never, 1: always (the same bits either way)
    int shared_blocks;        // rows first on several threads (several row blocks): < 0: shared packed blocks unless
                              // each of two parts a thread gets 512 or more lines of C's split side, 0: each part
                              // packs its own, 1: shared (gemm.c, rows_first_shared; the same bits either way)
    int narrow;               // C of at most 15 columns, not a whole vector (AVX-512, B stored by rows): < 0: the
                              // rows of C as vector lanes where that measured faster (MLP_GEMM_NARROW=0|1: never or
                              // wherever it applies), 0: never, 1: wherever it applies (the same bits either way)
} mlp_gemm_options;

/// Whether GEMM reads operands stored by rows in place (without the packing copy) where the strides let their lines
/// stay in L1: 1 except on Intel CPUs, where the packed copy measured faster; MLP_GEMM_IN_PLACE=0|1 overrides.
int mlp_gemm_in_place_default(void);

/// Whether narrow products take rows as lanes (gemm.c, mlp_gemm_options.narrow): 2, where that measured faster than
/// the tiles, unless MLP_GEMM_NARROW=0|1 says never (0) or wherever it applies (1).
int mlp_gemm_narrow_default(void);

/// Whether a 512-bit FMA measured at least 1.5 times the time of a 256-bit one: the CPU runs it as two halves, as AMD's
/// Zen 4 (0 without AVX-512; timed once, about 0.25 ms); MLP_WIDE_FMA_HALVES=0|1 overrides. It sets the two defaults
/// below that follow from it: half-vector tails and the KC of tall rows-first products (mlp_gemm_tall_blocking).
int mlp_wide_fma_runs_as_halves(void);

/// Whether AVX-512 GEMM tiles end in a 256-bit half vector where a 512-bit one would be at most half used (10 float64
/// columns: 8 + 4 lanes, not 16): mlp_wide_fma_runs_as_halves() unless MLP_GEMM_HALF_TAILS=0|1 overrides.
int mlp_gemm_half_tails_default(void);

/// Fills `options` with "use the defaults".
void mlp_gemm_options_init(mlp_gemm_options *options);
/// m*n*k at or below which the default options take the unpacked path (one FMA chain over all of k).
long mlp_gemm_small_threshold(void);

/// Row-major GEMM: C <- alpha*op(A)*op(B) + beta*C. op(A): (m,k), op(B): (k,n), C: (m,n).
/// trans != 0 means the operand is stored transposed. beta == 0: C is not read. options may be NULL.
void mlp_sgemm(int transA, int transB, long m, long n, long k,
               float alpha, const float *a, long lda, const float *b, long ldb,
               float beta, float *c, long ldc, const mlp_gemm_options *options);
void mlp_dgemm(int transA, int transB, long m, long n, long k,
               double alpha, const double *a, long lda, const double *b, long ldb,
               double beta, double *c, long ldc, const mlp_gemm_options *options);

/// The cache blocks GEMM uses for `isa` and element size (4 or 8), derived from mlp_cache_info_get.
void mlp_gemm_blocking(int isa, int element_size, long *mc, long *kc, long *nc);
/// The row and column blocks (MC, NC) of the rows-first loops (KC as above, or mlp_gemm_tall_kc), which products with
/// more rows than one MC block of mlp_gemm_blocking, k > 256 and at most twice as many rows as columns take on the
/// AVX-512 kernels, and those of one MC block and more columns than this NC (two on AVX2) when operands are packed.
void mlp_gemm_rows_first_blocking(int isa, int element_size, long *mc, long *nc);
/// The KC of rows-first products of several row blocks (more rows than mlp_gemm_blocking's MC, k > 256) on one
/// thread: the A micro-panel fills half of L1 (half of mlp_gemm_blocking's KC), or one way of L2 where the AVX-512
/// kernels run each 512-bit FMA as two halves (mlp_wide_fma_runs_as_halves; there on every thread count).
long mlp_gemm_tall_kc(int isa, int element_size);
/// The longest k at which products take the rows-first loops when they also have at least k micro-panels of columns
/// (64 on the AVX2 kernels; 0 where short products keep columns first), with a B block of the columns that fit L2 at
/// that k.
long mlp_gemm_short_rows_first_k(int isa);

/// One row through a dense layer: out[j] = act(Σ_p x[p] w[p*n_out + j] + bias[j]), act = ReLU (relu != 0) or
/// identity; w: (n_in, n_out) row-major. The same bits as that row inside a batch through mlp_sgemm/mlp_dgemm with the
/// bias (+ ReLU) epilogue, on the same instruction set. isa < 0: mlp_best_isa().
void mlp_dense_row_f32(int isa, const float *x, const float *w, const float *bias, float *out, long n_in, long n_out,
                       int relu);
void mlp_dense_row_f64(int isa, const double *x, const double *w, const double *bias, double *out, long n_in,
                       long n_out, int relu);
/// Panels first_panel..<end_panel of a layer packed by DenseRowPanels.pack (panel i: columns i * width up to
/// padded_columns, as n_in rows of its width followed by its bias), each through mlp_dense_row_*: out receives those
/// columns of the layer's padded output. skip_zero_inputs != 0 (only where every weight is finite): when at least a
/// quarter of x is zero, the zero inputs' weight rows are not read; the same bits.
void mlp_dense_panels_f32(int isa, const float *x, const float *packed, float *out, long n_in, long padded_columns,
                          long width, long first_panel, long end_panel, int relu, int skip_zero_inputs);
void mlp_dense_panels_f64(int isa, const double *x, const double *packed, double *out, long n_in, long padded_columns,
                          long width, long first_panel, long end_panel, int relu, int skip_zero_inputs);

/// One layer of a single-row pass (SingleRowPass): its panels as mlp_dense_panels_* reads them, and whether it is split
/// by panels over the pool's threads.
typedef struct {
    long n_in, padded_columns, panel_count;
    long panels;  // where the layer's first panel starts in the packed weights, in elements
    int relu;     // ReLU after the bias, else identity
    int splits;   // split over the threads (each thread a contiguous run of panels)
    int skip_zero_inputs;  // every weight is finite: zero inputs may be skipped (mlp_dense_panels_*)
} mlp_row_layer;

/// Layers first..<end of a single-row pass through panels packed with `width` columns: layer l reads `row` (l == 0)
/// or buffers[(l - 1) % 2] and writes buffers[l % 2]. When a layer splits and threads > 1, the layers run as one
/// phased job of the pool (mlp_pool_run_phases with `size`), a phase per layer, thread t taking part t of each split
/// layer; else on the calling thread. Each column is one FMA chain in either case, so the bits do not depend on it.
void mlp_row_layers_f32(int isa, const mlp_row_layer *layers, int first, int end, const float *packed, long width,
                        const float *row, float *buffer0, float *buffer1, int threads, long size);
void mlp_row_layers_f64(int isa, const mlp_row_layer *layers, int first, int end, const double *packed, long width,
                        const double *row, double *buffer0, double *buffer1, int threads, long size);

/// Micro-tile (rows x columns) of the packed kernel for `isa` and element size (4 or 8).
void mlp_gemm_micro_tile(int isa, int element_size, int *mr, int *nr);

/// Elementwise functions. x and y may be the same buffer. isa < 0: mlp_best_isa().
enum { MLP_FN_EXP = 0, MLP_FN_LOGISTIC = 1, MLP_FN_TANH = 2 };
void mlp_vmath_f32(int function, const float *x, float *y, long count, int isa);
void mlp_vmath_f64(int function, const double *x, double *y, long count, int isa);

/// Row-wise softmax in place (max-subtracted, as scikit-learn). isa < 0: mlp_best_isa().
/// (Bias + activation, activation derivatives, Adam and SGD live in TrainingPasses.h.)
void mlp_softmax_rows_f32(float *x, long rows, long columns, long ld, int isa);
void mlp_softmax_rows_f64(double *x, long rows, long columns, long ld, int isa);

/// Worker pool: runs task(context, i, count) once for every i in 0..<count, on up to `threads` threads (the
/// caller and persistent workers that spin briefly and then park). Any thread may run any part, so each part's
/// result must not depend on which thread runs it. Runs every part on the calling thread when the pool is busy
/// (nested or concurrent use), or while the calling thread alone was measured faster than with the workers for jobs
/// of this `size` (two vCPUs sharing one core; see pool.c). `size` estimates the job's work in a unit the caller
/// keeps (multiply-adds, bytes): jobs within a factor of two of each other are measured together. count is at most
/// 65535.
typedef void (*mlp_task_fn)(void *context, int index, int count);
void mlp_pool_run(int count, int threads, long size, mlp_task_fn task, void *context);
/// Runs `phases` phases one after another on the pool: task(context, phase, part, parts[phase]) once for every part
/// of each, a phase starting when the one before it has finished. Part p is run by thread p % threads when that
/// thread is there to take it (the caller is thread 0), so a thread meets the same data call after call; a thread
/// that finds a part still free after its own takes it. At most 16 phases and 256 parts in all, else (and whenever
/// mlp_pool_run would for `size`) every part runs on the calling thread.
typedef void (*mlp_phase_task_fn)(void *context, int phase, int part, int parts);
void mlp_pool_run_phases(int phases, const int *parts, int threads, long size, mlp_phase_task_fn task,
                         void *context);
/// Whether the pool has started workers and none is parked: a job published now finds them polling (a parked one took
/// up to 4 ms to run again on a KVM guest).
int mlp_pool_workers_spinning(void);
/// The round trip of a cache line between the calling thread's core and a worker's, in nanoseconds (pool_placement.c):
/// measured by a pool job at most once a second (10 ms after an attempt no worker joined), and only while the workers
/// are polling (mlp_pool_workers_spinning), else the last measurement; -1 for threads <= 1 or before a worker has
/// ever answered.
long mlp_pool_round_trip_ns(int threads);
/// Whether the pool currently runs jobs of `size` (mlp_pool_run) on the calling thread alone because that was
/// measured faster than using the workers (see pool.c); it measures again after a few thousand jobs.
int mlp_pool_is_solo(long size);
/// Restarts the measurement, using the workers from the next job on (tests).
void mlp_pool_end_solo(void);
/// The pool's measurement for the jobs of one size class: whether they run faster with the workers or on the calling
/// thread alone (pool_probe.c). Declared here so that tests can step it with chosen timings; fields are private.
typedef struct {
    int state, window_jobs, solo, skipped;
    long parallel_ns, solo_ns, decided_ns, decided_budget_ns;
    unsigned long long jobs, window_start, decided_until;
} mlp_pool_probe;
/// Starts over, keeping the job count: the next 256 jobs use the workers unmeasured, then it measures.
void mlp_pool_probe_restart(mlp_pool_probe *probe);
/// Counts one more job; returns 1 when it should run on the calling thread alone.
int mlp_pool_probe_start(mlp_pool_probe *probe);
/// Records the job last started: when it started and ended, and whether a worker ran any of its parts.
void mlp_pool_probe_record(mlp_pool_probe *probe, long started_ns, long ended_ns, int joined);
/// Whether jobs run on the calling thread alone by the last decision.
int mlp_pool_probe_is_solo(const mlp_pool_probe *probe);

#endif
