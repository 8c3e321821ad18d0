// Narrow products with the rows of C as vector lanes, included by gemm_kernel.h where ROWS_AS_LANES is set (AVX-512,
// float64). Shapes: A (m, k) and B (k, n) stored by rows, read in place, n < 2 VL and not VL; C (m, n).
//
// A ten-class output layer's forward product (200 x 10 x 128) in the tiles of gemm_kernel.h runs one vector and a
// partly used one per row and k step: 10 of 16 lanes. Here eight rows of A are transposed in registers, eight k steps
// at a time, so that each k step is n FMAs with every lane used: acc[j] += A(rows, p) * B(p, j), B(p, j) broadcast
// from memory inside the FMA. The transposes (24 shuffles per 8 x 8 block) run beside the FMAs.
// Every element of C is still one FMA chain over p = 0..<k in order, so the bits are those of the tiles, of the
// unpacked loop and of a single row (docs/performance.md, "Rows as lanes").

#if !(VL == 8 && defined(__x86_64__))
#error "rows as lanes is written for eight float64 lanes (AVX-512)"
#endif

#define NARROW_MAX_N (2 * VL - 1)

// r[q] holds row q's eight values: afterwards r[p] holds the eight rows' values at p.
static inline void FN(transpose_8x8)(V r[8]) {
    __m512d t0 = _mm512_unpacklo_pd((__m512d)r[0], (__m512d)r[1]), t1 = _mm512_unpackhi_pd((__m512d)r[0], (__m512d)r[1]);
    __m512d t2 = _mm512_unpacklo_pd((__m512d)r[2], (__m512d)r[3]), t3 = _mm512_unpackhi_pd((__m512d)r[2], (__m512d)r[3]);
    __m512d t4 = _mm512_unpacklo_pd((__m512d)r[4], (__m512d)r[5]), t5 = _mm512_unpackhi_pd((__m512d)r[4], (__m512d)r[5]);
    __m512d t6 = _mm512_unpacklo_pd((__m512d)r[6], (__m512d)r[7]), t7 = _mm512_unpackhi_pd((__m512d)r[6], (__m512d)r[7]);
    // t0 = r0[0] r1[0] r0[2] r1[2] r0[4] r1[4] r0[6] r1[6]; t1 the same at 1, 3, 5, 7
    __m512i even = _mm512_set_epi64(13, 12, 5, 4, 9, 8, 1, 0), odd = _mm512_set_epi64(15, 14, 7, 6, 11, 10, 3, 2);
    __m512d u0 = _mm512_permutex2var_pd(t0, even, t2), u1 = _mm512_permutex2var_pd(t1, even, t3);
    __m512d u2 = _mm512_permutex2var_pd(t0, odd, t2), u3 = _mm512_permutex2var_pd(t1, odd, t3);
    __m512d u4 = _mm512_permutex2var_pd(t4, even, t6), u5 = _mm512_permutex2var_pd(t5, even, t7);
    __m512d u6 = _mm512_permutex2var_pd(t4, odd, t6), u7 = _mm512_permutex2var_pd(t5, odd, t7);
    // u0 = rows 0-3 at 0, then at 4; u1 at 1 and 5; u2 at 2 and 6; u3 at 3 and 7 (u4-u7: rows 4-7)
    __m512i low = _mm512_set_epi64(11, 10, 9, 8, 3, 2, 1, 0), high = _mm512_set_epi64(15, 14, 13, 12, 7, 6, 5, 4);
    r[0] = (V)_mm512_permutex2var_pd(u0, low, u4), r[4] = (V)_mm512_permutex2var_pd(u0, high, u4);
    r[1] = (V)_mm512_permutex2var_pd(u1, low, u5), r[5] = (V)_mm512_permutex2var_pd(u1, high, u5);
    r[2] = (V)_mm512_permutex2var_pd(u2, low, u6), r[6] = (V)_mm512_permutex2var_pd(u2, high, u6);
    r[3] = (V)_mm512_permutex2var_pd(u3, low, u7), r[7] = (V)_mm512_permutex2var_pd(u3, high, u7);
}

// Rows i0..<i0+rows (rows <= VL) of C, all N columns. Rows past `rows` repeat the last one: valid memory, never
// stored. One panel a function, N fixed: the accumulators stay in registers (N + 8 for A + the transpose's 8).
#define DEFINE_NARROW_PANEL(N)                                                                                    \
    NO_LIBCALLS NO_INLINE static void FN(narrow_panel_##N)(const gemm_args *g, long i0, long rows) {             \
        const T *a = (const T *)g->a, *b = (const T *)g->b;                                                    \
        long k = g->k, ldb = g->ldb;                             \
        const T *ar[VL];                                                                                       \
        for (int q = 0; q < VL; q++) ar[q] = a + (i0 + (q < rows ? q : rows - 1)) * g->lda;                   \
        V acc[N];                                                                                              \
        _Pragma("unroll") for (int j = 0; j < N; j++) acc[j] = (V)0;                                           \
        long p0 = 0;                                                                                           \
        _Pragma("clang loop unroll(disable)") for (; p0 + VL <= k; p0 += VL) {                                 \
            V r[VL];                                                                                           \
            _Pragma("unroll") for (int q = 0; q < VL; q++) r[q] = *(const VU *)(ar[q] + p0);                   \
            FN(transpose_8x8)(r);                                                                              \
            _Pragma("unroll") for (int q = 0; q < VL; q++) {                                                   \
                const T *bp = b + (p0 + q) * ldb;                                                              \
                _Pragma("unroll") for (int j = 0; j < N; j++) acc[j] = FMA(r[q], (V)bp[j], acc[j]);      \
            }                                                                                                  \
        }                                                                                                      \
        if (p0 < k) { /* the last k % VL steps: lanes past k are not read, and their FMAs not run */           \
            V r[VL];                                                                                           \
            _Pragma("unroll") for (int q = 0; q < VL; q++) r[q] = FN(load_lanes)(ar[q] + p0, k - p0);          \
            FN(transpose_8x8)(r);                                                                              \
            T at[VL * VL] __attribute__((aligned(64)));                                                        \
            _Pragma("unroll") for (int q = 0; q < VL; q++) *(V *)(at + q * VL) = r[q];                         \
            for (long p = p0; p < k; p++) {                                                                    \
                V ap = *(const V *)(at + (p - p0) * VL);                                                       \
                const T *bp = b + p * ldb;                                                                     \
                _Pragma("unroll") for (int j = 0; j < N; j++) acc[j] = FMA(ap, (V)bp[j], acc[j]);        \
            }                                                                                                  \
        }                                                                                                      \
        FN(narrow_store)(g, i0, rows, N, acc);                                                                 \
    }

// The panel's accumulators (column j's rows in acc[j]) transposed back to rows of C, then stored as the tiles store:
// alpha and beta, then the epilogue, under masks past column n.
__attribute__((always_inline)) static inline void FN(narrow_store)(const gemm_args *g, long i0, long rows, long n, const V *acc) {
    T tile[VL * 2 * VL] __attribute__((aligned(64)));  // rows x (2 VL) columns
    for (long cb = 0; cb < n; cb += VL) {
        V t[VL];
        _Pragma("unroll") for (int j = 0; j < VL; j++) t[j] = cb + j < n ? acc[cb + j] : (V)0;
        FN(transpose_8x8)(t);
        _Pragma("unroll") for (int q = 0; q < VL; q++) *(V *)(tile + q * 2 * VL + cb) = t[q];
    }
    T *c = (T *)g->c + i0 * g->ldc, alpha = (T)g->alpha, beta = (T)g->beta;
    FN(tile_epilogue) e = FN(tile_epilogue_at)(&g->epilogue, i0, 0);
    int finishing = has_epilogue(&g->epilogue), plain = !finishing && alpha == 1 && beta == 0;
    for (long q = 0; q < rows; q++)
        for (int w = 0; w * VL < n; w++) {
            long lanes = n - w * VL < VL ? n - w * VL : VL;
            T *cp = c + q * g->ldc + w * VL;
            V x = *(const V *)(tile + q * 2 * VL + w * VL);
            if (!plain) {
                x = FN(update_vec)(x, alpha, beta, cp, lanes);
                if (finishing) x = FN(finish_vec)(x, &e, q, w, lanes);
            }
            FN(store_lanes)(cp, x, lanes);
        }
}

DEFINE_NARROW_PANEL(1)
DEFINE_NARROW_PANEL(2)
DEFINE_NARROW_PANEL(3)
DEFINE_NARROW_PANEL(4)
DEFINE_NARROW_PANEL(5)
DEFINE_NARROW_PANEL(6)
DEFINE_NARROW_PANEL(7)
DEFINE_NARROW_PANEL(9)
DEFINE_NARROW_PANEL(10)
DEFINE_NARROW_PANEL(11)
DEFINE_NARROW_PANEL(12)
DEFINE_NARROW_PANEL(13)
DEFINE_NARROW_PANEL(14)
DEFINE_NARROW_PANEL(15)
#undef DEFINE_NARROW_PANEL

// Rows r0..<r1 of C in panels of VL rows; `upward` walks them from the last (see parallel_task in gemm.c).
NO_LIBCALLS static void FN(narrow_rows)(const gemm_args *g, long r0, long r1, int upward) {
    typedef void (*panel_fn)(const gemm_args *, long, long);
    static const panel_fn panels[NARROW_MAX_N + 1] = {
        NULL, FN(narrow_panel_1), FN(narrow_panel_2), FN(narrow_panel_3), FN(narrow_panel_4), FN(narrow_panel_5),
        FN(narrow_panel_6), FN(narrow_panel_7), NULL, FN(narrow_panel_9), FN(narrow_panel_10), FN(narrow_panel_11),
        FN(narrow_panel_12), FN(narrow_panel_13), FN(narrow_panel_14), FN(narrow_panel_15)};
    panel_fn panel = panels[g->n];
    long count = (r1 - r0 + VL - 1) / VL;
    for (long s = 0; s < count; s++) {
        long i0 = r0 + (upward ? count - 1 - s : s) * VL;
        panel(g, i0, r1 - i0 < VL ? r1 - i0 : VL);
    }
}
