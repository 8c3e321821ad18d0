// Nanoseconds on CLOCK_MONOTONIC: the pool's spin deadlines and probes, the placement's bursts, cpu.c's FMA timing.
#ifndef MLP_MONOTONIC_CLOCK_H
#define MLP_MONOTONIC_CLOCK_H
#include <time.h>

static inline long monotonic_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)t.tv_sec * 1000000000L + t.tv_nsec;
}
#endif
