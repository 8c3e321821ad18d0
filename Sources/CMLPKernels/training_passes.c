// The training loop's elementwise passes, compiled once per instruction set and chosen at run time.
// FP contraction is off: an FMA would round differently from the scalar reference and from scikit-learn.
#include "CMLPKernels.h"

#pragma STDC FP_CONTRACT OFF
#if defined(__clang__)
#pragma clang fp contract(off)
#endif

#define T double
#define SUF f64_generic
#define HAS_FMA 0
#include "training_passes_kernel.h"
#undef HAS_FMA
#undef SUF
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define SUF f64_avx2
#define HAS_FMA 1
#include "training_passes_kernel.h"
#undef SUF
#pragma clang attribute pop
#pragma clang attribute push(__attribute__((target("avx512f,avx2,fma"))), apply_to = function)
#define SUF f64_avx512
#include "training_passes_kernel.h"
#undef SUF
#undef HAS_FMA
#pragma clang attribute pop
#endif
#undef T

#define T float
#define SUF f32_generic
#define HAS_FMA 0
#include "training_passes_kernel.h"
#undef HAS_FMA
#undef SUF
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define SUF f32_avx2
#define HAS_FMA 1
#include "training_passes_kernel.h"
#undef SUF
#pragma clang attribute pop
#pragma clang attribute push(__attribute__((target("avx512f,avx2,fma"))), apply_to = function)
#define SUF f32_avx512
#include "training_passes_kernel.h"
#undef SUF
#undef HAS_FMA
#pragma clang attribute pop
#endif
#undef T

#if defined(__x86_64__)
static int isa(void) {
    static int cached = -1;
    if (cached < 0) cached = mlp_best_isa();
    return cached;
}

#define DISPATCH(base, type, ...)                                              \
    switch (isa()) {                                                           \
    case MLP_ISA_AVX512: base##_##type##_avx512(__VA_ARGS__); return;         \
    case MLP_ISA_AVX2: base##_##type##_avx2(__VA_ARGS__); return;             \
    default: base##_##type##_generic(__VA_ARGS__); return;                    \
    }
#else
#define DISPATCH(base, type, ...) base##_##type##_generic(__VA_ARGS__);
#endif

#define PASSES(type, S)                                                                                    \
    void mlp_bias_activation_##type(S *c, const S *bias, long rows, long cols, int act) {                  \
        DISPATCH(bias_activation, type, c, bias, rows, cols, act)                                          \
    }                                                                                                      \
    void mlp_relu_backward_##type(S *delta, const S *z, long count) {                                     \
        DISPATCH(relu_backward, type, delta, z, count)                                                     \
    }                                                                                                      \
    void mlp_logistic_backward_##type(S *delta, const S *z, long count) {                                 \
        DISPATCH(logistic_backward, type, delta, z, count)                                                 \
    }                                                                                                      \
    void mlp_tanh_backward_##type(S *delta, const S *z, long count) {                                     \
        DISPATCH(tanh_backward, type, delta, z, count)                                                     \
    }                                                                                                      \
    void mlp_gather_rows_##type(S *dst, const S *src, long width, const long *rows, long count) {          \
        DISPATCH(gather_rows, type, dst, src, width, rows, count)                                           \
    }                                                                                                      \
    void mlp_column_sums_##type(const S *m, long rows, long cols, long ld, S normalizer, S *out) {         \
        DISPATCH(column_sums, type, m, rows, cols, ld, normalizer, out)                                    \
    }                                                                                                      \
    void mlp_weight_gradient_##type(S *g, const S *w, long count, S alpha, S normalizer) {                \
        DISPATCH(weight_gradient, type, g, w, count, alpha, normalizer)                                    \
    }                                                                                                      \
    void mlp_adam_##type(S *p, S *g, S *m, S *v, long count, S b1, S b2, S c1, S c2, S step, S eps, int l2,   \
                         S alpha, S normalizer) {                                                          \
        DISPATCH(adam, type, p, g, m, v, count, b1, b2, c1, c2, step, eps, l2, alpha, normalizer)          \
    }                                                                                                      \
    void mlp_sgd_##type(S *p, S *g, S *v, long count, S mu, S eta, int nesterov, int l2, S alpha,          \
                        S normalizer) {                                                                    \
        DISPATCH(sgd, type, p, g, v, count, mu, eta, nesterov, l2, alpha, normalizer)                      \
    }

#define SUM_SQUARES(type, S)                                                                               \
    S mlp_sum_squares_##type(const S *x, long count) {                                                     \
        switch (isa()) {                                                                                   \
        case MLP_ISA_AVX512: return sum_squares_##type##_avx512(x, count);                                \
        case MLP_ISA_AVX2: return sum_squares_##type##_avx2(x, count);                                    \
        default: return sum_squares_##type##_generic(x, count);                                           \
        }                                                                                                  \
    }

#if defined(__x86_64__)
SUM_SQUARES(f64, double)
SUM_SQUARES(f32, float)
#else
double mlp_sum_squares_f64(const double *x, long count) { return sum_squares_f64_generic(x, count); }
float mlp_sum_squares_f32(const float *x, long count) { return sum_squares_f32_generic(x, count); }
#endif

PASSES(f64, double)
PASSES(f32, float)
