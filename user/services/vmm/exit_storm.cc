// Counting exits per window of guest time (exit_storm.h).
#include "exit_storm.h"

namespace tessera::services::vmm {

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
