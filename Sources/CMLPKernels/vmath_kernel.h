// Vectorized exp, logistic and tanh for one element type and instruction set, included by vmath.c.
// Parameters (macros): T, IT (same-width integer), VL (lanes), SUF, and the per-type constants below.
//
// exp: x = n*ln2 + r with |r| <= ln2/2 (Cody-Waite, two-part ln2), exp(r) by the Cephes polynomial
// (float) or Pade form (double), then 2^n applied in two halves so results that are subnormal round once
// and results past the top overflow to +inf. Inputs are clamped first; NaN is passed through.
// tanh: odd, computed on |x|: a minimax polynomial/rational below 0.625 (Cephes), 1 - 2/(exp(2|x|) + 1)
// above; the sign of x is copied back (so tanh(-0) = -0).

#define GLUE2(a, b) a##_##b
#define GLUE(a, b) GLUE2(a, b)
#define FN(name) GLUE(name, SUF)

typedef T FN(vec) __attribute__((ext_vector_type(VL)));
typedef T FN(uvec) __attribute__((ext_vector_type(VL), aligned(sizeof(T))));
typedef IT FN(ivec) __attribute__((ext_vector_type(VL)));
#define V FN(vec)
#define VU FN(uvec)
#define IV FN(ivec)

static inline V FN(select)(IV mask, V a, V b) { return (V)(((IV)a & mask) | ((IV)b & ~mask)); }

static inline V FN(exp_v)(V x) {
    V xc = __builtin_elementwise_min(__builtin_elementwise_max(x, (V)EXP_LO), (V)EXP_HI);
    // n = round(x / ln2) by the 1.5*2^(mantissa bits) trick; its integer value sits in the low bits.
    V t = xc * (V)LOG2E + (V)ROUND_MAGIC;
    V nf = t - (V)ROUND_MAGIC;
    IV n = (IV)t - (IV)(V)ROUND_MAGIC;
    V r = xc - nf * (V)LN2_HI;
    r = r - nf * (V)LN2_LO;
    V p = EXP_POLY(r);
    IV n1 = n >> 1, n2 = n - n1;
    V s1 = (V)((n1 + EXP_BIAS) << MANT_BITS), s2 = (V)((n2 + EXP_BIAS) << MANT_BITS);
    V y = p * s1 * s2;
    return FN(select)(x != x, x, y);
}

static inline V FN(logistic_v)(V x) { return (V)1 / ((V)1 + FN(exp_v)(-x)); }

static inline V FN(tanh_v)(V x) {
    IV signBit = (IV)(V)(-0.0);
    V ax = (V)((IV)x & ~signBit);
    V z = ax * ax;
    V small = TANH_SMALL(ax, z);
    V e = FN(exp_v)(ax + ax);
    V large = (V)1 - (V)2 / (e + (V)1);
    V y = FN(select)(ax < (V)0.625, small, large);
    return (V)((IV)y | ((IV)x & signBit));
}

#define VMATH_LOOP(f)                                                      \
    do {                                                                   \
        long i = 0;                                                        \
        for (; i + 2 * VL <= count; i += 2 * VL) {                         \
            V v0 = *(const VU *)(x + i), v1 = *(const VU *)(x + i + VL);   \
            *(VU *)(y + i) = f(v0);                                        \
            *(VU *)(y + i + VL) = f(v1);                                   \
        }                                                                  \
        for (; i + VL <= count; i += VL) *(VU *)(y + i) = f(*(const VU *)(x + i)); \
        if (i < count) {                                                   \
            T tmp[VL];                                                     \
            for (int j = 0; j < VL; j++) tmp[j] = i + j < count ? x[i + j] : 0; \
            V v = f(*(const VU *)tmp);                                     \
            for (int j = 0; j < VL && i + j < count; j++) y[i + j] = v[j]; \
        }                                                                  \
    } while (0)

static void FN(vmath)(int function, const T *x, T *y, long count) {
    switch (function) {
    case MLP_FN_EXP: VMATH_LOOP(FN(exp_v)); break;
    case MLP_FN_LOGISTIC: VMATH_LOOP(FN(logistic_v)); break;
    case MLP_FN_TANH: VMATH_LOOP(FN(tanh_v)); break;
    default: break;
    }
}

// ---- fused passes ----

// Softmax of VL rows of at most SOFTMAX_LANES_MAX columns at once, one row per lane: a classifier's 10 outputs
// fill less than one vector, and a row at a time then pays a scalar sum and one scalar division per element.
// Each lane does what the row loop below does to its row, in the same order (max, exp of x - max, the sum from
// column 0 up, the divisions), so the results are the same bits.
#ifndef SOFTMAX_LANES_MAX
#define SOFTMAX_LANES_MAX 32
#endif
static void FN(softmax_lanes)(T *x, long columns, long ld) {
    V e[SOFTMAX_LANES_MAX];
    for (long j = 0; j < columns; j++)
        for (int q = 0; q < VL; q++) e[j][q] = x[q * ld + j];
    V max = e[0];
    for (long j = 1; j < columns; j++) max = e[j] > max ? e[j] : max;
    V sum = (V)0;
    for (long j = 0; j < columns; j++) {
        e[j] = FN(exp_v)(e[j] - max);
        sum = sum + e[j];
    }
    for (long j = 0; j < columns; j++) {
        V y = e[j] / sum;
        for (int q = 0; q < VL; q++) x[q * ld + j] = y[q];
    }
}

// Row-wise softmax in place, as scikit-learn: x -= max(x); x = exp(x); x /= sum(x). The sum adds the row in
// order (as the scalar formula does), so the result does not depend on the vector width.
static void FN(softmax_rows)(T *x, long rows, long columns, long ld) {
    long first = 0;
    if (columns <= SOFTMAX_LANES_MAX)
        for (; first + VL <= rows; first += VL) FN(softmax_lanes)(x + first * ld, columns, ld);
    for (long i = first; i < rows; i++) {
        T *row = x + i * ld;
        T max = row[0];
        for (long j = 1; j < columns; j++) max = row[j] > max ? row[j] : max;
        long j = 0;
        for (; j + VL <= columns; j += VL) *(VU *)(row + j) = FN(exp_v)(*(VU *)(row + j) - (V)max);
        if (j < columns) {  // the tail as one padded vector
            T tmp[VL];
            for (int q = 0; q < VL; q++) tmp[q] = j + q < columns ? row[j + q] - max : 0;
            V e = FN(exp_v)(*(const VU *)tmp);
            for (int q = 0; j + q < columns; q++) row[j + q] = e[q];
        }
        T sum = 0;
        for (j = 0; j < columns; j++) sum = sum + row[j];
        for (j = 0; j + VL <= columns; j += VL) *(VU *)(row + j) = *(VU *)(row + j) / (V)sum;
        for (; j < columns; j++) row[j] = row[j] / sum;
    }
}

#undef VMATH_LOOP
#undef V
#undef VU
#undef IV
#undef FN
#undef GLUE
#undef GLUE2
