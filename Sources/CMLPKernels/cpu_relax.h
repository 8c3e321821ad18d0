// The pause between two polls of a cache line another core will write: x86's `pause` (it also keeps the poll from
// filling the pipeline with loads that the write then flushes), arm64's `yield`.
#ifndef MLP_CPU_RELAX_H
#define MLP_CPU_RELAX_H
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CPU_RELAX() _mm_pause()
#elif defined(__aarch64__)
#define CPU_RELAX() __asm__ __volatile__("yield")
#else
#define CPU_RELAX() ((void)0)
#endif
#endif
