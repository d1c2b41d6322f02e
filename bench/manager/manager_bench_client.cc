// The dynamic manager's benchmarks (bench/stats/bench_line.h), in TSC ticks (instructions under
// -icount shift=0), each from the manager's own reading around the step:
//   manager.child_start_to_first_instruction  a start's beginning (program lookup, chunks, address
//       space, segments copied, stack, CSpace, TCB) to the probe's first instruction, which faults;
//       the fault's delivery to the manager is included
//   manager.child_stop  tearing the child down: its objects deleted, its chunks revoked and given
//       back with its slots
#include <microkit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/stats/bench_line.h"
#include "bench/stats/summary.h"
#include "control.h"

using tessera::bench::BenchLine;
using tessera::bench::Ticks;

#define PATCHED __attribute__((section(".data")))

extern "C" {
PATCHED uintptr_t control = 0;
// Measured cycles (patched lower for the smoke run).
PATCHED char manager_bench_iterations[8] = "200";
}

namespace {

constexpr microkit_channel Manager = 0;
constexpr unsigned MaxIterations = 1000;
constexpr unsigned Warmup = 4;

const char* const WithProbe =
    "<manager ram=\"1M\" caps=\"200\"><program name=\"probe\" path=\"p\"/>"
    "<child name=\"probe\" binary=\"probe\" priority=\"50\" ram=\"128K\" caps=\"64\"/></manager>";
const char* const Without = "<manager ram=\"1M\" caps=\"200\"><program name=\"probe\" path=\"p\"/></manager>";

Ticks starts[MaxIterations];
Ticks stops[MaxIterations];

bool load(const char* text)
{
    const size_t length = strlen(text);
    memcpy(reinterpret_cast<char*>(control), text, length);
    microkit_mr_set(0, length);
    const microkit_msginfo answer = microkit_ppcall(Manager, microkit_msginfo_new(ControlLoad, 1));
    return microkit_msginfo_get_label(answer) == ControlApplied;
}

void report(const char* name, Ticks* samples, unsigned count, unsigned& printed)
{
    BenchLine line = BenchLine::result(name, tessera::bench::summarize(samples, count));
    printf("%s\n", line.text());
    ++printed;
}

} // namespace

extern "C" void init(void)
{
    unsigned iterations = unsigned(strtoul(manager_bench_iterations, nullptr, 10));
    if (iterations == 0 || iterations > MaxIterations)
        iterations = MaxIterations;
    unsigned measured = 0;
    for (unsigned i = 0; i < iterations + Warmup; ++i) {
        // The probe (priority 50, above this client) runs once the manager has answered, faults
        // at once, and the manager tears it down before this client runs again.
        if (!load(WithProbe)) {
            printf("manager_bench: loading the probe failed\n");
            break;
        }
        microkit_ppcall(Manager, microkit_msginfo_new(ControlStatus, 0));
        const uint64_t start = microkit_mr_get(4), stop = microkit_mr_get(5);
        if (!load(Without)) {
            printf("manager_bench: removing the probe failed\n");
            break;
        }
        if (i < Warmup)
            continue;
        starts[measured] = Ticks{start};
        stops[measured] = Ticks{stop};
        ++measured;
    }
    unsigned printed = 0;
    if (measured == iterations) {
        report("manager.child_start_to_first_instruction", starts, measured, printed);
        report("manager.child_stop", stops, measured, printed);
    }
    printf("%s\n", BenchLine::end(printed).text());
}

extern "C" void notified(microkit_channel) {}
