// Reads n floats of p (n a multiple of 32) with four independent add chains, so that the loads, not the adds, set the
// pace: the floor the single-row scripts compare against (l2_read_bound.c, single_row_floor.c).
#include <immintrin.h>

__attribute__((noinline)) static float read_all(const float *p, long n) {
    __asm__ volatile("" : : "r"(p) : "memory");  // not a pure function: every call reads the buffer again
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    for (long i = 0; i < n; i += 32) {
        a0 = _mm256_add_ps(a0, _mm256_load_ps(p + i));
        a1 = _mm256_add_ps(a1, _mm256_load_ps(p + i + 8));
        a2 = _mm256_add_ps(a2, _mm256_load_ps(p + i + 16));
        a3 = _mm256_add_ps(a3, _mm256_load_ps(p + i + 24));
    }
    float r[8];
    _mm256_storeu_ps(r, _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
    return r[0];
}
