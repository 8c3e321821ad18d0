#ifndef CALLOCATIONCOUNTER_H
#define CALLOCATIONCOUNTER_H
#include <stdint.h>
/// Heap allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign) made by this process so far,
/// or -1 where the counter cannot interpose the allocator (anything but Linux with glibc).
int64_t mlp_allocation_count(void);
#endif
