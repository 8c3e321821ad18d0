// glibc's exp (sysdeps/ieee754/dbl-64/e_exp.c, as built into __exp_fma), four lanes at a time, bit for bit.
// Each line below is one instruction of that build: GCC contracted a*b+c into FMA exactly where fmadd appears.
// Lanes outside its fast path (|x| < 2^-54 gives 1 + x here; |x| >= 512, inf, NaN) are left to the caller
// via the returned mask, to be redone with the scalar exp. Include only from code compiled with avx2,fma.
#ifndef MLP_SEED_EXP_KERNEL_H
#define MLP_SEED_EXP_KERNEL_H
#include <immintrin.h>
#include <stdint.h>
#include <math.h>

extern const uint64_t mlp_seed_exp_table[256];

#define SEED_EXP_C(bits) _mm256_castsi256_pd(_mm256_set1_epi64x((long long)(bits)))

__attribute__((target("avx2,fma"), always_inline))
static inline __m256d seed_exp4(__m256d x, int *slow) {
    const __m256i ix = _mm256_castpd_si256(x);
    // abstop - top12(2^-54) < top12(512) - top12(2^-54), unsigned: 0x3c9 <= abstop <= 0x407.
    const __m256i abstop = _mm256_and_si256(_mm256_srli_epi64(ix, 52), _mm256_set1_epi64x(0x7ff));
    const __m256i tiny = _mm256_cmpgt_epi64(_mm256_set1_epi64x(0x3c9), abstop);
    const __m256i big = _mm256_cmpgt_epi64(abstop, _mm256_set1_epi64x(0x407));
    const __m256d shift = SEED_EXP_C(0x4338000000000000);                                  // 0x1.8p52
    __m256d kd = _mm256_fmadd_pd(x, SEED_EXP_C(0x40671547652b82fe), shift);                // N/ln2
    const __m256i ki = _mm256_castpd_si256(kd);
    kd = _mm256_sub_pd(kd, shift);
    __m256d r = _mm256_fmadd_pd(kd, SEED_EXP_C(0xbf762e42fefa0000), x);                   // -ln2/N, high
    r = _mm256_fmadd_pd(kd, SEED_EXP_C(0xbd0cf79abc9e3b3a), r);                           // -ln2/N, low
    // Table pairs (tail, scale bits) by 16-byte loads: cheaper than two gathers here.
    const __m256i idx = _mm256_slli_epi64(_mm256_and_si256(ki, _mm256_set1_epi64x(127)), 1);
    const __m128i ilo = _mm256_castsi256_si128(idx), ihi = _mm256_extracti128_si256(idx, 1);
    const double *tab = (const double *)mlp_seed_exp_table;
    const __m256d p02 = _mm256_set_m128d(_mm_load_pd(tab + _mm_cvtsi128_si64(ihi)), _mm_load_pd(tab + _mm_cvtsi128_si64(ilo)));
    const __m256d p13 = _mm256_set_m128d(_mm_load_pd(tab + _mm_extract_epi64(ihi, 1)), _mm_load_pd(tab + _mm_extract_epi64(ilo, 1)));
    const __m256d tail = _mm256_unpacklo_pd(p02, p13);
    const __m256i sbits = _mm256_add_epi64(_mm256_castpd_si256(_mm256_unpackhi_pd(p02, p13)), _mm256_slli_epi64(ki, 45));
    const __m256d r2 = _mm256_mul_pd(r, r);
    const __m256d a = _mm256_fmadd_pd(r, SEED_EXP_C(0x3fc555555555543c), SEED_EXP_C(0x3fdffffffffffdbd));  // C3, C2
    const __m256d b = _mm256_fmadd_pd(r, SEED_EXP_C(0x3f81111167a4d017), SEED_EXP_C(0x3fa55555cf172b91));  // C5, C4
    __m256d tmp = _mm256_fmadd_pd(a, r2, _mm256_add_pd(tail, r));
    tmp = _mm256_fmadd_pd(_mm256_mul_pd(r2, r2), b, tmp);
    const __m256d scale = _mm256_castsi256_pd(sbits);
    __m256d y = _mm256_fmadd_pd(scale, tmp, scale);
    y = _mm256_blendv_pd(y, _mm256_add_pd(_mm256_set1_pd(1.0), x), _mm256_castsi256_pd(tiny));
    *slow = _mm256_movemask_pd(_mm256_castsi256_pd(big));
    return y;
}

// v[i] = 1 / (1 + exp(-v[i])) for i < n, in whole vectors of 4 (v must have room up to n rounded up).
__attribute__((target("avx2,fma"), always_inline))
static inline void seed_sigmoid_avx2(double *v, int n) {
    for (int i = 0; i < n; i += 4) {
        const __m256d z = _mm256_loadu_pd(v + i);
        int slow;
        const __m256d e = seed_exp4(_mm256_xor_pd(z, _mm256_set1_pd(-0.0)), &slow);
        const __m256d one = _mm256_set1_pd(1.0);
        _mm256_storeu_pd(v + i, _mm256_div_pd(one, _mm256_add_pd(one, e)));
        if (__builtin_expect(slow, 0)) {
            double zs[4];
            _mm256_storeu_pd(zs, z);
            for (int l = 0; l < 4; l++)
                if (slow >> l & 1) v[i + l] = 1.0 / (1.0 + exp(-zs[l]));
        }
    }
}
#endif
