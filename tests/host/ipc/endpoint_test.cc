// Endpoint send/receive/call/reply, badges, message lengths, capability transfer, unwrapping
// and cancellation.

#include <gtest/gtest.h>

#include "cdt/delete.h"
#include "ipc_world.h"

namespace tessera::core::test {
namespace {

struct EndpointFixture : ::testing::Test {
    IpcWorld w;
    Tcb& client = w.thread(10);
    Tcb& server = w.thread(10);
    EndpointCap ep = w.endpoint(5);
};

TEST_F(EndpointFixture, SendWithoutReceiverBlocksAndQueues)
{
    w.load(client, 7, {1, 2});
    send_ipc(w.ctx, client, ep.with_badge(Badge{42}), Blocking::Yes, IsCall::No);
    EXPECT_EQ(client.state(), ThreadState::BlockedOnSend);
    EXPECT_EQ(w.object(ep).state(), EndpointState::Send);
    EXPECT_EQ(w.object(ep).head(), &client);
    EXPECT_EQ(client.thread.blocked_badge, Badge{42});
}

TEST_F(EndpointFixture, ReceiveTakesQueuedMessageWithBadge)
{
    w.load(client, 7, {11, 22, 33, 44, 55});
    send_ipc(w.ctx, client, ep.with_badge(Badge{42}), Blocking::Yes, IsCall::No);
    recv(w.ctx, server, ep, Blocking::Yes);
    EXPECT_EQ(server.state(), ThreadState::Running);
    EXPECT_EQ(client.state(), ThreadState::Running);
    EXPECT_EQ(w.object(ep).state(), EndpointState::Idle);
    EXPECT_EQ(w.arch.of(server).badge, 42u);
    EXPECT_EQ(info_label(w.arch.of(server).info), 7u);
    EXPECT_EQ(info_length(w.arch.of(server).info), 5u);
    for (Word i = 0; i < 5; ++i)
        EXPECT_EQ(w.mr(server, i), 11 * (i + 1));
}

TEST_F(EndpointFixture, WaitingReceiverGetsMessageAndSenderContinues)
{
    recv(w.ctx, server, ep, Blocking::Yes);
    EXPECT_EQ(server.state(), ThreadState::BlockedOnReceive);
    EXPECT_EQ(w.object(ep).state(), EndpointState::Receive);
    w.load(client, 3, {99});
    send_ipc(w.ctx, client, ep, Blocking::No, IsCall::No);
    EXPECT_EQ(server.state(), ThreadState::Running);
    EXPECT_EQ(client.state(), ThreadState::Running);
    EXPECT_EQ(w.mr(server, 0), 99u);
}

TEST_F(EndpointFixture, NonBlockingSendWithoutReceiverIsDropped)
{
    w.load(client, 3, {99});
    send_ipc(w.ctx, client, ep, Blocking::No, IsCall::No);
    EXPECT_EQ(client.state(), ThreadState::Running);
    EXPECT_EQ(w.object(ep).state(), EndpointState::Idle);
}

TEST_F(EndpointFixture, NonBlockingReceiveWithoutSenderReturnsBadgeZero)
{
    w.arch.of(server).badge = 1234;
    recv(w.ctx, server, ep, Blocking::No);
    EXPECT_EQ(server.state(), ThreadState::Running);
    EXPECT_EQ(w.arch.of(server).badge, 0u);
}

TEST_F(EndpointFixture, SendersAreServedInFifoOrder)
{
    Tcb& second = w.thread(10);
    send_ipc(w.ctx, client, ep.with_badge(Badge{1}), Blocking::Yes, IsCall::No);
    send_ipc(w.ctx, second, ep.with_badge(Badge{2}), Blocking::Yes, IsCall::No);
    recv(w.ctx, server, ep, Blocking::Yes);
    EXPECT_EQ(w.arch.of(server).badge, 1u);
    recv(w.ctx, server, ep, Blocking::Yes);
    EXPECT_EQ(w.arch.of(server).badge, 2u);
}

// remove_head is the fastpath's dequeue: it must leave the queue as remove(*head()) does.
TEST_F(EndpointFixture, RemovingTheHeadLeavesTheQueueAsRemoveDoes)
{
    Tcb& second = w.thread(10);
    recv(w.ctx, server, ep, Blocking::Yes);
    recv(w.ctx, second, ep, Blocking::Yes);
    Endpoint& endpoint = w.object(ep);
    endpoint.remove_head(*endpoint.head());
    EXPECT_EQ(endpoint.head(), &second);
    EXPECT_EQ(endpoint.tail(), &second);
    EXPECT_EQ(endpoint.state(), EndpointState::Receive);
    EXPECT_EQ(second.thread.queue_prev, nullptr);
    EXPECT_EQ(server.thread.queue_next, nullptr);
    EXPECT_EQ(server.thread.queue_prev, nullptr);
    endpoint.remove_head(*endpoint.head());
    EXPECT_EQ(endpoint.head(), nullptr);
    EXPECT_EQ(endpoint.tail(), nullptr);
    EXPECT_EQ(endpoint.state(), EndpointState::Idle);
    EXPECT_EQ(second.thread.queue_next, nullptr);
}

// The fastpath's one-bit state tests answer as state() in every state an endpoint goes through.
TEST_F(EndpointFixture, TheStateBitsAgreeWithTheState)
{
    Endpoint& endpoint = w.object(ep);
    const auto expect_bits_match = [&](EndpointState expected) {
        EXPECT_EQ(endpoint.state(), expected);
        EXPECT_EQ(endpoint.is_receiving(), endpoint.state() == EndpointState::Receive);
        EXPECT_EQ(endpoint.is_sending(), endpoint.state() == EndpointState::Send);
    };
    expect_bits_match(EndpointState::Idle);
    recv(w.ctx, server, ep, Blocking::Yes);
    expect_bits_match(EndpointState::Receive);
    endpoint.remove_head(*endpoint.head());
    expect_bits_match(EndpointState::Idle);
    send_ipc(w.ctx, client, ep.with_badge(Badge{1}), Blocking::Yes, IsCall::No);
    expect_bits_match(EndpointState::Send);
}

TEST_F(EndpointFixture, CallBlocksOnReplyAndReplyReturnsMessage)
{
    recv(w.ctx, server, ep, Blocking::Yes);
    w.load(client, 1, {5});
    call(w.ctx, client, ep);
    EXPECT_EQ(client.state(), ThreadState::BlockedOnReply);
    ASSERT_TRUE(ReplyCap::is(server.slot(TcbSlot::Caller).cap));
    EXPECT_EQ(ReplyCap{server.slot(TcbSlot::Caller).cap}.tcb(), w.core.window.physical(&client));
    w.load(server, 0, {6, 7});
    reply(w.ctx, server);
    EXPECT_EQ(client.state(), ThreadState::Running);
    EXPECT_EQ(info_length(w.arch.of(client).info), 2u);
    EXPECT_EQ(w.mr(client, 1), 7u);
    EXPECT_TRUE(server.slot(TcbSlot::Caller).is_empty());
}

TEST_F(EndpointFixture, CallWithoutGrantRightsLeavesCallerInactive)
{
    recv(w.ctx, server, ep, Blocking::Yes);
    call(w.ctx, client,
         ep.with_rights(CapRights::from_word(
             ep.rights().word() & ~(CapRights::Grant::mask | CapRights::GrantReply::mask))));
    EXPECT_EQ(client.state(), ThreadState::Inactive);
    EXPECT_TRUE(server.slot(TcbSlot::Caller).is_empty());
}

TEST_F(EndpointFixture, ReplyWithEmptyCallerSlotDoesNothing)
{
    reply(w.ctx, server);
    EXPECT_EQ(server.state(), ThreadState::Running);
}

TEST_F(EndpointFixture, PingPongEveryLengthZeroTo120)
{
    recv(w.ctx, server, ep, Blocking::Yes);
    for (Word length = 0; length <= seL4_MsgMaxLength; ++length) {
        std::vector<Word> words(length);
        for (Word i = 0; i < length; ++i)
            words[i] = length * 1000 + i;
        w.load(client, length, words);
        call(w.ctx, client, ep);
        ASSERT_EQ(server.state(), ThreadState::Running);
        ASSERT_EQ(info_length(w.arch.of(server).info), length);
        for (Word i = 0; i < length; ++i)
            ASSERT_EQ(w.mr(server, i), words[i]);
        for (Word i = 0; i < length; ++i)
            words[i] = ~words[i];
        w.load(server, 0, words);
        reply_receive(w.ctx, server, ep);
        ASSERT_EQ(client.state(), ThreadState::Running);
        ASSERT_EQ(server.state(), ThreadState::BlockedOnReceive);
        ASSERT_EQ(info_length(w.arch.of(client).info), length);
        for (Word i = 0; i < length; ++i)
            ASSERT_EQ(w.mr(client, i), words[i]);
    }
}

TEST_F(EndpointFixture, WithoutIpcBufferOnlyFastRegistersTravel)
{
    w.load(client, 0, {1, 2, 3, 4, 5, 6});
    w.arch.of(server).has_buffer = false;
    send_ipc(w.ctx, client, ep, Blocking::Yes, IsCall::No);
    recv(w.ctx, server, ep, Blocking::Yes);
    EXPECT_EQ(info_length(w.arch.of(server).info), seL4_FastMessageRegisters);
}

TEST_F(EndpointFixture, GrantedCapabilityLandsInReceiveSlot)
{
    NotificationCap n = w.notification(9);
    w.arch.of(server).buffer[BufferReceiveCNode] = 0;
    w.arch.of(server).buffer[BufferReceiveIndex] = 30;
    w.arch.of(server).buffer[BufferReceiveDepth] = 64;
    recv(w.ctx, server, ep, Blocking::Yes);
    w.load(client, 0, {}, {9});
    send_ipc(w.ctx, client, ep, Blocking::Yes, IsCall::No);
    EXPECT_EQ(info_extra_caps(w.arch.of(server).info), 1u);
    EXPECT_EQ(info_unwrapped(w.arch.of(server).info), 0u);
    EXPECT_EQ(w.root_slot(30).cap, n.cap());
    EXPECT_EQ(w.root_slot(9).mdb.next(), &w.root_slot(30));
}

TEST_F(EndpointFixture, NoGrantRightMeansNoCapabilities)
{
    w.notification(9);
    w.arch.of(server).buffer[BufferReceiveIndex] = 30;
    w.arch.of(server).buffer[BufferReceiveDepth] = 64;
    recv(w.ctx, server, ep, Blocking::Yes);
    w.load(client, 0, {}, {9});
    send_ipc(w.ctx, client, ep.with_rights(CapRights::from_word(CapRights::Write::mask)),
             Blocking::Yes, IsCall::No);
    EXPECT_EQ(info_extra_caps(w.arch.of(server).info), 0u);
    EXPECT_TRUE(w.root_slot(30).is_empty());
}

TEST_F(EndpointFixture, OccupiedReceiveSlotStopsTransfer)
{
    w.notification(9);
    w.notification(30);
    w.arch.of(server).buffer[BufferReceiveIndex] = 30;
    w.arch.of(server).buffer[BufferReceiveDepth] = 64;
    recv(w.ctx, server, ep, Blocking::Yes);
    w.load(client, 0, {}, {9});
    send_ipc(w.ctx, client, ep, Blocking::Yes, IsCall::No);
    EXPECT_EQ(info_extra_caps(w.arch.of(server).info), 0u);
}

TEST_F(EndpointFixture, BadgedCapToSameEndpointIsUnwrapped)
{
    insert_derived(ep.with_badge(Badge{77}).cap(), w.root_slot(5), w.root_slot(6));
    NotificationCap n = w.notification(9);
    w.arch.of(server).buffer[BufferReceiveIndex] = 30;
    w.arch.of(server).buffer[BufferReceiveDepth] = 64;
    recv(w.ctx, server, ep, Blocking::Yes);
    w.load(client, 0, {}, {6, 9});
    send_ipc(w.ctx, client, ep, Blocking::Yes, IsCall::No);
    EXPECT_EQ(info_extra_caps(w.arch.of(server).info), 2u);
    EXPECT_EQ(info_unwrapped(w.arch.of(server).info), 1u);
    EXPECT_EQ(w.arch.of(server).buffer[BufferCapsOrBadges], 77u);
    EXPECT_EQ(w.root_slot(30).cap, n.cap());
}

TEST_F(EndpointFixture, FailedExtraCapLookupSendsNoCaps)
{
    w.arch.of(server).buffer[BufferReceiveIndex] = 30;
    w.arch.of(server).buffer[BufferReceiveDepth] = 64;
    recv(w.ctx, server, ep, Blocking::Yes);
    w.load(client, 0, {1}, {Word{1} << 60});
    send_ipc(w.ctx, client, ep, Blocking::Yes, IsCall::No);
    EXPECT_EQ(info_extra_caps(w.arch.of(server).info), 0u);
    EXPECT_EQ(info_length(w.arch.of(server).info), 1u);
}

TEST_F(EndpointFixture, DeletingEndpointRestartsAllBlockedThreads)
{
    Tcb& other = w.thread(10);
    w.scheduler.queues(Domain{}).dequeue(client);
    send_ipc(w.ctx, client, ep, Blocking::Yes, IsCall::No);
    send_ipc(w.ctx, other, ep, Blocking::Yes, IsCall::No);
    delete_one(w.core, w.root_slot(5));
    EXPECT_EQ(client.state(), ThreadState::Restart);
    EXPECT_EQ(other.state(), ThreadState::Restart);
    EXPECT_TRUE(client.thread.in_ready_queue);
    EXPECT_EQ(w.object(ep).state(), EndpointState::Idle);
    EXPECT_EQ(w.object(ep).head(), nullptr);
}

TEST_F(EndpointFixture, CancelBadgedSendsRestartsOnlyThatBadge)
{
    Tcb& other = w.thread(10);
    send_ipc(w.ctx, client, ep.with_badge(Badge{1}), Blocking::Yes, IsCall::No);
    send_ipc(w.ctx, other, ep.with_badge(Badge{2}), Blocking::Yes, IsCall::No);
    cancel_badged_sends(w.ctx, w.object(ep), Badge{1});
    EXPECT_EQ(client.state(), ThreadState::Restart);
    EXPECT_EQ(other.state(), ThreadState::BlockedOnSend);
    EXPECT_EQ(w.object(ep).head(), &other);
}

TEST_F(EndpointFixture, SuspendingBlockedThreadRemovesItFromQueue)
{
    Tcb& other = w.thread(10);
    send_ipc(w.ctx, client, ep, Blocking::Yes, IsCall::No);
    send_ipc(w.ctx, other, ep, Blocking::Yes, IsCall::No);
    suspend(w.ctx, client);
    EXPECT_EQ(client.state(), ThreadState::Inactive);
    EXPECT_FALSE(client.thread.in_ready_queue);
    EXPECT_EQ(w.object(ep).head(), &other);
    EXPECT_EQ(other.thread.queue_prev, nullptr);
}

TEST_F(EndpointFixture, DeletingCallerWhileServerHoldsReplyDropsReplyCap)
{
    recv(w.ctx, server, ep, Blocking::Yes);
    call(w.ctx, client, ep);
    ASSERT_FALSE(server.slot(TcbSlot::Caller).is_empty());
    finalise_ipc_object(w.ctx, TcbCap::make(w.core.window.physical(&client)).cap());
    EXPECT_EQ(client.state(), ThreadState::Inactive);
    EXPECT_TRUE(server.slot(TcbSlot::Caller).is_empty());
}

TEST_F(EndpointFixture, DeletingBlockedSenderTcbTakesItOffQueueAndUnbinds)
{
    NotificationCap n = w.notification(8);
    bind_notification(client, w.object(n));
    send_ipc(w.ctx, client, ep, Blocking::Yes, IsCall::No);
    finalise_ipc_object(w.ctx, TcbCap::make(w.core.window.physical(&client)).cap());
    EXPECT_EQ(client.state(), ThreadState::Inactive);
    EXPECT_EQ(w.object(ep).state(), EndpointState::Idle);
    EXPECT_EQ(w.object(ep).head(), nullptr);
    EXPECT_EQ(w.object(n).bound_tcb(), nullptr);
}

TEST_F(EndpointFixture, NotFinalEndpointDeleteCancelsNothing)
{
    insert_derived(ep.cap(), w.root_slot(5), w.root_slot(6));
    send_ipc(w.ctx, client, ep, Blocking::Yes, IsCall::No);
    delete_one(w.core, w.root_slot(6));
    EXPECT_EQ(client.state(), ThreadState::BlockedOnSend);
    EXPECT_EQ(w.object(ep).head(), &client);
}

TEST_F(EndpointFixture, ResumeRestartsStoppedThread)
{
    suspend(w.ctx, client);
    restart(w.ctx, client);
    EXPECT_EQ(client.state(), ThreadState::Restart);
    EXPECT_TRUE(client.thread.in_ready_queue || w.scheduler.cpu().candidate == &client);
}

// seL4 isStopped counts a thread blocked in IPC as stopped: Resume (and WriteRegisters with
// resume, which sel4bench's sync benchmark uses on threads waiting on an endpoint) takes it off
// the queue and restarts it. Found by sel4bench hanging in its sync benchmark (issue 15).
TEST(Regression, Issue15ResumeRestartsAThreadBlockedInIpc)
{
    IpcWorld w;
    Tcb& receiver = w.thread(10);
    Tcb& sender = w.thread(10);
    const EndpointCap ep = w.endpoint(5);
    recv(w.ctx, receiver, ep, Blocking::Yes);
    send_ipc(w.ctx, sender, ep, Blocking::Yes, IsCall::No);
    ASSERT_EQ(receiver.state(), ThreadState::Running); // the sender's message completed it
    recv(w.ctx, receiver, ep, Blocking::Yes);
    ASSERT_EQ(receiver.state(), ThreadState::BlockedOnReceive);
    restart(w.ctx, receiver);
    EXPECT_EQ(receiver.state(), ThreadState::Restart);
    EXPECT_EQ(w.object(ep).head(), nullptr);
    EXPECT_EQ(w.object(ep).state(), EndpointState::Idle);

    send_ipc(w.ctx, sender, ep, Blocking::Yes, IsCall::No);
    ASSERT_EQ(sender.state(), ThreadState::BlockedOnSend);
    restart(w.ctx, sender);
    EXPECT_EQ(sender.state(), ThreadState::Restart);
    EXPECT_EQ(w.object(ep).head(), nullptr);

    const NotificationCap n = w.notification(6);
    receive_signal(w.ctx, receiver, w.object(n), Blocking::Yes);
    ASSERT_EQ(receiver.state(), ThreadState::BlockedOnNotification);
    restart(w.ctx, receiver);
    EXPECT_EQ(receiver.state(), ThreadState::Restart);
    EXPECT_EQ(w.object(n).state(), NotificationState::Idle);
}

} // namespace
} // namespace tessera::core::test
