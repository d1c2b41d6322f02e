#include "bench_report.h"

#include <stdio.h>

#include "bench/stats/bench_line.h"

namespace tessera::bench::drivers {

void Report::result(const char* name, Ticks* samples, uint32_t count)
{
    const Summary summary = summarize(samples, count);
    const BenchLine line = BenchLine::result(name, summary);
    printf("%s\n", line.text());
    ++results_;
    const bool sane = line.is_valid() && summary.count == count && raw(summary.min) > 0 &&
                      raw(summary.min) <= raw(summary.median) &&
                      raw(summary.median) <= raw(summary.p99);
    printf("drivers_bench.%s: %s\n", name, sane ? "pass" : "FAIL");
    sane ? ++passed_ : ++failed_;
}

void Report::failure(const char* name, const char* why)
{
    printf("drivers_bench.%s: FAIL (%s)\n", name, why);
    ++failed_;
}

void Report::finish() const
{
    printf("%s\n", BenchLine::end(results_).text());
    printf("%u passed, %u failed\n", passed_, failed_);
}

} // namespace tessera::bench::drivers
