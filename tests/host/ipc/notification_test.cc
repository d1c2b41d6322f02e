// Notifications: OR-ed badges, wait, poll, waking waiters, bound notifications, deletion.

#include <gtest/gtest.h>

#include "cdt/delete.h"
#include "ipc_world.h"

namespace tessera::core::test {
namespace {

struct NotificationFixture : ::testing::Test {
    IpcWorld w;
    Tcb& waiter = w.thread(10);
    NotificationCap cap = w.notification(7);
    Notification& ntfn = w.object(cap);
};

TEST_F(NotificationFixture, SignalsAreOredUntilWaitCollectsThem)
{
    send_signal(w.ctx, ntfn, Badge{0b001});
    send_signal(w.ctx, ntfn, Badge{0b100});
    EXPECT_EQ(ntfn.state(), NotificationState::Active);
    receive_signal(w.ctx, waiter, ntfn, Blocking::Yes);
    EXPECT_EQ(waiter.state(), ThreadState::Running);
    EXPECT_EQ(w.arch.of(waiter).badge, 0b101u);
    EXPECT_EQ(ntfn.state(), NotificationState::Idle);
    EXPECT_EQ(ntfn.message(), 0u);
}

TEST_F(NotificationFixture, WaitBlocksAndSignalWakesWithBadge)
{
    receive_signal(w.ctx, waiter, ntfn, Blocking::Yes);
    EXPECT_EQ(waiter.state(), ThreadState::BlockedOnNotification);
    EXPECT_EQ(ntfn.state(), NotificationState::Waiting);
    send_signal(w.ctx, ntfn, Badge{8});
    EXPECT_EQ(waiter.state(), ThreadState::Running);
    EXPECT_EQ(w.arch.of(waiter).badge, 8u);
    EXPECT_EQ(ntfn.state(), NotificationState::Idle);
}

TEST_F(NotificationFixture, PollWithNothingPendingReturnsZero)
{
    w.arch.of(waiter).badge = 55;
    receive_signal(w.ctx, waiter, ntfn, Blocking::No);
    EXPECT_EQ(waiter.state(), ThreadState::Running);
    EXPECT_EQ(w.arch.of(waiter).badge, 0u);
}

TEST_F(NotificationFixture, BoundNotificationWakesEndpointReceiver)
{
    EndpointCap ep = w.endpoint(5);
    bind_notification(waiter, ntfn);
    recv(w.ctx, waiter, ep, Blocking::Yes);
    ASSERT_EQ(waiter.state(), ThreadState::BlockedOnReceive);
    send_signal(w.ctx, ntfn, Badge{0x40});
    EXPECT_EQ(waiter.state(), ThreadState::Running);
    EXPECT_EQ(w.arch.of(waiter).badge, 0x40u);
    EXPECT_EQ(w.object(ep).state(), EndpointState::Idle);
    EXPECT_EQ(ntfn.state(), NotificationState::Idle);
}

TEST_F(NotificationFixture, PendingBoundSignalCompletesReceiveAtOnce)
{
    EndpointCap ep = w.endpoint(5);
    bind_notification(waiter, ntfn);
    send_signal(w.ctx, ntfn, Badge{3});
    recv(w.ctx, waiter, ep, Blocking::Yes);
    EXPECT_EQ(waiter.state(), ThreadState::Running);
    EXPECT_EQ(w.arch.of(waiter).badge, 3u);
    EXPECT_EQ(ntfn.state(), NotificationState::Idle);
}

TEST_F(NotificationFixture, UnboundSignalDoesNotWakeEndpointReceiver)
{
    EndpointCap ep = w.endpoint(5);
    recv(w.ctx, waiter, ep, Blocking::Yes);
    send_signal(w.ctx, ntfn, Badge{3});
    EXPECT_EQ(waiter.state(), ThreadState::BlockedOnReceive);
    EXPECT_EQ(ntfn.state(), NotificationState::Active);
}

TEST_F(NotificationFixture, UnbindClearsBothSides)
{
    bind_notification(waiter, ntfn);
    unbind_notification(waiter);
    EXPECT_EQ(ntfn.bound_tcb(), nullptr);
    EXPECT_EQ(waiter.thread.bound_notification, nullptr);
}

TEST_F(NotificationFixture, DeletingNotificationRestartsWaitersAndUnbinds)
{
    Tcb& other = w.thread(10);
    bind_notification(other, ntfn);
    receive_signal(w.ctx, waiter, ntfn, Blocking::Yes);
    delete_one(w.core, w.root_slot(7));
    EXPECT_EQ(waiter.state(), ThreadState::Restart);
    EXPECT_TRUE(waiter.thread.in_ready_queue);
    EXPECT_EQ(other.thread.bound_notification, nullptr);
}

TEST_F(NotificationFixture, SuspendingWaiterRemovesIt)
{
    receive_signal(w.ctx, waiter, ntfn, Blocking::Yes);
    suspend(w.ctx, waiter);
    EXPECT_EQ(waiter.state(), ThreadState::Inactive);
    EXPECT_EQ(ntfn.state(), NotificationState::Idle);
    EXPECT_EQ(ntfn.head(), nullptr);
}

} // namespace
} // namespace tessera::core::test
