// The Linux baseline's results and their JSON form, read by bench/report.py (schema in
// docs/benchmarks.md). Each result carries the results.json fields of issue 9.
#pragma once

#include "bench/stats/summary.h"
#include "benchmark.h"
#include "cpu_pinning.h"
#include "tsc.h"

#include <optional>
#include <string>
#include <vector>

namespace tessera::bench::baseline {

struct BenchmarkOutcome {
    const Benchmark* benchmark;
    Summary summary;                    // empty when the benchmark failed
    std::optional<std::string> failure; // why it failed, if it did
};

struct BaselineReport {
    std::string date;
    std::string cpu;
    std::string kernel;
    CpuIndex pinned_cpu;
    TscFrequency tsc;
    Ticks timer_overhead;
    RunPlan plan;
    std::vector<BenchmarkOutcome> outcomes;
};

// "12.345" nanoseconds from picoseconds: three decimals, no floating point rounding surprises.
std::string nanoseconds_text(Picoseconds ps);

// Escapes a string for a JSON string literal (quotes included).
std::string json_string(const std::string& text);

// The whole report as one JSON object, ending with a newline.
std::string to_json(const BaselineReport& report);

} // namespace tessera::bench::baseline
