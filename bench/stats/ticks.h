// Strong types for time-stamp-counter readings and their conversion to time.
// Integer-only, so the same header serves the kernel (no FPU), user components and host programs.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tessera::bench {

// A duration counted by the TSC: real cycles on the host or under KVM, retired instructions under
// QEMU's `-icount shift=0`. What a tick means is decided by the run's mode, never by this type.
enum class Ticks : uint64_t {};

constexpr uint64_t raw(Ticks ticks)
{
    return static_cast<uint64_t>(ticks);
}

// TSC ticks per second.
enum class TscHz : uint64_t {};

constexpr uint64_t raw(TscHz hz)
{
    return static_cast<uint64_t>(hz);
}

// Picoseconds keep three decimals of nanoseconds without floating point.
enum class Picoseconds : uint64_t {};

constexpr uint64_t raw(Picoseconds ps)
{
    return static_cast<uint64_t>(ps);
}

// Converts ticks to picoseconds, rounding down. Contract: hz is non-zero and below 1.8e13 (every
// real TSC); whole seconds and the remainder are scaled separately so that no step needs more than
// 64 bits, which keeps libgcc's 128-bit division out of the kernel.
constexpr Picoseconds to_picoseconds(Ticks ticks, TscHz hz)
{
    constexpr uint64_t PicosecondsPerSecond = 1'000'000'000'000ull;
    constexpr uint64_t Million = 1'000'000ull;
    const uint64_t whole_seconds = raw(ticks) / raw(hz);
    const uint64_t remainder = raw(ticks) % raw(hz); // < hz, so remainder * 1e6 fits
    const uint64_t micro_scaled = remainder * Million;
    const uint64_t high = micro_scaled / raw(hz); // remainder in units of 1e-6 s
    const uint64_t low = (micro_scaled % raw(hz)) * Million / raw(hz); // the next six digits
    return Picoseconds{whole_seconds * PicosecondsPerSecond + high * Million + low};
}

static_assert(raw(to_picoseconds(Ticks{3}, TscHz{3'000'000'000})) == 1'000);
static_assert(raw(to_picoseconds(Ticks{4'500'000'000}, TscHz{3'000'000'000})) == 1'500'000'000'000);
static_assert(raw(to_picoseconds(Ticks{1}, TscHz{3'000'000'000})) == 333);

} // namespace tessera::bench
