// Elementwise exp / logistic / tanh, instantiated per element type and instruction set from vmath_kernel.h.
#include "CMLPKernels.h"
#include <stdint.h>

// ---- float constants (Cephes expf / tanhf) ----
#define T float
#define IT int
#define EXP_LO -104.0f
#define EXP_HI 89.0f
#define LOG2E 1.44269504088896341f
#define ROUND_MAGIC 12582912.0f  /* 1.5 * 2^23 */
#define LN2_HI 0.693359375f
#define LN2_LO -2.12194440e-4f
#define EXP_BIAS 127
#define MANT_BITS 23
#define EXP_POLY(r) \
    (((((((V)1.9875691500E-4f * (r) + (V)1.3981999507E-3f) * (r) + (V)8.3334519073E-3f) * (r) \
        + (V)4.1665795894E-2f) * (r) + (V)1.6666665459E-1f) * (r) + (V)5.0000001201E-1f) * ((r) * (r)) + (r) + (V)1)
#define TANH_SMALL(ax, z) \
    (((((((V)-5.70498872745E-3f * (z) + (V)2.06390887954E-2f) * (z) - (V)5.37397155531E-2f) * (z) \
        + (V)1.33314422036E-1f) * (z) - (V)3.33332819422E-1f) * (z)) * (ax) + (ax))

#define VL 4
#define SUF f32_generic
#include "vmath_kernel.h"
#undef VL
#undef SUF
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define VL 8
#define SUF f32_avx2
#include "vmath_kernel.h"
#undef VL
#undef SUF
#pragma clang attribute pop
#pragma clang attribute push(__attribute__((target("avx512f,avx2,fma"))), apply_to = function)
#define VL 16
#define SUF f32_avx512
#include "vmath_kernel.h"
#undef VL
#undef SUF
#pragma clang attribute pop
#endif
#undef T
#undef IT
#undef EXP_LO
#undef EXP_HI
#undef LOG2E
#undef ROUND_MAGIC
#undef LN2_HI
#undef LN2_LO
#undef EXP_BIAS
#undef MANT_BITS
#undef EXP_POLY
#undef TANH_SMALL

// ---- double constants (Cephes exp / tanh) ----
#define T double
#define IT long  /* the type clang gives double-vector comparisons on LP64 (int64_t is long long on Darwin) */
#define EXP_LO -746.0
#define EXP_HI 710.0
#define LOG2E 1.4426950408889634074
#define ROUND_MAGIC 6755399441055744.0  /* 1.5 * 2^52 */
#define LN2_HI 6.93145751953125E-1
#define LN2_LO 1.42860682030941723212E-6
#define EXP_BIAS 1023
#define MANT_BITS 52
// exp(r) = 1 + 2 r P(r^2) / (Q(r^2) - r P(r^2))
#define EXP_PADE_P(xx) (((V)1.26177193074810590878E-4 * (xx) + (V)3.02994407707441961300E-2) * (xx) + (V)9.99999999999999999910E-1)
#define EXP_PADE_Q(xx) \
    ((((V)3.00198505138664455042E-6 * (xx) + (V)2.52448340349684104192E-3) * (xx) + (V)2.27265548208155028766E-1) * (xx) \
     + (V)2.00000000000000000009E0)
#define EXP_POLY(r) ((V)1 + (V)2 * ((r) * EXP_PADE_P((r) * (r))) / (EXP_PADE_Q((r) * (r)) - (r) * EXP_PADE_P((r) * (r))))
// tanh(x) = x + x z P(z) / Q(z), z = x^2, |x| < 0.625
#define TANH_P(z) (((V)-9.64399179425052238628E-1 * (z) - (V)9.92877231001918586564E1) * (z) - (V)1.61468768441708447952E3)
#define TANH_Q(z) \
    ((((z) + (V)1.12811678491632931402E2) * (z) + (V)2.23548839060100448583E3) * (z) + (V)4.84406305325125486048E3)
#define TANH_SMALL(ax, z) ((ax) + (ax) * (z) * (TANH_P(z) / TANH_Q(z)))

#define VL 2
#define SUF f64_generic
#include "vmath_kernel.h"
#undef VL
#undef SUF
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define VL 4
#define SUF f64_avx2
#include "vmath_kernel.h"
#undef VL
#undef SUF
#pragma clang attribute pop
#pragma clang attribute push(__attribute__((target("avx512f,avx2,fma"))), apply_to = function)
#define VL 8
#define SUF f64_avx512
#include "vmath_kernel.h"
#undef VL
#undef SUF
#pragma clang attribute pop
#endif

#if defined(__x86_64__)
#define DISPATCH(isa, name, type, ...)                                                    \
    do {                                                                                  \
        if (isa < 0 || !mlp_isa_supported(isa)) isa = mlp_best_isa();                     \
        if (isa == MLP_ISA_AVX512) { name##_##type##_avx512(__VA_ARGS__); return; }       \
        if (isa == MLP_ISA_AVX2) { name##_##type##_avx2(__VA_ARGS__); return; }           \
        name##_##type##_generic(__VA_ARGS__);                                             \
    } while (0)
#else
#define DISPATCH(isa, name, type, ...) name##_##type##_generic(__VA_ARGS__)
#endif

void mlp_vmath_f32(int function, const float *x, float *y, long count, int isa) {
    DISPATCH(isa, vmath, f32, function, x, y, count);
}
void mlp_vmath_f64(int function, const double *x, double *y, long count, int isa) {
    DISPATCH(isa, vmath, f64, function, x, y, count);
}
void mlp_softmax_rows_f32(float *x, long rows, long columns, long ld, int isa) {
    DISPATCH(isa, softmax_rows, f32, x, rows, columns, ld);
}
void mlp_softmax_rows_f64(double *x, long rows, long columns, long ld, int isa) {
    DISPATCH(isa, softmax_rows, f64, x, rows, columns, ld);
}
