// TSC frequency and timer overhead of the Linux baseline (see tsc.h).
#include "tsc.h"

#include "bench/stats/summary.h"

#include <ctime>
#include <fstream>
#include <vector>

namespace tessera::bench::baseline {
namespace {

constexpr uint64_t NanosecondsPerSecond = 1'000'000'000ull;
constexpr long CalibrationNanoseconds = 200'000'000;

uint64_t monotonic_nanoseconds()
{
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<uint64_t>(now.tv_sec) * NanosecondsPerSecond +
           static_cast<uint64_t>(now.tv_nsec);
}

// A TSC reading paired with the monotonic clock. The clock is read on both sides of the TSC and the
// tightest of several tries is kept, so a preemption in between cannot skew the pair.
struct ClockPair {
    uint64_t nanoseconds;
    uint64_t tsc;
};

ClockPair read_clock_pair()
{
    ClockPair best{};
    uint64_t best_gap = ~0ull;
    for (int attempt = 0; attempt < 16; ++attempt) {
        const uint64_t before = monotonic_nanoseconds();
        const uint64_t tsc = static_cast<uint64_t>(tsc_begin());
        const uint64_t after = monotonic_nanoseconds();
        if (after - before < best_gap) {
            best_gap = after - before;
            best = ClockPair{before + (after - before) / 2, tsc};
        }
    }
    return best;
}

// Some kernels export the frequency they calibrated at boot; it is more exact than 200 ms of ours.
bool read_sysfs_frequency(uint64_t& hz)
{
    std::ifstream file("/sys/devices/system/cpu/cpu0/tsc_freq_khz");
    uint64_t kilohertz = 0;
    if (!(file >> kilohertz) || kilohertz == 0)
        return false;
    hz = kilohertz * 1000;
    return true;
}

} // namespace

Result<TscFrequency> measure_tsc_frequency()
{
    uint64_t sysfs_hz = 0;
    if (read_sysfs_frequency(sysfs_hz))
        return TscFrequency{TscHz{sysfs_hz}, "sysfs tsc_freq_khz"};

    const ClockPair start = read_clock_pair();
    timespec pause{0, CalibrationNanoseconds};
    while (nanosleep(&pause, &pause) != 0) {
        // Interrupted by a signal: sleep the rest; the pair readings make the interval exact
        // anyway.
    }
    const ClockPair finish = read_clock_pair();
    const uint64_t elapsed_ns = finish.nanoseconds - start.nanoseconds;
    if (elapsed_ns == 0 || finish.tsc <= start.tsc)
        return SystemError{"TSC calibration: the TSC or CLOCK_MONOTONIC did not advance", 0};
    const unsigned __int128 ticks = finish.tsc - start.tsc;
    const uint64_t hz = static_cast<uint64_t>(ticks * NanosecondsPerSecond / elapsed_ns);
    return TscFrequency{TscHz{hz}, "measured against CLOCK_MONOTONIC over " +
                                       std::to_string(elapsed_ns / 1'000'000) + " ms"};
}

Ticks timer_overhead()
{
    constexpr size_t Count = 10'000;
    std::vector<Ticks> samples;
    samples.reserve(Count);
    for (size_t i = 0; i < Count; ++i) {
        const TscReading begin = tsc_begin();
        const TscReading end = tsc_end();
        samples.push_back(ticks_between(begin, end));
    }
    return summarize(samples.data(), samples.size()).median;
}

} // namespace tessera::bench::baseline
