// When the other core is not really free (two vCPUs on one physical core, or a neighbour's load), one thread can
// beat two (docs/performance.md, "The machine"). So the pool measures, for each size class of jobs: PROBE_JOBS jobs
// with the workers, then as many on the calling thread alone, timing each window, and runs the next DECIDED_JOBS jobs
// the faster way; then it measures again.
// (Training alternates a batch's two phases of one size, so equal even-length windows see the same mix of jobs.)
#include "CMLPKernels.h"
#include <limits.h>

#define PROBE_JOBS 64
#define DECIDED_JOBS 4096
enum { MEASURE_PARALLEL, MEASURE_SOLO, DECIDED };
// A class's first WARMUP_JOBS use the workers unmeasured: thread start, first-touch page faults and cold caches would
// make the first parallel window look slow and send a whole run to one thread.
#define WARMUP_JOBS 256
// Large jobs (a 2048 square takes 0.1 s) would make 64-job windows and 4,096-job decisions last minutes, so a busy
// spell could pin a long-lived process to one thread for that long: a window also closes once it has run
// PROBE_WINDOW_NS (at an even job count, keeping the two windows' mix of training phases alike), and a decision
// lasts at most DECIDED_PER_PROBE times the time its probe took, so probing costs a few percent at most. That budget
// counts the jobs' own time, not the pauses between them: counted in wall time, a process working in bursts (a
// server, a benchmark's samples) measured again at the start of each burst, while its parked worker was still
// waking, and ran the probe's solo window in the burst (docs/performance.md, "Decisions that outlast pauses").
#define PROBE_WINDOW_NS 2000000L
#define DECIDED_PER_PROBE 32

void mlp_pool_probe_restart(mlp_pool_probe *p) {
    *p = (mlp_pool_probe){.state = DECIDED, .decided_until = p->jobs + WARMUP_JOBS, .decided_budget_ns = LONG_MAX,
                          .jobs = p->jobs};
}

int mlp_pool_probe_start(mlp_pool_probe *p) {
    p->jobs++;
    return p->state == MEASURE_SOLO || mlp_pool_probe_is_solo(p);
}

int mlp_pool_probe_is_solo(const mlp_pool_probe *p) {
    return p->state == DECIDED && p->solo;
}

// A job of the parallel window that no worker joined ran on the caller alone, often while a parked worker was waking
// up after a solo spell: counted, it would make the workers look slower than they are and send the size back to one
// thread, where the workers park again. So the window leaves out up to PROBE_JOBS such jobs; after that a worker
// that never comes is measured as it is.
void mlp_pool_probe_record(mlp_pool_probe *p, long started, long now, int joined) {
    long took = now > started ? now - started : 0;  // a caller moved to a CPU whose TSC runs behind: no time
    if (p->state == DECIDED) {
        p->decided_ns += took;
        if (p->jobs >= p->decided_until || p->decided_ns >= p->decided_budget_ns) {
            p->state = MEASURE_PARALLEL;
            p->window_start = p->jobs;
            p->skipped = 0;
        }
        return;
    }
    if (p->state == MEASURE_PARALLEL) {
        if (!joined && p->skipped < PROBE_JOBS) {
            p->skipped++;
            p->window_start++;
            return;
        }
        int windowJobs = (int)(p->jobs - p->window_start);
        p->parallel_ns += took;
        if (windowJobs < PROBE_JOBS && (p->parallel_ns < PROBE_WINDOW_NS || windowJobs % 2)) return;
        p->window_jobs = windowJobs;  // the solo window runs as many jobs
        p->window_start = p->jobs;
        p->state = MEASURE_SOLO;
        return;
    }
    p->solo_ns += took;
    if ((int)(p->jobs - p->window_start) < p->window_jobs) return;
    p->solo = p->solo_ns < p->parallel_ns * 9 / 10;  // one thread only when clearly faster
    p->decided_until = p->jobs + DECIDED_JOBS;
    p->decided_ns = 0;
    p->decided_budget_ns = DECIDED_PER_PROBE * (p->parallel_ns + p->solo_ns);
    p->parallel_ns = p->solo_ns = 0;
    p->state = DECIDED;
}
