// Parsing of linux_baseline's command line (see options.h and usage_text()).
#include "options.h"

#include <charconv>
#include <cstring>

namespace tessera::bench::baseline {
namespace {

Result<size_t> parse_count(const std::string& option, const char* text, size_t minimum)
{
    size_t value = 0;
    const char* end = text + std::strlen(text);
    const auto [stop, status] = std::from_chars(text, end, value);
    if (status != std::errc{} || stop != end || value < minimum)
        return SystemError{option + ": expected a whole number of at least " +
                               std::to_string(minimum) + ", got '" + text + "'",
                           0};
    return value;
}

} // namespace

const char* usage_text()
{
    return "usage: linux_baseline [--iterations N] [--warmup N] [--cpu N] [--output FILE]\n"
           "                      [--only NAME]... [--list]\n"
           "Times Linux IPC and system-call primitives with the TSC on one pinned CPU and writes\n"
           "JSON (see docs/benchmarks.md). Defaults: 10000 iterations after 1000 warm-up rounds,\n"
           "the first CPU this process may use, standard output.\n";
}

Result<Options> parse_options(int argc, char** argv)
{
    Options options;
    for (int index = 1; index < argc; ++index) {
        const std::string option = argv[index];
        if (option == "--help" || option == "-h") {
            options.help = true;
            continue;
        }
        if (option == "--list") {
            options.list = true;
            continue;
        }
        if (index + 1 >= argc)
            return SystemError{option + ": unknown option or missing value", 0};
        const char* value = argv[++index];
        if (option == "--iterations" || option == "--warmup") {
            auto count = parse_count(option, value, option == "--iterations" ? 1 : 0);
            if (!count)
                return count.error();
            (option == "--iterations" ? options.iterations : options.warmup) = count.value();
        } else if (option == "--cpu") {
            auto cpu = parse_count(option, value, 0);
            if (!cpu)
                return cpu.error();
            options.cpu = CpuIndex{static_cast<int>(cpu.value())};
        } else if (option == "--output") {
            options.output = value;
        } else if (option == "--only") {
            options.only.push_back(value);
        } else {
            return SystemError{option + ": unknown option", 0};
        }
    }
    return options;
}

} // namespace tessera::bench::baseline
