// Timeouts as deadlines: every length saturates instead of wrapping, so a program asking for a
// sleep of INT64_MAX seconds sleeps "forever" rather than not at all.
#include "core/time/timeout.h"

namespace tessera::posix {

namespace {

constexpr uint64_t MicrosecondsPerSecond = 1000000;

uint64_t saturating_add(uint64_t a, uint64_t b)
{
    return a > NoDeadline - b ? NoDeadline : a + b;
}

uint64_t length(uint64_t seconds, uint64_t nanoseconds)
{
    if (seconds > NoDeadline / NanosecondsPerSecond)
        return NoDeadline;
    return saturating_add(seconds * NanosecondsPerSecond, nanoseconds);
}

} // namespace

Result<uint64_t> duration_of(const linux::Timespec& given)
{
    if (given.seconds < 0 || given.nanoseconds < 0 ||
        uint64_t(given.nanoseconds) >= NanosecondsPerSecond)
        return Errno::Inval;
    return length(uint64_t(given.seconds), uint64_t(given.nanoseconds));
}

Result<uint64_t> duration_of(const linux::Timeval& given)
{
    if (given.seconds < 0 || given.microseconds < 0)
        return Errno::Inval;
    const uint64_t micro = uint64_t(given.microseconds);
    const uint64_t seconds = saturating_add(uint64_t(given.seconds), micro / MicrosecondsPerSecond);
    return length(seconds, (micro % MicrosecondsPerSecond) * 1000);
}

uint64_t duration_of_milliseconds(int32_t milliseconds)
{
    return milliseconds <= 0 ? 0 : uint64_t(milliseconds) * 1000000;
}

uint64_t deadline_after(uint64_t now, uint64_t duration)
{
    return saturating_add(now, duration);
}

linux::Timespec remaining(uint64_t now, uint64_t deadline)
{
    const uint64_t left = deadline > now ? deadline - now : 0;
    return {int64_t(left / NanosecondsPerSecond), int64_t(left % NanosecondsPerSecond)};
}

linux::Timeval remaining_timeval(uint64_t now, uint64_t deadline)
{
    const linux::Timespec left = remaining(now, deadline);
    return {left.seconds, left.nanoseconds / 1000};
}

} // namespace tessera::posix
