/* The page the block benchmarks' soaker shares with their client (bench/block/soaker.c). */
#ifndef BENCH_BLOCK_SOAK_H
#define BENCH_BLOCK_SOAK_H

#include <stdint.h>

/* A gap between two TSC reads of the soaker's loop longer than this was another thread's time.
 * The loop takes about ten instructions (-icount shift=0: ten ticks) and some tens of cycles
 * under KVM; the shortest detour through the kernel to another thread takes hundreds. */
#define BLOCK_BENCH_SOAK_GAP 200u

struct block_bench_soak {
    uint64_t soaked; /* ticks the soaker spent in its own loop; only the soaker writes it */
};

#endif
