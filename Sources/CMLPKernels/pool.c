// Persistent worker pool: workers spin on a generation counter for a short while after each job
// (so back-to-back GEMMs in a training loop hand off in about a microsecond), yield the core while they
// wait, then park on a condition variable (so an idle process burns no CPU). DispatchQueue.concurrentPerform
// wakes its threads on every call, which costs more than a whole batch-200 product.
// Parts are claimed one at a time by whichever thread is free (the caller included), so on a machine whose other
// core is busy a job degrades to about the single-thread time instead of waiting for a descheduled worker, and a
// job split into more parts than threads balances itself when one core runs slower than the other.
#include "CMLPKernels.h"
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

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)t.tv_sec * 1000000000L + t.tv_nsec;
}

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

static void *worker_main(void *arg) {
    int index = (int)(long)arg;
    unsigned long long seen = start_generation[index];  // not a fresh load: the first job may already be out
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
            }
        }
        seen = atomic_load_explicit(&generation, memory_order_acquire);
        if (index < atomic_load_explicit(&job_threads, memory_order_relaxed))
            run_parts(seen, atomic_load_explicit(&job_task, memory_order_relaxed),
                      atomic_load_explicit(&job_context, memory_order_relaxed),
                      atomic_load_explicit(&job_count, memory_order_relaxed));
    }
    return NULL;
}

// When the other core is not really free (two vCPUs on one physical core, or a neighbour's load), one thread can
// beat two (docs/performance.md, "The machine"). So the pool measures: PROBE_JOBS jobs with the workers, then PROBE_JOBS on the calling thread alone, timing each
// window, and runs the next DECIDED_JOBS jobs the faster way; then it measures again. (Training alternates a
// batch's two phases, so equal even-length windows see the same mix of jobs.) Results do not depend on it: any
// thread may run any part.
#define PROBE_JOBS 64
#define DECIDED_JOBS 4096
enum { MEASURE_PARALLEL, MEASURE_SOLO, DECIDED };
// All guarded by `busy`.
// The first WARMUP_JOBS use the workers unmeasured: thread start, first-touch page faults and cold caches would
// make the first parallel window look slow and send a whole run to one thread.
#define WARMUP_JOBS 256
static int probe_state = DECIDED, probe_jobs, decided_solo;
static long probe_parallel_ns, probe_solo_ns;
static unsigned long long job_serial, decided_until = WARMUP_JOBS;

void mlp_pool_end_solo(void) {
    pthread_mutex_lock(&busy);
    probe_state = DECIDED;
    decided_until = job_serial + WARMUP_JOBS;
    probe_jobs = 0;
    probe_parallel_ns = probe_solo_ns = 0;
    decided_solo = 0;
    pthread_mutex_unlock(&busy);
}

int mlp_pool_is_solo(void) {
    pthread_mutex_lock(&busy);
    int solo = probe_state == DECIDED && decided_solo;
    pthread_mutex_unlock(&busy);
    return solo;
}

// Adds one job's time to the window being measured and moves the state on. Called with `busy` held.
static void record_job(long nanoseconds) {
    if (probe_state == DECIDED) {
        if (job_serial >= decided_until) probe_state = MEASURE_PARALLEL;
        return;
    }
    if (probe_state == MEASURE_PARALLEL) probe_parallel_ns += nanoseconds;
    else probe_solo_ns += nanoseconds;
    if (++probe_jobs < PROBE_JOBS) return;
    probe_jobs = 0;
    if (probe_state == MEASURE_PARALLEL) {
        probe_state = MEASURE_SOLO;
        return;
    }
    decided_solo = probe_solo_ns < probe_parallel_ns * 9 / 10;  // one thread only when clearly faster
    probe_parallel_ns = probe_solo_ns = 0;
    probe_state = DECIDED;
    decided_until = job_serial + DECIDED_JOBS;
}

void mlp_pool_run(int count, int threads, mlp_task_fn task, void *context) {
    if (count > MAX_PARTS) count = MAX_PARTS;
    if (threads > count) threads = count;
    if (threads > MAX_WORKERS + 1) threads = MAX_WORKERS + 1;
    if (threads <= 1 || pthread_mutex_trylock(&busy) != 0) {
        for (int i = 0; i < count; i++) task(context, i, count);
        return;
    }
    job_serial++;
    long started = now_ns();
    if (probe_state == MEASURE_SOLO || (probe_state == DECIDED && decided_solo)) {
        for (int i = 0; i < count; i++) task(context, i, count);
        record_job(now_ns() - started);
        pthread_mutex_unlock(&busy);
        return;
    }
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
    if (threads > worker_count + 1) threads = worker_count + 1;
    // Publish. The previous job's parts are all done, so no worker can still start one of them.
    unsigned long long g = atomic_load_explicit(&generation, memory_order_relaxed) + 1;
    atomic_store_explicit(&job_task, task, memory_order_relaxed);
    atomic_store_explicit(&job_context, context, memory_order_relaxed);
    atomic_store_explicit(&job_count, count, memory_order_relaxed);
    atomic_store_explicit(&job_threads, threads, memory_order_relaxed);
    atomic_store_explicit(&done, 0, memory_order_relaxed);
    atomic_store_explicit(&ticket, g << 16, memory_order_relaxed);
    atomic_store(&generation, g);  // seq_cst: releases the fields above; pairs with the sleepers check
    if (atomic_load(&sleepers) > 0) {
        pthread_mutex_lock(&park_lock);
        pthread_cond_broadcast(&park_cond);
        pthread_mutex_unlock(&park_lock);
    }
    run_parts(g, task, context, count);
    for (unsigned spins = 0; atomic_load_explicit(&done, memory_order_acquire) < count; spins++) relax(spins);
    record_job(now_ns() - started);
    pthread_mutex_unlock(&busy);
}
