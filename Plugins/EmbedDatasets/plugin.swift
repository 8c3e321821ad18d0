// Compiles the package's Datasets/*.csv into the target as string literals (see embed-datasets), so the data
// ship inside the binary and the checked-in sources hold no generated copy.
import Foundation
import PackagePlugin

@main
struct EmbedDatasets: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folder = context.package.directoryURL.appending(path: "Datasets")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "csv" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedDatasets.swift")
        return [.buildCommand(
            displayName: "Embedding \(files.count) data sets",
            executable: try context.tool(named: "embed-datasets").url,
            arguments: [output.path()] + files.map { "\($0.deletingPathExtension().lastPathComponent)=\($0.path())" },
            inputFiles: files,
            outputFiles: [output])]
    }
}
