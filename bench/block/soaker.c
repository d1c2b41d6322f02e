/* The block benchmarks' cycle soaker: the lowest-priority thread of the system, so it runs exactly
 * when every other thread waits (for the disk, mostly) and the CPU would otherwise halt. It spins
 * reading the TSC and adds up the gaps between two reads that are short enough to be its own loop;
 * a longer gap means something else ran meanwhile (an interrupt, the driver, the virtualiser, the
 * client, the kernel between them) and is not counted. The client subtracts what it soaked from
 * each elapsed time, which leaves the instructions the block path itself executed
 * (docs/performance.md, "Block path"). */
#include <microkit.h>
#include <stdint.h>

#include "soak.h"

__attribute__((section(".data"))) uintptr_t soak = 0; /* the shared page (setvar_vaddr) */

static inline uint64_t ticks(void)
{
    uint32_t low, high;
    __asm__ volatile("lfence; rdtsc" : "=a"(low), "=d"(high));
    return (uint64_t)high << 32 | low;
}

void init(void)
{
    volatile struct block_bench_soak *shared = (volatile struct block_bench_soak *)soak;
    if (shared == 0)
        return;
    uint64_t last = ticks();
    for (;;) {
        const uint64_t now = ticks();
        if (now - last < BLOCK_BENCH_SOAK_GAP)
            shared->soaked += now - last;
        last = now;
    }
}

void notified(microkit_channel ch)
{
    (void)ch;
}
