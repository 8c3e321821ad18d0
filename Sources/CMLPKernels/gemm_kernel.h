// One instantiation of the packed GEMM for an element type and instruction set, included by gemm.c, with the single
// row's kernels (row_kernel.h) and, where ROWS_AS_LANES is set, the narrow products' (gemm_narrow_kernel.h).
// The structure is BLIS's: five blocked loops around ONE register-blocked micro-kernel, plus packing.
//
//   jc: columns of C in blocks of NC      op(B) block  KC x NC  packed once, lives in L3
//   pc: the k dimension in blocks of KC
//   ic: rows of C in blocks of MC         op(A) block  MC x KC  packed once, lives in L2
//   jr: columns in micro-panels of NR     B micro-panel KC x NR, reused across the ir loop (streams from L2)
//   ir: rows in micro-panels of MR        A micro-panel MR x KC, the size of L1 (blocks: gemm.c, derive_blocking)
//   micro-kernel: MR x NR tile of C held in registers, one FMA per (row, vector) per k
//
// Parameters (macros): T, VL (lanes), MR, NV (vectors per tile row, NR = NV*VL), FMA(a, b, c) = a*b+c,
// TRANSPOSED_A_PANELS (up to how many column panels A stored transposed is read in place, see gemm_range), K_UNROLL
// (k steps an iteration of the micro-kernel's loop; 1 when not defined), A_BESIDE_PACKED_B (A stored by rows read in
// place when B is packed, even where operands are packed by default; 0 when not defined), HALF_TAIL (1: tiles may end
// in a half vector, see micro_kernel; 0 when not defined), ROWS_AS_LANES (1: also the narrow products' kernel,
// gemm_narrow_kernel.h) and SUF (the name suffix).
// Every element of C is one FMA chain over p = 0..<k, in order, continued across k blocks; the chain does not depend
// on the tile's position, on which thread runs it or on the cache blocks, so results are identical for any thread
// count and any MC, KC, NC.

#define NR (NV * VL)
#ifndef K_UNROLL
#define K_UNROLL 1
#endif
#ifndef A_BESIDE_PACKED_B
#define A_BESIDE_PACKED_B 0
#endif
#ifndef PACK_ALONG_ROWS
#define PACK_ALONG_ROWS 16  // rows of an operand packed along its panels at a time (see pack_panels)
#endif
#ifndef RESUME
#define RESUME 1   // the tile's accumulators start from C (raw sums of the earlier k blocks)
#define PARTIAL 2  // more k blocks follow: store the raw sums, without alpha, beta or the epilogue
#define PREFETCH_B 4  // prefetch the packed B micro-panel PREFETCH_B_BYTES ahead (rows first, see rows_first_tiles)
#define HALF_TAILS 8  // a tile's last columns may take a half vector (HALF_TAIL instances, micro_kernel)
#define PREFETCH_B_BYTES 1024
// The tile's own C rows are prefetched at its start only from this many k steps: in shorter loops the prefetches cost
// more than they hide (Zen 3, AVX2, dropped below it: k = 10 products 1.03-1.04x, k = 32 1.01-1.02x, k = 64 level).
#define PREFETCH_C_MIN_K 48
#define SHORT_A_ROW_BYTES 128  // rows of A read in place whatever the CPU (two cache lines; see gemm_range)
#endif
// Short copy and zero loops (a packed row, a tile's padding) stay inline: clang otherwise turns each into a
// memcpy/memset call, which costs more than the 64-128 bytes it moves.
#ifndef NO_LIBCALLS
#define NO_LIBCALLS __attribute__((no_builtin("memcpy", "memset", "memmove")))
// The micro-kernel variants stay functions of their own, called from the tile loops (see micro_kernel).
#define NO_INLINE __attribute__((noinline))
#endif
// An empty asm the compiler cannot see through, which keeps a vector value in a register as it is ("v": an SSE/AVX
// register; "w": a NEON register).
#ifndef OPAQUE_VECTOR
#if defined(__x86_64__) || defined(__i386__)
#define OPAQUE_VECTOR(x) __asm__("" : "+v"(x))
#elif defined(__aarch64__)
#define OPAQUE_VECTOR(x) __asm__("" : "+w"(x))
#else
#define OPAQUE_VECTOR(x) ((void)0)
#endif
#endif
#define GLUE2(a, b) a##_##b
#define GLUE(a, b) GLUE2(a, b)
#define FN(name) GLUE(name, SUF)

// The register tile, which the driver's kernel table reads (micro_kernel_for in gemm.c): MR and NR declared once.
enum { FN(tile_rows) = MR, FN(tile_columns) = NR };

typedef T FN(vec) __attribute__((ext_vector_type(VL), aligned(VL * sizeof(T))));
typedef T FN(uvec) __attribute__((ext_vector_type(VL), aligned(sizeof(T))));
#define V FN(vec)
#define VU FN(uvec)

typedef T FN(vec4) __attribute__((ext_vector_type(4), aligned(sizeof(T))));

// Half a vector: the last column vector of a tile whose columns fill at most half of it (HALF_TAIL, micro_kernel).
#ifndef HALF_TAIL
#define HALF_TAIL 0
#endif
#if HALF_TAIL
typedef T FN(hvec) __attribute__((ext_vector_type(VL / 2), aligned(sizeof(T))));
#define HV FN(hvec)
#if VL == 16
#define LOW_HALF(x) __builtin_shufflevector(x, x, 0, 1, 2, 3, 4, 5, 6, 7)
#define WIDEN(x) __builtin_shufflevector(x, x, 0, 1, 2, 3, 4, 5, 6, 7, -1, -1, -1, -1, -1, -1, -1, -1)
#else
#define LOW_HALF(x) __builtin_shufflevector(x, x, 0, 1, 2, 3)
#define WIDEN(x) __builtin_shufflevector(x, x, 0, 1, 2, 3, -1, -1, -1, -1)
#endif
#else
#define HV V  // never used: no instance without HALF_TAIL defines a half-vector kernel
#define LOW_HALF(x) (x)
#define WIDEN(x) (x)
#endif

// The first `lanes` elements of a vector at p (lanes <= VL). With MASKED_TAILS (the AVX-512 instances) a tile's last,
// partial column vector is loaded and stored under a mask, from its registers; elsewhere lanes is always VL, a partial
// tile goes through a buffer and a scalar loop (micro_kernel) and a partial panel is packed element by element
// (pack_along). Masked-off lanes are neither read nor written, so the vector may run past the end of C, the bias or
// the ReLU output.
#ifndef MASKED_TAILS
#define MASKED_TAILS 0
#endif
static inline V FN(load_lanes)(const T *p, long lanes) {
#if MASKED_TAILS
    unsigned mask = (1u << lanes) - 1;
    if (lanes < VL) {
#if VL == 16
        return (V)_mm512_maskz_loadu_ps((__mmask16)mask, p);
#else
        return (V)_mm512_maskz_loadu_pd((__mmask8)mask, p);
#endif
    }
#endif
    (void)lanes;
    return *(const VU *)p;
}
static inline void FN(store_lanes)(T *p, V v, long lanes) {
#if MASKED_TAILS
    unsigned mask = (1u << lanes) - 1;
    if (lanes < VL) {
#if VL == 16
        _mm512_mask_storeu_ps(p, (__mmask16)mask, (__m512)v);
#else
        _mm512_mask_storeu_pd(p, (__mmask8)mask, (__m512d)v);
#endif
        return;
    }
#endif
    (void)lanes;
    *(VU *)p = v;
}

// dst[p*width + r] = src[r*ld + p] for r < rows, p < kc: the packing of an operand stored across the panel
// (A not transposed, B transposed). 4 x 4 blocks are transposed in registers, so reads and writes are
// vectors instead of one strided scalar store per element.
#if VL == 16
#define ZIP_LO(a, b) __builtin_shufflevector(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23)
#define ZIP_HI(a, b) __builtin_shufflevector(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31)
#elif VL == 8
#define ZIP_LO(a, b) __builtin_shufflevector(a, b, 0, 8, 1, 9, 2, 10, 3, 11)
#define ZIP_HI(a, b) __builtin_shufflevector(a, b, 4, 12, 5, 13, 6, 14, 7, 15)
#endif

NO_LIBCALLS static inline void FN(pack_across)(const T *restrict src, long ld, int rows, long kc, T *restrict dst, int width) {
    typedef FN(vec4) V4;
    long p = 0;
#if VL >= 8
    // Full VL x VL blocks: log2(VL) rounds of interleaving rows i and i + VL/2 transpose the block in registers
    // (on AVX-512, one two-source permute per output vector per round).
    if (rows % VL == 0) {
        for (; p + VL <= kc; p += VL) {
            for (int r = 0; r < rows; r += VL) {
                V x[VL], y[VL];
                for (int q = 0; q < VL; q++) x[q] = *(const VU *)(src + (r + q) * ld + p);
                for (int round = VL; round > 1; round /= 2) {
                    for (int q = 0; q < VL / 2; q++) {
                        y[2 * q] = ZIP_LO(x[q], x[q + VL / 2]);
                        y[2 * q + 1] = ZIP_HI(x[q], x[q + VL / 2]);
                    }
                    for (int q = 0; q < VL; q++) x[q] = y[q];
                }
                for (int q = 0; q < VL; q++) *(VU *)(dst + (p + q) * width + r) = x[q];
            }
        }
    }
#endif
    for (; p + 4 <= kc; p += 4) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            V4 r0 = *(const V4 *)(src + (r + 0) * ld + p), r1 = *(const V4 *)(src + (r + 1) * ld + p);
            V4 r2 = *(const V4 *)(src + (r + 2) * ld + p), r3 = *(const V4 *)(src + (r + 3) * ld + p);
            V4 t0 = __builtin_shufflevector(r0, r1, 0, 4, 1, 5), t1 = __builtin_shufflevector(r0, r1, 2, 6, 3, 7);
            V4 t2 = __builtin_shufflevector(r2, r3, 0, 4, 1, 5), t3 = __builtin_shufflevector(r2, r3, 2, 6, 3, 7);
            *(V4 *)(dst + (p + 0) * width + r) = __builtin_shufflevector(t0, t2, 0, 1, 4, 5);
            *(V4 *)(dst + (p + 1) * width + r) = __builtin_shufflevector(t0, t2, 2, 3, 6, 7);
            *(V4 *)(dst + (p + 2) * width + r) = __builtin_shufflevector(t1, t3, 0, 1, 4, 5);
            *(V4 *)(dst + (p + 3) * width + r) = __builtin_shufflevector(t1, t3, 2, 3, 6, 7);
        }
        for (; r < rows; r++)
            for (long q = p; q < p + 4; q++) dst[q * width + r] = src[r * ld + q];
    }
    for (; p < kc; p++)
        for (int r = 0; r < rows; r++) dst[p * width + r] = src[r * ld + p];
}

// dst[p*width + r] = src[p*ld + r] for r < rows, zero for rows <= r < width, p < kc: the packing of an operand stored
// along the panel (A transposed, B not transposed), zero-padding a partial panel. A full panel whose width is whole
// vectors (B's NR) is copied a vector at a time; width is a constant where this is inlined, so the choice folds away.
NO_LIBCALLS static inline void FN(pack_along)(const T *restrict src, long ld, int rows, long kc, T *restrict dst, int width) {
    for (long p = 0; p < kc; p++) {
        const T *s = src + p * ld;
        T *d = dst + p * width;
        if (rows == width && width % VL == 0) {
            for (int v = 0; v < width / VL; v++) *(VU *)(d + v * VL) = *(const VU *)(s + v * VL);
        } else if (rows == width) {
            for (int r = 0; r < width; r++) d[r] = s[r];
        } else if (MASKED_TAILS && width % VL == 0) {  // a partial panel's line: whole vectors, zeros past `rows`
            for (int v = 0; v < width / VL; v++) {
                long lanes = rows - v * VL;
                *(VU *)(d + v * VL) = lanes <= 0 ? (V)0 : FN(load_lanes)(s + v * VL, lanes < VL ? lanes : VL);
            }
        } else {
            for (int r = 0; r < width; r++) d[r] = r < rows ? s[r] : 0;
        }
    }
}

// Packs a block of an operand into micro-panels of `width` (MR for op(A), NR for op(B)) lines of kc elements each,
// dst[panel][p][r], zero-padding the last panel. x points at the block's first element, (line 0, p 0); `across`: line r
// element p is x[r*ld + p] (A as stored, B transposed), else x[p*ld + r] (A transposed, B as stored).
// Always inlined: MR or NR, a constant, then sizes the copies.
NO_LIBCALLS static inline __attribute__((always_inline)) void FN(pack_panels)(const T *x, long ld, int across, long lines,
                                                                             long kc, T *restrict dst, int width) {
    if (across) {
        for (long r0 = 0; r0 < lines; r0 += width) {
            int rows = lines - r0 < width ? (int)(lines - r0) : width;
            T *restrict panel = dst + r0 * kc;
            FN(pack_across)(x + r0 * ld, ld, rows, kc, panel, width);
            // Padding rows outer: with p outer, clang turns each short run into a memset call (kc calls per
            // edge panel).
            for (int r = rows; r < width; r++)
                for (long p = 0; p < kc; p++) panel[p * width + r] = 0;
        }
        return;
    }
    // Along: PACK_ALONG_ROWS rows of the operand at a time across all full panels, so each row is read in order.
    // Panel by panel, each row gave one or two lines and the next row was ld elements on: one page per row at the
    // 16 KiB rows of a 2048-column B, which no hardware prefetcher follows; a 200 x 2048 x 256 float64 product spent
    // 19% of its samples there, 12% row by row (docs/performance.md, "Packing B row by row").
    long fullLines = lines / width * width;
    for (long p0 = 0; p0 < kc; p0 += PACK_ALONG_ROWS) {
        long rowsHere = kc - p0 < PACK_ALONG_ROWS ? kc - p0 : PACK_ALONG_ROWS;
        for (long r0 = 0; r0 < fullLines; r0 += width)
            FN(pack_along)(x + p0 * ld + r0, ld, width, rowsHere, dst + r0 * kc + p0 * width, width);
    }
    if (fullLines < lines) FN(pack_along)(x + fullLines, ld, (int)(lines - fullLines), kc, dst + fullLines * kc, width);
}

// Rows i0..<i0+mc, columns p0..<p0+kc of op(A) into MR-row micro-panels (ap[panel][p][i]).
NO_LIBCALLS static void FN(pack_a)(const gemm_args *g, long i0, long mc, long p0, long kc, T *restrict ap) {
    const T *a = (const T *)g->a;
    FN(pack_panels)(g->transA ? a + p0 * g->lda + i0 : a + i0 * g->lda + p0, g->lda, !g->transA, mc, kc, ap, MR);
}

// Rows p0..<p0+kc, columns j0..<j0+nc of op(B) into NR-column micro-panels (bp[panel][p][j]).
NO_LIBCALLS static void FN(pack_b)(const gemm_args *g, long p0, long kc, long j0, long nc, T *restrict bp) {
    const T *b = (const T *)g->b;
    FN(pack_panels)(g->transB ? b + j0 * g->ldb + p0 : b + p0 * g->ldb + j0, g->ldb, g->transB, nc, kc, bp, NR);
}

// alpha*acc + beta*c, rounded as written: no contraction into an FMA, so the vector and scalar stores
// (full and edge tiles) round identically.
static inline V FN(update_vec)(V acc, T alpha, T beta, const T *cp, long lanes) {
#pragma clang fp contract(off)
    V r = (V)alpha * acc;
    if (beta != 0) r = r + (V)beta * FN(load_lanes)(cp, lanes);
    return r;
}
static inline T FN(update_scalar)(T acc, T alpha, T beta, const T *cp) {
#pragma clang fp contract(off)
    T r = alpha * acc;
    if (beta != 0) r = r + beta * *cp;
    return r;
}

// The epilogue of a tile (gemm_epilogue, pointers offset to the tile's first row and column; NULL fields off), in
// the order of the separate passes it replaces: + bias, ReLU, then ReLU's derivative.
typedef struct {
    const T *bias;
    int relu;
    const T *relu_output;
    long ld_relu_output;
} FN(tile_epilogue);

static inline V FN(finish_vec)(V r, const FN(tile_epilogue) *e, long i, int v, long lanes) {
#pragma clang fp contract(off)
    V zero = (V)0;
    if (e->bias) r = r + FN(load_lanes)(e->bias + v * VL, lanes);
    if (e->relu) r = r < zero ? zero : r;  // NaN fails `r < 0` and is kept
    if (e->relu_output) r = FN(load_lanes)(e->relu_output + i * e->ld_relu_output + v * VL, lanes) == zero ? zero : r;
    return r;
}
static inline T FN(finish_scalar)(T r, const FN(tile_epilogue) *e, long i, long j) {
#pragma clang fp contract(off)
    if (e->bias) r = r + e->bias[j];
    if (e->relu) r = r < 0 ? (T)0 : r;
    if (e->relu_output) r = e->relu_output[i * e->ld_relu_output + j] == 0 ? (T)0 : r;
    return r;
}

// C tile (mr x nr, mr <= ROWS, nr <= VECS * VL) <- alpha * (A micro-panel . B micro-panel) + beta * C, with a
// ROWS x VECS block of accumulators. A(i, p) is ap[p*pa + i]: pa == MR for a packed micro-panel (always MR rows),
// lda for a full panel of A stored transposed, read in place.
// C(i, j) is c[i*ldc + j*csc]: csc == 1 normally, csc == ldc' when the driver computes C^T = B^T A^T.
// B(p, j) is bp[p*sb + j]: sb == NR for a packed micro-panel, ldb when B is read in place.
// Edge tiles take the smallest variant that covers them, so a 4-row or 8-column remainder does not pay for
// a whole MR x NR tile of FMAs (100 rows = 8 x 12 + 4: the last panel costs a third of a full one).
// DIRECT variants read A in place, A(i, p) = ap[i*sa + p] (A stored by rows), instead of from a packed micro-panel
// (ap[p*pa + i]). When C has a single column panel each A element is used once, so packing (a transposition) is
// pure overhead.
// Stores of a whole-width tile, unrolled over the ROWS x VECS accumulators with the rows past mr skipped: a loop bounded
// by mr would index the accumulators at run time and so spill them all to the stack first (a fifth of a k = 10 tile).
#define STORE_ROWS(ROWS, VECS, ...)                                                                                    \
    _Pragma("unroll") for (int i = 0; i < ROWS; i++) if (i < mr) _Pragma("unroll") for (int v = 0; v < VECS; v++) __VA_ARGS__
// A tile's columns: VECS vectors, and half of one more with HALF (1). Partial tiles go through a buffer of rows this
// wide; with a half vector its rows are not vector-aligned (TILE_VEC).
#define TILE_W(VECS, HALF) ((VECS) * VL + (HALF) * (VL / 2))
#define TILE_VEC_0 V
#define TILE_VEC_1 VU
#define TILE_VEC_OF(HALF) TILE_VEC_##HALF
#define TILE_VEC(HALF) TILE_VEC_OF(HALF)
#define TILE_TO_BUFFER(ROWS, VECS, HALF)                                                                       \
    for (int i = 0; i < ROWS; i++) {                                                                           \
        for (int v = 0; v < VECS; v++) *(TILE_VEC(HALF) *)(tile + i * TILE_W(VECS, HALF) + v * VL) = acc[i][v]; \
        if (HALF) *(HV *)(tile + i * TILE_W(VECS, HALF) + VECS * VL) = acch[i];                                \
    }
// Each stored row's column vectors of a tile whose last one is partial, under masks (MASKED_TAILS, csc == 1): the
// VECS whole vectors, then the half one (w == VECS). BODY sees w, cp (the vector's first element of C) and lanes.
#define MASKED_COLUMNS(ROWS, VECS, HALF, BODY)                                                                 \
    _Pragma("unroll") for (int i = 0; i < ROWS; i++) if (i < mr)                                               \
        _Pragma("unroll") for (int w = 0; w < (VECS) + (HALF); w++) {                                          \
            long lanes = nr - w * VL < VL ? nr - w * VL : VL;                                                  \
            if (lanes <= 0) break;                                                                             \
            T *cp = c + i * ldc + w * VL;                                                                      \
            BODY                                                                                               \
        }
#define TILE_COLUMN(VECS, i, w) ((w) < (VECS) ? acc[i][(w) < (VECS) ? (w) : 0] : WIDEN(acch[i]))
// A micro-kernel's k step: one FMA per accumulator. With PREFETCH, each line of the packed B micro-panel is requested
// PREFETCH_B_BYTES (8 k steps of a 12 x 16 or 12 x 32 tile) before it is read: in the rows-first order the
// micro-panel streams from L2, where the hardware prefetchers alone fall behind (docs/performance.md, "Prefetching B
// in rows first").
#define MICRO_K_STEP(ROWS, VECS, HALF, DIRECT, PREFETCH, P)                                                    \
    {                                                                                                          \
        long p = (P);                                                                                          \
        if (PREFETCH)                                                                                          \
            _Pragma("unroll") for (int l = 0; l < (NR * (int)sizeof(T) + 63) / 64; l++)                        \
                __builtin_prefetch((const char *)(bp + p * sb) + PREFETCH_B_BYTES + 64 * l, 0, 3);             \
        V bv[VECS];                                                                                            \
        _Pragma("unroll") for (int v = 0; v < VECS; v++) bv[v] = *(const VU *)(bp + p * sb + v * VL);          \
        HV bh;                                                                                                 \
        if (HALF) bh = *(const HV *)(bp + p * sb + VECS * VL);                                                 \
        _Pragma("unroll") for (int i = 0; i < ROWS; i++) {                                                     \
            /* In place, rows past mr repeat row mr - 1: valid memory, and those sums are never stored. */     \
            V ai = DIRECT ? (V)ap[(i < mr ? i : mr - 1) * sa + p] : (V)ap[p * pa + i];                         \
            /* With a half vector, A is broadcast into a whole register whose low half serves it (clang would  \
               broadcast into a half and widen that, a shuffle per row on the FMA pipes). */                     \
            if (HALF) OPAQUE_VECTOR(ai);                                                                       \
            _Pragma("unroll") for (int v = 0; v < VECS; v++) acc[i][v] = FMA(ai, bv[v], acc[i][v]);            \
            if (HALF) acch[i] = FMA((HV)LOW_HALF(ai), bh, acch[i]);                                            \
        }                                                                                                      \
    }
// The k loop, K_UNROLL steps an iteration written out (clang ignores an unroll pragma on this loop), then the rest.
#define MICRO_K_LOOP(ROWS, VECS, HALF, DIRECT, PREFETCH)                                                       \
    {                                                                                                          \
        long q = 0;                                                                                            \
        _Pragma("clang loop vectorize(disable) interleave(disable) unroll(disable)")                           \
        for (; q + K_UNROLL <= kc; q += K_UNROLL)                                                              \
            _Pragma("unroll") for (int u = 0; u < K_UNROLL; u++)                                               \
                MICRO_K_STEP(ROWS, VECS, HALF, DIRECT, PREFETCH, q + u)                                        \
        _Pragma("clang loop vectorize(disable) interleave(disable) unroll(disable)")                           \
        for (; q < kc; q++) MICRO_K_STEP(ROWS, VECS, HALF, DIRECT, PREFETCH, q)                                \
    }
#define MICRO_NAME_(ROWS, VECS, HALF, DIRECT) micro_##ROWS##x##VECS##h##HALF##_##DIRECT
#define MICRO_NAME(ROWS, VECS, HALF, DIRECT) FN(MICRO_NAME_(ROWS, VECS, HALF, DIRECT))  // expands the arguments
#define DEFINE_MICRO_KERNEL(ROWS, VECS, HALF, DIRECT)                                                          \
    NO_LIBCALLS NO_INLINE static void MICRO_NAME(ROWS, VECS, HALF, DIRECT)(long kc, const T *restrict ap, long sa,  \
                                               long pa, const T *restrict bp, long sb, T *restrict c, long ldc, \
                                               long csc, long mr, long nr,                                     \
                                               T alpha, T beta, const FN(tile_epilogue) *e, int blocks,        \
                                               long next) {                                                    \
        /* Opaque to the optimizer: otherwise, inlined into gemm_range's tile loops, each row and prefetch      \
           address below becomes its own induction variable there, and the dozens spilled to the stack made   \
           some builds run small-k products at half speed (docs/performance.md, "Two speeds"). */             \
        __asm__("" : "+r"(ap), "+r"(bp), "+r"(c));                                                             \
        V acc[ROWS][VECS];                                                                                     \
        HV acch[ROWS];                                                                                         \
        if ((blocks & (RESUME | PARTIAL)) && csc == 1) {                                                       \
            /* The next tile (c + next: MR rows down or NR columns on): resuming k blocks load it first thing, \
               so its rows must not come from memory then. */                                                  \
            _Pragma("unroll") for (int i = 0; i < ROWS; i++) {                                                 \
                __builtin_prefetch(c + next + i * ldc, 1, 3);                                                  \
                __builtin_prefetch(c + next + i * ldc + TILE_W(VECS, HALF) - 1, 1, 3);                         \
            }                                                                                                  \
        }                                                                                                      \
        if (blocks & RESUME) {                                                                                 \
            /* C holds the raw sums of the earlier k blocks: continue those FMA chains. */                     \
            if (!HALF && nr == VECS * VL && csc == 1) {                                                        \
                _Pragma("unroll") for (int i = 0; i < ROWS; i++)                                               \
                    _Pragma("unroll") for (int v = 0; v < VECS; v++)                                           \
                        acc[i][v] = i < mr ? (V)*(const VU *)(c + i * ldc + v * VL) : (V)0;                    \
            } else if (MASKED_TAILS && csc == 1) {                                                             \
                _Pragma("unroll") for (int i = 0; i < ROWS; i++) {                                             \
                    _Pragma("unroll") for (int v = 0; v < VECS; v++) acc[i][v] = (V)0;                         \
                    acch[i] = (HV)0;                                                                           \
                }                                                                                              \
                MASKED_COLUMNS(ROWS, VECS, HALF, {                                                             \
                    V x = FN(load_lanes)(cp, lanes);                                                           \
                    if (w < VECS) acc[i][w < VECS ? w : 0] = x;                                                \
                    else acch[i] = (HV)LOW_HALF(x);                                                            \
                })                                                                                             \
            } else {                                                                                           \
                T tile[ROWS * TILE_W(VECS, HALF)] __attribute__((aligned(64)));                                \
                for (int i = 0; i < ROWS; i++)                                                                 \
                    for (int j = 0; j < TILE_W(VECS, HALF); j++)                                               \
                        tile[i * TILE_W(VECS, HALF) + j] = i < mr && j < nr ? c[i * ldc + j * csc] : (T)0;     \
                _Pragma("unroll") for (int i = 0; i < ROWS; i++) {                                             \
                    _Pragma("unroll") for (int v = 0; v < VECS; v++)                                           \
                        acc[i][v] = *(const TILE_VEC(HALF) *)(tile + i * TILE_W(VECS, HALF) + v * VL);         \
                    if (HALF) acch[i] = *(const HV *)(tile + i * TILE_W(VECS, HALF) + VECS * VL);              \
                }                                                                                              \
            }                                                                                                  \
        } else {                                                                                               \
            _Pragma("unroll") for (int i = 0; i < ROWS; i++) {                                                 \
                /* Fetch the C tile while the k loop runs: with large leading dimensions its rows collide in L1. */ \
                /* Not in a loop too short to hide them (PREFETCH_C_MIN_K). */                                     \
                if (csc == 1 && i < mr && kc >= PREFETCH_C_MIN_K) {                                            \
                    __builtin_prefetch(c + i * ldc, 1, 3);                                                     \
                    __builtin_prefetch(c + i * ldc + TILE_W(VECS, HALF) - 1, 1, 3);                            \
                }                                                                                              \
                _Pragma("unroll") for (int v = 0; v < VECS; v++) acc[i][v] = (V)0;                             \
                if (HALF) acch[i] = (HV)0;                                                                     \
            }                                                                                                  \
        }                                                                                                      \
        if (!DIRECT && (blocks & PREFETCH_B)) MICRO_K_LOOP(ROWS, VECS, HALF, DIRECT, 1)                        \
        else MICRO_K_LOOP(ROWS, VECS, HALF, DIRECT, 0)                                                         \
        if (blocks & PARTIAL) { /* more k blocks follow: store the raw sums */                                 \
            if (!HALF && nr == VECS * VL && csc == 1) {                                                        \
                STORE_ROWS(ROWS, VECS, *(VU *)(c + i * ldc + v * VL) = acc[i][v]);                             \
            } else if (MASKED_TAILS && csc == 1) {                                                             \
                MASKED_COLUMNS(ROWS, VECS, HALF, FN(store_lanes)(cp, TILE_COLUMN(VECS, i, w), lanes);)         \
            } else {                                                                                           \
                T tile[ROWS * TILE_W(VECS, HALF)] __attribute__((aligned(64)));                                \
                TILE_TO_BUFFER(ROWS, VECS, HALF);                                                              \
                for (long i = 0; i < mr; i++)                                                                  \
                    for (long j = 0; j < nr; j++) c[i * ldc + j * csc] = tile[i * TILE_W(VECS, HALF) + j];     \
            }                                                                                                  \
            return;                                                                                            \
        }                                                                                                      \
        /* alpha*acc + beta*c, rounded as written (no contraction), in both store paths. */                    \
        /* The epilogue's stores are separate loops, so the plain ones compile exactly as without it. */       \
        if (!HALF && nr == VECS * VL && csc == 1) {                                                            \
            if (!e && beta == 0 && alpha == 1) { /* the training loop's products: alpha * acc is acc */        \
                STORE_ROWS(ROWS, VECS, *(VU *)(c + i * ldc + v * VL) = acc[i][v]);                             \
            } else {                                                                                           \
                STORE_ROWS(ROWS, VECS, {                                                                       \
                    T *cp = c + i * ldc + v * VL;                                                              \
                    V r = FN(update_vec)(acc[i][v], alpha, beta, cp, VL);                                      \
                    *(VU *)cp = e ? FN(finish_vec)(r, e, i, v, VL) : r;                                        \
                });                                                                                            \
            }                                                                                                  \
        } else if (MASKED_TAILS && csc == 1) {                                                                 \
            MASKED_COLUMNS(ROWS, VECS, HALF, {                                                                 \
                V r = FN(update_vec)(TILE_COLUMN(VECS, i, w), alpha, beta, cp, lanes);                         \
                FN(store_lanes)(cp, e ? FN(finish_vec)(r, e, i, w, lanes) : r, lanes);                         \
            })                                                                                                 \
        } else {                                                                                               \
            T tile[ROWS * TILE_W(VECS, HALF)] __attribute__((aligned(64)));                                    \
            TILE_TO_BUFFER(ROWS, VECS, HALF);                                                                  \
            if (!e) {                                                                                          \
                for (long i = 0; i < mr; i++)                                                                  \
                    for (long j = 0; j < nr; j++) {                                                            \
                        T *cij = c + i * ldc + j * csc;                                                        \
                        *cij = FN(update_scalar)(tile[i * TILE_W(VECS, HALF) + j], alpha, beta, cij);          \
                    }                                                                                          \
            } else {                                                                                           \
                for (long i = 0; i < mr; i++)                                                                  \
                    _Pragma("clang loop vectorize(disable)")                                                   \
                    for (long j = 0; j < nr; j++) {                                                            \
                        T *cij = c + i * ldc + j * csc;                                                        \
                        T r = FN(update_scalar)(tile[i * TILE_W(VECS, HALF) + j], alpha, beta, cij);           \
                        *cij = FN(finish_scalar)(r, e, i, j);                                                  \
                    }                                                                                          \
            }                                                                                                  \
        }                                                                                                      \
    }

// Shorter tiles for the last rows. Ten rows: the swapped product (C^T) of a ten-class output layer has ten rows, which
// twelve-row tiles pad by a sixth (128 x 10 x 200 on Zen 4: float64 0.93 -> 1.09 of numpy, float32 0.94 -> 1.10).
#if MR == 12
#define MR_SMALL 4
#define MR_MEDIUM 8
#define MR_LARGE 10
#elif MR == 6
#define MR_SMALL 2
#define MR_MEDIUM 4
#define MR_LARGE MR
#else
#define MR_SMALL MR
#define MR_MEDIUM MR
#define MR_LARGE MR
#endif
#define DEFINE_MICRO_KERNELS(ROWS, VECS, HALF) \
    DEFINE_MICRO_KERNEL(ROWS, VECS, HALF, 0)    \
    DEFINE_MICRO_KERNEL(ROWS, VECS, HALF, 1)
DEFINE_MICRO_KERNELS(MR, NV, 0)
#if NV > 1
DEFINE_MICRO_KERNELS(MR, 1, 0)
#endif
#if MR_SMALL < MR
DEFINE_MICRO_KERNELS(MR_SMALL, NV, 0)
DEFINE_MICRO_KERNELS(MR_SMALL, 1, 0)
DEFINE_MICRO_KERNELS(MR_MEDIUM, NV, 0)
DEFINE_MICRO_KERNELS(MR_MEDIUM, 1, 0)
#endif
#if MR_LARGE < MR
DEFINE_MICRO_KERNELS(MR_LARGE, NV, 0)
DEFINE_MICRO_KERNELS(MR_LARGE, 1, 0)
#endif
#if HALF_TAIL
DEFINE_MICRO_KERNELS(MR, 1, 1)
#if MR_SMALL < MR
DEFINE_MICRO_KERNELS(MR_SMALL, 1, 1)
DEFINE_MICRO_KERNELS(MR_MEDIUM, 1, 1)
#endif
#if MR_LARGE < MR
DEFINE_MICRO_KERNELS(MR_LARGE, 1, 1)
#endif
#endif
#undef DEFINE_MICRO_KERNELS

#define MICRO_CALL(ROWS, VECS, HALF)                                                                             \
    (sa ? MICRO_NAME(ROWS, VECS, HALF, 1)(kc, ap, sa, pa, bp, sb, c, ldc, csc, mr, nr, alpha, beta, e, blocks, next) \
        : MICRO_NAME(ROWS, VECS, HALF, 0)(kc, ap, sa, pa, bp, sb, c, ldc, csc, mr, nr, alpha, beta, e, blocks, next))
// Columns that fill at most one and a half vectors take a half vector for the rest where the CPU runs a whole one
// as two halves (HALF_TAILS, mlp_gemm_half_tails_default): 10 float64 columns then cost three halves a row, not four.
#if HALF_TAIL
#define MICRO_HALF_TAIL(ROWS) else if (nr <= VL + VL / 2 && (blocks & HALF_TAILS)) MICRO_CALL(ROWS, 1, 1);
#else
#define MICRO_HALF_TAIL(ROWS)
#endif
#define MICRO_BY_WIDTH(ROWS)                              \
    do {                                                  \
        if (NV > 1 && nr <= VL) MICRO_CALL(ROWS, 1, 0);   \
        MICRO_HALF_TAIL(ROWS)                             \
        else MICRO_CALL(ROWS, NV, 0);                     \
    } while (0)

// The micro-kernel variant that covers an mr x nr tile with the fewest FMAs. sa == 0: A(i, p) = ap[p*pa + i] (a
// packed micro-panel, or A stored transposed); else A read in place with row stride sa. blocks: RESUME, PARTIAL (see
// gemm_range) and PREFETCH_B.
// next: where the next tile starts, relative to c, for its prefetch.
// Inlined into the tile loops, so each tile makes one call: as a function of its own it took its 16 arguments and
// passed them on, stores that queue behind the tile's C stores (200 x 128 x 10 float64 on a Zen 3, one thread:
// 0.97-1.08 -> 1.22 of numpy). The variants stay functions of their own (NO_INLINE; see "Two speeds").
__attribute__((always_inline)) static inline void FN(micro_kernel)(long kc, const T *restrict ap, long sa, long pa,
                                                                   const T *restrict bp, long sb, T *restrict c,
                                                                   long ldc, long csc, long mr, long nr, T alpha,
                                                                   T beta, const FN(tile_epilogue) *e, int blocks,
                                                                   long next) {
#if MR_SMALL < MR
    if (mr <= MR_SMALL) { MICRO_BY_WIDTH(MR_SMALL); return; }
    if (mr <= MR_MEDIUM) { MICRO_BY_WIDTH(MR_MEDIUM); return; }
#endif
#if MR_LARGE < MR
    if (mr <= MR_LARGE) { MICRO_BY_WIDTH(MR_LARGE); return; }
#endif
    MICRO_BY_WIDTH(MR);
}
#undef MICRO_CALL
#undef MICRO_HALF_TAIL
#undef MICRO_BY_WIDTH
#undef MR_SMALL
#undef MR_MEDIUM
#undef MR_LARGE
#undef DEFINE_MICRO_KERNEL
#undef MICRO_NAME
#undef MICRO_NAME_
#undef STORE_ROWS
#undef TILE_W
#undef TILE_VEC_0
#undef TILE_VEC_1
#undef TILE_VEC
#undef TILE_VEC_OF
#undef TILE_TO_BUFFER
#undef MASKED_COLUMNS
#undef TILE_COLUMN
#undef MICRO_K_LOOP
#undef MICRO_K_STEP

// The epilogue's operands for the tile at (i0, j0).
static inline FN(tile_epilogue) FN(tile_epilogue_at)(const gemm_epilogue *ge, long i0, long j0) {
    return (FN(tile_epilogue)){ge->bias ? (const T *)ge->bias + j0 : NULL, ge->relu,
                               ge->relu_output ? (const T *)ge->relu_output + i0 * ge->ld_relu_output + j0 : NULL,
                               ge->ld_relu_output};
}

// Unpacked path for tiny products (the seed network's 10x2 . 2x3), and for any product when no packing workspace
// can be had: rows r0..<r1 and columns c0..<c1 of C, no workspace, no threads.
static void FN(gemm_small)(const gemm_args *g, long r0, long r1, long c0, long c1) {
    const T *a = (const T *)g->a, *b = (const T *)g->b;
    T *c = (T *)g->c;
    long k = g->k, lda = g->lda, ldb = g->ldb, ldc = g->ldc, csc = g->csc;
    long sai = g->transA ? 1 : lda, sap = g->transA ? lda : 1;
    long sbp = g->transB ? 1 : ldb, sbj = g->transB ? ldb : 1;
    T alpha = (T)g->alpha, beta = (T)g->beta;
    const gemm_epilogue *ge = &g->epilogue;
    FN(tile_epilogue) e = {ge->bias, ge->relu, ge->relu_output, ge->ld_relu_output};
    int hasEpilogue = has_epilogue(ge);
    for (long i = r0; i < r1; i++)
        for (long j = c0; j < c1; j++) {
            T sum = 0;
            for (long p = 0; p < k; p++) sum = FMA(a[i * sai + p * sap], b[p * sbp + j * sbj], sum);
            T r = FN(update_scalar)(sum, alpha, beta, c + i * ldc + j * csc);
            c[i * ldc + j * csc] = hasEpilogue ? FN(finish_scalar)(r, &e, i, j) : r;
        }
}

// Rows first, the loop order of OpenBLAS's and BLIS's Skylake-X kernels in row-major terms: an A block (MC x KC, in
// L3) is packed once per k block, then for each B block (KC x NC, in L2) each MR-row micro-panel of A stays in L1
// while its tiles walk along C's rows through the B block's micro-panels. Each next tile is NR columns on, in the
// rows just written, which the prefetchers follow. Always packed: this order serves products of more than MC rows.
// rows_first_tiles is the inner two loops, for A micro-panels ir0..<ir1 of the block at row ic; several threads
// share one packed block through rows_first_part (gemm.c, rows_first_shared).
NO_LIBCALLS static void FN(rows_first_tiles)(const gemm_args *g, long ic, long ir0, long ir1, long jc, long nc, long pc,
                                             long kc, const T *ap, const T *bp) {
    long ldc = g->ldc, csc = g->csc;
    T *c = (T *)g->c;
    const gemm_epilogue *ge = &g->epilogue;
    int blocks = (pc > 0 ? RESUME : 0) | (pc + kc < g->k ? PARTIAL : 0)  // k blocks in order (see gemm_range)
                 | (g->half_tails ? HALF_TAILS : 0);
    int finishing = has_epilogue(ge) && pc + kc == g->k;
    for (long ir = ir0; ir < ir1; ir += MR) {  // A micro-panels
        long mr = ir1 - ir < MR ? ir1 - ir : MR;
        for (long jr = 0; jr < nc; jr += NR) {  // B micro-panels
            long nr = nc - jr < NR ? nc - jr : NR;
            long i0 = ic + ir, j0 = jc + jr;
            FN(tile_epilogue) e = FN(tile_epilogue_at)(ge, i0, j0);
            FN(micro_kernel)(kc, ap + ir * kc, 0, MR, bp + jr * kc, NR, c + i0 * ldc + j0 * csc, ldc, csc, mr, nr,
                             (T)g->alpha, (T)g->beta, finishing ? &e : NULL, blocks | PREFETCH_B, NR * csc);
        }
    }
}

NO_LIBCALLS static void FN(gemm_rows_first)(const gemm_args *g, long r0, long r1, long c0, long c1, long MC, long KC,
                                            long NC, T *ap, T *bp) {
    for (long pc = 0; pc < g->k; pc += KC) {                // k blocks, in order (see gemm_range)
        long kc = g->k - pc < KC ? g->k - pc : KC;
        for (long ic = r0; ic < r1; ic += MC) {             // A blocks
            long mc = r1 - ic < MC ? r1 - ic : MC;
            FN(pack_a)(g, ic, mc, pc, kc, ap);
            for (long jc = c0; jc < c1; jc += NC) {         // B blocks
                long nc = c1 - jc < NC ? c1 - jc : NC;
                FN(pack_b)(g, pc, kc, jc, nc, bp);
                FN(rows_first_tiles)(g, ic, 0, mc, jc, nc, pc, kc, ap, bp);
            }
        }
    }
}

// Part `part` of `parts` of phase `phase` of one shared rows-first step (rows_first_step in gemm.c): phase 0 packs
// a run of the A block's micro-panels (the first pack_a_parts parts) or of the B block's, phase 1 computes the tiles
// of a run of A micro-panels. Runs start on micro-panel boundaries, so the parts write what one pack would.
static void FN(rows_first_part)(void *context, int phase, int part, int parts) {
    const rows_first_step *s = context;
    const gemm_args *g = s->g;
    T *ap = s->ap, *bp = s->bp;
    if (phase == 0 && part < s->pack_a_parts) {
        long r0 = panel_run_start(s->mc, MR, part, s->pack_a_parts);
        long r1 = panel_run_start(s->mc, MR, part + 1, s->pack_a_parts);
        if (r1 > r0) FN(pack_a)(g, s->ic + r0, r1 - r0, s->pc, s->kc, ap + r0 * s->kc);
    } else if (phase == 0) {
        int bParts = parts - s->pack_a_parts, index = part - s->pack_a_parts;
        long j0 = panel_run_start(s->nc, NR, index, bParts), j1 = panel_run_start(s->nc, NR, index + 1, bParts);
        if (j1 > j0) FN(pack_b)(g, s->pc, s->kc, s->jc + j0, j1 - j0, bp + j0 * s->kc);
    } else {
        long r0 = panel_run_start(s->mc, MR, part, parts), r1 = panel_run_start(s->mc, MR, part + 1, parts);
        FN(rows_first_tiles)(g, s->ic, r0, r1, s->jc, s->nc, s->pc, s->kc, ap, bp);
    }
}

// Computes rows r0..<r1 and columns c0..<c1 of C with the blocked loops (one thread's share).
NO_LIBCALLS static void FN(gemm_range)(const gemm_args *g, long r0, long r1, long c0, long c1, long MC, long KC, long NC) {
    long k = g->k, ldc = g->ldc, csc = g->csc;
    T alpha = (T)g->alpha, beta = (T)g->beta;
    T *c = (T *)g->c;
    NC = even_block(c1 - c0, NC, NR);
    if (g->rows_first) MC = even_block(r1 - r0, MC, MR);  // even row blocks, where each packs B again
    // Workspace for the blocks this call really uses (a 200 x 10 product needs kilobytes, not the full blocks).
    void *bBlock;
    T *ap = packed_blocks(g, r1 - r0 < MC ? r1 - r0 : MC, c1 - c0 < NC ? c1 - c0 : NC, k < KC ? k : KC, MR, NR,
                          sizeof(T), &bBlock);
    if (!ap) {  // no workspace (gemm.c, workspace): the unpacked loop, the same bits
        FN(gemm_small)(g, r0, r1, c0, c1);
        return;
    }
    T *bp = bBlock;
    if (g->rows_first) {
        FN(gemm_rows_first)(g, r0, r1, c0, c1, MC, KC, NC, ap, bp);
        return;
    }
    const gemm_epilogue *ge = &g->epilogue;
    int hasEpilogue = has_epilogue(ge);
    for (long jc = c0; jc < c1; jc += NC) {                 // loop 5: NC columns of C
        long nc = c1 - jc < NC ? c1 - jc : NC;
        for (long pc = 0; pc < k; pc += KC) {               // loop 4: KC slice of k
            long kc = k - pc < KC ? k - pc : KC;
            // One FMA chain per element over all of k, whatever KC is: a k block after the first resumes the chains
            // from the raw sums the previous one stored in C, and only the last applies alpha, beta and the epilogue.
            // (The caller routes beta != 0 with more than one k block through a scratch C; see gemm in gemm.c.)
            int blocks = (pc > 0 ? RESUME : 0) | (pc + kc < k ? PARTIAL : 0) | (g->half_tails ? HALF_TAILS : 0);
            int finishing = hasEpilogue && pc + kc == k;  // the epilogue goes with the last k block
            // Read B in place when it is stored by rows and either each micro-panel is used at most twice (one or two
            // row panels, e.g. the 10 x 128 C^T of a 10-class layer: the copy costs as much as a second read from
            // L2) or its kc rows stay in L1 across the row panels (direct_b_rows: up to 256 rows, far fewer when ldb
            // is a power of two, none where the CPU gains nothing from it); pack only a partial last panel. Packing
            // would make each thread of a row split pack all of B. Past that the micro-panel leaves L1 and packing
            // wins again (docs/performance.md, "Kernels").
            long direct = !g->transB && (r1 - r0 <= 2 * MR || kc <= g->direct_b_rows) ? nc / NR * NR : 0;
            if (direct < nc) FN(pack_b)(g, pc, kc, jc + direct, nc - direct, bp + direct * kc);
            // Read A in place when it is stored by rows and either each element is used once (a single column
            // panel: an output layer's 10 columns), or an MR-row micro-panel, rows and the gaps between them, spans
            // at most half of L1 and either its rows in this k block are short (at most SHORT_A_ROW_BYTES: the input
            // gradient through a 10-class output layer, k = 10, gained 3-8% on an Intel Xeon, which packs otherwise;
            // docs/performance.md, "Short rows of A") or, where the CPU gains from it (g->in_place), k <= 256: the
            // MLP layers' products then gain 3-11% on Zen without the transposing copy. Wider spans collide in L1
            // sets (a 1024 square: -35%) and packing wins (docs/performance.md, "Kernels").
            // The AVX2 kernels (A_BESIDE_PACKED_B) also read A in place when B is packed: on an Intel Xeon, which
            // packs otherwise, the input-gradient products (B transposed) gained 0.5-17%, while with B read in place
            // too the forward ones lost up to 12%, and the 12-row AVX-512 tiles lost either way (docs/performance.md,
            // "A beside a packed B").
            long spanA = ((MR - 1) * g->lda + kc) * (long)sizeof(T);
            int shortRows = kc * (long)sizeof(T) <= SHORT_A_ROW_BYTES;
            int inPlace = g->in_place || (A_BESIDE_PACKED_B && direct == 0);
            int directA = !g->transA && (nc <= NR || (spanA <= g->direct_a_span &&
                                                      (shortRows || (inPlace && kc <= MAX_IN_PLACE_K))));
            // Rows upward (g->rows_upward): the upper part of a row split walks away from the part below it.
            long rowBlocks = (r1 - r0 + MC - 1) / MC;
            for (long block = 0; block < rowBlocks; block++) {  // loop 3: MC rows of C
                long ic = r0 + (g->rows_upward ? rowBlocks - 1 - block : block) * MC;
                long mc = r1 - ic < MC ? r1 - ic : MC;
                // op(A) = A^T stored by rows is already laid out as a packed micro-panel, MR elements per k, only
                // lda apart instead of MR: read full panels in place when the copy would serve few column panels
                // (TRANSPOSED_A_PANELS, from the tile's FMAs per k step) and a micro-panel's kc lines fit in half
                // of L1, where the next micro-panel, the next MR elements of the same lines, finds them.
                long transposedRows = g->transA && nc <= TRANSPOSED_A_PANELS * NR && kc * 64 <= g->direct_a_span
                                          ? mc / MR * MR : 0;
                if (!directA) FN(pack_a)(g, ic + transposedRows, mc - transposedRows, pc, kc, ap + transposedRows * kc);
                long panels = (mc + MR - 1) / MR;
                // One or two rows left under 6-row tiles (AVX2; arm64's float64) would run as a 2-row tile, whose
                // chains wait on the FMA's latency at half its rate; with A read in place they take two rows of the
                // panel before, and both run as 4-row tiles at the full rate: 200 rows as 32 x 6 + 4 + 4, not 33 x 6
                // + 2 (docs/performance.md, "An even tail").
                int evenTail = MR == 6 && directA && panels >= 2 && mc % MR >= 1 && mc % MR <= 2;
                for (long jr = 0; jr < nc; jr += NR) {      // loop 2: NR-column micro-panels
                    long nr = nc - jr < NR ? nc - jr : NR;
                    for (long panel = 0; panel < panels; panel++) {  // loop 1: MR-row micro-panels
                        long index = g->rows_upward ? panels - 1 - panel : panel;
                        long ir = index * MR, mr = mc - ir < MR ? mc - ir : MR;
                        if (evenTail && index >= panels - 2) {
                            ir = (panels - 2) * MR + (index == panels - 1 ? 4 : 0);
                            mr = index == panels - 1 ? mc - ir : 4;
                        }
                        int transposed = ir < transposedRows;
                        const T *a = directA      ? (const T *)g->a + (ic + ir) * g->lda + pc
                                     : transposed ? (const T *)g->a + pc * g->lda + ic + ir
                                                  : ap + ir * kc;
                        const T *b = jr < direct ? (const T *)g->b + pc * g->ldb + jc + jr : bp + jr * kc;
                        long i0 = ic + ir, j0 = jc + jr;
                        FN(tile_epilogue) e = FN(tile_epilogue_at)(ge, i0, j0);
                        FN(micro_kernel)(kc, a, directA ? g->lda : 0, transposed ? g->lda : MR, b, jr < direct ? g->ldb : NR,
                                         c + i0 * ldc + j0 * csc, ldc, csc, mr, nr, alpha, beta,
                                         finishing ? &e : NULL, blocks, g->rows_upward ? -MR * ldc : MR * ldc);
                    }
                }
            }
        }
    }
}

#include "row_kernel.h"  // the single row's kernels, in the same instance

#if ROWS_AS_LANES
#include "gemm_narrow_kernel.h"
#endif
#undef ROWS_AS_LANES

#undef ZIP_LO
#undef ZIP_HI
#undef V
#undef VU
#undef NR
#undef K_UNROLL
#undef A_BESIDE_PACKED_B
#undef HALF_TAIL
#undef HV
#undef LOW_HALF
#undef WIDEN
#undef MASKED_TAILS
#undef FN
#undef GLUE
#undef GLUE2
// The instance's type parameters are consumed here; the next instance defines its own.
#undef T
#undef VL
#undef SUF
