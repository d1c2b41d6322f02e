// The core's entries for the API calls that are neither an invocation nor a receive alone
// (api/syscall.h: Yield, Reply, ReplyRecv), and NBSend beside Send.

#include <gtest/gtest.h>

#include "api_world.h"

namespace tessera::core::test {
namespace {

constexpr Word EndpointSlot = 5;

TEST(SyscallDispatch, YieldLetsTheNextThreadOfTheSamePriorityRun)
{
    ApiWorld a;
    Tcb& first = a.w.thread(10);
    Tcb& second = a.w.thread(10);
    a.yield(first);
    a.w.scheduler.schedule();
    EXPECT_EQ(a.w.scheduler.current(), &second);
    EXPECT_EQ(first.state(), ThreadState::Running);
}

TEST(SyscallDispatch, ReplyRecvAnswersTheClientThenWaits)
{
    ApiWorld a;
    Tcb& client = a.w.thread(10);
    Tcb& server = a.w.thread(10);
    const EndpointCap ep = a.w.endpoint(EndpointSlot);
    a.recv(server, EndpointSlot);
    a.call(client, EndpointSlot, 1, {10});
    ASSERT_EQ(client.state(), ThreadState::BlockedOnReply);

    a.reply_recv(server, EndpointSlot, 2, {20, 21});
    EXPECT_EQ(client.state(), ThreadState::Running);
    EXPECT_EQ(info_label(a.w.arch.of(client).info), 2u);
    EXPECT_EQ(a.mr(client, 1), 21u);
    EXPECT_EQ(server.state(), ThreadState::BlockedOnReceive);
    EXPECT_EQ(a.w.object(ep).state(), EndpointState::Receive);
    EXPECT_EQ(server.slot(TcbSlot::Caller).cap.type(), CapType::Null);
}

TEST(SyscallDispatch, ReplyWithNobodyToAnswerDoesNothing)
{
    ApiWorld a;
    Tcb& t = a.w.thread(10);
    a.reply(t, 1, {1});
    EXPECT_EQ(t.state(), ThreadState::Running);
    EXPECT_TRUE(a.w.reporter.lines.empty());
}

TEST(SyscallDispatch, NBSendWithoutAReceiverDropsTheMessage)
{
    ApiWorld a;
    Tcb& t = a.w.thread(10);
    const EndpointCap ep = a.w.endpoint(EndpointSlot);
    a.nb_send(t, EndpointSlot, 1, {1});
    EXPECT_EQ(t.state(), ThreadState::Running);
    EXPECT_EQ(a.w.object(ep).state(), EndpointState::Idle);
    a.send(t, EndpointSlot, 1, {1});
    EXPECT_EQ(t.state(), ThreadState::BlockedOnSend);
    EXPECT_EQ(a.w.object(ep).state(), EndpointState::Send);
}

} // namespace
} // namespace tessera::core::test
