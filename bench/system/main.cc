// The in-system benchmark suite's root task: runs every benchmark issue 9 names that this kernel
// can run, prints one BENCH line each, then BENCH-END and the `N passed, M failed` summary.
// Memory benchmarks come first; the scheduler and IPC ones create threads.
#include <stdio.h>
#include <tessera/runtime.h>

#include "bench/stats/bench_line.h"
#include "benchmarks.h"
#include "boot_tsc_frequency.h"
#include "kernel_objects.h"
#include "suite.h"

using namespace tessera::bench;

namespace {

Suite suite; // its sample buffer is large: static, not on the 16 KiB stack

} // namespace

int main(void)
{
    const seL4_BootInfo* boot_info = tessera_boot_info();
    if (boot_info == nullptr) {
        printf("bench: no BootInfo: the suite must run as the root task\n");
        return 1;
    }
    printf("bench: Tessera in-system benchmarks (%s: %lu warm-up + %lu measured iterations each)\n",
           suite_size.label, static_cast<unsigned long>(suite_size.warmup),
           static_cast<unsigned long>(suite_size.measured));
    const TscHz hz = boot_tsc_frequency(*boot_info);
    if (raw(hz) != 0)
        printf("%s\n", BenchLine::tsc_frequency(hz).text());

    // What every sample carries besides its operation: the fenced TSC reads themselves.
    suite.measure("timer_overhead", [] {
        const Timestamp start = start_timestamp();
        return Sample{true, ticks_between(start, end_timestamp())};
    });
    KernelObjects objects(*boot_info);
    run_scheduler_benchmarks(suite, objects);
    run_ipc_benchmarks(suite, objects);
    run_fault_benchmarks(suite, objects);
    run_irq_benchmarks(suite, objects);
    run_memory_benchmarks(suite, objects);
    return suite.finish();
}
