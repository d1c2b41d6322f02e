// What a Linux baseline benchmark is: a named function that performs warm-up plus measured
// iterations of one primitive and returns one TSC sample per measured iteration.
#pragma once

#include "bench/stats/ticks.h"
#include "result.h"

#include <cstddef>
#include <span>
#include <vector>

namespace tessera::bench::baseline {

// How many times to run the operation: first unmeasured (caches, TLB, page tables and the
// scheduler's state settle), then measured.
struct RunPlan {
    size_t warmup;
    size_t measured;

    size_t total() const { return warmup + measured; }
    bool is_measured(size_t iteration) const { return iteration >= warmup; }
};

using Samples = std::vector<Ticks>;
using BenchmarkFunction = Result<Samples> (*)(const RunPlan&);

struct Benchmark {
    const char* name;        // the results.json name (issue 9)
    const char* description; // one line: what exactly is timed
    BenchmarkFunction run;
};

// Every benchmark, in the order they run and appear in the JSON.
std::span<const Benchmark> all_benchmarks();

Result<Samples> run_null_syscall(const RunPlan& plan);
Result<Samples> run_pipe_roundtrip(const RunPlan& plan);
Result<Samples> run_futex_roundtrip(const RunPlan& plan);
Result<Samples> run_unix_socket_roundtrip(const RunPlan& plan);
Result<Samples> run_eventfd_roundtrip(const RunPlan& plan);
Result<Samples> run_mmap_munmap_4k(const RunPlan& plan);

} // namespace tessera::bench::baseline
