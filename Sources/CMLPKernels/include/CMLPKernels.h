#ifndef CMLPKERNELS_H
#define CMLPKERNELS_H
#include "SeedNetwork.h"
/// Returns 1 when the CPU supports AVX2 and FMA (checked once, at run time).
int mlp_cpu_has_avx2_fma(void);
#endif
