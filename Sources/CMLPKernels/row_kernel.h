// One instantiation of the single row's kernels for an element type and instruction set, included by gemm_kernel.h
// inside its instance (its T, VL, V, VU, FMA and FN): a row through a dense layer as one FMA chain per column over the
// inputs in order (dense_row), through DenseRowPanels' weight panels (dense_panels), and over a row's non-zero inputs
// only (sparse_row), each with the bits of the same row inside a batch's GEMM.
//
// Shapes: x (nIn)  w (nIn, nOut) stored by rows, or a panel's (nIn, width) rows followed by its bias  out (nOut).

#ifndef SET_BIT_POSITIONS
#define SET_BIT_POSITIONS
// Row b: the positions of b's one bits (b < 16), in order, then zeros (nonzero_inputs).
static const unsigned char set_bit_positions[16][4] = {
    {0, 0, 0, 0}, {0, 0, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0}, {2, 0, 0, 0}, {0, 2, 0, 0}, {1, 2, 0, 0}, {0, 1, 2, 0},
    {3, 0, 0, 0}, {0, 3, 0, 0}, {1, 3, 0, 0}, {0, 1, 3, 0}, {2, 3, 0, 0}, {0, 2, 3, 0}, {1, 2, 3, 0}, {0, 1, 2, 3}};
typedef int index4 __attribute__((ext_vector_type(4), aligned(sizeof(int))));
typedef unsigned char byte4 __attribute__((ext_vector_type(4), aligned(1)));
#endif

// `vecs` vectors of columns from j of one row through a dense layer (see dense_row), and when `tail` one more vector
// for the last nOut - j - vecs * VL (< VL) columns, all chains in one pass over the inputs: the tail's whole-vector
// loads of rows 0..<nIn-1 read the next row's first columns into the spare lanes (inside w: the caller checks), which
// are computed and dropped, and the last row goes through a zero-padded copy. `vecs` and `tail` are constants at every
// call, so the chains unroll into registers.
__attribute__((always_inline)) static inline void FN(dense_row_vectors)(const T *restrict x, const T *restrict w,
                                                                       const T *restrict bias, T *restrict out,
                                                                       long nIn, long nOut, long j, int relu,
                                                                       int vecs, int tail) {
#pragma clang fp contract(off)
    V acc[8];
    _Pragma("unroll") for (int v = 0; v < vecs + tail; v++) acc[v] = (V)0;
    for (long p = 0; p < nIn - tail; p++) {
        V xp = (V)x[p];
        const T *wp = w + p * nOut + j;
        _Pragma("unroll") for (int v = 0; v < vecs + tail; v++) acc[v] = FMA(xp, *(const VU *)(wp + v * VL), acc[v]);
    }
    long rest = nOut - j - vecs * VL;
    if (tail) {
        V xp = (V)x[nIn - 1];
        const T *wp = w + (nIn - 1) * nOut + j;
        _Pragma("unroll") for (int v = 0; v < vecs; v++) acc[v] = FMA(xp, *(const VU *)(wp + v * VL), acc[v]);
        T last[VL];
        for (long q = 0; q < VL; q++) last[q] = q < rest ? wp[vecs * VL + q] : (T)0;
        acc[vecs] = FMA(xp, *(const VU *)last, acc[vecs]);
    }
    _Pragma("unroll") for (int v = 0; v < vecs; v++) {
        V r = acc[v] + *(const VU *)(bias + j + v * VL);
        if (relu) r = r < (V)0 ? (V)0 : r;
        *(VU *)(out + j + v * VL) = r;
    }
    if (tail) {
        T sums[VL];
        *(VU *)sums = acc[vecs];
        for (long q = 0; q < rest; q++) {
            T r = sums[q] + bias[j + vecs * VL + q];
            out[j + vecs * VL + q] = relu && r < 0 ? (T)0 : r;
        }
    }
}

// One row through a dense layer: out[j] = act(Σ_p x[p] w[p*nOut + j] + bias[j]), act = ReLU when relu != 0, else
// identity. Each sum is the packed kernel's FMA chain over p in order from 0, then the epilogue's + bias and ReLU, so a
// row gets the same bits alone as inside a batch. Eight vectors of columns at a time where the layer is that wide (the
// unpacked matrix, an AVX2 weight panel), four in an AVX-512 panel (DenseRowPanels): four zmm chains already keep up
// with weights streamed from L2, one vector per FMA. The columns left after the blocks of eight run as one pass too:
// a chain of a 128-input layer takes 512 cycles of FMA latency whatever its width, so a ten-class output layer run as
// a vector and then a tail, one after the other, waited for two such chains (docs/performance.md, "The output layer's
// vector and tail in one pass").
NO_LIBCALLS static void FN(dense_row)(const T *restrict x, const T *restrict w, const T *restrict bias, T *restrict out,
                                      long nIn, long nOut, int relu) {
#pragma clang fp contract(off)
    long j = 0;
    for (; j + 8 * VL <= nOut; j += 8 * VL) FN(dense_row_vectors)(x, w, bias, out, nIn, nOut, j, relu, 8, 0);
    long vecs = (nOut - j) / VL, rest = nOut - j - vecs * VL;
    // The tail's loads stay inside w when the layer is at least a vector's spare lanes wide (or has one row).
    int tail = rest > 0 && nIn >= 1 && (nIn == 1 || VL - rest <= nOut);
#define DENSE_ROW_REST(n)                                                                                             \
    case n:                                                                                                           \
        if (tail) FN(dense_row_vectors)(x, w, bias, out, nIn, nOut, j, relu, n, 1);                                   \
        else FN(dense_row_vectors)(x, w, bias, out, nIn, nOut, j, relu, n, 0);                                        \
        break;
    switch (vecs) {
        DENSE_ROW_REST(0)
        DENSE_ROW_REST(1)
        DENSE_ROW_REST(2)
        DENSE_ROW_REST(3)
        DENSE_ROW_REST(4)
        DENSE_ROW_REST(5)
        DENSE_ROW_REST(6)
        DENSE_ROW_REST(7)
    }
#undef DENSE_ROW_REST
    j = tail ? nOut : j + vecs * VL;
    if (j < nOut) {  // the same chains side by side, for layers narrower than a vector
        T acc[VL];
        for (long q = 0; q < VL; q++) acc[q] = 0;
        for (long p = 0; p < nIn; p++) {
            T xp = x[p];
            const T *wp = w + p * nOut + j;
            for (long q = 0; q < rest; q++) acc[q] = FMA(xp, wp[q], acc[q]);
        }
        for (long q = 0; q < rest; q++) {
            T r = acc[q] + bias[j + q];
            out[j + q] = relu && r < 0 ? (T)0 : r;
        }
    }
}

typedef T FN(vec8) __attribute__((ext_vector_type(8), aligned(sizeof(T))));
typedef _Bool FN(mask8) __attribute__((ext_vector_type(8)));

// The positions of a row's inputs that are not zero (either sign), in order, into `index` (nIn values); returns their
// count. Eight inputs a step: a byte of their compares, and each half's positions from a table, stored four at a time
// (at most at the group's own positions, so inside `index`). A scalar loop took 1.8 cycles an input on a Zen 3, this
// 0.6.
NO_LIBCALLS static long FN(nonzero_inputs)(const T *restrict x, long nIn, int *restrict index) {
    long count = 0, p = 0;
    for (; p + 8 <= nIn; p += 8) {
        FN(mask8) nonzero = __builtin_convertvector(*(const FN(vec8) *)(x + p) != (T)0, FN(mask8));
        unsigned char bits;
        __builtin_memcpy(&bits, &nonzero, 1);
        unsigned low = bits & 15, high = bits >> 4;
        index4 lowPositions = __builtin_convertvector(*(const byte4 *)set_bit_positions[low], index4);
        index4 highPositions = __builtin_convertvector(*(const byte4 *)set_bit_positions[high], index4);
        *(index4 *)(index + count) = lowPositions + (int)p;
        count += __builtin_popcount(low);
        *(index4 *)(index + count) = highPositions + (int)p + 4;
        count += __builtin_popcount(high);
    }
    for (; p < nIn; p++) {
        index[count] = (int)p;
        count += x[p] != (T)0;
    }
    return count;
}

#ifndef SPARSE_PREFETCH_ROWS
#define SPARSE_PREFETCH_ROWS 4  // listed rows sparse_row_vectors prefetches ahead (one thread's row 3-8% faster, Zen 3)
#endif

// dense_row_vectors (without a tail) over the inputs listed in `index` only: a zero input adds a zero product, which
// leaves a chain's sum as it is unless the sum is itself zero, when it may flip the zero's sign; once a non-zero
// product follows, both chains hold the same bits again. So the sums over the listed inputs are the full chains' bits
// wherever a result is not zero; returns 0, writing nothing, when some result (sum + bias) is zero, and the caller
// runs the full chains.
__attribute__((always_inline)) static inline int FN(sparse_row_vectors)(const T *restrict x, const int *restrict index,
                                                                       long nonzero, const T *restrict w,
                                                                       const T *restrict bias, T *restrict out,
                                                                       long nOut, long j, int relu, int vecs) {
#pragma clang fp contract(off)
    V acc[8];
    _Pragma("unroll") for (int v = 0; v < vecs; v++) acc[v] = (V)0;
    for (long k = 0; k < nonzero; k++) {
        long p = index[k];
        if (k + SPARSE_PREFETCH_ROWS < nonzero) {  // the rows skipped past are where no prefetcher looks
            const char *ahead = (const char *)(w + index[k + SPARSE_PREFETCH_ROWS] * nOut + j);
            _Pragma("unroll") for (int line = 0; line < vecs * VL * (int)sizeof(T); line += 64)
                __builtin_prefetch(ahead + line);
        }
        V xp = (V)x[p];
        const T *wp = w + p * nOut + j;
        _Pragma("unroll") for (int v = 0; v < vecs; v++) acc[v] = FMA(xp, *(const VU *)(wp + v * VL), acc[v]);
    }
    int zero = 0;
    _Pragma("unroll") for (int v = 0; v < vecs; v++) {
        acc[v] = acc[v] + *(const VU *)(bias + j + v * VL);
        zero |= __builtin_reduce_or(acc[v] == (V)0);
    }
    if (zero) return 0;
    _Pragma("unroll") for (int v = 0; v < vecs; v++) {
        V r = acc[v];
        if (relu) r = r < (V)0 ? (V)0 : r;
        *(VU *)(out + j + v * VL) = r;
    }
    return 1;
}

// dense_row over the inputs listed in `index` (see sparse_row_vectors), for a panel of whole vectors; returns 0 for
// other widths, which the caller runs as dense_row.
NO_LIBCALLS static int FN(sparse_row)(const T *restrict x, const int *restrict index, long nonzero,
                                      const T *restrict w, const T *restrict bias, T *restrict out, long nIn, long nOut,
                                      int relu) {
    if (nOut % VL != 0) return 0;
    long j = 0;
    for (; j + 8 * VL <= nOut; j += 8 * VL)
        if (!FN(sparse_row_vectors)(x, index, nonzero, w, bias, out, nOut, j, relu, 8))
            FN(dense_row_vectors)(x, w, bias, out, nIn, nOut, j, relu, 8, 0);
#define SPARSE_ROW_REST(n)                                                                                            \
    case n:                                                                                                           \
        if (!FN(sparse_row_vectors)(x, index, nonzero, w, bias, out, nOut, j, relu, n))                               \
            FN(dense_row_vectors)(x, w, bias, out, nIn, nOut, j, relu, n, 0);                                         \
        break;
    switch ((nOut - j) / VL) {
        SPARSE_ROW_REST(1)
        SPARSE_ROW_REST(2)
        SPARSE_ROW_REST(3)
        SPARSE_ROW_REST(4)
        SPARSE_ROW_REST(5)
        SPARSE_ROW_REST(6)
        SPARSE_ROW_REST(7)
    }
#undef SPARSE_ROW_REST
    return 1;
}

#ifndef SPARSE_ROW_INPUTS
#define SPARSE_ROW_INPUTS 2048  // the most inputs of a layer that skips its zero inputs (the index's stack bytes)
#endif

// Panels first..<end of a layer packed by DenseRowPanels.pack: panel i holds columns i * width ..< its end (the last
// one ends at `padded`), as nIn rows of its width followed by its bias; each runs as dense_row over those columns.
// With `skipZeros` (the caller knows every weight is finite: 0 * inf would be NaN), where at least a quarter of the
// inputs are zero (a ReLU layer's outputs: about half), each panel reads only the other inputs' weight rows
// (sparse_row), with the same bits: the row is bound by the weights' trip from L2, and its chains get shorter.
NO_LIBCALLS static void FN(dense_panels)(const T *restrict x, const T *restrict packed, T *restrict out, long nIn,
                                         long padded, long width, long first, long end, int relu, int skipZeros) {
    int index[SPARSE_ROW_INPUTS];
    long nonzero = skipZeros && nIn <= SPARSE_ROW_INPUTS ? FN(nonzero_inputs)(x, nIn, index) : nIn;
    int sparse = 4 * nonzero <= 3 * nIn;
    for (long panel = first; panel < end; panel++) {
        long start = panel * width, columns = padded - start < width ? padded - start : width;
        const T *w = packed + start * (nIn + 1);
        const T *bias = w + nIn * columns;
        if (sparse && FN(sparse_row)(x, index, nonzero, w, bias, out + start, nIn, columns, relu)) continue;
        FN(dense_row)(x, w, bias, out + start, nIn, columns, relu);
    }
}
