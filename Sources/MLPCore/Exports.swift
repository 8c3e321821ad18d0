@_exported import MLPKernels
