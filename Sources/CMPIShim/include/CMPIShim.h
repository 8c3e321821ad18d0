// A run-time binding of the few Open MPI functions data-parallel training uses. libmpi is opened with dlopen on
// the first call, so nothing in the build or in `swift test` needs MPI installed.
#ifndef CMPISHIM_H
#define CMPISHIM_H

// Loads libmpi (MLP_MPI_LIBRARY only, when set; else libmpi.so.40, then libmpi.so) and resolves the functions and Open MPI's
// predefined handles. Returns 0, or -1 with a message in `error` (size `capacity`).
int mlp_mpi_load(char *error, int capacity);
// MPI_Init_thread(MPI_THREAD_FUNNELED) on MPI_COMM_WORLD; fills rank and size. Returns the MPI error code.
int mlp_mpi_init(int *rank, int *size);
// MPI_Allgatherv in place over MPI_BYTE: process q's bytes are buffer[displacements[q] ..< + counts[q]].
int mlp_mpi_allgatherv_bytes(void *buffer, const int *counts, const int *displacements);
// MPI_Bcast of `count` bytes from `root`.
int mlp_mpi_bcast_bytes(void *buffer, int count, int root);
// MPI_Allgather of `count` bytes from each process into `receive` (size * count bytes).
int mlp_mpi_allgather_bytes(const void *send, int count, void *receive);
int mlp_mpi_barrier(void);
// Starts a thread that ends this process (exit status 1, one message) when a collective has waited more than
// `seconds`: a rank that hangs without dying then ends the job like one that died. 0 or less: no watchdog.
int mlp_mpi_start_watchdog(double seconds, int rank);
// MPI_Abort(MPI_COMM_WORLD, code): ends every process of the job.
int mlp_mpi_abort(int code);
int mlp_mpi_finalize(void);
// MPI_Wtime.
double mlp_mpi_wtime(void);

#endif
