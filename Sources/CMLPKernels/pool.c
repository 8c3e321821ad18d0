// Persistent worker pool: workers spin on a generation counter for a short while after each job
// (so back-to-back GEMMs in a training loop hand off in well under a microsecond), then park on a
// condition variable (so an idle process burns no CPU). DispatchQueue.concurrentPerform costs
// 50-100 us per call to wake its threads, more than a whole batch-200 product.
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
#define SPIN_NANOSECONDS 200000L  // keep polling this long after the last job before parking
#define PAUSE_SPINS 256           // pure pause-spins before each poll also yields the core
// Yielding matters when other processes share the cores: a waiter that only spins can hold the core
// its partner needs for a whole scheduler slice (measured: 420 us per hand-off instead of ~1 us).

static void relax(unsigned spins) {
    if (spins < PAUSE_SPINS) CPU_RELAX();
    else sched_yield();
}

static pthread_mutex_t busy = PTHREAD_MUTEX_INITIALIZER;  // one job at a time
static pthread_mutex_t park_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t park_cond = PTHREAD_COND_INITIALIZER;
static atomic_uint generation;
static atomic_int sleepers;
static atomic_int remaining;
static int worker_count;  // guarded by `busy`
static mlp_task_fn job_task;
static void *job_context;
static int job_count;

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)t.tv_sec * 1000000000L + t.tv_nsec;
}

static unsigned start_generation[MAX_WORKERS + 1];  // the generation each worker was created in

static void *worker_main(void *arg) {
    int index = (int)(long)arg;
    unsigned seen = start_generation[index];  // not a fresh load: the first job may already be published
    for (;;) {
        // Spin, then park, until a new job is published.
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
        // Every worker acknowledges every job, so job fields are never rewritten under a late reader.
        if (index < job_count) job_task(job_context, index, job_count);
        atomic_fetch_sub_explicit(&remaining, 1, memory_order_release);
    }
    return NULL;
}

void mlp_pool_run(int count, mlp_task_fn task, void *context) {
    if (count > MAX_WORKERS + 1) count = MAX_WORKERS + 1;
    if (count <= 1 || pthread_mutex_trylock(&busy) != 0) {
        for (int i = 0; i < count; i++) task(context, i, count);
        return;
    }
    while (worker_count < count - 1) {
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
    if (count > worker_count + 1) count = worker_count + 1;
    job_task = task;
    job_context = context;
    job_count = count;
    atomic_store(&remaining, worker_count);
    atomic_fetch_add(&generation, 1);  // seq_cst: pairs with the sleepers check in worker_main
    if (atomic_load(&sleepers) > 0) {
        pthread_mutex_lock(&park_lock);
        pthread_cond_broadcast(&park_cond);
        pthread_mutex_unlock(&park_lock);
    }
    task(context, 0, count);
    for (unsigned spins = 0; atomic_load_explicit(&remaining, memory_order_acquire) > 0; spins++) relax(spins);
    pthread_mutex_unlock(&busy);
}
