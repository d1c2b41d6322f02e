// Reading the host's time-stamp counter around a measured operation, and its frequency.
// The readings are fenced so that the measured instructions cannot drift outside the window.
#pragma once

#include "bench/stats/ticks.h"
#include "result.h"

#include <cstdint>
#include <string>
#include <x86intrin.h>

namespace tessera::bench::baseline {

// A raw TSC value: a point in time, not a duration (a duration is Ticks).
enum class TscReading : uint64_t {};

// Opens a measured window: earlier instructions finish before the read (first lfence) and later
// ones do not start before it (second lfence).
inline TscReading tsc_begin()
{
    _mm_lfence();
    const uint64_t value = __rdtsc();
    _mm_lfence();
    return TscReading{value};
}

// Closes a measured window: rdtscp waits for every earlier instruction; the lfence keeps later
// ones out of the window.
inline TscReading tsc_end()
{
    unsigned int processor = 0;
    const uint64_t value = __rdtscp(&processor);
    _mm_lfence();
    return TscReading{value};
}

inline Ticks ticks_between(TscReading begin, TscReading end)
{
    return Ticks{static_cast<uint64_t>(end) - static_cast<uint64_t>(begin)};
}

struct TscFrequency {
    TscHz hz;
    std::string source; // how hz was obtained, for the JSON and the report
};

// The TSC frequency: the kernel's figure from sysfs where the kernel exports it, otherwise
// measured against CLOCK_MONOTONIC over about 200 ms. Requires an invariant TSC (constant_tsc),
// which every x86_64 CPU of the last decade and every KVM guest of one provides.
Result<TscFrequency> measure_tsc_frequency();

// The median cost of an empty measured window: what every sample includes besides the operation.
Ticks timer_overhead();

} // namespace tessera::bench::baseline
