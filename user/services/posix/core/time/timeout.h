// Timeouts of the sleeping and waiting calls (nanosleep, clock_nanosleep, poll, ppoll, select,
// pselect6) as deadlines on the server's monotonic clock, in nanoseconds: decoded and checked
// as Linux checks them, and what is left of them when a call ends early.
#pragma once

#include <stdint.h>

#include "core/result.h"
#include "linux/structures.h"

namespace tessera::posix {

inline constexpr uint64_t NanosecondsPerSecond = 1000000000;
// A deadline too far to matter (the timeout overflowed 64 bits of nanoseconds: 584 years).
inline constexpr uint64_t NoDeadline = UINT64_MAX;

// A timespec's length: EINVAL when negative or its nanoseconds are not below a second.
Result<uint64_t> duration_of(const linux::Timespec& given);
// select's timeval: EINVAL when negative; microseconds past a second carry into the seconds,
// as Linux's select accepts them.
Result<uint64_t> duration_of(const linux::Timeval& given);
// poll's milliseconds (non-negative: a negative one waits forever and has no duration).
uint64_t duration_of_milliseconds(int32_t milliseconds);

// `now` + `duration`, saturating at NoDeadline.
uint64_t deadline_after(uint64_t now, uint64_t duration);
// What is left at `now` before `deadline` (zero once passed), as nanosleep's remainder and
// select's updated timeout give it.
linux::Timespec remaining(uint64_t now, uint64_t deadline);
linux::Timeval remaining_timeval(uint64_t now, uint64_t deadline);

} // namespace tessera::posix
