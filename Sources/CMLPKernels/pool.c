// Persistent worker pool: workers spin on a generation counter for a short while after each job
// (so back-to-back GEMMs in a training loop hand off in about a microsecond), yield the core while they
// wait, then park on a condition variable (so an idle process burns no CPU). DispatchQueue.concurrentPerform
// wakes its threads on every call, which costs more than a whole batch-200 product.
// Parts are claimed one at a time by whichever thread is free (the caller included), so on a machine whose other
// core is busy a job degrades to about the single-thread time instead of waiting for a descheduled worker, and a
// job split into more parts than threads balances itself when one core runs slower than the other.
#define _GNU_SOURCE  // sched_getcpu, pthread_{get,set}affinity_np
#include "CMLPKernels.h"
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CPU_RELAX() _mm_pause()
#elif defined(__aarch64__)
#define CPU_RELAX() __asm__ __volatile__("yield")
#else
#define CPU_RELAX() ((void)0)
#endif

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

static pthread_mutex_t busy = PTHREAD_MUTEX_INITIALIZER;  // one job at a time
static pthread_mutex_t park_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t park_cond = PTHREAD_COND_INITIALIZER;
static int worker_count;  // guarded by `busy`

// The current job: parts 0..<job_count, claimed in order through `ticket`, which holds the job's generation in
// its high bits and the next unclaimed part in its low 16. Every participant (the caller and up to job_threads - 1
// workers) claims parts until none are left, so a slow or descheduled thread simply runs fewer parts. A worker
// still holding an older generation fails its compare-and-swap, so job fields are never used under a stale one.
static atomic_ullong generation;  // 64-bit: never wraps
static _Atomic(mlp_task_fn) job_task;
static _Atomic(void *) job_context;
static atomic_int job_count;
static atomic_int job_threads;
static atomic_ullong ticket;
static atomic_int done;  // parts finished in the current job
static atomic_int sleepers;
static atomic_int publisher_cpu = -1;  // the caller's CPU when it last started or woke workers

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)t.tv_sec * 1000000000L + t.tv_nsec;
}

// A phased job (mlp_pool_run_phases) instead: phases run one after another, and part p of a phase belongs to thread
// p % threads, so a thread meets the same data (one row's weights, kept in its own L2) call after call. A thread
// that finds a part still unclaimed after its own takes it, so a descheduled or parked worker delays nothing.
// claims[i] is 2g while part i of job g is free and 2g + 1 once taken: a worker still holding an older
// generation fails its compare-and-swap.
#define MAX_PHASES 16
#define MAX_PHASED_PARTS 256
static _Atomic(mlp_phase_task_fn) phased_task;  // null for a job of independent parts
static atomic_int phased_count, phased_ends[MAX_PHASES];  // published with `generation`
static atomic_ullong claims[MAX_PHASED_PARTS];

static unsigned long long start_generation[MAX_WORKERS + 1];  // the generation each worker was created in

// Claims and runs parts of job `g` until none is left.
static void run_parts(unsigned long long g, mlp_task_fn task, void *context, int count) {
    for (;;) {
        unsigned long long t = atomic_load_explicit(&ticket, memory_order_acquire);
        if (t >> 16 != g) return;
        int index = (int)(t & 0xFFFF);
        if (index >= count) return;
        if (!atomic_compare_exchange_weak(&ticket, &t, t + 1)) continue;
        task(context, index, count);
        atomic_fetch_add_explicit(&done, 1, memory_order_release);
    }
}

static int claim(unsigned long long g, int part) {
    unsigned long long free = 2 * g;
    return atomic_compare_exchange_strong(&claims[part], &free, free + 1);
}

// Runs `thread`'s parts of phased job `g`, then any left unclaimed, phase by phase, waiting before each phase until
// the earlier ones are finished. Returns early when the job is over (a late worker).
static void run_phases(unsigned long long g, int thread, int threads) {
    mlp_phase_task_fn task = atomic_load_explicit(&phased_task, memory_order_relaxed);
    void *context = atomic_load_explicit(&job_context, memory_order_relaxed);
    int start = 0;
    int phases = atomic_load_explicit(&phased_count, memory_order_relaxed);
    for (int phase = 0; phase < phases; phase++) {
        int end = atomic_load_explicit(&phased_ends[phase], memory_order_relaxed), parts = end - start;
        for (unsigned spins = 0; atomic_load_explicit(&done, memory_order_acquire) < start; spins++) {
            if (atomic_load_explicit(&generation, memory_order_relaxed) != g) return;
            relax(spins);
        }
        for (int pass = 0; pass < 2; pass++)  // own parts, then the others still free
            for (int part = 0; part < parts; part++) {
                if ((part % threads == thread) != (pass == 0) || !claim(g, start + part)) continue;
                task(context, phase, part, parts);
                atomic_fetch_add_explicit(&done, 1, memory_order_release);
            }
        start = end;
    }
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
        long start = now_ns();
        unsigned spins = 0;
        while (atomic_load_explicit(&generation, memory_order_acquire) == seen) {
            relax(spins);
            if ((++spins & 255) == 0 && now_ns() - start > SPIN_NANOSECONDS) {
                pthread_mutex_lock(&park_lock);
                atomic_fetch_add(&sleepers, 1);
                while (atomic_load(&generation) == seen) pthread_cond_wait(&park_cond, &park_lock);
                atomic_fetch_sub(&sleepers, 1);
                pthread_mutex_unlock(&park_lock);
                leave_publisher_cpu();
            }
        }
        seen = atomic_load_explicit(&generation, memory_order_acquire);
        int threads = atomic_load_explicit(&job_threads, memory_order_relaxed);
        if (index >= threads) continue;
        if (atomic_load_explicit(&phased_task, memory_order_relaxed))
            run_phases(seen, index, threads);
        else
            run_parts(seen, atomic_load_explicit(&job_task, memory_order_relaxed),
                      atomic_load_explicit(&job_context, memory_order_relaxed),
                      atomic_load_explicit(&job_count, memory_order_relaxed));
    }
    return NULL;
}

// When the other core is not really free (two vCPUs on one physical core, or a neighbour's load), one thread can
// beat two (docs/performance.md, "The machine"). So the pool measures: PROBE_JOBS jobs with the workers, then as
// many on the calling thread alone, timing each window, and runs the next DECIDED_JOBS jobs the faster way; then it
// measures again. Each size class (jobs within a factor of two of each other in the caller's estimate of their work;
// see size_class) is measured and decided on its own: with one probe for all, a window that happened to hold large
// jobs was compared with one of small jobs (docs/performance.md, "One probe per job size"), and a small job can run
// faster alone where a large one gains from the workers.
// (Training alternates a batch's two phases of one size, so equal even-length windows see the same mix of jobs.)
// Results do not depend on it: any thread may run any part.
#define PROBE_JOBS 64
#define DECIDED_JOBS 4096
enum { MEASURE_PARALLEL, MEASURE_SOLO, DECIDED };
// A class's first WARMUP_JOBS use the workers unmeasured: thread start, first-touch page faults and cold caches would
// make the first parallel window look slow and send a whole run to one thread.
#define WARMUP_JOBS 256
// Large jobs (a 2048 square takes 0.1 s) would make 64-job windows and 4,096-job decisions last minutes, so a busy
// spell could pin a long-lived process to one thread for that long: a window also closes once it has run
// PROBE_WINDOW_NS (at an even job count, keeping the two windows' mix of training phases alike), and a decision
// lasts at most DECIDED_PER_PROBE times the time its probe took, so probing costs a few percent at most.
#define PROBE_WINDOW_NS 2000000L
#define DECIDED_PER_PROBE 32
#define SIZE_CLASSES 64
typedef struct {
    int state, window_jobs, solo;                  // solo: the decision, while DECIDED
    long parallel_ns, solo_ns, decided_until_ns;
    unsigned long long jobs, window_start, decided_until;  // jobs: this class's jobs so far
} size_class_probe;
// All guarded by `busy`.
static size_class_probe probes[SIZE_CLASSES];
static int probes_ready;

// floor(log2(size)) + 1 (at most 63 for a long), 0 for sizes below 1.
static int size_class(long size) {
    return size < 1 ? 0 : 64 - __builtin_clzll((unsigned long long)size);
}

static void reset_probes(void) {
    for (int i = 0; i < SIZE_CLASSES; i++)
        probes[i] = (size_class_probe){.state = DECIDED, .decided_until = probes[i].jobs + WARMUP_JOBS,
                                       .decided_until_ns = LONG_MAX, .jobs = probes[i].jobs};
    probes_ready = 1;
}

static size_class_probe *probe_for(long size) {
    if (!probes_ready) reset_probes();
    return &probes[size_class(size)];
}

void mlp_pool_end_solo(void) {
    pthread_mutex_lock(&busy);
    reset_probes();
    pthread_mutex_unlock(&busy);
}

int mlp_pool_is_solo(long size) {
    pthread_mutex_lock(&busy);
    size_class_probe *p = probe_for(size);
    int solo = p->state == DECIDED && p->solo;
    pthread_mutex_unlock(&busy);
    return solo;
}

// Adds one job of class `p` (started at `started`, `now` when it ended) to the window being measured and moves the
// state on. Called with `busy` held.
static void record_job(size_class_probe *p, long started, long now) {
    if (p->state == DECIDED) {
        if (p->jobs >= p->decided_until || now >= p->decided_until_ns) {
            p->state = MEASURE_PARALLEL;
            p->window_start = p->jobs;
        }
        return;
    }
    int windowJobs = (int)(p->jobs - p->window_start);
    if (p->state == MEASURE_PARALLEL) {
        p->parallel_ns += now - started;
        if (windowJobs < PROBE_JOBS && (p->parallel_ns < PROBE_WINDOW_NS || windowJobs % 2)) return;
        p->window_jobs = windowJobs;  // the solo window runs as many jobs
        p->window_start = p->jobs;
        p->state = MEASURE_SOLO;
        return;
    }
    p->solo_ns += now - started;
    if (windowJobs < p->window_jobs) return;
    p->solo = p->solo_ns < p->parallel_ns * 9 / 10;  // one thread only when clearly faster
    p->decided_until = p->jobs + DECIDED_JOBS;
    p->decided_until_ns = now + DECIDED_PER_PROBE * (p->parallel_ns + p->solo_ns);
    p->parallel_ns = p->solo_ns = 0;
    p->state = DECIDED;
}

// Takes the pool for one job of `size` on `threads` threads, starting workers as needed. Returns the threads the job
// gets, or 0 when the caller should run it alone (threads <= 1, the pool busy, or solo measured faster for its size);
// `started` and `probe` receive the time and the size class for record_job. When it returns a count the caller holds
// `busy`.
static int begin_job(int threads, long size, long *started, size_class_probe **probe) {
    if (threads > MAX_WORKERS + 1) threads = MAX_WORKERS + 1;
    if (threads <= 1 || pthread_mutex_trylock(&busy) != 0) return 0;
    size_class_probe *p = *probe = probe_for(size);
    p->jobs++;
    *started = now_ns();
    if (p->state == MEASURE_SOLO || (p->state == DECIDED && p->solo)) return 1;
#if defined(__linux__)
    if (worker_count < threads - 1) atomic_store_explicit(&publisher_cpu, sched_getcpu(), memory_order_relaxed);
#endif
    while (worker_count < threads - 1) {
        pthread_t thread;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        start_generation[worker_count + 1] = atomic_load(&generation);
        int failed = pthread_create(&thread, &attr, worker_main, (void *)(long)(worker_count + 1));
        pthread_attr_destroy(&attr);
        if (failed) break;
        worker_count++;
    }
    return threads > worker_count + 1 ? worker_count + 1 : threads;
}

// Publishes job `g` (its fields already stored) and wakes parked workers.
static void publish(unsigned long long g, void *context, int threads) {
    atomic_store_explicit(&job_context, context, memory_order_relaxed);
    atomic_store_explicit(&job_threads, threads, memory_order_relaxed);
    atomic_store_explicit(&done, 0, memory_order_relaxed);
    atomic_store(&generation, g);  // seq_cst: releases the fields above; pairs with the sleepers check
    if (atomic_load(&sleepers) > 0) {
#if defined(__linux__)
        atomic_store_explicit(&publisher_cpu, sched_getcpu(), memory_order_relaxed);
#endif
        pthread_mutex_lock(&park_lock);
        pthread_cond_broadcast(&park_cond);
        pthread_mutex_unlock(&park_lock);
    }
}

// Waits for the job's `count` parts, records its time and releases the pool.
static void end_job(int count, long started, size_class_probe *probe) {
    for (unsigned spins = 0; atomic_load_explicit(&done, memory_order_acquire) < count; spins++) relax(spins);
    record_job(probe, started, now_ns());
    pthread_mutex_unlock(&busy);
}

void mlp_pool_run(int count, int threads, long size, mlp_task_fn task, void *context) {
    if (count > MAX_PARTS) count = MAX_PARTS;
    long started = 0;
    size_class_probe *probe = NULL;
    threads = begin_job(threads > count ? count : threads, size, &started, &probe);
    if (threads <= 1) {
        for (int i = 0; i < count; i++) task(context, i, count);
        if (threads == 1) end_job(0, started, probe);
        return;
    }
    // The previous job's parts are all done, so no worker can still start one of them.
    unsigned long long g = atomic_load_explicit(&generation, memory_order_relaxed) + 1;
    atomic_store_explicit(&phased_task, NULL, memory_order_relaxed);
    atomic_store_explicit(&job_task, task, memory_order_relaxed);
    atomic_store_explicit(&job_count, count, memory_order_relaxed);
    atomic_store_explicit(&ticket, g << 16, memory_order_relaxed);
    publish(g, context, threads);
    run_parts(g, task, context, count);
    end_job(count, started, probe);
}

void mlp_pool_run_phases(int phases, const int *parts, int threads, long size, mlp_phase_task_fn task,
                         void *context) {
    int total = 0;
    for (int phase = 0; phase < phases; phase++) total += parts[phase];
    long started = 0;
    size_class_probe *probe = NULL;
    if (phases <= MAX_PHASES && total <= MAX_PHASED_PARTS) threads = begin_job(threads, size, &started, &probe);
    else threads = 0;
    if (threads <= 1) {
        for (int phase = 0; phase < phases; phase++)
            for (int part = 0; part < parts[phase]; part++) task(context, phase, part, parts[phase]);
        if (threads == 1) end_job(0, started, probe);
        return;
    }
    unsigned long long g = atomic_load_explicit(&generation, memory_order_relaxed) + 1;
    atomic_store_explicit(&phased_task, task, memory_order_relaxed);
    atomic_store_explicit(&phased_count, phases, memory_order_relaxed);
    for (int phase = 0, end = 0; phase < phases; phase++)
        atomic_store_explicit(&phased_ends[phase], end += parts[phase], memory_order_relaxed);
    for (int i = 0; i < total; i++) atomic_store_explicit(&claims[i], 2 * g, memory_order_relaxed);
    publish(g, context, threads);
    run_phases(g, 0, threads);
    end_job(total, started, probe);
}
