// How far apart the first two CPUs are right now: a cache line passed back and forth between a thread pinned to each,
// as a split single row's hand-offs pass them. On a 2-vCPU VM the host moves the vCPUs, and the round trip tells where
// they landed: ~30 ns two hyperthreads of one core (one L2: a split row gains nothing), ~100 ns two cores sharing an
// L3 (a split float32 row of the large network takes about 1.9 us against 2.6 on one core), ~400 ns cores farther
// apart (the split loses). Run it beside a benchmark to know which of these its figures came from
// (docs/performance.md, "Three placements of two vCPUs").
//
//   clang -O2 Scripts/vcpu_round_trip.c -o /tmp/vcpu_round_trip -lpthread && /tmp/vcpu_round_trip [seconds]
#define _GNU_SOURCE
#include <immintrin.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static _Alignas(64) atomic_long ping;
static _Alignas(64) atomic_long pong;

static void pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (pthread_setaffinity_np(pthread_self(), sizeof set, &set) != 0) {
        fprintf(stderr, "vcpu_round_trip: cannot run on CPU %d\n", cpu);
        exit(1);
    }
}

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void *answer(void *unused) {
    (void)unused;
    pin(1);
    for (long i = 1;; i++) {
        long seen;
        while ((seen = atomic_load_explicit(&ping, memory_order_acquire)) != i) {
            if (seen < 0) return NULL;
            _mm_pause();
        }
        atomic_store_explicit(&pong, i, memory_order_release);
    }
}

int main(int argc, char **argv) {
    int seconds = argc > 1 ? atoi(argv[1]) : 1;
    pin(0);
    pthread_t thread;
    if (pthread_create(&thread, NULL, answer, NULL) != 0) return 1;
    long i = 0;
    for (int second = 0; second < seconds; second++) {
        long best = 1L << 62;
        for (long end = now_ns() + 1000000000L; now_ns() < end;) {  // the best of 1,000-trip batches
            long started = now_ns();
            for (int k = 0; k < 1000; k++) {
                atomic_store_explicit(&ping, ++i, memory_order_release);
                while (atomic_load_explicit(&pong, memory_order_acquire) != i) _mm_pause();
            }
            long took = now_ns() - started;
            if (took < best) best = took;
        }
        printf("CPU 0 <-> CPU 1 round trip: %.0f ns\n", best / 1000.0);
        fflush(stdout);
    }
    atomic_store(&ping, -1);
    pthread_join(thread, NULL);
    return 0;
}
