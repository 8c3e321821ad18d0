import ArgumentParser
import MLP
import MLPModelFile
import MLPONNX

/// `mlp export MODEL -o model.onnx [--format onnx|npz]`: the model for onnxruntime, Netron or numpy.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a model file as ONNX (the whole pipeline in one graph) or as numpy's NPZ (the weights).",
        discussion: """
        ONNX: opset 17 with ai.onnx.ml 3; outputs 'label' and 'probabilities' (classifiers) or 'variable' \
        (regressors), as skl2onnx names them. NPZ: coefs_0…, intercepts_0…, the scaler's mean_/scale_ or \
        scale_/min_, statistics_ (imputation), target_mean_/target_scale_ (--scale-target standard) and \
        classes_, as scikit-learn names them. See docs/interop.md.
        """)

    /// The file formats `export` writes.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case onnx, npz
    }

    @Argument(help: .modelFile)
    var model: String

    @Option(name: [.short, .long], help: ArgumentHelp("The file to write.", valueName: "file"))
    var output: String

    @Option(help: "onnx or npz (default: npz for an output ending in .npz, else onnx).")
    var format: Format?

    func run() throws {
        try Output.checkWritable(output, option: "--output", inputs: [self.model], binary: true)
        let format = try Self.format(format, output: output)
        let model = try loadModel(self.model)
        try cli {
            switch format {
            case .onnx: try model.writeONNX(to: output)
            case .npz: try model.writeNPZ(to: output)
            }
        }
    }

    /// The format to write: `--format`, else the one the output's extension names (.npz, .onnx), else ONNX. A
    /// format that contradicts the extension is refused: an ONNX file named weights.npz fails in `numpy.load`.
    static func format(_ given: Format?, output: String) throws -> Format {
        let named = Format.allCases.first { output.lowercased().hasSuffix("." + $0.rawValue) }
        guard let given else { return named ?? .onnx }
        if let named, named != given {
            throw CLIError(.usage, "--format \(given.rawValue) writes \(given.name), but --output '\(output)' ends in "
                           + ".\(named.rawValue); give --format \(named.rawValue) or another file name")
        }
        return given
    }
}

extension ExportCommand.Format {
    /// The format's name in messages.
    var name: String { self == .onnx ? "ONNX" : "NPZ" }
}
