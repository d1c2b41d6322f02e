// Nearest-rank statistics over sorted tick samples (definitions in summary.h).
#include "summary.h"

#include "sort.h"

namespace tessera::bench {

Ticks percentile_of_sorted(const Ticks* sorted, size_t count, Percent percent)
{
    unsigned per_cent = static_cast<unsigned>(percent);
    if (per_cent < 1)
        per_cent = 1;
    if (per_cent > 100)
        per_cent = 100;
    // rank = ceil(per_cent * count / 100), 1-based; count stays far below 2^57, so no overflow.
    const uint64_t rank = (static_cast<uint64_t>(per_cent) * count + 99) / 100;
    return sorted[rank - 1];
}

Summary summarize(Ticks* samples, size_t count)
{
    if (count == 0)
        return Summary{0, Ticks{0}, Ticks{0}, Ticks{0}, Ticks{0}, Ticks{0}};
    sort_ascending(samples, count);
    return Summary{
        count,
        samples[0],
        percentile_of_sorted(samples, count, Percent{50}),
        percentile_of_sorted(samples, count, Percent{90}),
        percentile_of_sorted(samples, count, Percent{99}),
        samples[count - 1],
    };
}

} // namespace tessera::bench
