// Telling a guest that works from one that storms: a guest spinning on exits (a wild MMIO or
// port loop, an interrupt it never acknowledges) costs the host an exit round trip each time.
// The kernel's scheduler keeps native components running regardless; this guard lets the VMM
// stop such a guest with a reason instead of serving it forever. It counts exits in windows of
// guest time and trips when one window holds more than the limit.
#pragma once

#include <stdint.h>

namespace tessera::services::vmm {

struct ExitStormLimits {
    uint64_t window_ns;        // e.g. 1 s of guest time
    uint64_t exits_per_window; // e.g. 2,000,000: far above a booting Linux's rate
};

// The limit a system configures as text (the VMM PD's `exit_storm_limit`, a string setvar:
// decimal exits per second of guest time). Empty: `fallback`. False for anything but digits, or
// 0, or a number over 10^12 (a limit that could never trip).
bool parse_exit_storm_limit(const char* text, const ExitStormLimits& fallback,
                            ExitStormLimits& limits);

class ExitStormGuard {
public:
    explicit ExitStormGuard(const ExitStormLimits& limits) : limits_(limits) {}

    // Records one exit at `now_ns` (monotonic); true once the current window is over the limit.
    bool record(uint64_t now_ns);
    uint64_t exits_in_window() const { return count_; }

private:
    ExitStormLimits limits_;
    uint64_t window_start_ = 0;
    uint64_t count_ = 0;
};

} // namespace tessera::services::vmm
