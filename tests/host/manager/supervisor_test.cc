// Restart policies and the heartbeat watchdog: each policy's decision for each way a child ends,
// the limit, the doubling backoff, and a watchdog that fires after the configured misses.
#include <gtest/gtest.h>

#include "supervision/supervisor.h"

namespace tessera::manager {
namespace {

using manager_config::Heartbeat;
using manager_config::Restart;
using manager_config::RestartPolicy;

Restart policy(RestartPolicy p, uint32_t limit = 0, uint32_t backoff_ms = 0)
{
    Restart r;
    r.policy = p;
    r.limit = limit;
    r.backoff_ms = backoff_ms;
    return r;
}

constexpr Decision Stop{Action::Stop, Milliseconds{0}};
Decision restart_after(uint64_t ms)
{
    return Decision{Action::Restart, Milliseconds{ms}};
}

TEST(Supervisor, NeverRestarts)
{
    Supervisor s(policy(RestartPolicy::Never), Heartbeat{});
    EXPECT_EQ(s.ended(EndReason::Faulted), Stop);
    EXPECT_EQ(s.ended(EndReason::Exited), Stop);
    EXPECT_EQ(s.restarts(), 0u);
}

TEST(Supervisor, AlwaysRestartsAfterExitsAndFaults)
{
    Supervisor s(policy(RestartPolicy::Always), Heartbeat{});
    EXPECT_EQ(s.ended(EndReason::Exited), restart_after(0));
    EXPECT_EQ(s.ended(EndReason::Faulted), restart_after(0));
    EXPECT_EQ(s.restarts(), 2u);
}

TEST(Supervisor, OnFaultRestartsFaultsAndMissedHeartbeatsButNotExits)
{
    Supervisor s(policy(RestartPolicy::OnFault), Heartbeat{});
    EXPECT_EQ(s.ended(EndReason::Faulted), restart_after(0));
    EXPECT_EQ(s.ended(EndReason::MissedHeartbeat), restart_after(0));
    EXPECT_EQ(s.ended(EndReason::Exited), Stop);
}

TEST(Supervisor, AChildFaultingInALoopStopsAtTheLimit)
{
    Supervisor s(policy(RestartPolicy::OnFault, 3, 10), Heartbeat{});
    EXPECT_EQ(s.ended(EndReason::Faulted), restart_after(10));
    EXPECT_EQ(s.ended(EndReason::Faulted), restart_after(20));
    EXPECT_EQ(s.ended(EndReason::Faulted), restart_after(40));
    EXPECT_EQ(s.ended(EndReason::Faulted), Stop);
    EXPECT_EQ(s.restarts(), 3u);
}

TEST(Supervisor, BackoffStartsOverAfterAHeartbeatAndSaturates)
{
    Supervisor s(policy(RestartPolicy::OnFault, 0, 1000000), Heartbeat{});
    EXPECT_EQ(s.ended(EndReason::Faulted), restart_after(1000000));
    EXPECT_EQ(s.ended(EndReason::Faulted), restart_after(2000000));
    EXPECT_EQ(s.ended(EndReason::Faulted), restart_after(raw(MaxBackoff)));
    for (int i = 0; i < 100; ++i)
        (void)s.ended(EndReason::Faulted);
    EXPECT_EQ(s.ended(EndReason::Faulted), restart_after(raw(MaxBackoff)));
    s.beat(Milliseconds{5});
    EXPECT_EQ(s.ended(EndReason::Faulted), restart_after(1000000));
}

TEST(Supervisor, WatchdogFiresAfterTheConfiguredMissesOnly)
{
    Heartbeat h;
    h.enabled = true;
    h.period_ms = 100;
    h.misses = 3;
    Supervisor s(policy(RestartPolicy::OnFault), h);
    s.started(Milliseconds{1000});
    EXPECT_FALSE(s.watchdog_expired(Milliseconds{1299}));
    EXPECT_TRUE(s.watchdog_expired(Milliseconds{1300}));
    s.beat(Milliseconds{1250});
    EXPECT_FALSE(s.watchdog_expired(Milliseconds{1500}));
    EXPECT_TRUE(s.watchdog_expired(Milliseconds{1550}));
}

TEST(Supervisor, WatchdogIsOffWithoutAHeartbeatElement)
{
    Supervisor s(policy(RestartPolicy::OnFault), Heartbeat{});
    s.started(Milliseconds{0});
    EXPECT_FALSE(s.watchdog_expired(Milliseconds{UINT64_MAX}));
}

} // namespace
} // namespace tessera::manager
