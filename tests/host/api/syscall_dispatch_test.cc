// handle_api_syscall: which numbers are the portable core's, and what Yield, Reply and
// ReplyRecv do through it.

#include <gtest/gtest.h>

#include "api_world.h"

namespace tessera::core::test {
namespace {

constexpr Word EndpointSlot = 5;

TEST(SyscallDispatch, OnlyTheApiCallsAreTakenAndTheRestChangeNothing)
{
    ApiWorld a;
    Tcb& t = a.w.thread(10);
    a.w.endpoint(EndpointSlot);
    for (int64_t number : {int64_t{seL4_SysDebugPutChar}, int64_t{seL4_SysBenchmarkNullSyscall},
                           int64_t{seL4_SysVMEnter}, int64_t{seL4_SysSetTLSBase}, int64_t{1}, int64_t{-100}}) {
        EXPECT_EQ(a.syscall(t, number, EndpointSlot, 3, {1}), SyscallHandled::No) << number;
        EXPECT_EQ(t.state(), ThreadState::Running);
        EXPECT_EQ(a.w.arch.of(t).info, info_word(3, 1));
    }
    EXPECT_EQ(a.w.object(EndpointCap{a.w.root_slot(EndpointSlot).cap}).state(), EndpointState::Idle);
    EXPECT_TRUE(a.w.reporter.lines.empty());
    for (int64_t number = seL4_SysNBRecv; number <= seL4_SysCall; ++number)
        EXPECT_EQ(a.syscall(a.w.thread(10), number, 77), SyscallHandled::Yes) << number;
}

TEST(SyscallDispatch, YieldLetsTheNextThreadOfTheSamePriorityRun)
{
    ApiWorld a;
    Tcb& first = a.w.thread(10);
    Tcb& second = a.w.thread(10);
    a.syscall(first, seL4_SysYield, 0);
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
    a.syscall(server, seL4_SysRecv, EndpointSlot);
    a.call(client, EndpointSlot, 1, {10});
    ASSERT_EQ(client.state(), ThreadState::BlockedOnReply);

    a.syscall(server, seL4_SysReplyRecv, EndpointSlot, 2, {20, 21});
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
    EXPECT_EQ(a.syscall(t, seL4_SysReply, 0, 1, {1}), SyscallHandled::Yes);
    EXPECT_EQ(t.state(), ThreadState::Running);
    EXPECT_TRUE(a.w.reporter.lines.empty());
}

TEST(SyscallDispatch, NBSendWithoutAReceiverDropsTheMessage)
{
    ApiWorld a;
    Tcb& t = a.w.thread(10);
    const EndpointCap ep = a.w.endpoint(EndpointSlot);
    a.syscall(t, seL4_SysNBSend, EndpointSlot, 1, {1});
    EXPECT_EQ(t.state(), ThreadState::Running);
    EXPECT_EQ(a.w.object(ep).state(), EndpointState::Idle);
    a.syscall(t, seL4_SysSend, EndpointSlot, 1, {1});
    EXPECT_EQ(t.state(), ThreadState::BlockedOnSend);
    EXPECT_EQ(a.w.object(ep).state(), EndpointState::Send);
}

} // namespace
} // namespace tessera::core::test
