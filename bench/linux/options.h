// Command line of linux_baseline.
#pragma once

#include "cpu_pinning.h"
#include "result.h"

#include <optional>
#include <string>
#include <vector>

namespace tessera::bench::baseline {

struct Options {
    size_t iterations = 10'000; // issue 9: at least 10,000 measured iterations
    size_t warmup = 1'000;
    std::optional<CpuIndex> cpu;       // default: the first CPU this process may use
    std::optional<std::string> output; // default: standard output
    std::vector<std::string> only;     // run just these benchmarks; empty = all
    bool list = false;                 // print the benchmark names and exit
    bool help = false;
};

// Parses argv; an unknown option or a malformed number is an error naming it.
Result<Options> parse_options(int argc, char** argv);

const char* usage_text();

} // namespace tessera::bench::baseline
