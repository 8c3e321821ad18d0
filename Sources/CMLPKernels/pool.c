// Persistent worker pool: workers spin on a generation counter for a short while after each job
// (so back-to-back GEMMs in a training loop hand off in about a microsecond), yield the core while they
// wait, then park on a condition variable (so an idle process burns no CPU). DispatchQueue.concurrentPerform
// wakes its threads on every call, which costs more than a whole batch-200 product.
// Parts are claimed one at a time by whichever thread is free (the caller included), so on a machine whose other
// core is busy a job degrades to about the single-thread time instead of waiting for a descheduled worker, and a
// job split into more parts than threads balances itself when one core runs slower than the other.
#define _GNU_SOURCE  // sched_getcpu, pthread_{get,set}affinity_np
#include "CMLPKernels.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include "monotonic_clock.h"
#include "cpu_relax.h"

#define MAX_WORKERS 63
#define MAX_PARTS 0xFFFF  // the part counter's width in `ticket`
#define SPIN_NANOSECONDS 200000L  // keep polling this long after the last job before parking
#define PAUSE_SPINS 256           // pure pause-spins before each poll also yields the core
// Yielding matters when other processes share the cores: a waiter that only spins can hold the core
// its partner needs for a whole scheduler slice.

static void relax(unsigned spins) {
    if (spins < PAUSE_SPINS) CPU_RELAX();
    else sched_yield();
}

// The words the workers poll and the caller's own state sit on separate cache lines: with the `busy` lock on the
// line of `generation`, the caller's lock, publish and unlock each waited for the line to come back from a polling
// worker, three transfers a job (0.1-0.15 us of a 2 us single row on a Zen 3; docs/performance.md).
typedef struct {
    _Alignas(64) atomic_ullong generation;
} line_word;
// What a worker reads first of every job, on the one line the publish moves: the generation it polls, the job's
// threads and the phased fields' sequence. The phased fields themselves are stored only when they change, so a
// worker running the same shape of job again finds them in its own cache.
typedef struct {
    _Alignas(64) atomic_ullong generation;  // 64-bit: never wraps
    atomic_ullong phased_sequence;          // 2g once phased job g's fields are stored, odd while they are written
    atomic_int threads;
} job_line;
typedef struct {
    _Alignas(64) pthread_mutex_t mutex;
} line_mutex;
static line_mutex busy = {PTHREAD_MUTEX_INITIALIZER};  // one job at a time
static pthread_mutex_t park_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t park_cond = PTHREAD_COND_INITIALIZER;
static int worker_count;  // guarded by `busy`

// The current job: parts 0..<job_count, claimed in order through `ticket`, which holds the job's generation in
// its high bits and the next unclaimed part in its low 16. Every participant (the caller and up to job_threads - 1
// workers) claims parts until none are left, so a slow or descheduled thread simply runs fewer parts. A worker
// still holding an older generation fails its compare-and-swap, so job fields are never used under a stale one.
static job_line current;  // the current job
static _Atomic(mlp_task_fn) job_task;
static _Atomic(void *) job_context;
static atomic_int job_count;
static atomic_ullong ticket;
static atomic_int done;  // parts finished in the current job
static atomic_int sleepers;
static atomic_int publisher_cpu = -1;  // the caller's CPU when it last started or woke workers

// The clock that times each job for the probe, read twice a job by the caller holding `busy`. CLOCK_MONOTONIC took
// 69 cycles a read under KVM on a Zen 3 (3% of a split single row); the TSC takes 28, so on x86-64 it is read instead,
// scaled to nanoseconds by the rate it ran at against CLOCK_MONOTONIC over the first millisecond of jobs.
static long job_clock_ns(void) {
#if defined(__x86_64__)
    static unsigned long long tsc0;
    static long ns0;
    static double ns_per_tick;
    if (ns_per_tick > 0) {
        long long ticks = (long long)(__rdtsc() - tsc0);  // signed: another CPU's TSC may run behind tsc0
        return ns0 + (long)((double)ticks * ns_per_tick);
    }
    long ns = monotonic_ns();
    unsigned long long tsc = __rdtsc();
    if (!tsc0) tsc0 = tsc, ns0 = ns;
    else if (ns - ns0 > 1000000L && tsc > tsc0) ns_per_tick = (double)(ns - ns0) / (double)(tsc - tsc0);
    return ns;
#else
    return monotonic_ns();
#endif
}

// A phased job (mlp_pool_run_phases) instead: phases run one after another, and part p of a phase belongs to thread
// p % threads, so a thread meets the same data (one row's weights, kept in its own L2) call after call. A thread
// that finds a part still unclaimed after its own takes it, so a descheduled or parked worker delays nothing.
// Each part has a claim word and a done word, each on a cache line of its own, holding the generation of the job
// that last claimed or finished it (a part is free in job g while its claim is below g): the owner's claim stays in
// its own cache, and a phase hand-off moves one line each way, as a bare flag would. With shared counters a single
// row split over two cores of a Zen 4 spent 0.5 us per phase moving lines back and forth (docs/performance.md).
#define MAX_PHASES 16
#define MAX_PHASED_PARTS 256
// How long a thread waits for another's part before it looks whether the owner has claimed it: reading the claim
// pulls the owner's line, so it is left alone while the owner is merely a hand-off behind.
#define STEAL_AFTER_NS 1000L
static line_word part_claims[MAX_PHASED_PARTS], parts_done[MAX_PHASED_PARTS];

// A phased job's fields, which a worker copies under a sequence lock: a worker late for job g must not read a later
// job's phases, whose parts would look free to it. Only phased jobs write them.
typedef struct {
    mlp_phase_task_fn task;
    void *context;
    int threads, phases, ends[MAX_PHASES];
    int woke;  // the caller woke parked workers, so it takes free parts at once (the caller's own; not shared)
} phased_job;
static _Atomic(mlp_phase_task_fn) phased_task;
static _Atomic(void *) phased_context;
static atomic_int phased_threads, phased_count, phased_ends[MAX_PHASES];

// Copies phased job `g`'s fields into `job`; 0 when job g is not a phased job or a later one has begun.
static int read_phased_job(unsigned long long g, phased_job *job) {
    if (atomic_load_explicit(&current.phased_sequence, memory_order_acquire) != 2 * g) return 0;
    job->task = atomic_load_explicit(&phased_task, memory_order_relaxed);
    job->context = atomic_load_explicit(&phased_context, memory_order_relaxed);
    job->threads = atomic_load_explicit(&phased_threads, memory_order_relaxed);
    job->woke = 0;
    int phases = atomic_load_explicit(&phased_count, memory_order_relaxed);
    job->phases = phases < 0 ? 0 : phases > MAX_PHASES ? MAX_PHASES : phases;
    for (int phase = 0; phase < job->phases; phase++)
        job->ends[phase] = atomic_load_explicit(&phased_ends[phase], memory_order_relaxed);
    atomic_thread_fence(memory_order_acquire);
    return atomic_load_explicit(&current.phased_sequence, memory_order_relaxed) == 2 * g;
}

// Stores phased job `g`'s fields for read_phased_job.
static void write_phased_job(unsigned long long g, const phased_job *job) {
    atomic_store_explicit(&current.phased_sequence, 2 * g - 1, memory_order_relaxed);
    atomic_thread_fence(memory_order_release);
#define STORE_IF_CHANGED(field, value)                                                                               \
    if (atomic_load_explicit(&(field), memory_order_relaxed) != (value))                                             \
    atomic_store_explicit(&(field), value, memory_order_relaxed)
    STORE_IF_CHANGED(phased_task, job->task);
    STORE_IF_CHANGED(phased_context, job->context);
    STORE_IF_CHANGED(phased_threads, job->threads);
    STORE_IF_CHANGED(phased_count, job->phases);
    for (int phase = 0; phase < job->phases; phase++) STORE_IF_CHANGED(phased_ends[phase], job->ends[phase]);
#undef STORE_IF_CHANGED
    atomic_store_explicit(&current.phased_sequence, 2 * g, memory_order_release);
}

static unsigned long long start_generation[MAX_WORKERS + 1];  // the generation each worker was created in

// Claims and runs parts of job `g` until none is left; returns how many this thread ran.
static int run_parts(unsigned long long g, mlp_task_fn task, void *context, int count) {
    for (int ran = 0;; ran++) {
        unsigned long long t;
        int index;
        do {
            t = atomic_load_explicit(&ticket, memory_order_acquire);
            index = (int)(t & 0xFFFF);
            if (t >> 16 != g || index >= count) return ran;
        } while (!atomic_compare_exchange_weak(&ticket, &t, t + 1));
        task(context, index, count);
        atomic_fetch_add_explicit(&done, 1, memory_order_release);
    }
}

static int claim(unsigned long long g, int part) {
    unsigned long long seen = atomic_load_explicit(&part_claims[part].generation, memory_order_relaxed);
    return seen < g && atomic_compare_exchange_strong(&part_claims[part].generation, &seen, g);
}

static int is_done(unsigned long long g, int part) {
    return atomic_load_explicit(&parts_done[part].generation, memory_order_acquire) >= g;
}

static void run_part(unsigned long long g, const phased_job *job, int phase, int start, int part) {
    int parts = job->ends[phase] - start;
    job->task(job->context, phase, part, parts);
    atomic_store_explicit(&parts_done[start + part].generation, g, memory_order_release);
}

// Runs part `start + part` of job `g` when this thread can claim it; returns 1 when it did.
static int take_part(unsigned long long g, const phased_job *job, int phase, int start, int part) {
    if (!claim(g, start + part)) return 0;
    run_part(g, job, phase, start, part);
    return 1;
}

// Waits until part `start + part` of job `g` is done, taking it over while it is still free: at once when `eager`,
// else after STEAL_AFTER_NS of waiting. Returns 1 when this thread ran it.
static int finish_part(unsigned long long g, const phased_job *job, int phase, int start, int part, int eager) {
    if (is_done(g, start + part)) return 0;
    if (eager && take_part(g, job, phase, start, part)) return 1;
    long since = eager ? 0 : monotonic_ns();
    int looked = eager;
    for (unsigned spins = 0; !is_done(g, start + part); spins++) {
        if (!looked && (spins & 15) == 15 && monotonic_ns() - since > STEAL_AFTER_NS) {
            looked = 1;
            if (take_part(g, job, phase, start, part)) return 1;
        }
        relax(spins);
    }
    return 0;
}

// Runs `thread`'s parts of phased job `g`, phase by phase. Before moving on from a phase a thread finishes it: it
// waits for every part it did not run (its own included, when another thread took one over before it came) and
// takes over those still free: at once in a phase of more parts than threads, where that balances the load, or when
// the caller had to wake the workers; else after STEAL_AFTER_NS. In the last phase a worker takes the parts still
// free (in a phase of more parts than threads) but waits for none: the caller does. Returns how many parts this
// thread ran.
static int run_phases(unsigned long long g, int thread, const phased_job *job) {
    int threads = job->threads, ran = 0;
    for (int phase = 0, start = 0; phase < job->phases; phase++) {
        int parts = job->ends[phase] - start;
        for (int part = thread; part < parts; part += threads) ran += take_part(g, job, phase, start, part);
        int eager = (thread == 0 && job->woke) || parts > threads, leaves = thread > 0 && phase == job->phases - 1;
        for (int part = parts - 1; part >= 0; part--)  // from the end of the others' lists; own parts taken over by
            ran += !leaves ? finish_part(g, job, phase, start, part, eager)  // another thread are waited for too
                 : eager   ? take_part(g, job, phase, start, part)
                           : 0;
        start = job->ends[phase];
    }
    return ran;
}

// A worker started or woken from parking onto the CPU of the caller that woke it can only take turns with it. On a
// 2-vCPU KVM guest Linux queued every woken thread there (an idle vCPU looks busy to it), and the balancer moved
// one of them 2-4 ms later, after a dozen products had run at one thread's speed or slower, or all of a short burst.
// So the worker moves itself off that CPU: to its allowed CPUs less that one, then back to all of them, so that it
// stays free to move later.
static void leave_publisher_cpu(void) {
#if defined(__linux__)
    int cpu = atomic_load_explicit(&publisher_cpu, memory_order_relaxed);
    if (cpu < 0 || sched_getcpu() != cpu) return;
    cpu_set_t allowed, others;
    pthread_t self = pthread_self();
    if (pthread_getaffinity_np(self, sizeof allowed, &allowed) != 0) return;
    others = allowed;
    CPU_CLR(cpu, &others);
    if (CPU_COUNT(&others) == 0 || pthread_setaffinity_np(self, sizeof others, &others) != 0) return;
    pthread_setaffinity_np(self, sizeof allowed, &allowed);
#endif
}

static void *worker_main(void *arg) {
    int index = (int)(long)arg;
    unsigned long long seen = start_generation[index];  // not a fresh load: the first job may already be out
    leave_publisher_cpu();
    for (;;) {
        // Spin, then yield, then park, until a new job is published.
        long start = monotonic_ns();
        unsigned spins = 0;
        while (atomic_load_explicit(&current.generation, memory_order_acquire) == seen) {
            relax(spins);
            if ((++spins & 255) == 0 && monotonic_ns() - start > SPIN_NANOSECONDS) {
                pthread_mutex_lock(&park_lock);
                atomic_fetch_add(&sleepers, 1);
                while (atomic_load(&current.generation) == seen) pthread_cond_wait(&park_cond, &park_lock);
                atomic_fetch_sub(&sleepers, 1);
                pthread_mutex_unlock(&park_lock);
                leave_publisher_cpu();
            }
        }
        seen = atomic_load_explicit(&current.generation, memory_order_acquire);
        int threads = atomic_load_explicit(&current.threads, memory_order_relaxed);
        if (index >= threads) continue;
        phased_job job;
        if (read_phased_job(seen, &job))
            run_phases(seen, index, &job);
        else
            run_parts(seen, atomic_load_explicit(&job_task, memory_order_relaxed),
                      atomic_load_explicit(&job_context, memory_order_relaxed),
                      atomic_load_explicit(&job_count, memory_order_relaxed));
    }
    return NULL;
}

// Each size class (jobs within a factor of two of each other in the caller's estimate of their work; see size_class)
// is measured and decided on its own (pool_probe.c): with one probe for all, a window that happened to hold large
// jobs was compared with one of small jobs (docs/performance.md, "One probe per job size"), and a small job can run
// faster alone where a large one gains from the workers. Results do not depend on it: any thread may run any part.
#define SIZE_CLASSES 64
// All guarded by `busy`.
static mlp_pool_probe probes[SIZE_CLASSES];
static int probes_ready;

// floor(log2(size)) + 1 (at most 63 for a long), 0 for sizes below 1.
static int size_class(long size) {
    return size < 1 ? 0 : 64 - __builtin_clzll((unsigned long long)size);
}

static void reset_probes(void) {
    for (int i = 0; i < SIZE_CLASSES; i++) mlp_pool_probe_restart(&probes[i]);
    probes_ready = 1;
}

static mlp_pool_probe *probe_for(long size) {
    if (!probes_ready) reset_probes();
    return &probes[size_class(size)];
}

int mlp_pool_workers_spinning(void) {
    return atomic_load_explicit(&current.generation, memory_order_relaxed) > 0 &&
           atomic_load_explicit(&sleepers, memory_order_relaxed) == 0;
}

void mlp_pool_end_solo(void) {
    pthread_mutex_lock(&busy.mutex);
    reset_probes();
    pthread_mutex_unlock(&busy.mutex);
}

int mlp_pool_is_solo(long size) {
    pthread_mutex_lock(&busy.mutex);
    mlp_pool_probe *p = probe_for(size);
    int solo = mlp_pool_probe_is_solo(p);
    pthread_mutex_unlock(&busy.mutex);
    return solo;
}

// Takes the pool for one job of `size` on `threads` threads, starting workers as needed. Returns the threads the job
// gets, or 0 when the caller should run it alone (threads <= 1, the pool busy, or solo measured faster for its size);
// `started` and `probe` receive the time and the size class for end_job. When it returns a count the caller holds
// `busy`.
static int begin_job(int threads, long size, long *started, mlp_pool_probe **probe) {
    if (threads > MAX_WORKERS + 1) threads = MAX_WORKERS + 1;
    if (threads <= 1 || pthread_mutex_trylock(&busy.mutex) != 0) return 0;
    *probe = probe_for(size);
    *started = job_clock_ns();
    if (mlp_pool_probe_start(*probe)) return 1;
#if defined(__linux__)
    if (worker_count < threads - 1) atomic_store_explicit(&publisher_cpu, sched_getcpu(), memory_order_relaxed);
#endif
    while (worker_count < threads - 1) {
        pthread_t thread;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        start_generation[worker_count + 1] = atomic_load(&current.generation);
        int failed = pthread_create(&thread, &attr, worker_main, (void *)(long)(worker_count + 1));
        pthread_attr_destroy(&attr);
        if (failed) break;
        worker_count++;
    }
    return threads > worker_count + 1 ? worker_count + 1 : threads;
}

// Publishes job `g` (its fields already stored) and wakes parked workers.
static void publish(unsigned long long g, int threads) {
    atomic_store_explicit(&current.threads, threads, memory_order_relaxed);
    atomic_store(&current.generation, g);  // seq_cst: releases the fields above; pairs with the sleepers check
    if (atomic_load(&sleepers) > 0) {
#if defined(__linux__)
        atomic_store_explicit(&publisher_cpu, sched_getcpu(), memory_order_relaxed);
#endif
        pthread_mutex_lock(&park_lock);
        pthread_cond_broadcast(&park_cond);
        pthread_mutex_unlock(&park_lock);
    }
}

// Waits for the job's `count` parts, records its time (`joined`: a worker ran some of them) and releases the pool.
static void end_job(int count, int joined, long started, mlp_pool_probe *probe) {
    for (unsigned spins = 0; atomic_load_explicit(&done, memory_order_acquire) < count; spins++) relax(spins);
    mlp_pool_probe_record(probe, started, job_clock_ns(), joined);
    pthread_mutex_unlock(&busy.mutex);
}

void mlp_pool_run(int count, int threads, long size, mlp_task_fn task, void *context) {
    if (count > MAX_PARTS) count = MAX_PARTS;
    long started = 0;
    mlp_pool_probe *probe = NULL;
    threads = begin_job(threads > count ? count : threads, size, &started, &probe);
    if (threads <= 1) {
        for (int i = 0; i < count; i++) task(context, i, count);
        if (threads == 1) end_job(0, 0, started, probe);
        return;
    }
    // The previous job's parts are all done, so no worker can still start one of them.
    unsigned long long g = atomic_load_explicit(&current.generation, memory_order_relaxed) + 1;
    atomic_store_explicit(&job_task, task, memory_order_relaxed);
    atomic_store_explicit(&job_count, count, memory_order_relaxed);
    atomic_store_explicit(&ticket, g << 16, memory_order_relaxed);
    atomic_store_explicit(&job_context, context, memory_order_relaxed);
    atomic_store_explicit(&done, 0, memory_order_relaxed);
    publish(g, threads);
    int ran = run_parts(g, task, context, count);
    end_job(count, ran < count, started, probe);
}

void mlp_pool_run_phases(int phases, const int *parts, int threads, long size, mlp_phase_task_fn task,
                         void *context) {
    int total = 0;
    for (int phase = 0; phase < phases; phase++) total += parts[phase];
    long started = 0;
    mlp_pool_probe *probe = NULL;
    if (phases <= MAX_PHASES && total <= MAX_PHASED_PARTS) threads = begin_job(threads, size, &started, &probe);
    else threads = 0;
    if (threads <= 1) {
        for (int phase = 0; phase < phases; phase++)
            for (int part = 0; part < parts[phase]; part++) task(context, phase, part, parts[phase]);
        if (threads == 1) end_job(0, 0, started, probe);
        return;
    }
    unsigned long long g = atomic_load_explicit(&current.generation, memory_order_relaxed) + 1;
    phased_job job = {.task = task, .context = context, .threads = threads, .phases = phases,
                      .woke = atomic_load(&sleepers) > 0};
    for (int phase = 0, end = 0; phase < phases; phase++) job.ends[phase] = end += parts[phase];
    write_phased_job(g, &job);
    publish(g, threads);
    int ran = run_phases(g, 0, &job);
    end_job(0, ran < job.ends[phases - 1], started, probe);  // run_phases returned with every part done
}
