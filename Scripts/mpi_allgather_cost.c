// The α–β cost of the collective data-parallel training makes (MPI_Allgatherv in place, each rank sending an
// equal share), for docs/distributed.md: mean seconds per call for totals of 8 B to 16 MiB.
//   mpicc -O2 Scripts/mpi_allgather_cost.c -o allgather_cost && mpirun -np 2 ./allgather_cost
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int *counts = malloc(sizeof(int) * size), *displacements = malloc(sizeof(int) * size);
    char *buffer = calloc(16 << 20, 1);
    if (rank == 0) printf("# ranks %d\n# total_bytes seconds_per_call\n", size);
    for (long total = 8; total <= (16 << 20); total *= 4) {
        for (int q = 0; q < size; q++) {
            displacements[q] = (int)(total * q / size);
            counts[q] = (int)(total * (q + 1) / size) - displacements[q];
        }
        int repeats = total < (1 << 16) ? 2000 : 200;
        for (int i = 0; i < 10; i++)
            MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_BYTE, buffer, counts, displacements, MPI_BYTE, MPI_COMM_WORLD);
        MPI_Barrier(MPI_COMM_WORLD);
        double start = MPI_Wtime();
        for (int i = 0; i < repeats; i++)
            MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_BYTE, buffer, counts, displacements, MPI_BYTE, MPI_COMM_WORLD);
        double seconds = (MPI_Wtime() - start) / repeats;
        if (rank == 0) printf("%ld %.3e\n", total, seconds);
    }
    MPI_Finalize();
    return 0;
}
