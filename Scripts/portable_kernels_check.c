// The C kernels (Sources/CMLPKernels) against naive loops, without Swift, on every instruction set this CPU runs:
// the way to check the generic path on CPUs the Swift tests never run on (arm64 with NEON, under qemu-aarch64;
// Scripts/portable_kernels_check.sh). Checks, for float32 and float64:
//   - GEMM, all four transposes, every m from 1 to 20 and odd sizes that cross small cache blocks, alpha and beta,
//     each loop order and operand path forced in turn (rows first, packed, in place) beside the default,
//     the bias + ReLU and ReLU-derivative epilogues, 1-3 threads: equal to the naive loop on dyadic values (every
//     sum is exact, so any order of summation must give the naive loop's bits and an indexing slip cannot hide);
//   - bits that must not depend on the path: GEMM on 1, 2 and 3 threads; one row through mlp_dense_row and through
//     weight panels (skipping zero inputs, as the predictor does) against that row inside a batch; a single-row pass
//     split over threads against one thread;
//   - exp, logistic and tanh within 4 ulp of libm over [-limit, limit] and at the edges; softmax rows;
//   - Adam and SGD steps against the scalar formulas, bit for bit;
//   - the pool: every part run once, every phase after the one before it.
// Prints one line per failure and a summary; exits 1 on any failure.
#include "CMLPKernels.h"

#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#pragma clang fp contract(off)

static int failures, checks;

#define EXPECT(condition, ...)                                                                                       \
    do {                                                                                                             \
        checks++;                                                                                                    \
        if (!(condition)) {                                                                                          \
            if (failures++ < 40) {                                                                                   \
                printf("FAIL %s:%d: ", __FILE__, __LINE__);                                                          \
                printf(__VA_ARGS__);                                                                                 \
                printf("\n");                                                                                        \
            }                                                                                                        \
        }                                                                                                            \
    } while (0)

static const char *isa_name(int isa) {
    return isa == MLP_ISA_AVX512 ? "avx512" : isa == MLP_ISA_AVX2 ? "avx2" : "generic";
}

// A fixed generator, so a failure repeats (splitmix64).
static uint64_t state = 0x9E3779B97F4A7C15ull;
static uint64_t next_random(void) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
// Multiples of 1/8 in [-1, 1]: their products and sums stay exact for any k used here, in either type.
static double dyadic(void) { return (double)((int)(next_random() % 17) - 8) / 8; }
static double uniform(void) { return (double)(next_random() >> 11) * 0x1p-53 * 2 - 1; }

static void *allocate(size_t bytes) {
    void *p = malloc(bytes ? bytes : 1);
    if (!p) {
        printf("out of memory (%zu bytes)\n", bytes);
        exit(2);
    }
    return p;
}

// One GEMM case in both types: the operands as doubles, converted for float32.
typedef struct {
    int trans_a, trans_b;
    long m, n, k;
    double alpha, beta;
    int bias, relu, relu_mask;
} gemm_case;

static double naive_element(const gemm_case *g, const double *a, const double *b, long i, long j) {
    long lda = g->trans_a ? g->m : g->k, ldb = g->trans_b ? g->k : g->n;
    double sum = 0;
    for (long p = 0; p < g->k; p++)
        sum += (g->trans_a ? a[p * lda + i] : a[i * lda + p]) * (g->trans_b ? b[j * ldb + p] : b[p * ldb + j]);
    return sum;
}

// The loop orders and operand paths GEMM can take, each forced in turn (default: the kernel's own choice).
enum { DEFAULT_PATH, ROWS_FIRST, PACKED, IN_PLACE, VARIANTS };
static const char *variant_names[VARIANTS] = {"default", "rows first", "packed", "in place"};

#define GEMM_CHECK(T, GEMM, NAME)                                                                                    \
    static void NAME(const gemm_case *g, int isa, int threads, long mc, long kc, long nc, int variant) {             \
        long m = g->m, n = g->n, k = g->k, lda = g->trans_a ? m : k, ldb = g->trans_b ? k : n;                      \
        double *ad = allocate(sizeof(double) * m * k), *bd = allocate(sizeof(double) * k * n);                      \
        double *cd = allocate(sizeof(double) * m * n), *biasd = allocate(sizeof(double) * n);                       \
        T *a = allocate(sizeof(T) * m * k), *b = allocate(sizeof(T) * k * n), *c = allocate(sizeof(T) * m * n);     \
        T *bias = allocate(sizeof(T) * n), *mask = allocate(sizeof(T) * m * n);                                      \
        for (long i = 0; i < m * k; i++) a[i] = (T)(ad[i] = dyadic());                                               \
        for (long i = 0; i < k * n; i++) b[i] = (T)(bd[i] = dyadic());                                               \
        for (long i = 0; i < m * n; i++) c[i] = (T)(cd[i] = dyadic()), mask[i] = (T)(i % 3 == 0 ? 0 : 1);           \
        for (long j = 0; j < n; j++) bias[j] = (T)(biasd[j] = dyadic());                                             \
        mlp_gemm_options options;                                                                                    \
        mlp_gemm_options_init(&options);                                                                             \
        options.isa = isa;                                                                                           \
        options.threads = threads;                                                                                   \
        options.mc = mc, options.kc = kc, options.nc = nc;                                                           \
        if (variant == ROWS_FIRST) options.order = 1;                                                                \
        if (variant == PACKED || variant == IN_PLACE) options.in_place = variant == IN_PLACE;                        \
        options.bias = g->bias ? bias : NULL;                                                                        \
        options.relu = g->relu;                                                                                      \
        options.relu_output = g->relu_mask ? mask : NULL;                                                            \
        options.ld_relu_output = n;                                                                                  \
        GEMM(g->trans_a, g->trans_b, m, n, k, (T)g->alpha, a, lda, b, ldb, (T)g->beta, c, n, &options);             \
        long wrong = 0, first = -1;                                                                                  \
        for (long i = 0; i < m; i++)                                                                                 \
            for (long j = 0; j < n; j++) {                                                                           \
                double e = g->alpha * naive_element(g, ad, bd, i, j) + (g->beta != 0 ? g->beta * cd[i * n + j] : 0); \
                if (g->bias) e += biasd[j];                                                                          \
                if (g->relu && e < 0) e = 0;                                                                         \
                if (g->relu_mask && mask[i * n + j] == 0) e = 0;                                                     \
                if ((T)e != c[i * n + j] && wrong++ == 0) first = i * n + j;                                         \
            }                                                                                                        \
        EXPECT(wrong == 0, "%s %s %c%c %ldx%ldx%ld alpha %g beta %g bias %d relu %d mask %d threads %d blocks "      \
               "%ld/%ld/%ld %s: %ld wrong, first (%ld, %ld) %.17g", #T, isa_name(isa), g->trans_a ? 'T' : 'N',       \
               g->trans_b ? 'T' : 'N', m, n, k, g->alpha, g->beta, g->bias, g->relu, g->relu_mask, threads, mc, kc,  \
               nc, variant_names[variant], wrong, first / (n ? n : 1), first % (n ? n : 1),                          \
               first < 0 ? 0.0 : (double)c[first]);                                                                  \
        free(ad), free(bd), free(cd), free(biasd), free(a), free(b), free(c), free(bias), free(mask);               \
    }
GEMM_CHECK(float, mlp_sgemm, check_gemm_f32)
GEMM_CHECK(double, mlp_dgemm, check_gemm_f64)

static void check_gemm(int isa) {
    static const long others[] = {1, 64, 13, 33, 5, 48, 24, 17, 2, 40, 31, 9};
    int index = 0;
    for (int t = 0; t < 4; t++)
        for (long m = 1; m <= 20; m++, index++) {
            gemm_case g = {t & 1, t >> 1, m, others[index % 12], others[(index + 5) % 12], 1, 0, 0, 0, 0};
            gemm_case h = {t & 1, t >> 1, others[index % 12], m, others[(index + 7) % 12], 1, 0, 0, 0, 0};
            for (int variant = 0; variant < VARIANTS; variant++) {
                check_gemm_f32(&g, isa, 1, 0, 0, 0, variant), check_gemm_f64(&g, isa, 1, 0, 0, 0, variant);
                check_gemm_f32(&h, isa, 1, 0, 0, 0, variant), check_gemm_f64(&h, isa, 1, 0, 0, 0, variant);
            }
        }
    static const long sizes[][3] = {{37, 70, 50}, {100, 45, 33}, {61, 131, 19}, {127, 129, 255}, {200, 256, 100}};
    for (int s = 0; s < 5; s++)
        for (int t = 0; t < 4; t++)
            for (int threads = 1; threads <= 3; threads++)
                for (int variant = 0; variant < VARIANTS; variant++) {
                    gemm_case g = {t & 1, t >> 1, sizes[s][0], sizes[s][1], sizes[s][2], threads == 2 ? -0.5 : 1,
                                   threads == 3 ? 0.25 : (t == 1 ? 1 : 0), s % 2, s % 3 == 0, s == 1};
                    check_gemm_f32(&g, isa, threads, 0, 0, 0, variant);
                    check_gemm_f64(&g, isa, threads, 0, 0, 0, variant);
                    if (s < 3) {  // blocks of a few tiles, so that every cache-block loop turns
                        check_gemm_f32(&g, isa, threads, 2, 7, 3, variant);
                        check_gemm_f64(&g, isa, threads, 2, 7, 3, variant);
                    }
                }
}

// ---- bits that must not depend on the path, on values whose sums round ----

#define PATH_CHECK(T, GEMM, ROW, PANELS, LAYERS, NAME)                                                               \
    static void NAME(int isa) {                                                                                      \
        /* GEMM on 1, 2 and 3 threads. */                                                                            \
        static const long shapes[][3] = {{200, 256, 100}, {256, 100, 200}, {200, 10, 128}, {513, 33, 257}};          \
        for (int s = 0; s < 4; s++) {                                                                                \
            long m = shapes[s][0], n = shapes[s][1], k = shapes[s][2];                                               \
            T *a = allocate(sizeof(T) * m * k), *b = allocate(sizeof(T) * k * n), *c[3];                             \
            for (long i = 0; i < m * k; i++) a[i] = (T)uniform();                                                    \
            for (long i = 0; i < k * n; i++) b[i] = (T)uniform();                                                    \
            for (int threads = 1; threads <= 3; threads++) {                                                         \
                mlp_gemm_options options;                                                                            \
                mlp_gemm_options_init(&options);                                                                     \
                options.isa = isa, options.threads = threads;                                                        \
                c[threads - 1] = allocate(sizeof(T) * m * n);                                                        \
                GEMM(0, 0, m, n, k, 1, a, k, b, n, 0, c[threads - 1], n, &options);                                  \
            }                                                                                                        \
            EXPECT(!memcmp(c[0], c[1], sizeof(T) * m * n) && !memcmp(c[0], c[2], sizeof(T) * m * n),                 \
                   "%s %s %ldx%ldx%ld: GEMM bits differ between 1, 2 and 3 threads", #T, isa_name(isa), m, n, k);    \
            free(a), free(b), free(c[0]), free(c[1]), free(c[2]);                                                    \
        }                                                                                                            \
        /* One row alone (dense_row, weight panels, a split pass) against the same row inside a batch. */           \
        enum { ROWS = 7, LAYERS_N = 3 };                                                                             \
        static const long units[LAYERS_N + 1] = {100, 256, 128, 10};                                                \
        long width = isa == MLP_ISA_AVX512 ? 256 / (long)sizeof(T) : isa == MLP_ISA_AVX2 ? 256 / (long)sizeof(T)    \
                                                                                          : 128 / (long)sizeof(T);   \
        long vector = width % 8 == 0 ? width / 8 : 1;                                                                \
        T *w[LAYERS_N], *bias[LAYERS_N], *x = allocate(sizeof(T) * ROWS * units[0]);                                 \
        for (long i = 0; i < ROWS * units[0]; i++) x[i] = (T)uniform();                                              \
        mlp_row_layer layers[LAYERS_N];                                                                              \
        long packed_count = 0;                                                                                       \
        for (int l = 0; l < LAYERS_N; l++) {                                                                         \
            long n_in = units[l], n_out = units[l + 1], rest = n_out % width;                                        \
            w[l] = allocate(sizeof(T) * n_in * n_out), bias[l] = allocate(sizeof(T) * n_out);                        \
            for (long i = 0; i < n_in * n_out; i++) w[l][i] = (T)(uniform() / 8);                                    \
            for (long j = 0; j < n_out; j++) bias[l][j] = (T)(uniform() / 8);                                        \
            long padded = n_out - rest + (rest + vector - 1) / vector * vector;                                      \
            layers[l] = (mlp_row_layer){n_in, padded, (padded + width - 1) / width, packed_count, l < LAYERS_N - 1,  \
                                        1, 1};                                                                       \
            packed_count += (n_in + 1) * padded;                                                                     \
        }                                                                                                            \
        T *packed = allocate(sizeof(T) * packed_count);                                                              \
        for (int l = 0; l < LAYERS_N; l++) { /* DenseRowPanels.pack: panels of rows, each followed by its bias; */   \
            /* the padding columns' weights 0 and bias 1 */                                                          \
            T *d = packed + layers[l].panels;                                                                        \
            long n_out = units[l + 1];                                                                               \
            for (long start = 0; start < layers[l].padded_columns; start += width) {                                 \
                long columns = layers[l].padded_columns - start < width ? layers[l].padded_columns - start : width;  \
                for (long p = 0; p <= units[l]; p++)                                                                 \
                    for (long q = 0; q < columns; q++, d++)                                                          \
                        *d = start + q >= n_out ? (p < units[l] ? 0 : 1)                                            \
                                                : p < units[l] ? w[l][p * n_out + start + q] : bias[l][start + q];  \
            }                                                                                                        \
        }                                                                                                            \
        T *batch[LAYERS_N + 1], *row = allocate(sizeof(T) * 256), *panel_out = allocate(sizeof(T) * 256);            \
        T *buffers[2][2];                                                                                            \
        for (int t = 0; t < 4; t++) buffers[t / 2][t % 2] = allocate(sizeof(T) * 256);                              \
        batch[0] = x;                                                                                                \
        for (int l = 0; l < LAYERS_N; l++) {                                                                         \
            batch[l + 1] = allocate(sizeof(T) * ROWS * units[l + 1]);                                                \
            mlp_gemm_options options;                                                                                \
            mlp_gemm_options_init(&options);                                                                         \
            options.isa = isa, options.threads = 1, options.bias = bias[l], options.relu = l < LAYERS_N - 1;         \
            GEMM(0, 0, ROWS, units[l + 1], units[l], 1, batch[l], units[l], w[l], units[l + 1], 0, batch[l + 1],     \
                 units[l + 1], &options);                                                                            \
            for (int r = 0; r < ROWS; r++) {                                                                         \
                long n_out = units[l + 1];                                                                           \
                ROW(isa, batch[l] + r * units[l], w[l], bias[l], row, units[l], n_out, l < LAYERS_N - 1);            \
                PANELS(isa, batch[l] + r * units[l], packed + layers[l].panels, panel_out, units[l],                 \
                       layers[l].padded_columns, width, 0, layers[l].panel_count, l < LAYERS_N - 1, 1);              \
                EXPECT(!memcmp(row, batch[l + 1] + r * n_out, sizeof(T) * n_out), "%s %s layer %d row %d: "          \
                       "mlp_dense_row differs from the row in a batch", #T, isa_name(isa), l, r);                   \
                EXPECT(!memcmp(panel_out, batch[l + 1] + r * n_out, sizeof(T) * n_out), "%s %s layer %d row %d: "    \
                       "weight panels differ from the row in a batch", #T, isa_name(isa), l, r);                    \
            }                                                                                                        \
        }                                                                                                            \
        for (int r = 0; r < ROWS; r++)                                                                               \
            for (int t = 0; t < 2; t++) {                                                                            \
                LAYERS(isa, layers, 0, LAYERS_N, packed, width, x + r * units[0], buffers[t][0], buffers[t][1],      \
                       t == 0 ? 1 : 2, 1L << 20);                                                                    \
                EXPECT(!memcmp(buffers[t][(LAYERS_N - 1) % 2], batch[LAYERS_N] + r * units[LAYERS_N],                \
                               sizeof(T) * units[LAYERS_N]),                                                         \
                       "%s %s row %d: the single-row pass on %d threads differs from the batch", #T, isa_name(isa), \
                       r, t + 1);                                                                                    \
            }                                                                                                        \
        for (int l = 0; l < LAYERS_N; l++) free(w[l]), free(bias[l]), free(batch[l + 1]);                            \
        for (int t = 0; t < 2; t++) free(buffers[t][0]), free(buffers[t][1]);                                        \
        free(x), free(packed), free(row), free(panel_out);                                                           \
    }
PATH_CHECK(float, mlp_sgemm, mlp_dense_row_f32, mlp_dense_panels_f32, mlp_row_layers_f32, check_paths_f32)
PATH_CHECK(double, mlp_dgemm, mlp_dense_row_f64, mlp_dense_panels_f64, mlp_row_layers_f64, check_paths_f64)

// ---- exp, logistic, tanh, softmax ----

// |actual - expected| in ulps of expected (of the least normal for subnormal results).
static double ulps(double actual, double expected, int f64) {
    if (isnan(actual) || isnan(expected)) return isnan(actual) && isnan(expected) ? 0 : INFINITY;
    if (actual == expected) return 0;
    if (isinf(actual) || isinf(expected)) return INFINITY;
    double least = f64 ? 0x1p-1022 : 0x1p-126, magnitude = fabs(expected) < least ? least : fabs(expected);
    int exponent;
    frexp(magnitude, &exponent);
    return fabs(actual - expected) / ldexp(1, exponent - (f64 ? 53 : 24));
}

// As the Swift tests compute it: in the element type, so float32's logistic is 0 where exp(-x) overflows.
static double reference_math(int function, double x) {
    return function == MLP_FN_EXP ? exp(x) : function == MLP_FN_LOGISTIC ? 1 / (1 + exp(-x)) : tanh(x);
}

static float reference_math_f32(int function, float x) {
    return function == MLP_FN_EXP ? expf(x) : function == MLP_FN_LOGISTIC ? 1 / (1 + expf(-x)) : tanhf(x);
}

static void check_math(int isa) {
    enum { STEPS = 20000, COUNT = STEPS + 1 + 40 };
    static const char *names[] = {"exp", "logistic", "tanh"};
    for (int f64 = 0; f64 <= 1; f64++) {
        double *x = allocate(sizeof(double) * COUNT), limit = f64 ? 800 : 120;
        long count = 0;
        for (int i = 0; i <= STEPS; i++) x[count++] = -limit + 2 * limit * i / STEPS;
        static const double edges[] = {0, -0.0, 1e-300, -1e-40, 0.625, 88.72283, -87.33654, -103.97, 9.01, 19.07,
                                       709.782712893384, -708.3964185322641, -745.1332191019411, 1e308, -1e308};
        for (int e = 0; e < 15; e++) x[count++] = f64 || fabs(edges[e]) < 3e38 ? edges[e] : 0;
        x[count++] = INFINITY, x[count++] = -INFINITY, x[count++] = NAN;
        for (int function = 0; function < 3; function++) {
            double worst = 0, at = 0;
            if (f64) {
                double *y = allocate(sizeof(double) * count);
                mlp_vmath_f64(function, x, y, count, isa);
                for (long i = 0; i < count; i++) {
                    double e = ulps(y[i], reference_math(function, x[i]), 1);
                    if (!(e <= worst)) worst = e, at = x[i];
                }
                free(y);
            } else {
                float *xf = allocate(sizeof(float) * count), *y = allocate(sizeof(float) * count);
                for (long i = 0; i < count; i++) xf[i] = (float)x[i];
                mlp_vmath_f32(function, xf, y, count, isa);
                for (long i = 0; i < count; i++) {
                    double e = ulps(y[i], reference_math_f32(function, xf[i]), 0);
                    if (!(e <= worst)) worst = e, at = xf[i];
                }
                free(xf), free(y);
            }
            EXPECT(worst <= 4, "%s %s %s: %.3g ulp from libm at x = %.17g", f64 ? "double" : "float", isa_name(isa),
                   names[function], worst, at);
        }
        free(x);
    }
    for (long columns = 1; columns <= 21; columns += 4) {
        enum { ROWS = 5 };
        double xd[ROWS * 21], yd[ROWS * 21];
        float xf[ROWS * 21];
        for (long i = 0; i < ROWS * columns; i++) xd[i] = yd[i] = uniform() * 30, xf[i] = (float)xd[i];
        mlp_softmax_rows_f64(yd, ROWS, columns, columns, isa);
        mlp_softmax_rows_f32(xf, ROWS, columns, columns, isa);
        for (int r = 0; r < ROWS; r++) {
            double top = -INFINITY, total = 0, worst64 = 0, worst32 = 0;
            for (long j = 0; j < columns; j++) top = fmax(top, xd[r * columns + j]);
            for (long j = 0; j < columns; j++) total += exp(xd[r * columns + j] - top);
            for (long j = 0; j < columns; j++) {
                double e = exp(xd[r * columns + j] - top) / total;
                worst64 = fmax(worst64, fabs(yd[r * columns + j] - e));
                worst32 = fmax(worst32, fabs(xf[r * columns + j] - e));
            }
            EXPECT(worst64 <= 1e-15 && worst32 <= 1e-6, "%s softmax of %ld columns, row %d: off by %.3g (float64), "
                   "%.3g (float32)", isa_name(isa), columns, r, worst64, worst32);
        }
    }
}

// ---- optimizer steps against their scalar formulas ----

static void check_optimizers(void) {
    enum { COUNT = 203 };
    static double p[COUNT], g[COUNT], m[COUNT], v[COUNT], p2[COUNT], g2[COUNT], m2[COUNT], v2[COUNT];
    for (int l2 = 0; l2 <= 1; l2++) {
        for (int i = 0; i < COUNT; i++) {
            p[i] = p2[i] = uniform(), g[i] = g2[i] = uniform() * (i % 7 == 0 ? 1e-200 : 1);
            m[i] = m2[i] = uniform() / 10, v[i] = v2[i] = fabs(uniform()) / 100;
        }
        double b1 = 0.9, b2 = 0.999, c1 = 1 - b1, c2 = 1 - b2, step = -0.001 * sqrt(1 - b2 * b2) / (1 - b1 * b1);
        double eps = 1e-8, alpha = 1e-4, normalizer = 200;
        mlp_adam_f64(p, g, m, v, COUNT, b1, b2, c1, c2, step, eps, l2, alpha, normalizer);
        long wrong = 0;
        for (int i = 0; i < COUNT; i++) {
            double gi = l2 ? (g2[i] + alpha * p2[i]) / normalizer : g2[i];
            double mi = b1 * m2[i] + c1 * gi, vi = b2 * v2[i] + c2 * (gi * gi);
            double pi = p2[i] + step * mi / (sqrt(vi) + eps);
            wrong += pi != p[i] || mi != m[i] || vi != v[i];
        }
        EXPECT(wrong == 0, "Adam (l2 %d): %ld of %d parameters differ from the scalar formula", l2, wrong, COUNT);
    }
    static float pf[COUNT], gf[COUNT], vf[COUNT], pf2[COUNT], gf2[COUNT], vf2[COUNT];
    for (int nesterov = 0; nesterov <= 1; nesterov++) {
        for (int i = 0; i < COUNT; i++)
            pf[i] = pf2[i] = (float)uniform(), gf[i] = gf2[i] = (float)uniform(), vf[i] = vf2[i] = (float)uniform();
        float mu = 0.9f, eta = 0.01f, alpha = 1e-4f, normalizer = 32;
        mlp_sgd_f32(pf, gf, vf, COUNT, mu, eta, nesterov, 1, alpha, normalizer);
        long wrong = 0;
        for (int i = 0; i < COUNT; i++) {
            float gi = (gf2[i] + alpha * pf2[i]) / normalizer, vi = mu * vf2[i] - eta * gi;
            float pi = nesterov ? pf2[i] + (mu * vi - eta * gi) : pf2[i] + vi;
            wrong += pi != pf[i] || vi != vf[i];
        }
        EXPECT(wrong == 0, "SGD (nesterov %d): %ld of %d parameters differ from the scalar formula", nesterov, wrong,
               COUNT);
    }
}

// ---- the pool ----

enum { POOL_PARTS = 1000, PHASES = 5, PHASE_PARTS = 7 };
static atomic_int runs[POOL_PARTS], phase_done[PHASES];
static atomic_int out_of_order;

static void pool_task(void *context, int index, int count) {
    (void)context, (void)count;
    atomic_fetch_add(&runs[index], 1);
}

static void phase_task(void *context, int phase, int part, int parts) {
    (void)context, (void)part;
    if (phase > 0 && atomic_load(&phase_done[phase - 1]) != parts) atomic_fetch_add(&out_of_order, 1);
    atomic_fetch_add(&phase_done[phase], 1);
}

static void check_pool(void) {
    for (int round = 0; round < 50; round++) {
        for (int i = 0; i < POOL_PARTS; i++) atomic_store(&runs[i], 0);
        mlp_pool_run(POOL_PARTS, 1 + round % 3, 1L << 30, pool_task, NULL);
        int wrong = 0;
        for (int i = 0; i < POOL_PARTS; i++) wrong += atomic_load(&runs[i]) != 1;
        EXPECT(wrong == 0, "mlp_pool_run round %d: %d parts not run exactly once", round, wrong);
        int parts[PHASES];
        for (int p = 0; p < PHASES; p++) parts[p] = PHASE_PARTS, atomic_store(&phase_done[p], 0);
        atomic_store(&out_of_order, 0);
        mlp_pool_run_phases(PHASES, parts, 2 + round % 2, 1L << 30, phase_task, NULL);
        int all = 1;
        for (int p = 0; p < PHASES; p++) all &= atomic_load(&phase_done[p]) == PHASE_PARTS;
        EXPECT(all && atomic_load(&out_of_order) == 0, "mlp_pool_run_phases round %d: parts missing or a phase "
               "started before the one before it finished (%d)", round, atomic_load(&out_of_order));
    }
}

int main(void) {
    int isas[] = {MLP_ISA_GENERIC, MLP_ISA_AVX2, MLP_ISA_AVX512};
    for (int i = 0; i < 3; i++) {
        if (!mlp_isa_supported(isas[i])) continue;
        int before = failures;
        check_gemm(isas[i]);
        check_paths_f32(isas[i]), check_paths_f64(isas[i]);
        check_math(isas[i]);
        printf("%-8s %s\n", isa_name(isas[i]), failures == before ? "ok" : "FAILED");
    }
    check_optimizers();
    check_pool();
    printf("%d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
