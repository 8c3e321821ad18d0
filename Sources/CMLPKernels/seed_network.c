// The question's 2-H-1 network with numpy's roundings, so that its chaotic iteration counts come out the same.
// Every product below is written in the order OpenBLAS's Haswell kernels use for these shapes (derived and
// verified bit for bit in Scripts/seed_reference.py); everything else is one IEEE operation per operator.
#include "CMLPKernels.h"
#include <math.h>
#include <string.h>
#include <stdlib.h>

#pragma STDC FP_CONTRACT OFF
#if defined(__clang__)
#pragma clang fp contract(off)
#endif

#define ROWS 10
#define MAX_HIDDEN 64
#define L1(r, j) l1_[(r) * H + (j)]
#define D1(r, j) d1_[(r) * H + (j)]

int mlp_cpu_has_avx2_fma(void);

static inline double sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }

// `hidden` is the layer width as a constant where the caller knows it (3: the question's), so loops unroll.
// `exact_sigmoids`, when given, replaces the per-element sigmoid with a batched, bit-identical one.
static inline __attribute__((always_inline)) mlp_seed_result seed_train_body(
    const double *x, const double *y, double *p, const mlp_seed_options *o,
    double *errors, int64_t errors_capacity, double *scratch, const int hidden,
    void (*exact_sigmoids)(double *, int)) {
    const int H = hidden, n = 4 * H + 1;
    const int batched = o->vector_exp || exact_sigmoids;
    double *w1 = p, *w2 = p + 2 * H, *b1 = p + 3 * H, *b2 = p + 4 * H;
    double *g = scratch, *state1 = scratch + n, *state2 = scratch + 2 * n;
    double last_good[4 * MAX_HIDDEN + 1];
    // l1_ and l2 have room to round the vectorized calls up to whole 8-lane vectors (no masked tails).
    double l1_[ROWS * MAX_HIDDEN + 8] = {0}, d1_[ROWS * MAX_HIDDEN], l2[16] = {0}, d2[ROWS];
    memset(state1, 0, sizeof(double) * n);
    memset(state2, 0, sizeof(double) * n);
    mlp_seed_result result = {0, -1, NAN, INFINITY, 0};
    double error = NAN;
    int64_t i = 0;
    for (;; i++) {
        // Forward: l1 = σ(X·W1 + b1), l2 = σ(l1·W2 + b2). The fast variant batches the sigmoids into the
        // vectorized logistic (a few ulp from glibc's exp, so its chaotic counts differ slightly from numpy's).
        for (int r = 0; r < ROWS; r++)
            for (int j = 0; j < H; j++) {
                double z = __builtin_fma(x[2 * r + 1], w1[H + j], x[2 * r] * w1[j]) + b1[j];
                L1(r, j) = batched ? z : sigmoid(z);
            }
        if (o->vector_exp) mlp_vmath_f64(MLP_FN_LOGISTIC, l1_, l1_, (ROWS * H + 7) / 8 * 8, -1);
        else if (exact_sigmoids) exact_sigmoids(l1_, ROWS * H);
        for (int r = 0; r < ROWS; r++) {
            const double *a = &L1(r, 0);
            double z;
            if (H == 3) {
                z = __builtin_fma(a[2], w2[2], __builtin_fma(a[0], w2[0], a[1] * w2[1]));
            } else if (H == 5) {
                z = __builtin_fma(a[4], w2[4], (a[0] * w2[0] + a[2] * w2[2]) + (a[1] * w2[1] + a[3] * w2[3]));
            } else {
                z = a[0] * w2[0];
                for (int j = 1; j < H; j++) z = __builtin_fma(a[j], w2[j], z);
            }
            l2[r] = batched ? z + b2[0] : sigmoid(z + b2[0]);
        }
        if (o->vector_exp) mlp_vmath_f64(MLP_FN_LOGISTIC, l2, l2, 16, -1);
        else if (exact_sigmoids) exact_sigmoids(l2, ROWS);
        // The question's calculateError: Σ (y − ŷ)², row 0 first.
        error = 0.0;
        for (int r = 0; r < ROWS; r++) {
            double d = y[r] - l2[r];
            error = error + d * d;
        }
        int finite = isfinite(error);
        for (int q = 0; q < n && finite; q++) finite = isfinite(p[q]);
        if (!finite) {
            memcpy(p, last_good, sizeof(double) * n);
            result.diverged = 1;
            break;
        }
        // As the question's `for i in range(max_iter)`: the weights after the last update are not checked.
        if (i == o->max_iterations) break;
        if (error < result.minimum_error) result.minimum_error = error;
        if (i % 1000 == 0 && i / 1000 < errors_capacity) errors[i / 1000] = error;
        if (error < o->goal) { result.reached = i; break; }
        memcpy(last_good, p, sizeof(double) * n);

        // Backward: δ2 = ∂E/∂z2, δ1 = (δ2·W2ᵀ) ⊙ σ'(l1)
        for (int r = 0; r < ROWS; r++)
            d2[r] = o->loss == 0 ? (l2[r] - y[r]) * (l2[r] * (1 - l2[r])) : l2[r] - y[r];
        for (int r = 0; r < ROWS; r++)
            for (int j = 0; j < H; j++) D1(r, j) = (d2[r] * w2[j]) * (L1(r, j) * (1 - L1(r, j)));
        // ∂/∂W1 = Xᵀ·δ1
        for (int k = 0; k < 2; k++)
            for (int j = 0; j < H; j++) {
                double s = x[k] * D1(0, j);
                for (int r = 1; r < ROWS; r++) s = __builtin_fma(x[2 * r + k], D1(r, j), s);
                g[k * H + j] = s;
            }
        // ∂/∂W2 = l1ᵀ·δ2
        for (int j = 0; j < H; j++) {
            double s;
            if (H == 5 && j < 4) {
                double a = __builtin_fma(L1(2, j), d2[2], L1(0, j) * d2[0]) + __builtin_fma(L1(3, j), d2[3], L1(1, j) * d2[1]);
                double b = __builtin_fma(L1(6, j), d2[6], L1(4, j) * d2[4]) + __builtin_fma(L1(7, j), d2[7], L1(5, j) * d2[5]);
                s = (a + b) + (L1(8, j) * d2[8] + L1(9, j) * d2[9]);
            } else if (H == 5) {
                s = 0.0;
                for (int r = 0; r < ROWS; r++) s = s + L1(r, j) * d2[r];
            } else {
                s = 0.0;
                for (int r = 0; r < 8; r += 2) s = s + (L1(r, j) * d2[r] + L1(r + 1, j) * d2[r + 1]);
                s = s + L1(8, j) * d2[8];
                s = s + L1(9, j) * d2[9];
            }
            g[2 * H + j] = s;
        }
        // ∂/∂b1 = Σ δ1 (sequential), ∂/∂b2 = Σ δ2 (numpy's pairwise order for 10 values)
        for (int j = 0; j < H; j++) {
            double s = D1(0, j);
            for (int r = 1; r < ROWS; r++) s = s + D1(r, j);
            g[3 * H + j] = s;
        }
        double sb = ((d2[0] + d2[1]) + (d2[2] + d2[3])) + ((d2[4] + d2[5]) + (d2[6] + d2[7]));
        sb = sb + d2[8];
        g[4 * H] = sb + d2[9];
        // scikit-learn's normalisation and L2 term, skipped for the question's summed gradient.
        if (o->normalizer != 1.0 || o->l2 != 0.0) {
            for (int q = 0; q < 3 * H; q++) g[q] = (g[q] + o->l2 * p[q]) / o->normalizer;
            for (int q = 3 * H; q < n; q++) g[q] = g[q] / o->normalizer;
        }
        // Update.
        const double lr = o->learning_rate;
        if (o->optimizer == 0) {
            for (int q = 0; q < n; q++) p[q] = p[q] - lr * g[q];
        } else if (o->optimizer == 1) {
            for (int q = 0; q < n; q++) {
                state1[q] = o->momentum * state1[q] - lr * g[q];
                p[q] = p[q] + state1[q];
            }
        } else {
            double t = (double)(i + 1);
            double step = lr * sqrt(1 - pow(o->beta2, t)) / (1 - pow(o->beta1, t));
            for (int q = 0; q < n; q++) {
                state1[q] = o->beta1 * state1[q] + (1 - o->beta1) * g[q];
                state2[q] = o->beta2 * state2[q] + (1 - o->beta2) * (g[q] * g[q]);
                p[q] = p[q] + (-step * state1[q]) / (sqrt(state2[q]) + o->epsilon);
            }
        }
    }
    result.iterations_run = i;
    result.final_error = error;
    return result;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include "seed_exp_kernel.h"

// Runs where glibc's exp is its __exp_fma (AVX2 + FMA), which seed_sigmoid_avx2 reproduces bit for bit.
// Another libc's exp is another function: there the sigmoids keep calling it.
#if defined(__GLIBC__)
#define SEED_EXACT_SIGMOIDS seed_sigmoid_avx2
#else
#define SEED_EXACT_SIGMOIDS 0
#endif
__attribute__((target("avx2,fma")))
static mlp_seed_result seed_train_fma(const double *x, const double *y, double *p, const mlp_seed_options *o,
                                      double *errors, int64_t capacity, double *scratch) {
    if (o->hidden == 3) return seed_train_body(x, y, p, o, errors, capacity, scratch, 3, SEED_EXACT_SIGMOIDS);
    return seed_train_body(x, y, p, o, errors, capacity, scratch, o->hidden, SEED_EXACT_SIGMOIDS);
}
#endif

// Without hardware FMA, __builtin_fma becomes a call to libm's fma: slower, the same bits.
static mlp_seed_result seed_train_portable(const double *x, const double *y, double *p, const mlp_seed_options *o,
                                           double *errors, int64_t capacity, double *scratch) {
    return seed_train_body(x, y, p, o, errors, capacity, scratch, o->hidden, 0);
}

mlp_seed_result mlp_seed_train(const double *x, const double *y, double *parameters, const mlp_seed_options *options,
                               double *errors, int64_t errors_capacity, double *scratch) {
    if (options->hidden < 1 || options->hidden > MAX_HIDDEN) {
        mlp_seed_result invalid = {0, -1, NAN, NAN, 1};
        return invalid;
    }
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (mlp_cpu_has_avx2_fma()) return seed_train_fma(x, y, parameters, options, errors, errors_capacity, scratch);
#endif
    return seed_train_portable(x, y, parameters, options, errors, errors_capacity, scratch);
}
