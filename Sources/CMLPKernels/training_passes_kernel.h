// Instantiated by training_passes.c for one element type T and one instruction-set suffix SUF.
#define CAT_(a, b) a##_##b
#define CAT(a, b) CAT_(a, b)
#define NAME(base) CAT(base, SUF)

static void NAME(bias_activation)(T *restrict c, const T *restrict bias, long rows, long cols, int act) {
    for (long r = 0; r < rows; r++) {
        T *restrict row = c + r * cols;
        if (act == 1) {
            for (long j = 0; j < cols; j++) {
                T x = row[j] + bias[j];
                row[j] = x < 0 ? (T)0 : x;  // NaN fails `x < 0` and is kept, like np.maximum
            }
        } else {
            for (long j = 0; j < cols; j++) row[j] = row[j] + bias[j];
        }
    }
}

static void NAME(relu_backward)(T *restrict delta, const T *restrict z, long count) {
    for (long i = 0; i < count; i++) delta[i] = z[i] == 0 ? (T)0 : delta[i];
}

static void NAME(logistic_backward)(T *restrict delta, const T *restrict z, long count) {
    for (long i = 0; i < count; i++) delta[i] = delta[i] * (z[i] * (1 - z[i]));
}

static void NAME(tanh_backward)(T *restrict delta, const T *restrict z, long count) {
    for (long i = 0; i < count; i++) delta[i] = delta[i] * (1 - z[i] * z[i]);
}

// Blocks of columns keep their running sums in registers while the rows stream past (a row-outer loop over
// all columns reloads and stores every sum once per row). Block widths are constants (32, then 16, 8, 4, 2, 1
// for the remainder) so the compiler can hold each block in vector registers. Each sum adds the rows in order.
static inline __attribute__((always_inline)) void NAME(column_block)(const T *restrict m, long rows, long ld,
                                                                    long j0, int width, T normalizer,
                                                                    T *restrict out) {
    T sum[32] = {0};
    for (long r = 0; r < rows; r++)
        for (int j = 0; j < width; j++) sum[j] = sum[j] + m[r * ld + j0 + j];
    for (int j = 0; j < width; j++) out[j0 + j] = sum[j] / normalizer;
}

static void NAME(column_sums)(const T *restrict m, long rows, long cols, long ld, T normalizer, T *restrict out) {
    long j0 = 0;
    for (; j0 + 32 <= cols; j0 += 32) NAME(column_block)(m, rows, ld, j0, 32, normalizer, out);
    for (int width = 16; width >= 1; width /= 2)
        if (cols - j0 >= width) {
            switch (width) {
            case 16: NAME(column_block)(m, rows, ld, j0, 16, normalizer, out); break;
            case 8: NAME(column_block)(m, rows, ld, j0, 8, normalizer, out); break;
            case 4: NAME(column_block)(m, rows, ld, j0, 4, normalizer, out); break;
            case 2: NAME(column_block)(m, rows, ld, j0, 2, normalizer, out); break;
            default: NAME(column_block)(m, rows, ld, j0, 1, normalizer, out); break;
            }
            j0 += width;
        }
}

// One call per batch instead of a memmove per row: rows of a few hundred bytes cost more in call overhead than
// in copying.
__attribute__((no_builtin("memcpy", "memmove"))) static void NAME(gather_rows)(T *restrict dst, const T *restrict src, long width, const long *restrict rows,
                              long count) {
    // The rows are scattered over X (a shuffled order): fetch a few rows ahead so that their cache misses overlap.
    enum { AHEAD = 6 };
    for (long r = 0; r < count; r++) {
        if (r + AHEAD < count) {
            const char *next = (const char *)(src + rows[r + AHEAD] * width);
            for (long byte = 0; byte < width * (long)sizeof(T); byte += 64) __builtin_prefetch(next + byte);
        }
        const T *restrict from = src + rows[r] * width;
        T *restrict to = dst + r * width;
        for (long j = 0; j < width; j++) to[j] = from[j];
    }
}

static void NAME(weight_gradient)(T *restrict g, const T *restrict w, long count, T alpha, T normalizer) {
    for (long i = 0; i < count; i++) g[i] = (g[i] + alpha * w[i]) / normalizer;
}

// The optimizer steps, optionally finishing the weight gradient first in the same sweep:
// g = (g + alpha * p) / normalizer, with p read before its update (as the separate pass would).
static inline __attribute__((always_inline)) void NAME(adam_step)(T *restrict p, T *restrict g, T *restrict m,
                                                                 T *restrict v, long count, T b1, T b2, T c1, T c2,
                                                                 T negative_step, T eps, int l2, T alpha,
                                                                 T normalizer) {
    for (long i = 0; i < count; i++) {
        T gi = g[i];
        if (l2) g[i] = gi = (gi + alpha * p[i]) / normalizer;
        T mi = b1 * m[i] + c1 * gi;
        T vi = b2 * v[i] + c2 * (gi * gi);
        m[i] = mi;
        v[i] = vi;
        p[i] = p[i] + negative_step * mi / (__builtin_elementwise_sqrt(vi) + eps);
    }
}

#if HAS_FMA
// The l2 form with x / normalizer computed without the divider, which Adam is bound by (a division, a square root
// and a division per parameter). With r = RN(1 / n), q = RN(x r) and the remainder e = x − q n (exact by FMA),
// RN(q + e r) is the correctly rounded x / n (Markstein's correction step) as long as nothing underflows or
// overflows; e == 0 means q n == x, so q is exact (and keeps the sign of a zero). Blocks with any x outside
// [SAFE_LOW, SAFE_HIGH] (zeros, tiny or huge values, NaN, infinities) divide, so every result is x / n's bits.
// Callers pass only normalizers in [1, 2^40] (see adam).
#define RECIPROCAL_BLOCK 32
#define SAFE_LOW (sizeof(T) == 8 ? 0x1p-900 : 0x1p-60)
#define SAFE_HIGH (sizeof(T) == 8 ? 0x1p900 : 0x1p60)
static inline __attribute__((always_inline)) void NAME(adam_step_reciprocal)(
    T *restrict p, T *restrict g, T *restrict m, T *restrict v, long count, T b1, T b2, T c1, T c2, T negative_step,
    T eps, T alpha, T normalizer) {
    const T r = 1 / normalizer, low = (T)SAFE_LOW, high = (T)SAFE_HIGH;
    long i = 0;
    for (; i + RECIPROCAL_BLOCK <= count; i += RECIPROCAL_BLOCK) {
        T x[RECIPROCAL_BLOCK], quotient[RECIPROCAL_BLOCK];
        int outside = 0;
        for (int k = 0; k < RECIPROCAL_BLOCK; k++) {
            x[k] = g[i + k] + alpha * p[i + k];
            T magnitude = __builtin_elementwise_abs(x[k]);
            outside |= !(magnitude >= low && magnitude <= high);
        }
        if (outside) {
            for (int k = 0; k < RECIPROCAL_BLOCK; k++) quotient[k] = x[k] / normalizer;
        } else {
            for (int k = 0; k < RECIPROCAL_BLOCK; k++) {
                T q = x[k] * r;
                T e = __builtin_elementwise_fma(-q, normalizer, x[k]);
                quotient[k] = __builtin_elementwise_fma(e, r, q);
            }
        }
        for (int k = 0; k < RECIPROCAL_BLOCK; k++) {
            T gi = quotient[k];
            g[i + k] = gi;
            T mi = b1 * m[i + k] + c1 * gi;
            T vi = b2 * v[i + k] + c2 * (gi * gi);
            m[i + k] = mi;
            v[i + k] = vi;
            p[i + k] = p[i + k] + negative_step * mi / (__builtin_elementwise_sqrt(vi) + eps);
        }
    }
    NAME(adam_step)(p + i, g + i, m + i, v + i, count - i, b1, b2, c1, c2, negative_step, eps, 1, alpha, normalizer);
}
#undef SAFE_LOW
#undef SAFE_HIGH
#undef RECIPROCAL_BLOCK
#endif

static void NAME(adam)(T *restrict p, T *restrict g, T *restrict m, T *restrict v, long count, T b1, T b2, T c1,
                       T c2, T negative_step, T eps, int l2, T alpha, T normalizer) {
#if HAS_FMA
    if (l2 && normalizer >= 1 && normalizer <= (T)0x1p40) {
        NAME(adam_step_reciprocal)(p, g, m, v, count, b1, b2, c1, c2, negative_step, eps, alpha, normalizer);
        return;
    }
#endif
    if (l2) NAME(adam_step)(p, g, m, v, count, b1, b2, c1, c2, negative_step, eps, 1, alpha, normalizer);
    else NAME(adam_step)(p, g, m, v, count, b1, b2, c1, c2, negative_step, eps, 0, alpha, normalizer);
}

static inline __attribute__((always_inline)) void NAME(sgd_step)(T *restrict p, T *restrict g, T *restrict v,
                                                                long count, T mu, T eta, int nesterov, int l2,
                                                                T alpha, T normalizer) {
    for (long i = 0; i < count; i++) {
        T gi = g[i];
        if (l2) g[i] = gi = (gi + alpha * p[i]) / normalizer;
        T vi = mu * v[i] - eta * gi;
        v[i] = vi;
        p[i] = nesterov ? p[i] + (mu * vi - eta * gi) : p[i] + vi;
    }
}

static void NAME(sgd)(T *restrict p, T *restrict g, T *restrict v, long count, T mu, T eta, int nesterov, int l2,
                      T alpha, T normalizer) {
    if (nesterov && l2) NAME(sgd_step)(p, g, v, count, mu, eta, 1, 1, alpha, normalizer);
    else if (nesterov) NAME(sgd_step)(p, g, v, count, mu, eta, 1, 0, alpha, normalizer);
    else if (l2) NAME(sgd_step)(p, g, v, count, mu, eta, 0, 1, alpha, normalizer);
    else NAME(sgd_step)(p, g, v, count, mu, eta, 0, 0, alpha, normalizer);
}

static T NAME(sum_squares)(const T *restrict x, long count) {
    // 16 lanes, each a sequential sum of every 16th square; lanes combined in a fixed tree.
    T lane[16] = {0};
    long i = 0;
    for (; i + 16 <= count; i += 16)
        for (int k = 0; k < 16; k++) lane[k] = lane[k] + x[i + k] * x[i + k];
    for (int k = 0; i + k < count; k++) lane[k] = lane[k] + x[i + k] * x[i + k];
    for (int width = 8; width >= 1; width /= 2)
        for (int k = 0; k < width; k++) lane[k] = lane[k] + lane[k + width];
    return lane[0];
}

#undef NAME
#undef CAT
#undef CAT_
