// The exit-storm guard: a steady guest never trips it, a storm trips it within its window, and
// counts restart at each window boundary.
#include "exit_storm.h"

#include <gtest/gtest.h>

namespace tessera::services::vmm {
namespace {

constexpr uint64_t Second = 1000000000;

// The limit a system sets as text (tessera vm --exit-limit, the VMM PD's exit_storm_limit).
TEST(ExitStorm, ParsesTheConfiguredLimitPerSecondOfGuestTime)
{
    const ExitStormLimits fallback{Second, 2000000};
    ExitStormLimits limits{};
    ASSERT_TRUE(parse_exit_storm_limit("", fallback, limits));
    EXPECT_EQ(limits.exits_per_window, 2000000u);
    ASSERT_TRUE(parse_exit_storm_limit(nullptr, fallback, limits));
    EXPECT_EQ(limits.exits_per_window, 2000000u);
    ASSERT_TRUE(parse_exit_storm_limit("1000", fallback, limits));
    EXPECT_EQ(limits.window_ns, Second);
    EXPECT_EQ(limits.exits_per_window, 1000u);
    limits = {};
    EXPECT_FALSE(parse_exit_storm_limit("0", fallback, limits));
    EXPECT_FALSE(parse_exit_storm_limit("12x", fallback, limits));
    EXPECT_FALSE(parse_exit_storm_limit("-5", fallback, limits));
    EXPECT_FALSE(parse_exit_storm_limit("99999999999999999999999", fallback, limits));
    EXPECT_EQ(limits.exits_per_window, 0u); // untouched when refused
}

TEST(ExitStorm, ASteadyRateBelowTheLimitNeverTrips)
{
    ExitStormGuard guard({Second, 1000});
    for (uint64_t i = 0; i < 100000; ++i)
        ASSERT_FALSE(guard.record(i * (Second / 999))) << i; // 999 exits per second
}

TEST(ExitStorm, TripsOnTheFirstExitOverTheLimitInOneWindow)
{
    ExitStormGuard guard({Second, 1000});
    for (uint64_t i = 0; i < 1000; ++i)
        ASSERT_FALSE(guard.record(5 * Second + i));
    EXPECT_TRUE(guard.record(5 * Second + 1000));
    EXPECT_EQ(guard.exits_in_window(), 1001u);
}

TEST(ExitStorm, StartsCountingAgainAtEachWindowBoundary)
{
    ExitStormGuard guard({Second, 10});
    for (int i = 0; i < 10; ++i)
        guard.record(Second - 1);
    EXPECT_FALSE(guard.record(Second)); // a new window
    EXPECT_EQ(guard.exits_in_window(), 1u);
    EXPECT_FALSE(guard.record(7 * Second + 3));
    EXPECT_EQ(guard.exits_in_window(), 1u);
}

TEST(ExitStorm, IsOffWithoutAWindow)
{
    ExitStormGuard guard({0, 0});
    for (int i = 0; i < 10; ++i)
        EXPECT_FALSE(guard.record(0));
}

} // namespace
} // namespace tessera::services::vmm
