// mlp_seed_exp_f64: the seed engine's vector exp over an array, for the tests that compare it with glibc's exp.
#include "CMLPKernels.h"
#include <math.h>

#pragma STDC FP_CONTRACT OFF
#if defined(__clang__)
#pragma clang fp contract(off)
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && defined(__GLIBC__)
#include "seed_exp_kernel.h"

__attribute__((target("avx2,fma")))
static void exp_avx2(const double *x, double *y, long n) {
    for (long i = 0; i < n; i += 4) {
        double in[4] = {0, 0, 0, 0}, out[4];
        const long m = n - i < 4 ? n - i : 4;
        for (long l = 0; l < m; l++) in[l] = x[i + l];
        int slow;
        _mm256_storeu_pd(out, seed_exp4(_mm256_loadu_pd(in), &slow));
        for (long l = 0; l < m; l++) y[i + l] = slow >> l & 1 ? exp(in[l]) : out[l];
    }
}
#endif

int mlp_seed_exp_f64(const double *x, double *y, long n) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && defined(__GLIBC__)
    if (mlp_cpu_has_avx2_fma()) {
        exp_avx2(x, y, n);
        return 1;
    }
#endif
    for (long i = 0; i < n; i++) y[i] = exp(x[i]);
    return 0;
}
