// Calendar dates as seconds since the Unix epoch: the machine's real-time clock counts in dates
// (year, month, day, hour, minute, second, in UTC), the time calls in seconds since 1970.
#pragma once

#include <stdint.h>

namespace tessera::posix {

struct CalendarTime {
    unsigned year, month, day, hour, minute, second; // month 1-12, day 1-31
};

// Seconds from 1970-01-01 00:00:00 UTC to `time` in the proleptic Gregorian calendar (leap
// years every 4, not every 100, again every 400; no leap seconds, as Unix time has none).
// Dates before 1970 are not representable: 0.
uint64_t seconds_since_epoch(const CalendarTime& time);

} // namespace tessera::posix
