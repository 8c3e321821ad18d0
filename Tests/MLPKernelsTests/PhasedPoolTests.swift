import CMLPKernels
import Foundation
import Testing

// The pool's phased jobs: every part of every phase runs once, and a phase starts only after every part of the
// phases before it has finished, whichever thread ran them.

/// Per-part run counts, and what each part saw of the earlier phases when it started. Flat buffers, a cell per part:
/// parts of one phase write their own cells at the same time.
final class PhaseLog: @unchecked Sendable {
    let parts: [Int], offsets: [Int]
    let runs: UnsafeMutableBufferPointer<Int>
    /// For each part: how many runs of earlier phases' parts had been recorded when it started.
    let earlierRunsSeen: UnsafeMutableBufferPointer<Int>
    let offCaller: UnsafeMutableBufferPointer<Int>
    let caller = pthread_self()
    /// How long a part run off the calling thread sleeps: a worker that falls behind.
    var workerDelay: useconds_t = 0
    /// How long a part run on the calling thread sleeps.
    var callerDelay: useconds_t = 0

    init(parts: [Int]) {
        self.parts = parts
        offsets = parts.indices.map { parts[..<$0].reduce(0, +) }
        let total = parts.reduce(0, +)
        runs = .allocate(capacity: total)
        runs.initialize(repeating: 0)
        earlierRunsSeen = .allocate(capacity: total)
        earlierRunsSeen.initialize(repeating: -1)
        offCaller = .allocate(capacity: total)
        offCaller.initialize(repeating: 0)
    }

    deinit {
        runs.deallocate()
        earlierRunsSeen.deallocate()
        offCaller.deallocate()
    }

    var partsOffCaller: Int { offCaller.reduce(0, +) }
}

private let logPart: mlp_phase_task_fn = { context, phase, part, parts in
    let log = Unmanaged<PhaseLog>.fromOpaque(context!).takeUnretainedValue()
    let cell = log.offsets[Int(phase)] + Int(part)
    // Earlier phases finished before this one began, so their cells are final.
    log.earlierRunsSeen[cell] = log.runs[..<log.offsets[Int(phase)]].reduce(0, +)
    if pthread_equal(pthread_self(), log.caller) == 0 {
        usleep(log.workerDelay)
        log.offCaller[cell] = 1
    } else {
        usleep(log.callerDelay)
    }
    if Int(parts) == log.parts[Int(phase)] { log.runs[cell] += 1 }
}

extension PoolStateTests {
    @Suite struct PhasedPoolTests {
        /// Runs one phased job over `parts` and checks every part ran once, after all the earlier phases.
        private func check(parts: [Int], threads: Int, workerDelay: useconds_t = 0,
                           callerDelay: useconds_t = 0) -> PhaseLog {
            let log = PhaseLog(parts: parts)
            log.workerDelay = workerDelay
            log.callerDelay = callerDelay
            let counts = parts.map(Int32.init)
            counts.withUnsafeBufferPointer {
                mlp_pool_run_phases(Int32(parts.count), $0.baseAddress, Int32(threads), 1, logPart,
                                    Unmanaged.passUnretained(log).toOpaque())
            }
            #expect(log.runs.allSatisfy { $0 == 1 }, "parts \(parts), \(threads) threads: \(Array(log.runs))")
            var earlier = 0
            for (phase, count) in parts.enumerated() {
                let seen = log.earlierRunsSeen[log.offsets[phase]..<(log.offsets[phase] + count)]
                #expect(seen.allSatisfy { $0 == earlier },
                        "phase \(phase) of \(parts) started before the earlier phases finished: \(Array(seen))")
                earlier += count
            }
            return log
        }

        @Test func everyPartRunsOnceAfterTheEarlierPhases() {
            mlp_pool_end_solo()
            for threads in [1, 2, 3] {
                for parts in [[1], [2], [2, 2, 1], [3, 1, 4, 2], [1, 1, 1], [7, 5]] {
                    _ = check(parts: parts, threads: threads)
                }
            }
        }

        /// More phases or parts than one job holds still run, all on the calling thread.
        @Test func oversizedJobsRunOnTheCaller() {
            let manyPhases = check(parts: [Int](repeating: 2, count: 17), threads: 2)
            #expect(manyPhases.partsOffCaller == 0)
            let manyParts = check(parts: [200, 57], threads: 2)
            #expect(manyParts.partsOffCaller == 0)
        }

        /// Jobs of changing shapes back to back, phased and plain, some with a worker that falls behind: a worker late
        /// for one job must not take a part of the next (whose parts it would see as free), so every part still runs
        /// once, in phase order.
        @Test func jobsOfChangingShapesRunEveryPartOnce() {
            mlp_pool_end_solo()
            let shapes = [[2, 2, 1], [7, 5], [1], [3, 1, 4, 2], [2], [16, 16, 16]]
            let plain = PoolProbe()
            for round in 0..<600 {
                _ = check(parts: shapes[round % shapes.count], threads: 2, workerDelay: round % 7 == 0 ? 50 : 0)
                if round % 3 == 0 {
                    plain.resetRuns()
                    mlp_pool_run(5, 2, 1, recordPart, Unmanaged.passUnretained(plain).toOpaque())
                    #expect(plain.runs.prefix(5).allSatisfy { $0 == 1 }, "plain job after round \(round)")
                }
                if round % 200 == 199 { mlp_pool_end_solo() }
            }
        }

        /// A worker that sleeps in each of its parts, or one parked after a pause, delays the job but loses no part and
        /// breaks no phase order; the caller takes the parts the worker has not claimed.
        @Test func slowOrParkedWorkersLoseNothing() {
            mlp_pool_end_solo()
            for _ in 0..<20 { _ = check(parts: [2, 2, 2], threads: 2, workerDelay: 200) }
            usleep(300_000)  // longer than the workers spin: they park
            _ = check(parts: [2, 2, 2, 2], threads: 2)
            mlp_pool_end_solo()
        }

        /// In the last phase a worker that finishes its own parts takes over the caller's still free ones instead of
        /// leaving them all to a slow caller (rows-first GEMM's compute phase): of 8 parts while the caller sleeps in
        /// each of its own, the worker runs more than its 4.
        @Test func aWorkerTakesFreePartsOfTheLastPhase() {
            mlp_pool_end_solo()
            // A job that meets the pool busy (another suite's job) runs on the caller alone; count only jobs the
            // worker joined, and allow time for five of them.
            var mostOffCaller = 0, joined = 0, jobs = 0
            let deadline = Date().addingTimeInterval(20)
            while joined < 5 && mostOffCaller <= 4 && Date() < deadline {
                let log = check(parts: [1, 8], threads: 2, callerDelay: 2_000)
                jobs += 1
                guard log.partsOffCaller > 0 else { continue }
                joined += 1
                mostOffCaller = max(mostOffCaller, log.offCaller[1...].reduce(0, +))
            }
            #expect(joined > 0, "the worker joined none of \(jobs) jobs")
            #expect(mostOffCaller > 4, "the worker ran only its own parts of the last phase in \(joined) jobs")
            mlp_pool_end_solo()
        }

        /// A worker that comes late, after the caller took over its part of a phase and while that part still runs,
        /// waits for it before its part of the next phase: a parked worker wakes while the caller sleeps in the part it
        /// took.
        @Test func aLateWorkerWaitsForItsPartTakenOver() {
            mlp_pool_end_solo()
            for _ in 0..<5 {
                usleep(1_000)  // the workers park 0.2 ms after a job
                _ = check(parts: [2, 2, 2], threads: 2, callerDelay: 2_000)
            }
            mlp_pool_end_solo()
        }
    }
}
