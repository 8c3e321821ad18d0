import CMPIShim
import MLPCore
#if canImport(Glibc)
import Glibc
#endif

/// The processes of one `mpirun` job (MPI_COMM_WORLD), through libmpi loaded at run time: the exchange a
/// data-parallel fit splits its batches with.
///
/// Every collective is made by every process in the same order (the fit's batches and epochs are the same on
/// all), with MPI's default error handler: a communication error or a process that dies ends the whole job.
public final class MPICommunicator: BatchRowExchange, @unchecked Sendable {
    // @unchecked: the only mutable state is the counts scratch, written by the one thread that calls the
    // collectives (MPI_THREAD_FUNNELED).
    /// The number of processes (MPI_Comm_size).
    public let processCount: Int
    /// This process's rank (MPI_Comm_rank).
    public let processIndex: Int
    /// Bytes per process and their offsets for MPI_Allgatherv; `processCount` each, reused by every call so a
    /// batch allocates nothing.
    private let counts: UnsafeMutableBufferPointer<Int32>
    private let displacements: UnsafeMutableBufferPointer<Int32>
    /// Seconds spent inside row and parameter exchanges since `init` (MPI_Wtime), for the communication share of
    /// an epoch; with `separatesWaiting`, the waiting is included.
    public private(set) var communicationSeconds = 0.0
    /// Of `communicationSeconds`, the seconds spent waiting for the other ranks to arrive (a barrier before each
    /// exchange), when `separatesWaiting`; else 0.
    public private(set) var waitingSeconds = 0.0
    /// Whether each exchange starts with a barrier, to tell waiting for slower ranks from moving data
    /// (`MLP_MPI_PROFILE=1`; costs one more collective per exchange).
    public let separatesWaiting = getenv("MLP_MPI_PROFILE").map { String(cString: $0) == "1" } ?? false

    /// Rows this rank read from the data and encoded since `init` (a streamed fit reads its shares only).
    public private(set) var rowsRead = 0

    /// How long a collective may wait for the other ranks before this rank gives up and ends the job (a rank that
    /// hangs without dying); `MLP_MPI_TIMEOUT` (seconds, 0: never) overrides it. Long enough for a slow rank to
    /// read its CSV, or rank 0 to evaluate the model before the last agreement.
    public static let defaultTimeoutSeconds = 600.0

    /// `MLP_MPI_TIMEOUT` where set (seconds, 0 or more), else `defaultTimeoutSeconds`; read before MPI starts, so that
    /// every rank refuses a malformed value the same way.
    /// - Throws: `MPIError` naming the variable and its value when it is not such a number.
    static func timeoutSeconds() throws -> Double {
        guard let text = getenv("MLP_MPI_TIMEOUT").map({ String(cString: $0) }), !text.isEmpty else {
            return defaultTimeoutSeconds
        }
        guard let seconds = Double(text), seconds.isFinite, seconds >= 0 else {
            throw MPIError("MLP_MPI_TIMEOUT=\(text): expected seconds, 0 or more (0 turns the watchdog off)")
        }
        return seconds
    }

    /// Loads libmpi, joins the job (MPI_Init_thread) and starts the watchdog. Call once per process.
    /// - Throws: `MPIError` when `MLP_MPI_TIMEOUT` is malformed, libmpi cannot be loaded or MPI cannot start.
    public init() throws {
        let timeout = try Self.timeoutSeconds()
        var message = [CChar](repeating: 0, count: 512)
        if mlp_mpi_load(&message, Int32(message.count)) != 0 {
            throw MPIError(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        var rank: Int32 = 0, size: Int32 = 0
        let code = mlp_mpi_init(&rank, &size)
        if code != 0 { throw MPIError("MPI_Init failed (error \(code)); start the processes with mpirun") }
        processIndex = Int(rank)
        processCount = Int(size)
        if mlp_mpi_start_watchdog(timeout, rank) != 0 { throw MPIError("cannot start the MPI watchdog thread") }
        counts = .allocate(capacity: Int(size))
        displacements = .allocate(capacity: Int(size))
    }

    deinit {
        counts.deallocate()
        displacements.deallocate()
    }

    /// MPI_Allgatherv in place: process q's rows are `rowShare(rows, process: q)`. A buffer past 2 GiB (MPI
    /// counts are 32-bit; only a full-batch L-BFGS layer gets there) ends the job with a message.
    public func shareRows<T: KernelFloat>(_ buffer: UnsafeMutablePointer<T>, width: Int, rows: Int) {
        let start = mlp_mpi_wtime()
        let rowBytes = width * MemoryLayout<T>.stride
        if rows * rowBytes > Int(Int32.max) {
            fail("a batch layer of \(rows * rowBytes) bytes exceeds MPI's 2 GiB message: use adam or sgd with a "
                 + "smaller batch size (batch_size, mlp's --batch-size) instead of lbfgs on this many rows")
        }
        if separatesWaiting {
            check(mlp_mpi_barrier(), "MPI_Barrier")
            waitingSeconds += mlp_mpi_wtime() - start
        }
        for q in 0..<processCount {
            let share = rowShare(rows, process: q)
            counts[q] = Int32(share.count * rowBytes)
            displacements[q] = Int32(share.lowerBound * rowBytes)
        }
        check(mlp_mpi_allgatherv_bytes(buffer, counts.baseAddress, displacements.baseAddress), "MPI_Allgatherv")
        communicationSeconds += mlp_mpi_wtime() - start
    }

    /// Adds `rows` to `rowsRead`.
    /// - Parameter rows: rows just read.
    public func noteRowsRead(_ rows: Int) { rowsRead += rows }

    /// MPI_Bcast of process 0's value.
    public func broadcast(_ value: Double) -> Double {
        var value = value
        check(withUnsafeMutableBytes(of: &value) { mlp_mpi_bcast_bytes($0.baseAddress, 8, 0) }, "MPI_Bcast")
        return value
    }

    /// Every process's `value`, in rank order (MPI_Allgather).
    /// - Parameter value: this process's value.
    public func allGather(_ value: UInt64) -> [UInt64] {
        var value = value
        var all = [UInt64](repeating: 0, count: processCount)
        check(withUnsafeBytes(of: &value) { send in
            all.withUnsafeMutableBytes { mlp_mpi_allgather_bytes(send.baseAddress, 8, $0.baseAddress) }
        }, "MPI_Allgather")
        return all
    }

    /// Process 0's bytes, on every process: the length first, then the bytes (MPI_Bcast).
    /// - Parameter bytes: this process's bytes (only process 0's are used).
    public func broadcast(_ bytes: [UInt8]) -> [UInt8] {
        let count = Int(broadcast(Double(bytes.count)))
        var received = processIndex == 0 ? bytes : [UInt8](repeating: 0, count: count)
        if count > 0 {
            check(received.withUnsafeMutableBytes { mlp_mpi_bcast_bytes($0.baseAddress, Int32(count), 0) }, "MPI_Bcast")
        }
        return received
    }

    /// Ends every process of the job with `code` (MPI_Abort): for an error only this process has seen, which
    /// the others, waiting in a collective, would otherwise never learn of.
    /// - Parameter code: the exit status.
    public func abort(code: Int32) -> Never {
        _ = mlp_mpi_abort(code)
        exit(code)
    }

    /// Leaves the job (MPI_Finalize); no collective may follow.
    public func finalize() {
        _ = mlp_mpi_finalize()
    }

    /// MPI's default error handler ends the job on any failure, so a non-zero code is not expected: it aborts.
    private func check(_ code: Int32, _ call: String) {
        if code != 0 { fail("\(call) failed (error \(code))") }
    }

    /// Prints `message` as this rank's and ends the job.
    private func fail(_ message: String) -> Never {
        let line = Array("mlp: rank \(processIndex): \(message)\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        abort(code: 1)
    }
}
