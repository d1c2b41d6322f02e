// TSC reads that fence the measured instructions in: nothing before the start read or after the
// end read can drift into the window (docs/benchmarks.md, "How everything is timed").
#pragma once

#include <stdint.h>

#include "bench/stats/ticks.h"

namespace tessera::bench {

// A TSC value at one instant; the difference of two is a Ticks duration.
enum class Timestamp : uint64_t {};

// lfence; rdtsc; lfence: earlier instructions have finished, later ones have not started.
inline Timestamp start_timestamp()
{
    uint32_t low, high;
    asm volatile("lfence; rdtsc; lfence" : "=a"(low), "=d"(high)::"memory");
    return Timestamp{(uint64_t(high) << 32) | low};
}

// rdtscp waits for everything before it; the lfence keeps later instructions out.
inline Timestamp end_timestamp()
{
    uint32_t low, high, aux;
    asm volatile("rdtscp; lfence" : "=a"(low), "=d"(high), "=c"(aux)::"memory");
    return Timestamp{(uint64_t(high) << 32) | low};
}

inline Ticks ticks_between(Timestamp start, Timestamp end)
{
    return Ticks{static_cast<uint64_t>(end) - static_cast<uint64_t>(start)};
}

} // namespace tessera::bench
