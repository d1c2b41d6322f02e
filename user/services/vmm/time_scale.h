// Converting between nanoseconds and a device's ticks without 128-bit division (which would need
// libgcc's __udivti3 in the user build): split `value` by the denominator first, so that every
// product stays below 2^64 for rates up to 2^32 Hz. Results equal (value * num / den) computed
// exactly, modulo 2^64.
#pragma once

#include <stdint.h>

namespace tessera::services::vmm {

// floor(value * numerator / denominator); numerator and denominator at most 2^32.
constexpr uint64_t scale_down(uint64_t value, uint64_t numerator, uint64_t denominator)
{
    return value / denominator * numerator + value % denominator * numerator / denominator;
}

// ceil(value * numerator / denominator); numerator and denominator at most 2^32.
constexpr uint64_t scale_up(uint64_t value, uint64_t numerator, uint64_t denominator)
{
    return value / denominator * numerator +
           (value % denominator * numerator + denominator - 1) / denominator;
}

constexpr uint64_t NsPerSecond = 1000000000u;

} // namespace tessera::services::vmm
