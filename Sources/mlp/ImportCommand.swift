import ArgumentParser
import MLP
import MLPModelFile
import MLPONNX

/// `mlp import model.onnx -o model.mlp`: an ONNX MLP (skl2onnx's, or our export) as a model file.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import an ONNX MLP (scikit-learn's via skl2onnx, or 'mlp export') as a model file.",
        discussion: """
        Reads MLPClassifier and MLPRegressor graphs, alone or after a StandardScaler (or imputer), and graphs \
        written by 'mlp export'. Any other graph is refused with the first node that is not understood.
        """)

    @Argument(help: ArgumentHelp("The ONNX file.", valueName: "onnx"))
    var onnx: String

    @Option(name: [.short, .long], help: ArgumentHelp("The model file to write.", valueName: "file"))
    var output: String

    func run() throws {
        try Output.checkWritable(output, option: "--output", inputs: [onnx], binary: true)
        try Output.checkModelFileName(output)
        let model = try cli { try MLPModel(onnx: onnx) }
        try cli { try model.write(to: output) }
    }
}
