import ArgumentParser
import Foundation
import MLP
import MLPDistributed
import MLPModelFile

/// `mpirun -np K mlp train DATA … --distributed`: every rank computes its share of each batch's rows and finishes
/// the same model, bit for bit, as one process would; rank 0 writes it. A CSV is read whole by every rank; an
/// `.mlpdata` cache (or `--stream`) is read by share: each rank encodes only the rows of its share of each batch.
extension TrainCommand {
    func runDistributed() throws {
        // Checked before MPI loads: a usage error is the same with or without Open MPI installed.
        if data.data == "-" && streaming.cache == nil {
            throw CLIError(.usage, "standard input reaches rank 0 only: give --stream --cache FILE (on a file system "
                           + "every rank reads) so that rank 0 writes one cache for all")
        }
        let communicator: MPICommunicator
        do { communicator = try MPICommunicator() } catch {
            throw CLIError(.unavailable, "--distributed: \(error)")
        }
        let job = DistributedJob(communicator)
        defer { communicator.finalize() }

        // Ranks must run the same kernels: another instruction set sums in another order.
        try job.agree { () throws -> Void in
            let kernels = UInt64(KernelConfiguration.instructionSet.rawValue)
            if let other = communicator.allGather(kernels).firstIndex(where: { $0 != kernels }) {
                throw CLIError(.usage, "--distributed: rank \(other) runs other GEMM kernels than rank \(communicator.processIndex) "
                               + "(\(KernelConfiguration.instructionSet)); set the same MLP_KERNEL_ISA on every rank")
            }
        }
        var parameters = try job.agree { try estimator.parameters(regression: training.regression) }
        // Unseeded, each rank would draw other initial weights: rank 0 draws the seed for all (the model records it).
        if parameters.randomState == nil { parameters.randomState = job.shared(Int.random(in: 0..<(1 << 31))) }
        // Streamed when asked (--stream or a cache), or when the CSV is above the automatic threshold of rank 0's
        // memory: every rank follows rank 0, which alone says so (each would otherwise guess from its own memory).
        let asked = streaming.stream || data.data?.hasSuffix(".mlpdata") == true
        var automatic = false
        if !asked {
            let decided = try job.agree { () throws -> Bool in job.isPrimary ? try streamSource(parameters) != nil : false }
            automatic = job.shared(decided ? 1 : 0) == 1
        }
        if asked || automatic {
            let source = try job.agree { () throws -> StreamSource in
                if automatic, let path = data.data { return .csv(path) }
                guard let source = try streamSource(parameters) else { throw CLIError(.usage, "--distributed: nothing to stream") }
                return source
            }
            try runStreamed(source, parameters: parameters, job: job)
        } else {
            try trainInMemory(parameters, job: job)
        }
        if ProcessInfo.processInfo.environment["MLP_MPI_PROFILE"] == "1" { job.reportReads() }
        guard job.isPrimary, !outputOptions.quiet, !outputOptions.json else { return }
        let waiting = communicator.separatesWaiting
            ? String(format: ", of which %.2f s waiting for other ranks", communicator.waitingSeconds) : ""
        let reads = communicator.rowsRead > 0 ? "; rank 0 read \(communicator.rowsRead) rows (its shares)" : ""
        try Output.print("distributed over \(communicator.processCount) process\(communicator.processCount == 1 ? "" : "es"): "
                         + "\(String(format: "%.2f", communicator.communicationSeconds)) s in communication\(waiting)\(reads)")
    }
}

/// The steps of a distributed run that may fail on some ranks only (a file one node cannot read): every rank
/// learns whether any failed, the first failing rank prints its error, and all exit non-zero.
struct DistributedJob {
    let communicator: MPICommunicator

    init(_ communicator: MPICommunicator) { self.communicator = communicator }

    /// Rank 0: the rank that writes the model and prints.
    var isPrimary: Bool { communicator.processIndex == 0 }

    /// Runs `body` on this rank, then agrees with every other rank on whether all succeeded. Throws this rank's
    /// error when it is the first that failed, and a silent exit status on the others.
    func agree<R>(_ body: () throws -> R) throws -> R {
        let result = Result { try body() }
        let failed: UInt64 = if case .failure = result { 1 } else { 0 }
        guard let first = communicator.allGather(failed).firstIndex(of: 1) else { return try result.get() }
        var status: Int32 = 1
        if first == communicator.processIndex, case .failure(let error) = result {
            if let exit = error as? ExitCode {
                status = exit.rawValue  // the rank already said why
            } else {
                let wrapped = CLIError.wrap(error)
                Output.error(communicator.processCount > 1 ? "rank \(first): \(wrapped.message)" : wrapped.message)
                status = wrapped.exitCode
            }
        }
        // Every rank waits until the failing one has printed: a rank that exited first would have mpirun end the job,
        // killing the failing rank before its message was out (seen in CI: exit 1 and no message).
        _ = communicator.allGather(0)
        throw ExitCode(status)
    }

    /// Every rank finished with the same model: checked (a fingerprint of the model file), not assumed.
    func checkSameModel(_ pipeline: MLPPipeline) throws {
        let checksum = try agree { () throws -> UInt64 in try cli { fnv1a(try MLPModel(pipeline: pipeline).modelFile().encoded()) } }
        if let other = communicator.allGather(checksum).firstIndex(where: { $0 != checksum }) {
            try agree { () throws -> Void in
                if isPrimary {
                    throw CLIError(.training, "--distributed: rank \(other) finished with another model than rank 0 "
                                   + "(with --warm-start every rank must read the same model file)")
                }
            }
        }
    }

    /// Rank 0's `value`, on every rank (a collective: call it on every rank, outside `agree`).
    func shared(_ value: Int) -> Int {
        Int(bitPattern: UInt(communicator.broadcast(withUnsafeBytes(of: UInt64(bitPattern: Int64(value))) { Array($0) })
            .withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }))
    }

    /// Rank 0 prints every rank's rows read by share on standard error (MLP_MPI_PROFILE=1); a collective.
    func reportReads() {
        let reads = communicator.allGather(UInt64(communicator.rowsRead))
        guard isPrimary else { return }
        Output.diagnostic("mlp: rows read by share per rank: \(reads.map(String.init).joined(separator: " "))\n")
    }
}

extension DistributedJob? {
    /// `body` alone without a job; else agreed by every rank (`DistributedJob.agree`).
    func step<R>(_ body: () throws -> R) throws -> R {
        guard let self else { return try body() }
        return try self.agree(body)
    }

    /// `value` without a job; else rank 0's (a collective: every rank calls it, outside `step`).
    func shared(_ value: Int) throws -> Int { self?.shared(value) ?? value }

    /// `body`, with the job's ranks splitting every batch when there is one.
    func training<R>(_ body: () throws -> R) throws -> R {
        guard let self else { return try body() }
        return try DistributedTraining.$rowExchange.withValue(self.communicator) { try body() }
    }
}

/// FNV-1a, 64 bits: a model's fingerprint, to compare ranks' models without sending them.
private func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
}
