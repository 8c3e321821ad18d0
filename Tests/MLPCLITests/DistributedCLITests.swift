import Foundation
import Testing

/// `mlp train --distributed` where Open MPI cannot be loaded: one line saying what to install, exit 1, no model.
/// (The runs under mpirun are Scripts/mpi_check.sh's: they need Open MPI, which `swift test` must not.)
@Suite struct DistributedCLITests {
    @Test func withoutLibmpiTheErrorSaysWhatToInstall() throws {
        let directory = try CLI.temporaryDirectory()
        let model = directory + "/model.mlp"
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["train", "--dataset", "iris", "--max-iter", "2", "--distributed", "-o", model]
        var environment = ProcessInfo.processInfo.environment
        environment["MLP_MPI_LIBRARY"] = directory + "/no-such-libmpi.so"
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        expectCleanError(RunResult(code: process.terminationStatus, stdout: "", stderr: stderr), code: 1,
                         contains: "install Open MPI")
        #expect(!FileManager.default.fileExists(atPath: model))
    }
}
