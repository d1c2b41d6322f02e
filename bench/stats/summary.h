// The statistics every Tessera benchmark reports: count, minimum, median, 90th and 99th
// percentile and maximum of a set of per-iteration tick samples.
#pragma once

#include "ticks.h"

namespace tessera::bench {

// A percentile in whole per cent, 1..100.
enum class Percent : unsigned {};

// A set of samples reduced to the figures in results.json. A summary of no samples has
// count 0 and every figure 0: an empty run is a value to report, not an error.
struct Summary {
    uint64_t count;
    Ticks min;
    Ticks median;
    Ticks p90;
    Ticks p99;
    Ticks max;

    bool is_empty() const { return count == 0; }
};

// The nearest-rank percentile of samples already sorted ascending: the smallest sample that at
// least `percent` per cent of all samples do not exceed. No interpolation, so every reported
// figure is a value that was actually measured. Contract: count > 0 and percent in 1..100
// (a percent outside that range is clamped into it).
Ticks percentile_of_sorted(const Ticks* sorted, size_t count, Percent percent);

// Sorts samples[0..count) in place and summarises them. The median is the 50th nearest-rank
// percentile, i.e. the lower of the two middle samples when count is even.
Summary summarize(Ticks* samples, size_t count);

} // namespace tessera::bench
