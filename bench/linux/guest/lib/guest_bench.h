/* Timing for programs that run in the Linux guest (bench/linux/guest): a benchmark is a loop of
 * many iterations timed as a whole with CLOCK_MONOTONIC, repeated; time the CPU spent idle (halted,
 * e.g. waiting for a disk) inside a loop is read from the kernel and taken out.
 *
 * Under the harness's icount mode (QEMU TCG, -icount shift=0) one guest nanosecond is one
 * instruction executed, so a figure in ns per iteration is instructions per iteration, the unit of
 * Tessera's in-system figures. Each loop prints nothing; guest_bench_run prints one line:
 *   LINUX-BENCH name=<name> unit=ns iterations=<per loop> loops=<k> min=<x> median=<x> max=<x> idle_ns=<n>
 * min, median and max are over the loops' means (ns per iteration, one decimal); idle_ns is the
 * idle time found inside the measured loops and already subtracted (docs/benchmarks.md).
 * C11 for musl-gcc -static; no dependency but the C library. */
#pragma once

#include <stdint.h>

/* Runs `iterations` iterations of the operation under test; returns 0, or an errno value that
 * names why it failed (the benchmark is then reported as failed, with no figure). */
typedef int (*guest_bench_body)(void* context, unsigned long iterations);

struct guest_bench_plan {
    unsigned long iterations; /* per measured loop; at least 10,000 for a published figure */
    unsigned loops;           /* measured loops; the median of their means is the figure */
    unsigned long warmup;     /* iterations of one unmeasured loop first */
};

/* Defaults 10,000 iterations, 11 loops, 1,000 warm-up, changed by --iterations N, --loops K and
 * --warmup W; --only NAME (repeatable) keeps just those names for guest_bench_selected().
 * Exits with status 2 and a message on a bad argument. */
struct guest_bench_plan guest_bench_parse_arguments(int argc, char** argv);
int guest_bench_selected(const char* name);

/* Warm-up, then plan->loops timed loops; prints the LINUX-BENCH line, or
 * "LINUX-BENCH-FAILED name=<name> error=<text>" and returns the errno value. */
int guest_bench_run(const char* name, guest_bench_body body, void* context,
                    const struct guest_bench_plan* plan);

/* The pieces, for benchmarks whose loop does not fit guest_bench_run (I/O in bytes, say). */
uint64_t guest_bench_monotonic_ns(void);
/* Time all CPUs have spent halted since boot, from /proc/timer_list's idle_sleeptime and
 * iowait_sleeptime (nanosecond resolution, unlike /proc/stat); 0 if the kernel does not say. */
uint64_t guest_bench_idle_ns(void);

struct guest_bench_span {
    uint64_t start_ns;
    uint64_t start_idle_ns;
};
void guest_bench_span_start(struct guest_bench_span* span);
/* Elapsed time since the start minus the idle time inside it; *idle_ns gets that idle time. */
uint64_t guest_bench_span_busy_ns(const struct guest_bench_span* span, uint64_t* idle_ns);

/* How many LINUX-BENCH and LINUX-BENCH-FAILED lines this program has printed. */
int guest_bench_lines_printed(void);

/* Prints one LINUX-BENCH line from per-loop figures (sorted in place). */
void guest_bench_print(const char* name, const char* unit, double* per_loop, unsigned loops,
                       unsigned long iterations, uint64_t idle_ns);
