// What both driver benchmark clients print: a BENCH line per benchmark, a sanity verdict per
// benchmark (every sample taken, min <= median <= p99; never the speed), and the closing lines
// that bench/report.py and the smoke tests read.
#pragma once

#include <stdint.h>

#include "bench/stats/ticks.h"

namespace tessera::bench::drivers {

class Report {
public:
    // Summarises `count` samples as benchmark `name`, prints its BENCH line and its verdict line
    // "drivers_bench.NAME: pass" (or FAIL).
    void result(const char* name, Ticks* samples, uint32_t count); // sorts the samples
    // A failure that has no samples (a refused call, unusable rings).
    void failure(const char* name, const char* why);
    // "BENCH-END results=N" and "N passed, N failed".
    void finish() const;

private:
    uint32_t results_ = 0;
    uint32_t passed_ = 0;
    uint32_t failed_ = 0;
};

} // namespace tessera::bench::drivers
