#include "CMPIShim.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

// Open MPI's handles are pointers to predefined objects (MPI_COMM_WORLD is &ompi_mpi_comm_world, MPI_BYTE is
// &ompi_mpi_byte), so the addresses of those symbols are the handles; MPI_IN_PLACE is (void *)1.
typedef void *handle;
#define MPI_IN_PLACE_VALUE ((void *)1)
#define MPI_THREAD_FUNNELED_VALUE 1

static struct {
    int (*init_thread)(int *, char ***, int, int *);
    int (*comm_rank)(handle, int *);
    int (*comm_size)(handle, int *);
    int (*allgatherv)(const void *, int, handle, void *, const int *, const int *, handle, handle);
    int (*allgather)(const void *, int, handle, void *, int, handle, handle);
    int (*bcast)(void *, int, handle, int, handle);
    int (*barrier)(handle);
    int (*abort_)(handle, int);
    int (*finalize)(void);
    double (*wtime)(void);
    handle world, byte;
} mpi;

#if defined(__APPLE__)
#define INSTALL_OPEN_MPI "brew install open-mpi"
#else
#define INSTALL_OPEN_MPI "apt-get install openmpi-bin"
#endif

static void *resolve(void *library, const char *name, int *missing, char *error, int capacity) {
    void *symbol = dlsym(library, name);
    if (!symbol && !*missing) {
        *missing = 1;
        snprintf(error, (size_t)capacity, "libmpi has no symbol %s: Open MPI is needed (" INSTALL_OPEN_MPI ")", name);
    }
    return symbol;
}

int mlp_mpi_load(char *error, int capacity) {
    if (mpi.world) return 0;
    // MLP_MPI_LIBRARY, when set, is the only library tried.
    const char *override = getenv("MLP_MPI_LIBRARY");
#if defined(__APPLE__)
    // Homebrew's Open MPI: /opt/homebrew/lib (arm64) and /usr/local/lib (x86-64), which dlopen searches only for the
    // latter.
    const char *names[] = {override ? override : "libmpi.40.dylib", override ? NULL : "libmpi.dylib",
                           override ? NULL : "/opt/homebrew/lib/libmpi.40.dylib"};
#else
    const char *names[] = {override ? override : "libmpi.so.40", override ? NULL : "libmpi.so", NULL};
#endif
    void *library = NULL;
    for (int i = 0; i < 3 && !library; i++) {
        // RTLD_GLOBAL: Open MPI's components, which libmpi opens itself, resolve their symbols against it.
        if (names[i]) library = dlopen(names[i], RTLD_NOW | RTLD_GLOBAL);
    }
    if (!library) {
        snprintf(error, (size_t)capacity, "cannot load libmpi (%s): install Open MPI (" INSTALL_OPEN_MPI ") or set "
                 "MLP_MPI_LIBRARY", dlerror());
        return -1;
    }
    int missing = 0;
#define RESOLVE(field, name) *(void **)&mpi.field = resolve(library, name, &missing, error, capacity)
    RESOLVE(init_thread, "MPI_Init_thread");
    RESOLVE(comm_rank, "MPI_Comm_rank");
    RESOLVE(comm_size, "MPI_Comm_size");
    RESOLVE(allgatherv, "MPI_Allgatherv");
    RESOLVE(allgather, "MPI_Allgather");
    RESOLVE(bcast, "MPI_Bcast");
    RESOLVE(barrier, "MPI_Barrier");
    RESOLVE(abort_, "MPI_Abort");
    RESOLVE(finalize, "MPI_Finalize");
    RESOLVE(wtime, "MPI_Wtime");
    handle byte = resolve(library, "ompi_mpi_byte", &missing, error, capacity);
    handle world = resolve(library, "ompi_mpi_comm_world", &missing, error, capacity);
#undef RESOLVE
    if (missing) return -1;
    mpi.byte = byte;
    mpi.world = world;
    return 0;
}

// The watchdog: a rank that hangs without dying leaves the others blocked in a collective, which MPI never times
// out. `entered` holds when the current collective began (monotonic nanoseconds, 0 outside one).
static _Atomic long long entered;
static double watchdog_seconds;
static int watchdog_rank;

static long long monotonic_nanoseconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void *watch(void *unused) {
    (void)unused;
    for (;;) {
        sleep(1);
        long long since = atomic_load(&entered);
        if (since && (double)(monotonic_nanoseconds() - since) / 1e9 > watchdog_seconds) {
            char line[256];
            int n = snprintf(line, sizeof line, "mlp: rank %d: waited %.0f s in a collective: another rank is stuck "
                             "(MLP_MPI_TIMEOUT sets the limit); ending the job\n", watchdog_rank, watchdog_seconds);
            if (write(2, line, (size_t)n) < 0) {}
            _exit(1);  // mpirun sees a rank fail and ends the others
        }
    }
    return NULL;
}

int mlp_mpi_start_watchdog(double seconds, int rank) {
    if (seconds <= 0) return 0;
    watchdog_seconds = seconds;
    watchdog_rank = rank;
    pthread_t thread;
    if (pthread_create(&thread, NULL, watch, NULL)) return -1;
    return pthread_detach(thread);
}

#define GUARDED(call)                                                 \
    do {                                                              \
        atomic_store(&entered, monotonic_nanoseconds());              \
        int code_ = (call);                                           \
        atomic_store(&entered, 0);                                    \
        return code_;                                                 \
    } while (0)

int mlp_mpi_init(int *rank, int *size) {
    int provided = 0;
    int code = mpi.init_thread(NULL, NULL, MPI_THREAD_FUNNELED_VALUE, &provided);
    if (code) return code;
    code = mpi.comm_rank(mpi.world, rank);
    return code ? code : mpi.comm_size(mpi.world, size);
}

int mlp_mpi_allgatherv_bytes(void *buffer, const int *counts, const int *displacements) {
    GUARDED(mpi.allgatherv(MPI_IN_PLACE_VALUE, 0, mpi.byte, buffer, counts, displacements, mpi.byte, mpi.world));
}

int mlp_mpi_bcast_bytes(void *buffer, int count, int root) { GUARDED(mpi.bcast(buffer, count, mpi.byte, root, mpi.world)); }

int mlp_mpi_allgather_bytes(const void *send, int count, void *receive) {
    GUARDED(mpi.allgather(send, count, mpi.byte, receive, count, mpi.byte, mpi.world));
}

int mlp_mpi_barrier(void) { GUARDED(mpi.barrier(mpi.world)); }
int mlp_mpi_abort(int code) { return mpi.abort_(mpi.world, code); }
int mlp_mpi_finalize(void) { return mpi.finalize(); }
double mlp_mpi_wtime(void) { return mpi.wtime(); }
