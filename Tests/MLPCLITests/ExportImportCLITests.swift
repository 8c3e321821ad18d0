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

    /// Without --format the output's extension picks it (an ONNX file named w.npz failed in numpy.load); a format
    /// that contradicts the extension is refused before anything is written.
    @Test func theOutputsExtensionPicksTheFormatAndAContradictionIsRefused() throws {
        let dir = try CLI.temporaryDirectory()
        let iris = try datasetCopy("iris", in: dir)
        #expect(try CLI.run(["train", iris, "-o", "m.mlp", "--hidden-layer-sizes", "4", "--max-iter", "5", "-q"], in: dir).code == 0)
        for (name, magic) in [("w.npz", [0x50, 0x4B, 0x03, 0x04] as [UInt8]), ("W.NPZ", [0x50, 0x4B, 0x03, 0x04]),
                              ("m.onnx", [0x08]), ("m.bin", [0x08])] {
            let exported = try CLI.run(["export", "m.mlp", "-o", name], in: dir)
            #expect(exported.code == 0, "\(name): \(exported.stderr)")
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)))
            #expect(Array(bytes.prefix(magic.count)) == magic, "\(name)")
        }
        for (format, name) in [("onnx", "x.npz"), ("npz", "x.onnx")] {
            expectCleanError(try CLI.run(["export", "m.mlp", "--format", format, "-o", name], in: dir), code: 2,
                             contains: "--format \(format) writes")
            #expect(!FileManager.default.fileExists(atPath: dir + "/" + name))
        }
    }

    /// A model file named .onnx or .npz would hold swift-mlp's own format where onnxruntime or numpy looks for
    /// theirs: train (in memory and streamed) and import refuse it before any work, naming the export to run.
    @Test func aModelFileNamedAsAnInterchangeFormatIsRefused() throws {
        let dir = try CLI.temporaryDirectory()
        let iris = try datasetCopy("iris", in: dir)
        #expect(try CLI.run(["train", iris, "-o", "m.mlp", "--hidden-layer-sizes", "4", "--max-iter", "5", "-q"], in: dir).code == 0)
        #expect(try CLI.run(["export", "m.mlp", "-o", "m.onnx"], in: dir).code == 0)
        for args in [["train", iris, "-o", "x.onnx", "--max-iter", "5"], ["train", iris, "-o", "x.NPZ", "--stream"],
                     ["import", "m.onnx", "-o", "x.onnx"]] {
            let name = args[3]
            expectCleanError(try CLI.run(args, in: dir), code: 2, contains: "a model file is swift-mlp's own format")
            #expect(!FileManager.default.fileExists(atPath: dir + "/" + name), "\(args)")
        }
        #expect(try CLI.run(["import", "m.onnx", "-o", "back.mlp"], in: dir).code == 0)
    }

    /// `--scale-target standard`: the graph maps the standardized prediction back (y · scale + mean), so the
    /// imported model predicts what the original does, in the target's units; NPZ carries the statistics.
    @Test func aTargetScaledRegressorKeepsItsScaleThroughONNXAndNPZ() throws {
        let dir = try CLI.temporaryDirectory()
        let iris = try datasetCopy("iris", in: dir)
        for dtype in ["float32", "float64"] {
            let trained = try CLI.run(["train", iris, "--target", "sepal_length", "--drop", "species", "--regression",
                                       "--scale-target", "standard", "-o", "m.mlp", "-q", "--max-iter", "5",
                                       "--random-state", "0", "--dtype", dtype], in: dir)
            #expect(trained.code == 0, "\(trained.stderr)")
            #expect(try CLI.run(["export", "m.mlp", "-o", "m.onnx"], in: dir).code == 0)
            let imported = try CLI.run(["import", "m.onnx", "-o", "back.mlp"], in: dir)
            #expect(imported.code == 0, "\(imported.stderr)")
            let original = try CLI.run(["predict", "m.mlp", iris], in: dir)
            let back = try CLI.run(["predict", "back.mlp", iris], in: dir)
            let first = original.stdout.split(separator: "\n").dropFirst().first.flatMap { Double($0) }
            #expect(first.map { $0 > 3 && $0 < 9 } == true, "\(dtype): a sepal length in cm, not standard units")
            #expect(back.stdout == original.stdout, "\(dtype): the imported model predicts differently")
            #expect(try CLI.run(["export", "m.mlp", "--format", "npz", "-o", "w.npz"], in: dir).code == 0)
            let npz = String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir + "/w.npz")), as: UTF8.self)
            #expect(npz.contains("target_mean_.npy") && npz.contains("target_scale_.npy"))
        }
    }

    /// As every other command: an output that is the input (same name, hard link, symbolic link) is refused
    /// before anything is written.
    @Test func exportAndImportRefuseToOverwriteTheirInput() throws {
        let dir = try reliabilityFolder()
        #expect(try CLI.run(["export", "m.mlp", "-o", "m.onnx"], in: dir).code == 0)
        #expect(link(dir + "/m.mlp", dir + "/hard.mlp") == 0)
        #expect(symlink("m.onnx", dir + "/link.onnx") == 0)
        let model = try Data(contentsOf: URL(fileURLWithPath: dir + "/m.mlp"))
        let onnx = try Data(contentsOf: URL(fileURLWithPath: dir + "/m.onnx"))
        for args in [["export", "m.mlp", "-o", "m.mlp"], ["export", "m.mlp", "--format", "npz", "-o", "m.mlp"],
                     ["export", "hard.mlp", "-o", "m.mlp"], ["export", "m.mlp", "-o", "hard.mlp"],
                     ["import", "m.onnx", "-o", "m.onnx"], ["import", "m.onnx", "-o", "link.onnx"],
                     ["import", "link.onnx", "-o", "m.onnx"]] {
            expectCleanError(try CLI.run(args, in: dir), code: 2, contains: "writing it would destroy the input")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/m.mlp")) == model)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/m.onnx")) == onnx)
        #expect(fileType(dir + "/link.onnx") == S_IFLNK)
    }

    @Test func aFileThatIsNotAnONNXModelIsOneCleanError() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write("sepal_length,species\n1,a\n", to: dir + "/not.onnx")
        expectCleanError(try CLI.run(["import", "not.onnx", "-o", "x.mlp"], in: dir), code: 1, contains: "ONNX")
        expectCleanError(try CLI.run(["import", "missing.onnx", "-o", "x.mlp"], in: dir), code: 1, contains: "missing.onnx")
        #expect(!FileManager.default.fileExists(atPath: dir + "/x.mlp"))
    }
}
