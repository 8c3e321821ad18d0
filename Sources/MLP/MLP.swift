// The `MLP` product's module: one import for the estimators, pipelines and model files.
// Like swift-numerics' `Numerics`, it only re-exports; the code lives in the modules below.
@_exported import MLPCore
@_exported import MLPModelFile
@_exported import MLPDiagnosis
