// linux_baseline: runs every Linux baseline benchmark on one pinned CPU and writes their
// statistics as JSON. Run by `make bench`; see docs/benchmarks.md.
#include "baseline_report.h"
#include "host_info.h"
#include "options.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>

using namespace tessera::bench;
using namespace tessera::bench::baseline;

namespace {

bool is_selected(const Options& options, const Benchmark& benchmark)
{
    return options.only.empty() || std::find(options.only.begin(), options.only.end(),
                                             benchmark.name) != options.only.end();
}

BenchmarkOutcome run_one(const Benchmark& benchmark, const RunPlan& plan)
{
    std::cerr << "linux_baseline: " << benchmark.name << "..." << std::flush;
    auto samples = benchmark.run(plan);
    if (!samples) {
        std::cerr << " failed: " << samples.error().describe() << "\n";
        return {&benchmark, summarize(nullptr, 0), samples.error().describe()};
    }
    const Summary summary = summarize(samples.value().data(), samples.value().size());
    std::cerr << " median " << raw(summary.median) << " cycles\n";
    return {&benchmark, summary, std::nullopt};
}

int run(const Options& options)
{
    for (const std::string& name : options.only) {
        const auto list = all_benchmarks();
        if (std::none_of(list.begin(), list.end(),
                         [&](const Benchmark& b) { return name == b.name; })) {
            std::cerr << "linux_baseline: --only " << name << ": no such benchmark (see --list)\n";
            return 2;
        }
    }
    auto pinned = pin_to_one_cpu(options.cpu);
    if (!pinned) {
        std::cerr << "linux_baseline: " << pinned.error().describe() << "\n";
        return 1;
    }
    auto tsc = measure_tsc_frequency();
    if (!tsc) {
        std::cerr << "linux_baseline: " << tsc.error().describe() << "\n";
        return 1;
    }

    const RunPlan plan{options.warmup, options.iterations};
    BaselineReport report{utc_timestamp(),
                          cpu_model(),
                          kernel_release(),
                          pinned.value(),
                          tsc.value(),
                          timer_overhead(),
                          plan,
                          {}};
    std::cerr << "linux_baseline: CPU " << static_cast<int>(pinned.value()) << ", TSC "
              << raw(tsc.value().hz) << " Hz (" << tsc.value().source << ")\n";
    for (const Benchmark& benchmark : all_benchmarks()) {
        if (is_selected(options, benchmark))
            report.outcomes.push_back(run_one(benchmark, plan));
    }

    const std::string json = to_json(report);
    if (options.output) {
        std::ofstream file(*options.output);
        file << json;
        if (!file.flush()) {
            std::cerr << "linux_baseline: cannot write " << *options.output << "\n";
            return 1;
        }
    } else {
        std::cout << json;
    }
    const bool any_failed =
        std::any_of(report.outcomes.begin(), report.outcomes.end(),
                    [](const BenchmarkOutcome& o) { return o.failure.has_value(); });
    return any_failed ? 1 : 0;
}

} // namespace

int main(int argc, char** argv)
{
    auto options = parse_options(argc, argv);
    if (!options) {
        std::cerr << "linux_baseline: " << options.error().describe() << "\n" << usage_text();
        return 2;
    }
    if (options.value().help) {
        std::cout << usage_text();
        return 0;
    }
    if (options.value().list) {
        for (const Benchmark& benchmark : all_benchmarks())
            std::cout << benchmark.name << "  " << benchmark.description << "\n";
        return 0;
    }
    // The standard library reports thread-creation failure by exception: stop it at the edge.
    try {
        return run(options.value());
    } catch (const std::exception& error) {
        std::cerr << "linux_baseline: " << error.what() << "\n";
        return 1;
    }
}
