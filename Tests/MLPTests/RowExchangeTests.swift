import Foundation
import Testing
@testable import MLPCore
import MLPDatasets

/// Data-parallel training without MPI: K simulated processes (threads) each fit the same classifier with an
/// in-process `BatchRowExchange`, computing only their share of every batch's rows. Every one of them must finish
/// with the model one process trains alone, bit for bit.
@Suite struct RowExchangeTests {
    static func digitsSubset() throws -> (Matrix<Double>, [ClassLabel]) {
        let table = try BundledDataset.digits.read(options: CSVReadOptions(target: "digit"))
        let rows = 300, columns = table.featureNames.count
        let x = Matrix<Double>(rows: rows, columns: columns, storage: Array(table.features.prefix(rows * columns)).map { $0 / 16 })
        return (x, table.targetLabels.prefix(rows).map { ClassLabel(parsing: $0) })
    }

    struct Setting: Sendable, CustomTestStringConvertible {
        var solver: Solver
        var batch: Int?
        var dropout = 0.0
        var earlyStopping = false
        var weighted = false
        var hidden = [48, 24]
        var testDescription: String {
            "\(solver) \(hidden) batch \(batch.map(String.init) ?? "auto") dropout \(dropout) early \(earlyStopping) "
                + "weighted \(weighted)"
        }
    }

    /// The parameters (widened to Double, which is exact), loss curve (or final loss) and validation scores of one
    /// fit, as bits.
    struct Outcome: Equatable, Sendable {
        var parameters: [UInt64]
        var losses: [UInt64]
        var validationScores: [UInt64]
        var iterations: Int
    }

    static func fit<T: KernelFloat>(_ setting: Setting, _ x: Matrix<T>, _ y: [ClassLabel]) throws -> Outcome {
        let classifier = MLPClassifier<T>(hiddenLayerSizes: setting.hidden, activation: .tanh, solver: setting.solver,
                                          batchSize: setting.batch, maxIter: setting.earlyStopping ? 30 : 4,
                                          randomState: 5, earlyStopping: setting.earlyStopping, nIterNoChange: 2)
        classifier.parameters.dropout = setting.dropout
        let weights = setting.weighted ? (0..<x.rows).map { T(1 + $0 % 3) } : nil
        try classifier.fit(x, y, sampleWeight: weights)
        return Outcome(parameters: classifier.network!.parameters.map { Double($0).bitPattern },
                       losses: (classifier.lossCurve ?? [classifier.finalLoss]).map(\.bitPattern),
                       validationScores: (classifier.validationScores ?? []).map(\.bitPattern),
                       iterations: classifier.nIter)
    }

    /// Fits once per simulated process, each on its own thread with its own exchange, and returns every outcome.
    static func fitSplit<T: KernelFloat>(_ setting: Setting, _ x: Matrix<T>, _ y: [ClassLabel], processes: Int,
                                         sharing: Bool = true) -> [Result<Outcome, any Error>] {
        runProcesses(processes, sharing: sharing) { _ in try fit(setting, x, y) }
    }

    /// Runs `body` once per simulated process, each on its own thread inside its own exchange, and returns every
    /// outcome in rank order.
    static func runProcesses(_ processes: Int, sharing: Bool = true,
                             _ body: @escaping @Sendable (InProcessRowExchange) throws -> Outcome) -> [Result<Outcome, any Error>] {
        let group = InProcessGroup(size: processes)
        let results = ResultSlots(count: processes)
        let finished = DispatchGroup()
        for rank in 0..<processes {
            finished.enter()
            let exchange = InProcessRowExchange(group: group, rank: rank, sharing: sharing)
            let thread = Thread {
                let outcome = Result { try DistributedTraining.$rowExchange.withValue(exchange) { try body(exchange) } }
                group.leave(rank)  // a process that threw must not leave the others waiting at a barrier
                results.set(rank, outcome)
                finished.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        finished.wait()
        return results.all
    }

    @Test(arguments: [
        Setting(solver: .adam, batch: 77, weighted: true),
        Setting(solver: .sgd, batch: 50, dropout: 0.25),
        Setting(solver: .lbfgs, batch: nil),
        Setting(solver: .adam, batch: 40, earlyStopping: true),
        // Batches of 3 rows and a 3-unit layer: with 4 processes some own no row of a batch and no block of a layer.
        Setting(solver: .sgd, batch: 3, hidden: [3]),
    ])
    func everyProcessCountGivesTheOneProcessModel(_ setting: Setting) throws {
        let (x, y) = try Self.digitsSubset()
        let alone = try Self.fit(setting, x, y)
        #expect(alone.iterations > 1)
        for processes in [1, 2, 3, 4] {
            let outcomes = Self.fitSplit(setting, x, y, processes: processes)
            for (rank, outcome) in outcomes.enumerated() {
                let model = try outcome.get()
                #expect(model == alone, "\(processes) processes, rank \(rank)")
            }
        }
    }

    @Test func float32SplitsGiveTheOneProcessModel() throws {
        let (x, y) = try Self.digitsSubset()
        let setting = Setting(solver: .adam, batch: 64)
        let alone = try Self.fit(setting, x.converted(to: Float.self), y)
        for outcome in Self.fitSplit(setting, x.converted(to: Float.self), y, processes: 3) {
            #expect(try outcome.get() == alone)
        }
    }

    /// The control: when the exchange does not share, each process trains on the rows it computed and zeros for
    /// the others' shares, so the processes really computed only their shares, and the sharing is what makes the
    /// model. Zeros rather than the buffer's old contents, so the outcome is the same on every run.
    @Test func withoutSharingTheModelDiffers() throws {
        let (x, y) = try Self.digitsSubset()
        let setting = Setting(solver: .adam, batch: 60)
        let alone = try Self.fit(setting, x, y)
        let outcomes = Self.fitSplit(setting, x, y, processes: 2, sharing: false)
        #expect(outcomes.count == 2)
        #expect(outcomes.allSatisfy { (try? $0.get()) != nil })  // trained, on zeros for half of each batch
        #expect(outcomes.allSatisfy { (try? $0.get()) != alone })
        let again = Self.fitSplit(setting, x, y, processes: 2, sharing: false)
        #expect(zip(outcomes, again).allSatisfy { (try? $0.get()) == (try? $1.get()) })
    }
}

/// Shared state of K simulated processes: a reusable barrier and one slot per process.
final class InProcessGroup: @unchecked Sendable {
    let size: Int
    /// The processes still running: a barrier waits for these only. (Without sharing, the zeroed rows can make one
    /// process's training diverge and throw while the others still train.)
    private var running: Int
    private let condition = NSCondition()
    private var arrived = 0
    private var generation = 0
    /// Each process's buffer in the collective under way (written before the first barrier, read between both).
    var buffers: [UnsafeMutableRawPointer?]
    var broadcastValue = 0.0

    init(size: Int) {
        self.size = size
        running = size
        buffers = Array(repeating: nil, count: size)
    }

    func barrier() {
        condition.lock()
        defer { condition.unlock() }
        let mine = generation
        arrived += 1
        if arrived >= running {
            release()
        } else {
            while generation == mine { condition.wait() }
        }
    }

    /// Processes that have finished: their buffers are gone.
    private var departed: Set<Int> = []

    func hasDeparted(_ rank: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return departed.contains(rank)
    }

    /// Process `rank` has finished (returned or thrown): barriers stop waiting for it.
    func leave(_ rank: Int) {
        condition.lock()
        defer { condition.unlock() }
        departed.insert(rank)
        running -= 1
        if arrived > 0 && arrived >= running { release() }
    }

    private func release() {
        arrived = 0
        generation += 1
        condition.broadcast()
    }
}

/// One simulated process: copies the other processes' shares of each buffer from their memory (or, not
/// `sharing`, zeroes those rows: the control, deterministic because it never reads rows nobody wrote).
final class InProcessRowExchange: BatchRowExchange, @unchecked Sendable {
    let group: InProcessGroup
    let processIndex: Int
    let sharing: Bool
    var processCount: Int { group.size }
    /// Rows this process read from a streamed cache (written by its own thread only).
    private(set) var rowsRead = 0

    init(group: InProcessGroup, rank: Int, sharing: Bool) {
        self.group = group
        processIndex = rank
        self.sharing = sharing
    }

    func shareRows<T: KernelFloat>(_ buffer: UnsafeMutablePointer<T>, width: Int, rows: Int) {
        group.buffers[processIndex] = UnsafeMutableRawPointer(buffer)
        group.barrier()
        for q in 0..<processCount where q != processIndex && !group.hasDeparted(q) {
            let share = rowShare(rows, process: q)
            let target = buffer + share.lowerBound * width, count = share.count * width
            guard sharing else {
                target.update(repeating: 0, count: count)
                continue
            }
            let source = group.buffers[q]!.assumingMemoryBound(to: T.self) + share.lowerBound * width
            target.update(from: source, count: count)
        }
        group.barrier()
    }

    func noteRowsRead(_ rows: Int) { rowsRead += rows }

    func broadcast(_ value: Double) -> Double {
        if processIndex == 0 { group.broadcastValue = value }
        group.barrier()
        let shared = group.broadcastValue
        group.barrier()
        return shared
    }
}

/// Per-process results, written by their threads.
final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<RowExchangeTests.Outcome, any Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<RowExchangeTests.Outcome, any Error>) {
        lock.withLock { slots[index] = result }
    }

    var all: [Result<RowExchangeTests.Outcome, any Error>] { lock.withLock { slots.map { $0! } } }
}
