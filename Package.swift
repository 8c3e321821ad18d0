// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-mlp",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "MLP", targets: ["MLP"]),
        .executable(name: "mlp", targets: ["mlp"]),
        // ONNX export/import and NPZ weights; apart from MLP so that its users compile none of it.
        .library(name: "MLPONNX", targets: ["MLPONNX"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // `swift package generate-documentation` (the DocC catalogs); a plugin, so consumers build nothing of it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // Small C micro-kernels compiled per-function for AVX2/FMA and picked at run time.
        .target(name: "CMLPKernels"),
        // GEMM, vectorized math and the worker pool. No dependency but the C kernels.
        .target(name: "MLPKernels", dependencies: ["CMLPKernels"]),
        // Layers, losses, optimizers, estimators, scalers, RNG, CSV, the bundled data sets. No Foundation: it costs
        // about 6 MB resident at start (FoundationEssentials 2.6 MB), 16% of the large problem's Float32 X.
        .target(name: "MLPCore", dependencies: ["MLPKernels"]),
        // Model files: save and load fitted estimators (JSON metadata and binary arrays). Apart from MLPCore because
        // it needs FoundationEssentials (JSON), about 2.6 MB resident once loaded, which training does not.
        .target(name: "MLPModelFile", dependencies: ["MLPCore"]),
        // The question's 2-3-1 network, rounded as numpy rounds it, and `mlp seed --explain`'s measurements,
        // expressed as MLPDiagnosis findings (the seed is one use of the diagnosis engine, not the other way round).
        .target(name: "MLPSeed", dependencies: ["MLPCore", "MLPDiagnosis", "MLPKernels"]),
        // Self-contained HTML reports with SVG plots (loss curves, confusion matrices, decision boundaries).
        .target(name: "MLPReport", dependencies: ["MLPCore"]),
        // The bundled data sets (seed, iris, digits), compiled in from Datasets/*.csv by the EmbedDatasets plugin.
        .target(name: "MLPDatasets", dependencies: ["MLPCore"], plugins: ["EmbedDatasets"]),
        .plugin(name: "EmbedDatasets", capability: .buildTool(), dependencies: ["embed-datasets"]),
        .executableTarget(name: "embed-datasets"),
        // `mlp diagnose`: symptoms measured, causes proven by ablation, findings ranked by measured effect.
        .target(name: "MLPDiagnosis", dependencies: ["MLPCore"]),
        // The product's module: re-exports MLPCore and MLPModelFile, so `import MLP` is all a user writes.
        .target(name: "MLP", dependencies: ["MLPCore", "MLPModelFile", "MLPDiagnosis"]),
        // ONNX export and import (a protobuf codec of its own for the onnx.proto subset), NPZ weights.
        .target(name: "MLPONNX", dependencies: ["MLPCore", "MLPModelFile"]),
        // Open MPI bound at run time (dlopen): building and testing need no MPI; only `--distributed` loads it.
        .target(name: "CMPIShim", linkerSettings: [.linkedLibrary("dl")]),
        // Data-parallel training over MPI: the BatchRowExchange of an mpirun job.
        .target(name: "MLPDistributed", dependencies: ["MLPCore", "CMPIShim"]),
        // The system zlib, for the tool's .gz input (the library reads bytes and links no zlib).
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        // The command-line tool.
        .executableTarget(name: "mlp", dependencies: [
            "MLP", "MLPModelFile", "MLPSeed", "MLPReport", "MLPDatasets", "MLPONNX", "MLPDiagnosis", "MLPDistributed", "CZlib",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Benchmarks live apart from the library: `swift run -c release mlp-bench`.
        .executableTarget(name: "mlp-bench", dependencies: ["MLPCore", "MLPSeed", "MLPDatasets", "CAllocationCounter"], path: "Benchmarks"),
        // Counts heap allocations in the benchmark executable (Linux/glibc), to show the training loop makes none.
        .target(name: "CAllocationCounter"),
        // Test oracles (the naive GEMM, a seeded generator), the one assertClose and the fixture loaders.
        // In no product: nothing test-only ships.
        .target(name: "MLPTestSupport", dependencies: ["MLPKernels"], path: "Tests/MLPTestSupport"),
        .testTarget(name: "MLPKernelsTests", dependencies: ["MLPKernels", "MLPTestSupport"]),
        .testTarget(name: "MLPTests", dependencies: ["MLPCore", "MLPModelFile", "MLPSeed", "MLPReport", "MLPDatasets", "MLPTestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "MLPONNXTests", dependencies: ["MLPONNX", "MLPCore", "MLPModelFile", "MLPTestSupport"]),
        .testTarget(name: "MLPDiagnosisTests", dependencies: ["MLPDiagnosis", "MLPCore", "MLPDatasets", "MLPTestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "MLPCLITests", dependencies: ["mlp", "MLP", "MLPCore", "MLPModelFile", "MLPDatasets", "MLPTestSupport", "CZlib"],
                    exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
