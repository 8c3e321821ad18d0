// mlp-bench: GEMM and training throughput. Filled in by the kernels work.
print("mlp-bench: no benchmarks yet")
