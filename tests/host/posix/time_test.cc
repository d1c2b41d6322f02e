// The server's time arithmetic: calendar dates from the RTC as Unix time, and the sleeping and
// waiting calls' timeouts as deadlines.
#include <gtest/gtest.h>

#include <stdint.h>
#include <time.h>

#include "core/time/calendar.h"
#include "core/time/timeout.h"

namespace tessera::posix {
namespace {

// The host's timegm as the reference for dates it can represent.
uint64_t reference(const CalendarTime& t)
{
    struct tm broken {};
    broken.tm_year = int(t.year) - 1900;
    broken.tm_mon = int(t.month) - 1;
    broken.tm_mday = int(t.day);
    broken.tm_hour = int(t.hour);
    broken.tm_min = int(t.minute);
    broken.tm_sec = int(t.second);
    return uint64_t(timegm(&broken));
}

TEST(Calendar, TheEpochIsZeroAndKnownDatesAgree)
{
    EXPECT_EQ(seconds_since_epoch({1970, 1, 1, 0, 0, 0}), 0u);
    EXPECT_EQ(seconds_since_epoch({2000, 3, 1, 0, 0, 0}), 951868800u);
    EXPECT_EQ(seconds_since_epoch({2038, 1, 19, 3, 14, 8}), 2147483648u);
    EXPECT_EQ(seconds_since_epoch({2026, 12, 6, 23, 5, 0}), 1796598300u);
}

TEST(Calendar, LeapDaysFollowTheGregorianRules)
{
    // 2000 is a leap year (divisible by 400), 2100 is not (by 100), 2024 is (by 4).
    EXPECT_EQ(seconds_since_epoch({2000, 3, 1, 0, 0, 0}) - seconds_since_epoch({2000, 2, 28, 0, 0, 0}),
              2u * 86400);
    EXPECT_EQ(seconds_since_epoch({2100, 3, 1, 0, 0, 0}) - seconds_since_epoch({2100, 2, 28, 0, 0, 0}),
              86400u);
    EXPECT_EQ(seconds_since_epoch({2024, 3, 1, 0, 0, 0}) - seconds_since_epoch({2024, 2, 29, 0, 0, 0}),
              86400u);
}

TEST(Calendar, EveryDayOfTwoCenturiesMatchesTheHostsTimegm)
{
    const unsigned days_in[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (unsigned year = 1970; year < 2170; ++year) {
        const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        for (unsigned month = 1; month <= 12; ++month) {
            const unsigned days = month == 2 && !leap ? 28 : days_in[month - 1];
            for (unsigned day = 1; day <= days; ++day) {
                const CalendarTime t{year, month, day, 13, 37, 59};
                ASSERT_EQ(seconds_since_epoch(t), reference(t)) << year << "-" << month << "-" << day;
            }
        }
    }
}

TEST(Calendar, DatesBeforeTheEpochAreZero)
{
    EXPECT_EQ(seconds_since_epoch({1969, 12, 31, 23, 59, 59}), 0u);
}

TEST(Timeout, ATimespecIsCheckedAsLinuxChecksIt)
{
    auto ok = duration_of(linux::Timespec{2, 500});
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok.value(), 2 * NanosecondsPerSecond + 500);
    for (const linux::Timespec bad : {linux::Timespec{-1, 0}, linux::Timespec{0, -1},
                                      linux::Timespec{0, 1000000000}}) {
        auto refused = duration_of(bad);
        ASSERT_FALSE(refused);
        EXPECT_EQ(refused.error(), Errno::Inval);
    }
}

TEST(Timeout, ATimevalCarriesExtraMicrosecondsIntoSeconds)
{
    auto carried = duration_of(linux::Timeval{1, 2500000});
    ASSERT_TRUE(carried);
    EXPECT_EQ(carried.value(), 3 * NanosecondsPerSecond + 500000000);
    EXPECT_FALSE(duration_of(linux::Timeval{0, -1}));
    EXPECT_FALSE(duration_of(linux::Timeval{-1, 0}));
}

TEST(Timeout, HugeTimeoutsSaturateInsteadOfWrapping)
{
    auto longest = duration_of(linux::Timespec{INT64_MAX, 999999999});
    ASSERT_TRUE(longest);
    EXPECT_EQ(longest.value(), NoDeadline);
    EXPECT_EQ(deadline_after(1000, NoDeadline - 10), NoDeadline);
    EXPECT_EQ(deadline_after(1000, 5), 1005u);
    auto wide = duration_of(linux::Timeval{INT64_MAX, 999999});
    ASSERT_TRUE(wide);
    EXPECT_EQ(wide.value(), NoDeadline);
}

TEST(Timeout, PollMillisecondsAreNanosecondsAndNonPositiveIsZero)
{
    EXPECT_EQ(duration_of_milliseconds(1500), 1500000000u);
    EXPECT_EQ(duration_of_milliseconds(0), 0u);
    EXPECT_EQ(duration_of_milliseconds(-1), 0u);
    EXPECT_EQ(duration_of_milliseconds(INT32_MAX), uint64_t(INT32_MAX) * 1000000);
}

TEST(Timeout, WhatRemainsIsNeverNegative)
{
    const linux::Timespec left = remaining(NanosecondsPerSecond, 3 * NanosecondsPerSecond + 7);
    EXPECT_EQ(left.seconds, 2);
    EXPECT_EQ(left.nanoseconds, 7);
    const linux::Timespec none = remaining(50, 10);
    EXPECT_EQ(none.seconds, 0);
    EXPECT_EQ(none.nanoseconds, 0);
    const linux::Timeval micro = remaining_timeval(0, 1500001000);
    EXPECT_EQ(micro.seconds, 1);
    EXPECT_EQ(micro.microseconds, 500001);
}

} // namespace
} // namespace tessera::posix
