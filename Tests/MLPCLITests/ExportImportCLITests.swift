import Foundation
import Testing

// `mlp export` and `mlp import` through the built binary: a round trip predicts the same, NPZ is a zip of .npy,
// and a file that is not an ONNX MLP is one clean error line.

@Suite struct ExportImportCLITests {
    @Test func exportThenImportPredictsTheSameProbabilities() throws {
        let dir = try CLI.temporaryDirectory()
        let iris = try datasetCopy("iris", in: dir)
        for dtype in ["float32", "float64"] {
            let trained = try CLI.run(["train", iris, "-o", "m.mlp", "--hidden-layer-sizes", "6", "--activation", "softplus",
                                       "--solver", "lbfgs", "--max-iter", "30", "--random-state", "0", "--dtype", dtype],
                                      in: dir)
            #expect(trained.code == 0, "\(trained.stderr)")
            #expect(try CLI.run(["export", "m.mlp", "-o", "m.onnx"], in: dir).code == 0)
            let imported = try CLI.run(["import", "m.onnx", "-o", "back.mlp"], in: dir)
            #expect(imported.code == 0, "\(imported.stderr)")
            let original = try CLI.run(["predict", "m.mlp", iris, "--proba"], in: dir)
            let back = try CLI.run(["predict", "back.mlp", iris, "--proba"], in: dir)
            #expect(original.code == 0 && !original.stdout.isEmpty)
            #expect(back.stdout == original.stdout, "\(dtype): the imported model predicts differently")
        }
    }

    @Test func npzIsAZipOfNpyFiles() throws {
        let dir = try CLI.temporaryDirectory()
        let iris = try datasetCopy("iris", in: dir)
        #expect(try CLI.run(["train", iris, "-o", "m.mlp", "--hidden-layer-sizes", "4", "--max-iter", "5"], in: dir).code == 0)
        let exported = try CLI.run(["export", "m.mlp", "--format", "npz", "-o", "w.npz"], in: dir)
        #expect(exported.code == 0, "\(exported.stderr)")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/w.npz")))
        #expect(Array(bytes.prefix(4)) == [0x50, 0x4B, 0x03, 0x04])
        #expect(String(decoding: bytes, as: UTF8.self).contains("coefs_0.npy"))
    }

    @Test func aFileThatIsNotAnONNXModelIsOneCleanError() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write("sepal_length,species\n1,a\n", to: dir + "/not.onnx")
        expectCleanError(try CLI.run(["import", "not.onnx", "-o", "x.mlp"], in: dir), code: 1, contains: "ONNX")
        expectCleanError(try CLI.run(["import", "missing.onnx", "-o", "x.mlp"], in: dir), code: 1, contains: "missing.onnx")
        #expect(!FileManager.default.fileExists(atPath: dir + "/x.mlp"))
    }
}
