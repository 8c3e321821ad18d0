import CMLPKernels
import Testing

// The pool's measurement for one size class (pool_probe.c), stepped with chosen timings: which way it decides, and
// which jobs its parallel window counts.

/// A probe driven job by job on a made-up clock.
struct SteppedProbe {
    var probe = mlp_pool_probe()
    var clock = 0

    init() { mlp_pool_probe_restart(&probe) }

    /// Runs `jobs` jobs of `nanoseconds` each, `pause` nanoseconds apart; `joined`: a worker ran some of each
    /// parallel job's parts. Returns how many of them ran on the caller alone.
    @discardableResult
    mutating func run(_ jobs: Int, nanoseconds: Int, pause: Int = 0, joined: Bool = true) -> Int {
        var solo = 0
        for _ in 0..<jobs {
            let alone = mlp_pool_probe_start(&probe) != 0
            solo += alone ? 1 : 0
            mlp_pool_probe_record(&probe, clock, clock + nanoseconds, alone ? 0 : (joined ? 1 : 0))
            clock += nanoseconds + pause
        }
        return solo
    }

    var isSolo: Bool { withUnsafePointer(to: probe) { mlp_pool_probe_is_solo($0) != 0 } }
}

@Suite struct PoolProbeTests {
    /// 256 warm-up jobs with the workers, then 64 measured with them and 64 on the caller alone: slower workers send
    /// the size to the caller; a window of workers no slower keeps them.
    @Test func decidesForTheFasterWay() {
        var slowWorkers = SteppedProbe()
        #expect(slowWorkers.run(256 + 64, nanoseconds: 3_000) == 0)
        #expect(slowWorkers.run(64, nanoseconds: 1_000) == 64, "the solo window")
        #expect(slowWorkers.isSolo)
        #expect(slowWorkers.run(100, nanoseconds: 1_000) == 100)

        var fastWorkers = SteppedProbe()
        fastWorkers.run(256 + 64, nanoseconds: 1_000)
        fastWorkers.run(64, nanoseconds: 1_500)
        #expect(!fastWorkers.isSolo)
        #expect(fastWorkers.run(100, nanoseconds: 1_000) == 0)
    }

    /// Jobs no worker joined (a parked worker still waking) stay out of the parallel window: 40 slow ones, then 64
    /// the worker joined, against a slower solo window, keep the workers. Counted, the slow jobs would have sent the
    /// size to the caller.
    @Test func jobsNoWorkerJoinedAreLeftOut() {
        var probe = SteppedProbe()
        probe.run(256, nanoseconds: 1_000)
        probe.run(40, nanoseconds: 10_000, joined: false)
        #expect(probe.run(64, nanoseconds: 1_000) == 0, "the parallel window closed early")
        #expect(probe.run(64, nanoseconds: 1_500) == 64)
        #expect(!probe.isSolo)
    }

    /// A decision lasts 32 times its probe's job time, counted in job time: jobs a second apart (bursts after pauses)
    /// keep it instead of measuring again at every job, and it ends once the jobs have run that long.
    @Test func aDecisionLastsItsBudgetOfJobTime() {
        var probe = SteppedProbe()
        probe.run(256 + 64, nanoseconds: 3_000)
        probe.run(64, nanoseconds: 1_000)
        #expect(probe.isSolo)  // probe time 256 µs: a budget of 8.2 ms of jobs
        #expect(probe.run(8, nanoseconds: 1_000_000, pause: 1_000_000_000) == 8, "measured again after a pause")
        #expect(probe.run(1, nanoseconds: 1_000_000) == 1)  // 9 ms of jobs: over budget, the next job measures
        #expect(probe.run(2, nanoseconds: 1_000_000) == 0, "the budget did not end the decision")
    }

    /// A job timed backwards (the caller moved to a CPU whose clock runs behind) counts as no time: summed as it came,
    /// one such job would have made a window of slow parallel jobs look faster than the solo window.
    @Test func aJobTimedBackwardsCountsNoTime() {
        var probe = SteppedProbe()
        probe.run(256, nanoseconds: 1_000)
        probe.run(63, nanoseconds: 3_000)
        probe.run(1, nanoseconds: -1_000_000)
        #expect(probe.run(64, nanoseconds: 1_000) == 64, "the solo window did not follow")
        #expect(probe.isSolo)
    }

    /// A worker that never joins is measured after 64 jobs left out: the window then counts the caller running every
    /// part, and a faster solo window sends the size to the caller.
    @Test func aWorkerThatNeverJoinsIsMeasured() {
        var probe = SteppedProbe()
        probe.run(256, nanoseconds: 1_000)
        #expect(probe.run(64 + 64, nanoseconds: 2_000, joined: false) == 0)
        #expect(probe.run(64, nanoseconds: 1_000) == 64, "the solo window did not follow")
        #expect(probe.isSolo)
    }
}
