// Days since the epoch by counting years from March: the leap day is then the last day of the
// counted year, and a month's first day is a linear function of its number (153 days every 5
// months from March).
#include "core/time/calendar.h"

namespace tessera::posix {

namespace {

constexpr int64_t DaysPer400Years = 146097;
constexpr int64_t DaysFromYear0MarchTo1970 = 719468;
constexpr int64_t SecondsPerDay = 86400;

} // namespace

uint64_t seconds_since_epoch(const CalendarTime& time)
{
    const int64_t y = int64_t(time.year) - (time.month <= 2 ? 1 : 0);
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t year_of_era = y - era * 400;
    const int64_t month = time.month > 2 ? int64_t(time.month) - 3 : int64_t(time.month) + 9;
    const int64_t day_of_year = (153 * month + 2) / 5 + int64_t(time.day) - 1;
    const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    const int64_t days = era * DaysPer400Years + day_of_era - DaysFromYear0MarchTo1970;
    const int64_t seconds = days * SecondsPerDay + int64_t(time.hour) * 3600 +
                            int64_t(time.minute) * 60 + int64_t(time.second);
    return seconds < 0 ? 0 : uint64_t(seconds);
}

} // namespace tessera::posix
