// How far apart the pool's cores are: the round trip of one cache line between the calling thread and a worker,
// bounced by a two-part pool job. Cores that share an L3 pass a line in tens of nanoseconds; the two vCPUs of the
// project's KVM guests sat 40-100 ns apart in some spells and 470-500 ns apart in others (a Zen 5's two CCDs), and a
// product that shares packed blocks between the threads then reads half of every block across the fabric
// (docs/performance.md, "Cores far apart").
#include "CMLPKernels.h"
#include <sched.h>
#include <stdatomic.h>
#include "monotonic_clock.h"
#include "cpu_relax.h"

#define BURSTS 4                    // the fastest of a few bursts: a preempted one does not count
#define BOUNCES 16                  // round trips a burst
#define PARTNER_WAIT_NS 20000L      // a polling worker joins within microseconds (parked ones are not asked)
#define REMEASURE_NS 1000000000L    // the host moved the vCPUs over minutes
#define RETRY_NS 10000000L          // after an attempt that measured nothing (a partner never coming: 20 us a try)
#define BURST_LIMIT_NS 100000L      // 16 round trips take 1-8 us; a burst past this shares a CPU with its partner
#define YIELD_AFTER_SPINS 256       // the partner's polls then yield the CPU, as the pool's workers do
#define GAVE_UP (-1L)               // the ball's value once part 0 gives up
#define BOUNCE_JOB_SIZE (1L << 52)  // a size class of its own: never decided "solo" by the probe, as no real job is

enum { WAITING, JOINED, ABANDONED };

typedef struct {
    _Alignas(64) atomic_long ball;  // odd: the partner's turn to answer, even: the timer's
    _Alignas(64) atomic_int state;
    long round_trip_ns;  // -1: no partner came
} bounce_job;

// Part 0 times the bursts; part 1 answers each bounce. Either may run on the caller or the worker. Part 0 gives up
// if part 1 has not started within PARTNER_WAIT_NS (a busy pool runs both parts on the caller, one after the other).
// Part 1 polls with sched_yield after a while, and part 0 abandons a burst that overruns BURST_LIMIT_NS, so two
// threads sharing one CPU (more threads than CPUs) give up instead of bouncing at scheduler speed.
static void bounce(void *context, int index, int count) {
    (void)count;
    bounce_job *job = context;
    long turns = 2L * BURSTS * BOUNCES;
    if (index == 1) {
        int waiting = WAITING;
        if (!atomic_compare_exchange_strong(&job->state, &waiting, JOINED)) return;
        for (long i = 1; i < turns; i += 2) {
            long ball;
            for (unsigned spins = 0; (ball = atomic_load_explicit(&job->ball, memory_order_acquire)) != i; spins++) {
                if (ball == GAVE_UP) return;
                if (spins < YIELD_AFTER_SPINS) CPU_RELAX();
                else sched_yield();
            }
            atomic_store_explicit(&job->ball, i + 1, memory_order_release);
        }
        return;
    }
    for (long deadline = monotonic_ns() + PARTNER_WAIT_NS; atomic_load(&job->state) == WAITING;) {
        int waiting = WAITING;
        if (monotonic_ns() > deadline && atomic_compare_exchange_strong(&job->state, &waiting, ABANDONED)) return;
        CPU_RELAX();
    }
    long best = -1;
    for (long i = 0, burst = 0; burst < BURSTS; burst++) {
        long start = monotonic_ns();
        for (long b = 0; b < BOUNCES; b++, i += 2) {
            atomic_store_explicit(&job->ball, i + 1, memory_order_release);
            for (unsigned spins = 1; atomic_load_explicit(&job->ball, memory_order_acquire) != i + 2; spins++) {
                if (spins % 64 == 0 && monotonic_ns() - start > BURST_LIMIT_NS) {  // the clock every 64 polls only
                    atomic_store_explicit(&job->ball, GAVE_UP, memory_order_release);
                    return;  // round_trip_ns stays -1
                }
                CPU_RELAX();
            }
        }
        long took = (monotonic_ns() - start) / BOUNCES;
        if (best < 0 || took < best) best = took;
    }
    job->round_trip_ns = best;
}

static atomic_long round_trip = -1, measured_at, next_attempt_at;

long mlp_pool_round_trip_ns(int threads) {
    if (threads <= 1) return -1;
    long now = monotonic_ns(), last = atomic_load_explicit(&measured_at, memory_order_relaxed);
    // Waking a parked worker to measure would cost the caller up to milliseconds: only while they poll, as they do
    // for 0.2 ms after each job, so a process that runs products back to back measures between them.
    long retry_at = atomic_load_explicit(&next_attempt_at, memory_order_relaxed);
    if ((last != 0 && now - last < REMEASURE_NS) || now < retry_at || !mlp_pool_workers_spinning())
        return atomic_load_explicit(&round_trip, memory_order_relaxed);
    // An attempt no partner joined (the pool busy with another caller's job, the worker descheduled) is tried again
    // after RETRY_NS, not a second: on a loaded 2-CPU machine one attempt in many gets through.
    atomic_store_explicit(&next_attempt_at, now + RETRY_NS, memory_order_relaxed);
    bounce_job job = {.round_trip_ns = -1};
    mlp_pool_run(2, 2, BOUNCE_JOB_SIZE, bounce, &job);
    if (job.round_trip_ns > 0) {
        atomic_store_explicit(&round_trip, job.round_trip_ns, memory_order_relaxed);
        atomic_store_explicit(&measured_at, now, memory_order_relaxed);
    }
    return atomic_load_explicit(&round_trip, memory_order_relaxed);
}
