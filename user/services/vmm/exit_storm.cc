// Counting exits per window of guest time (exit_storm.h).
#include "exit_storm.h"

namespace tessera::services::vmm {

bool parse_exit_storm_limit(const char* text, const ExitStormLimits& fallback,
                            ExitStormLimits& limits)
{
    constexpr uint64_t Second = 1000000000, Largest = 1000000000000;
    if (text == nullptr || *text == '\0') {
        limits = fallback;
        return true;
    }
    uint64_t value = 0;
    for (; *text != '\0'; ++text) {
        if (*text < '0' || *text > '9')
            return false;
        value = value * 10 + uint64_t(*text - '0');
        if (value > Largest)
            return false;
    }
    if (value == 0)
        return false;
    limits = {Second, value};
    return true;
}

bool ExitStormGuard::record(uint64_t now_ns)
{
    if (limits_.window_ns == 0)
        return false; // no limit configured
    if (now_ns - window_start_ >= limits_.window_ns) {
        // A new window starts at the boundary the time falls in, so windows never overlap.
        window_start_ = now_ns - (now_ns - window_start_) % limits_.window_ns;
        count_ = 0;
    }
    ++count_;
    return count_ > limits_.exits_per_window;
}

} // namespace tessera::services::vmm
