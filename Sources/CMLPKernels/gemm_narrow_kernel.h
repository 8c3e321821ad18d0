// Narrow products with the rows of C as vector lanes, included by gemm_kernel.h where ROWS_AS_LANES is set (AVX-512:
// panels of eight float64 rows or sixteen float32 rows). Shapes: A (m, k) stored by rows or transposed (k, m), B (k, n)
// stored by rows, both read in place, n <= 15; C (m, n).
//
// A ten-class output layer's forward product (200 x 10 x 128) in the tiles of gemm_kernel.h runs one vector and a
// partly used one per row and k step (float64), or one vector with 10 of its 16 lanes used (float32). Here a panel's
// rows of A are transposed in registers, eight k steps at a time, so that each k step is n FMAs with every lane used:
// acc[j] += A(rows, p) * B(p, j), B(p, j) broadcast from memory inside the FMA. The transposes (24 shuffles per
// eight steps) run beside the FMAs.
// Every element of C is still one FMA chain over p = 0..<k in order, so the bits are those of the tiles, of the
// unpacked loop and of a single row (docs/performance.md, "Rows as lanes").

#if !(defined(__x86_64__) && (VL == 8 || VL == 16))
#error "rows as lanes is written for AVX-512's eight float64 and sixteen float32 lanes"
#endif

#if NARROW_MAX_N > 15  // gemm.c: n accumulators + 8 transposed vectors + the transpose's 8 temporaries in 32 registers
#error "rows as lanes keeps at most 15 accumulators"
#endif
#define NARROW_TILE 16  // narrow_store's buffer: columns a row

#if VL == 8
// z[r] holds row r at eight k steps: afterwards z[p] holds the eight rows at step p. (And back: z[j] holding column
// j's eight rows becomes z[r] holding row r's eight columns.)
__attribute__((always_inline)) static inline void FN(transpose_block)(V z[8]) {
    __m512d t[8], u[8];
    for (int i = 0; i < 4; i++) {
        t[2 * i] = _mm512_unpacklo_pd((__m512d)z[2 * i], (__m512d)z[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_pd((__m512d)z[2 * i], (__m512d)z[2 * i + 1]);
    }
    // t[0] = z0[0] z1[0] z0[2] z1[2] z0[4] z1[4] z0[6] z1[6]; t[1] the same at 1, 3, 5, 7
    __m512i even = _mm512_set_epi64(13, 12, 5, 4, 9, 8, 1, 0), odd = _mm512_set_epi64(15, 14, 7, 6, 11, 10, 3, 2);
    for (int h = 0; h < 2; h++) {  // rows 0-3, then 4-7
        u[4 * h] = _mm512_permutex2var_pd(t[4 * h], even, t[4 * h + 2]);
        u[4 * h + 1] = _mm512_permutex2var_pd(t[4 * h + 1], even, t[4 * h + 3]);
        u[4 * h + 2] = _mm512_permutex2var_pd(t[4 * h], odd, t[4 * h + 2]);
        u[4 * h + 3] = _mm512_permutex2var_pd(t[4 * h + 1], odd, t[4 * h + 3]);
    }
    // u[e] = rows 0-3 at step e, then at e + 4 (e < 4); u[4 + e] the same for rows 4-7
    __m512i low = _mm512_set_epi64(11, 10, 9, 8, 3, 2, 1, 0), high = _mm512_set_epi64(15, 14, 13, 12, 7, 6, 5, 4);
    for (int e = 0; e < 4; e++) {
        z[e] = (V)_mm512_permutex2var_pd(u[e], low, u[4 + e]);
        z[4 + e] = (V)_mm512_permutex2var_pd(u[e], high, u[4 + e]);
    }
}

// The panel's rows at steps p0..<p0+steps (steps <= 8; past it zero, A not read), as eight vectors of the rows.
__attribute__((always_inline)) static inline void FN(load_block)(const T *const *ar, long p0, long steps, V z[8]) {
    for (int r = 0; r < 8; r++) z[r] = FN(load_lanes)(ar[r] + p0, steps);
    FN(transpose_block)(z);
}

// Eight columns of the transposed-back accumulators (t[q]: row q) into the store buffer at column cb.
__attribute__((always_inline)) static inline void FN(store_block)(T *tile, long cb, const V t[8]) {
    for (int q = 0; q < 8; q++) *(V *)(tile + q * NARROW_TILE + cb) = t[q];
}
#else
// z[r] holds row r at eight k steps in its low half and row r + 8's in its high half: afterwards z[p] holds the
// sixteen rows at step p. (And back: z[j] holding column j's sixteen rows becomes z[r] holding row r's eight columns
// in its low half and row r + 8's in its high half.) An 8 x 8 transpose in each half.
__attribute__((always_inline)) static inline void FN(transpose_block)(V z[8]) {
    __m512 t[8], u[8];
    for (int i = 0; i < 4; i++) {
        t[2 * i] = _mm512_unpacklo_ps((__m512)z[2 * i], (__m512)z[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps((__m512)z[2 * i], (__m512)z[2 * i + 1]);
    }
    // In each 128-bit lane (four of a row's values): t[0] = z0[0] z1[0] z0[1] z1[1], t[1] = z0[2] z1[2] z0[3] z1[3]
    for (int h = 0; h < 2; h++) {  // rows 0-3 (and 8-11), then 4-7 (and 12-15)
        u[4 * h] = _mm512_shuffle_ps(t[4 * h], t[4 * h + 2], 0x44);
        u[4 * h + 1] = _mm512_shuffle_ps(t[4 * h], t[4 * h + 2], 0xEE);
        u[4 * h + 2] = _mm512_shuffle_ps(t[4 * h + 1], t[4 * h + 3], 0x44);
        u[4 * h + 3] = _mm512_shuffle_ps(t[4 * h + 1], t[4 * h + 3], 0xEE);
    }
    // u[e]'s 128-bit lanes: rows 0-3 at step e, at e + 4, rows 8-11 at e, at e + 4; u[4 + e]: rows 4-7 and 12-15
    __m512i low = _mm512_set_epi32(27, 26, 25, 24, 11, 10, 9, 8, 19, 18, 17, 16, 3, 2, 1, 0);
    __m512i high = _mm512_set_epi32(31, 30, 29, 28, 15, 14, 13, 12, 23, 22, 21, 20, 7, 6, 5, 4);
    for (int e = 0; e < 4; e++) {
        z[e] = (V)_mm512_permutex2var_ps(u[e], low, u[4 + e]);
        z[4 + e] = (V)_mm512_permutex2var_ps(u[e], high, u[4 + e]);
    }
}

// The panel's rows at steps p0..<p0+steps (steps <= 8; past it zero, A not read), as eight vectors of the rows.
__attribute__((always_inline)) static inline void FN(load_block)(const T *const *ar, long p0, long steps, V z[8]) {
    if (steps == 8) {
        for (int r = 0; r < 8; r++) {
            __m256 low = _mm256_loadu_ps(ar[r] + p0), high = _mm256_loadu_ps(ar[r + 8] + p0);
            z[r] = (V)_mm512_castpd_ps(_mm512_insertf64x4(_mm512_castps_pd(_mm512_castps256_ps512(low)),
                                                          _mm256_castps_pd(high), 1));
        }
    } else {
        T rows[16 * 8] __attribute__((aligned(64))) = {0};  // z[r]'s layout: row r, then row r + 8
        for (int r = 0; r < 16; r++)
            for (long q = 0; q < steps; q++) rows[(r % 8) * 16 + (r / 8) * 8 + q] = ar[r][p0 + q];
        for (int r = 0; r < 8; r++) z[r] = *(const V *)(rows + r * 16);
    }
    FN(transpose_block)(z);
}

// Eight columns of the transposed-back accumulators (t[q]: row q's in the low half, row q + 8's in the high half)
// into the store buffer at column cb.
__attribute__((always_inline)) static inline void FN(store_block)(T *tile, long cb, const V t[8]) {
    for (int q = 0; q < 8; q++) {
        __m512d x = _mm512_castps_pd((__m512)t[q]);
        _mm256_storeu_pd((double *)(tile + q * NARROW_TILE + cb), _mm512_castpd512_pd256(x));
        _mm256_storeu_pd((double *)(tile + (q + 8) * NARROW_TILE + cb), _mm512_extractf64x4_pd(x, 1));
    }
}
#endif

// The panel's accumulators (column j's rows in acc[j]) transposed back to rows of C, eight columns at a time, then
// stored as the tiles store: alpha and beta, then the epilogue, under masks past column n.
__attribute__((always_inline)) static inline void FN(narrow_store)(const gemm_args *g, long i0, long rows, long n,
                                                                   const V *acc) {
    T tile[VL * NARROW_TILE] __attribute__((aligned(64)));
    for (long cb = 0; cb < n; cb += 8) {
        V t[8];
        for (int j = 0; j < 8; j++) t[j] = cb + j < n ? acc[cb + j] : (V)0;
        FN(transpose_block)(t);
        FN(store_block)(tile, cb, t);
    }
    T *c = (T *)g->c + i0 * g->ldc, alpha = (T)g->alpha, beta = (T)g->beta;
    FN(tile_epilogue) e = FN(tile_epilogue_at)(&g->epilogue, i0, 0);
    int finishing = has_epilogue(&g->epilogue), plain = !finishing && alpha == 1 && beta == 0;
    for (long q = 0; q < rows; q++)
        for (int w = 0; w * VL < n; w++) {
            long lanes = n - w * VL < VL ? n - w * VL : VL;
            T *cp = c + q * g->ldc + w * VL;
            V x = *(const V *)(tile + q * NARROW_TILE + w * VL);
            if (!plain) {
                x = FN(update_vec)(x, alpha, beta, cp, lanes);
                if (finishing) x = FN(finish_vec)(x, &e, q, w, lanes);
            }
            FN(store_lanes)(cp, x, lanes);
        }
}

// Two panels' accumulators (n of the first, then n of the second), stored from memory: in the pair's own function the
// stores' temporaries left clang spilling and rotating accumulators inside the k loop.
NO_LIBCALLS NO_INLINE static void FN(narrow_store_pair)(const gemm_args *g, long i0, long n, const V *acc) {
    FN(narrow_store)(g, i0, VL, n, acc);
    FN(narrow_store)(g, i0 + VL, VL, n, acc + n);
}

// Rows i0..<i0+rows (rows <= VL) of C, all N columns. Rows past `rows` repeat the last one: valid memory, never
// stored. One panel a function, N fixed, so that the accumulators stay in registers.
#define DEFINE_NARROW_PANEL(N)                                                                                 \
    NO_LIBCALLS NO_INLINE static void FN(narrow_panel_##N)(const gemm_args *g, long i0, long rows) {           \
        const T *a = (const T *)g->a, *b = (const T *)g->b;                                                    \
        long k = g->k, ldb = g->ldb;                                                                           \
        const T *ar[VL];                                                                                       \
        for (int q = 0; q < VL; q++) ar[q] = a + (i0 + (q < rows ? q : rows - 1)) * g->lda;                    \
        V acc[N];                                                                                              \
        _Pragma("unroll") for (int j = 0; j < N; j++) acc[j] = (V)0;                                           \
        long p0 = 0;                                                                                           \
        _Pragma("clang loop unroll(disable)") for (; p0 + 8 <= k; p0 += 8) {                                   \
            V r[8];                                                                                            \
            FN(load_block)(ar, p0, 8, r);                                                                      \
            _Pragma("unroll") for (int q = 0; q < 8; q++) {                                                    \
                const T *bp = b + (p0 + q) * ldb;                                                              \
                _Pragma("unroll") for (int j = 0; j < N; j++) acc[j] = FMA(r[q], (V)bp[j], acc[j]);            \
            }                                                                                                  \
        }                                                                                                      \
        if (p0 < k) { /* the last k % 8 steps: A past k is not read, and no FMA runs past k */                 \
            V r[8];                                                                                            \
            FN(load_block)(ar, p0, k - p0, r);                                                                 \
            T at[8 * VL] __attribute__((aligned(64)));                                                         \
            _Pragma("unroll") for (int q = 0; q < 8; q++) *(V *)(at + q * VL) = r[q];                          \
            for (long p = p0; p < k; p++) {                                                                    \
                V ap = *(const V *)(at + (p - p0) * VL);                                                       \
                const T *bp = b + p * ldb;                                                                     \
                _Pragma("unroll") for (int j = 0; j < N; j++) acc[j] = FMA(ap, (V)bp[j], acc[j]);              \
            }                                                                                                  \
        }                                                                                                      \
        FN(narrow_store)(g, i0, rows, N, acc);                                                                 \
    }
DEFINE_NARROW_PANEL(1)
DEFINE_NARROW_PANEL(2)
DEFINE_NARROW_PANEL(3)
DEFINE_NARROW_PANEL(4)
DEFINE_NARROW_PANEL(5)
DEFINE_NARROW_PANEL(6)
DEFINE_NARROW_PANEL(7)
DEFINE_NARROW_PANEL(8)
DEFINE_NARROW_PANEL(9)
DEFINE_NARROW_PANEL(10)
DEFINE_NARROW_PANEL(11)
DEFINE_NARROW_PANEL(12)
DEFINE_NARROW_PANEL(13)
DEFINE_NARROW_PANEL(14)
DEFINE_NARROW_PANEL(15)
#undef DEFINE_NARROW_PANEL

// The same panel with A stored transposed (A^T (k, m) by rows, a weight gradient's X^T delta): the panel's rows of A
// at step p are VL neighbours in memory, one load, so no transposes run in the k loop and any k repays the store.
// Lanes past `rows` are masked off: A's last row may end at the end of its allocation.
#define DEFINE_NARROW_PANEL_TRANSPOSED_A(N)                                                                    \
    NO_LIBCALLS NO_INLINE static void FN(narrow_panel_transposed_a_##N)(                                       \
        const gemm_args *g, long i0, long rows) {                                                              \
        const T *a = (const T *)g->a + i0, *b = (const T *)g->b;                                               \
        long k = g->k, lda = g->lda, ldb = g->ldb;                                                             \
        V acc[N];                                                                                              \
        _Pragma("unroll") for (int j = 0; j < N; j++) acc[j] = (V)0;                                           \
        for (long p = 0; p < k; p++) { /* masked past `rows` only */                                           \
            V ap = FN(load_lanes)(a + p * lda, rows);                                                          \
            const T *bp = b + p * ldb;                                                                         \
            _Pragma("unroll") for (int j = 0; j < N; j++) acc[j] = FMA(ap, (V)bp[j], acc[j]);                  \
        }                                                                                                      \
        FN(narrow_store)(g, i0, rows, N, acc);                                                                 \
    }
DEFINE_NARROW_PANEL_TRANSPOSED_A(1)
DEFINE_NARROW_PANEL_TRANSPOSED_A(2)
DEFINE_NARROW_PANEL_TRANSPOSED_A(3)
DEFINE_NARROW_PANEL_TRANSPOSED_A(4)
DEFINE_NARROW_PANEL_TRANSPOSED_A(5)
DEFINE_NARROW_PANEL_TRANSPOSED_A(6)
DEFINE_NARROW_PANEL_TRANSPOSED_A(7)
DEFINE_NARROW_PANEL_TRANSPOSED_A(8)
DEFINE_NARROW_PANEL_TRANSPOSED_A(9)
DEFINE_NARROW_PANEL_TRANSPOSED_A(10)
DEFINE_NARROW_PANEL_TRANSPOSED_A(11)
DEFINE_NARROW_PANEL_TRANSPOSED_A(12)
DEFINE_NARROW_PANEL_TRANSPOSED_A(13)
DEFINE_NARROW_PANEL_TRANSPOSED_A(14)
DEFINE_NARROW_PANEL_TRANSPOSED_A(15)
#undef DEFINE_NARROW_PANEL_TRANSPOSED_A

// Two whole panels of A stored transposed at once (2 VL rows from i0): each B(p, j) broadcast once for both.
#define DEFINE_NARROW_PAIR_TRANSPOSED_A(N)                                                                     \
    NO_LIBCALLS NO_INLINE static void FN(narrow_pair_transposed_a_##N)(                                        \
        const gemm_args *g, long i0) {                                                                         \
        const T *a = (const T *)g->a + i0, *b = (const T *)g->b;                                               \
        long k = g->k, lda = g->lda, ldb = g->ldb;                                                             \
        V acc[N], acc2[N];                                                                                     \
        _Pragma("unroll") for (int j = 0; j < N; j++) acc[j] = acc2[j] = (V)0;                                 \
        for (long p = 0; p < k; p++) {                                                                         \
            V ap = *(const VU *)(a + p * lda), ap2 = *(const VU *)(a + p * lda + VL);                          \
            const T *bp = b + p * ldb;                                                                         \
            _Pragma("unroll") for (int j = 0; j < N; j++) {                                                    \
                V bj = (V)bp[j];                                                                               \
                acc[j] = FMA(ap, bj, acc[j]);                                                                  \
                acc2[j] = FMA(ap2, bj, acc2[j]);                                                               \
            }                                                                                                  \
        }                                                                                                      \
        V done[2 * N];                                                                                         \
        _Pragma("unroll") for (int j = 0; j < N; j++) done[j] = acc[j], done[N + j] = acc2[j];                 \
        FN(narrow_store_pair)(g, i0, N, done);                                                                 \
    }
DEFINE_NARROW_PAIR_TRANSPOSED_A(1)
DEFINE_NARROW_PAIR_TRANSPOSED_A(2)
DEFINE_NARROW_PAIR_TRANSPOSED_A(3)
DEFINE_NARROW_PAIR_TRANSPOSED_A(4)
DEFINE_NARROW_PAIR_TRANSPOSED_A(5)
DEFINE_NARROW_PAIR_TRANSPOSED_A(6)
DEFINE_NARROW_PAIR_TRANSPOSED_A(7)
DEFINE_NARROW_PAIR_TRANSPOSED_A(8)
DEFINE_NARROW_PAIR_TRANSPOSED_A(9)
DEFINE_NARROW_PAIR_TRANSPOSED_A(10)
DEFINE_NARROW_PAIR_TRANSPOSED_A(11)
DEFINE_NARROW_PAIR_TRANSPOSED_A(12)
DEFINE_NARROW_PAIR_TRANSPOSED_A(13)
DEFINE_NARROW_PAIR_TRANSPOSED_A(14)
DEFINE_NARROW_PAIR_TRANSPOSED_A(15)
#undef DEFINE_NARROW_PAIR_TRANSPOSED_A

// Rows r0..<r1 of C in panels of VL rows; `upward` walks them from the last (see parallel_task in gemm.c).
NO_LIBCALLS static void FN(narrow_rows)(const gemm_args *g, long r0, long r1, int upward) {
    typedef void (*panel_fn)(const gemm_args *, long, long);
    static const panel_fn panels[NARROW_MAX_N + 1] = {
        NULL, FN(narrow_panel_1), FN(narrow_panel_2), FN(narrow_panel_3), FN(narrow_panel_4), FN(narrow_panel_5),
        FN(narrow_panel_6), FN(narrow_panel_7), FN(narrow_panel_8), FN(narrow_panel_9), FN(narrow_panel_10),
        FN(narrow_panel_11), FN(narrow_panel_12), FN(narrow_panel_13), FN(narrow_panel_14), FN(narrow_panel_15)};
    static const panel_fn transposed[NARROW_MAX_N + 1] = {
        NULL, FN(narrow_panel_transposed_a_1), FN(narrow_panel_transposed_a_2), FN(narrow_panel_transposed_a_3),
        FN(narrow_panel_transposed_a_4), FN(narrow_panel_transposed_a_5), FN(narrow_panel_transposed_a_6),
        FN(narrow_panel_transposed_a_7), FN(narrow_panel_transposed_a_8), FN(narrow_panel_transposed_a_9),
        FN(narrow_panel_transposed_a_10), FN(narrow_panel_transposed_a_11), FN(narrow_panel_transposed_a_12),
        FN(narrow_panel_transposed_a_13), FN(narrow_panel_transposed_a_14), FN(narrow_panel_transposed_a_15)};
    typedef void (*pair_fn)(const gemm_args *, long);
    static const pair_fn pairs[NARROW_MAX_N + 1] = {
        NULL, FN(narrow_pair_transposed_a_1), FN(narrow_pair_transposed_a_2), FN(narrow_pair_transposed_a_3),
        FN(narrow_pair_transposed_a_4), FN(narrow_pair_transposed_a_5), FN(narrow_pair_transposed_a_6),
        FN(narrow_pair_transposed_a_7), FN(narrow_pair_transposed_a_8), FN(narrow_pair_transposed_a_9),
        FN(narrow_pair_transposed_a_10), FN(narrow_pair_transposed_a_11), FN(narrow_pair_transposed_a_12),
        FN(narrow_pair_transposed_a_13), FN(narrow_pair_transposed_a_14), FN(narrow_pair_transposed_a_15)};
    panel_fn panel = g->transA ? transposed[g->n] : panels[g->n];
    // A stored transposed: whole pairs of panels, while the pair's accumulators, its two vectors of A and the
    // broadcast fit in the 32 registers; the rows after them a panel at a time. Upward: the same, last first.
    long pairCount = g->transA && 2 * g->n + 3 <= 32 ? (r1 - r0) / (2 * VL) : 0;
    long singles = r0 + pairCount * 2 * VL, count = (r1 - singles + VL - 1) / VL;
    if (!upward)
        for (long s = 0; s < pairCount; s++) pairs[g->n](g, r0 + s * 2 * VL);
    for (long s = 0; s < count; s++) {
        long i0 = singles + (upward ? count - 1 - s : s) * VL;
        panel(g, i0, r1 - i0 < VL ? r1 - i0 : VL);
    }
    if (upward)
        for (long s = pairCount - 1; s >= 0; s--) pairs[g->n](g, r0 + s * 2 * VL);
}
