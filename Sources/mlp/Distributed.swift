import ArgumentParser
import Foundation
import MLP
import MLPDistributed
import MLPModelFile

/// `mpirun -np K mlp train DATA … --distributed`: every rank reads the data and computes its share of each batch's
/// rows; every rank finishes the same model, bit for bit, as one process would; rank 0 writes it.
extension TrainCommand {
    func runDistributed() throws {
        let communicator: MPICommunicator
        do { communicator = try MPICommunicator() } catch {
            throw CLIError(.unavailable, "--distributed: \(error)")
        }
        let job = DistributedJob(communicator)
        let primary = communicator.processIndex == 0
        defer { communicator.finalize() }

        // Ranks must run the same kernels: another instruction set sums in another order.
        try job.agree { () throws -> Void in
            let kernels = UInt64(KernelConfiguration.instructionSet.rawValue)
            if let other = communicator.allGather(kernels).firstIndex(where: { $0 != kernels }) {
                throw CLIError(.usage, "--distributed: rank \(other) runs other GEMM kernels than rank \(communicator.processIndex) "
                               + "(\(KernelConfiguration.instructionSet)); set the same MLP_KERNEL_ISA on every rank")
            }
        }
        let (pipeline, table) = try job.agree { () throws -> (MLPPipeline, DataTable) in
            let parameters = try estimator.parameters(regression: training.regression)
            let pipeline = training.newPipeline(parameters)
            let table = try data.read(targetKind: training.regression ? .numeric : .labels, targetIsOptional: false,
                                      defaultTarget: pipeline.targetName, encoding: pipeline.encoding, learning: encoding)
            guard table.targetName != nil else { throw CLIError(.usage, "give the target column with --target") }
            return (pipeline, table)
        }

        let start = DispatchTime.now().uptimeNanoseconds
        // Training errors (divergence, a too-small validation split) come from the same numbers on every rank.
        let model = try job.agree { () throws -> MLPModel in
            do {
                try DistributedTraining.$rowExchange.withValue(communicator) { try pipeline.fit(table) }
            } catch let error as MLPError {
                if case .diverged = error { throw CLIError(.training, error.description + " No model was written.") }
                throw CLIError(.data, "\(table.source): \(error.description)")
            }
            return try cli { try MLPModel(pipeline: pipeline) }
        }
        let fitSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let communicationSeconds = communicator.communicationSeconds
        let waiting = communicator.separatesWaiting
            ? String(format: ", of which %.2f s waiting for other ranks", communicator.waitingSeconds) : ""

        // Every rank holds the model; that they are the same is checked, not assumed.
        let checksum = try job.agree { () throws -> UInt64 in try cli { fnv1a(try model.modelFile().encoded()) } }
        if let other = communicator.allGather(checksum).firstIndex(where: { $0 != checksum }) {
            try job.agree { () throws -> Void in
                if primary { throw CLIError(.training, "--distributed: rank \(other) finished with another model than rank 0") }
            }
        }
        try job.agree { () throws -> Void in if primary { try cli { try model.write(to: output) } } }
        guard primary else { return }
        let lossCurve = model.metadata.lossCurve ?? []
        let warnings = pipeline.estimator.perceptron.warnings
        let converged = !warnings.contains { $0.kind == .convergence }
        let progress = ProgressReporter(quiet: outputOptions.quiet, verbose: false)
        for warning in warnings where warning.kind != .convergence { progress.warn(warning.message) }
        if !converged {
            progress.warn("Maximum iterations (\(pipeline.parameters.maxIter)) reached and the optimization hasn't converged yet.")
        }
        let stop = StopReason(metadata: model.metadata, converged: converged)
        if outputOptions.json {
            let evaluation = try cli { try pipeline.evaluate(table) }
            let m = model.metadata
            try Output.printJSON(TrainJSON(
                n_iter: m.nIter, loss: lossCurve.last ?? m.finalLoss, loss_curve: lossCurve,
                validation_scores: m.validationScores, validation_loss_curve: m.validationLossCurve,
                best_validation_score: m.bestValidationScore, train_score: evaluation.score,
                train_metrics: evaluation.json, validation_metrics: nil, test_score: nil, test_metrics: nil,
                test_size: nil, split_random_state: nil, train_rows: table.rowCount, test_rows: nil,
                seconds: fitSeconds, converged: converged, stop_reason: stop.text, model: output))
            return
        }
        if !outputOptions.quiet {
            print("trained \(model.metadata.estimator.rawValue) \(model.layerSizes.map(String.init).joined(separator: " → ")) on "
                  + "\(table.rowCount) rows with \(communicator.processCount) processes in \(String(format: "%.2f", fitSeconds)) s "
                  + "(\(String(format: "%.2f", communicationSeconds)) s in communication\(waiting)), \(model.metadata.nIter) iterations\n"
                  + "model written to \(output)")
        }
    }
}

/// The steps of a distributed run that may fail on some ranks only (a file one node cannot read): every rank
/// learns whether any failed, the first failing rank prints its error, and all exit non-zero.
struct DistributedJob {
    let communicator: MPICommunicator

    init(_ communicator: MPICommunicator) { self.communicator = communicator }

    /// Runs `body` on this rank, then agrees with every other rank on whether all succeeded. Throws this rank's
    /// error when it is the first that failed, and a silent exit status on the others.
    func agree<R>(_ body: () throws -> R) throws -> R {
        let result = Result { try body() }
        let failed: UInt64 = if case .failure = result { 1 } else { 0 }
        guard let first = communicator.allGather(failed).firstIndex(of: 1) else { return try result.get() }
        if first == communicator.processIndex, case .failure(let error) = result {
            let wrapped = CLIError.wrap(error)
            throw CLIError(wrapped.kind, communicator.processCount > 1 ? "rank \(first): \(wrapped.message)" : wrapped.message)
        }
        throw ExitCode(1)
    }
}

/// FNV-1a, 64 bits: a model's fingerprint, to compare ranks' models without sending them.
private func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
}
