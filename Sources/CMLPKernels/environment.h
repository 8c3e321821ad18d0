// The kernels' settings from the environment, each variable parsed in one place (environment.c).
#ifndef MLP_ENVIRONMENT_H
#define MLP_ENVIRONMENT_H

#include "CMLPKernels.h"

/// The instruction set to run: MLP_KERNEL_ISA (generic, avx2 or avx512) where set and this CPU runs it, else
/// `detected`.
int mlp_env_isa(int detected);
/// The thread count: MLP_NUM_THREADS (1...64) where set, else `fallback`.
int mlp_env_threads(long fallback);
/// MLP_CACHE_SIZES ("l1=32K,l2=512K,l3=32M", each entry optionally ":ways", e.g. "l2=1M:16") applied to `info`;
/// nothing when unset or malformed.
void mlp_env_cache_sizes(mlp_cache_info *info);
/// A switch set to 0 or 1: that value; -1 when unset or malformed (the caller's default applies).
int mlp_env_switch(const char *variable);
/// MLP_GEMM_ORDER: 1 for rows, 0 for columns; -1 when unset or malformed.
int mlp_env_gemm_order(void);
/// MLP_GEMM_KC: 1 for "model" (KC from the L1-resident B micro-panel model); 0 when unset or malformed.
int mlp_env_gemm_kc_model(void);

#endif
