// HPET ticks to nanoseconds and back, from the counter period in femtoseconds (IA-PC HPET 1.0a,
// section 2.3.4: at most 100 ns, so 10^8 fs). Exact integer arithmetic with 64-bit operations
// only (no 128-bit division, which freestanding code has no library for), good for 57 years of
// ticks at 100 MHz.
#pragma once

#include <stdint.h>

namespace tessera::timer {

class ClockConversion {
public:
    static constexpr uint64_t FemtosecondsPerNanosecond = 1000000;
    static constexpr uint64_t MaxPeriodFemtoseconds = 100000000; // 100 ns

    // False for a period of 0 or above 100 ns (no HPET, or registers that are not one).
    bool init(uint64_t period_femtoseconds)
    {
        if (period_femtoseconds == 0 || period_femtoseconds > MaxPeriodFemtoseconds)
            return false;
        period_ = period_femtoseconds;
        return true;
    }
    uint64_t period_femtoseconds() const { return period_; }

    // The time `ticks` counter ticks take, rounded down.
    uint64_t to_nanoseconds(uint64_t ticks) const
    {
        const uint64_t whole = ticks / FemtosecondsPerNanosecond;
        const uint64_t rest = ticks % FemtosecondsPerNanosecond;
        return whole * period_ + rest * period_ / FemtosecondsPerNanosecond;
    }

    // The first tick at or after `nanoseconds`: a comparator set from it never fires early.
    uint64_t to_ticks(uint64_t nanoseconds) const
    {
        const uint64_t whole = nanoseconds / period_;
        const uint64_t rest = nanoseconds % period_;
        return whole * FemtosecondsPerNanosecond +
               (rest * FemtosecondsPerNanosecond + period_ - 1) / period_;
    }

private:
    uint64_t period_ = 1;
};

} // namespace tessera::timer
