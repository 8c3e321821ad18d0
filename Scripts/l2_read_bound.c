// The floor under a single-row prediction: how long one core takes to read a buffer of the weights' size that stays
// in its caches, and how long two cores take to read half each (one hand-off, as the split single row does per
// layer). docs/performance.md, "The single row on Zen 3: bound by L2 bandwidth".
//
//   clang -O2 -mavx2 -mfma Scripts/l2_read_bound.c -o /tmp/l2_read_bound -lpthread
//   /tmp/l2_read_bound 119 238 477        # KB per call: a 100 KB layer, the float32 and the float64 network
#include <immintrin.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "read_all.h"

#define CALLS 20000

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static const float *half_buffer;
static long half_count;
static atomic_int started, finished;
static volatile float sink;

static void *reader(void *unused) {
    (void)unused;
    for (int call = 0; call < CALLS; call++) {
        while (atomic_load(&started) <= call) _mm_pause();
        sink += read_all(half_buffer, half_count);
        atomic_fetch_add(&finished, 1);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s KB [KB ...]\n", argv[0]);
        return 2;
    }
    for (int a = 1; a < argc; a++) {
        long kb = atol(argv[a]), n = (kb * 1024 / 4 + 63) / 64 * 64;
        float *buffer = aligned_alloc(64, (size_t)n * sizeof(float));
        if (kb <= 0 || !buffer) {
            fprintf(stderr, "%s: %s: not a positive size in KB, or no memory for it\n", argv[0], argv[a]);
            return 1;
        }
        for (long i = 0; i < n; i++) buffer[i] = 1;
        for (int call = 0; call < 1000; call++) sink += read_all(buffer, n);
        double t = now();
        for (int call = 0; call < CALLS; call++) sink += read_all(buffer, n);
        double one = (now() - t) / CALLS;

        half_buffer = buffer + n / 2;
        half_count = n / 2;
        atomic_store(&started, 0);
        atomic_store(&finished, 0);
        pthread_t thread;
        if (pthread_create(&thread, NULL, reader, NULL)) {
            fprintf(stderr, "%s: could not start a second thread\n", argv[0]);
            return 1;
        }
        t = now();
        for (int call = 0; call < CALLS; call++) {
            atomic_store(&started, call + 1);
            sink += read_all(buffer, n / 2);
            while (atomic_load(&finished) <= call) _mm_pause();
        }
        double split = (now() - t) / CALLS;
        pthread_join(thread, NULL);
        printf("%ld KB: one core %.2f us (%.1f B/ns), split over two cores %.2f us\n", kb, one * 1e6,
               (double)n * sizeof(float) / one / 1e9, split * 1e6);
        free(buffer);
    }
    return 0;
}
