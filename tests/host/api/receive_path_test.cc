// seL4 handleRecv on the host: Recv and NBRecv through their core entries, and the capability
// faults a receive raises.

#include <gtest/gtest.h>

#include <tessera/abi/faults.h>
#include <tessera/abi/lookup_failure.h>

#include "api_world.h"

namespace tessera::core::test {
namespace {

constexpr Word EndpointSlot = 5;
constexpr Word HandlerSlot = 6;

struct ReceivePath : ::testing::Test {
    ApiWorld a;
    IpcWorld& w = a.w;
    Tcb& receiver = w.thread(10);
    Tcb& sender = w.thread(10);
    EndpointCap ep = w.endpoint(EndpointSlot);
};

TEST_F(ReceivePath, RecvTakesTheMessageOfAWaitingSender)
{
    insert_derived(ep.with_badge(Badge{0x77}).cap(), w.root_slot(EndpointSlot), w.root_slot(9));
    a.send(sender, 9, 12, {21, 22, 23});
    EXPECT_EQ(sender.state(), ThreadState::BlockedOnSend);
    a.recv(receiver, EndpointSlot);
    EXPECT_EQ(receiver.state(), ThreadState::Running);
    EXPECT_EQ(sender.state(), ThreadState::Running);
    EXPECT_EQ(info_label(w.arch.of(receiver).info), 12u);
    EXPECT_EQ(info_length(w.arch.of(receiver).info), 3u);
    EXPECT_EQ(w.arch.of(receiver).badge, 0x77u);
    EXPECT_EQ(a.mr(receiver, 2), 23u);
}

TEST_F(ReceivePath, RecvWithNothingSentWaits)
{
    a.recv(receiver, EndpointSlot);
    EXPECT_EQ(receiver.state(), ThreadState::BlockedOnReceive);
    EXPECT_EQ(w.object(ep).state(), EndpointState::Receive);
}

TEST_F(ReceivePath, NBRecvWithNothingSentReturnsAtOnce)
{
    a.nb_recv(receiver, EndpointSlot);
    EXPECT_EQ(receiver.state(), ThreadState::Running);
    EXPECT_EQ(w.arch.of(receiver).badge, 0u);
    EXPECT_EQ(w.object(ep).state(), EndpointState::Idle);
}

TEST_F(ReceivePath, RecvOnAnEmptySlotIsAReportedCapFault)
{
    a.recv(receiver, 77);
    ASSERT_EQ(w.reporter.lines.size(), 1u);
    EXPECT_EQ(receiver.state(), ThreadState::Inactive);
}

// A capability that names nothing to receive on (here a CNode) is a missing-capability fault in
// the receive phase, also for NBRecv.
TEST_F(ReceivePath, NBRecvOnACNodeFaultsToTheHandler)
{
    Tcb& handler = w.thread(10);
    insert_derived(ep.with_badge(Badge{0xfa}).cap(), w.root_slot(EndpointSlot), w.root_slot(HandlerSlot));
    receiver.thread.fault_endpoint = CPtr{HandlerSlot};
    recv(w.ctx, handler, ep, Blocking::Yes);
    a.nb_recv(receiver, 0);
    EXPECT_EQ(receiver.state(), ThreadState::BlockedOnReply);
    EXPECT_EQ(info_label(w.arch.of(handler).info), Word{seL4_Fault_CapFault});
    EXPECT_EQ(w.arch.of(handler).badge, 0xfau);
    EXPECT_EQ(w.mr(handler, seL4_CapFault_Addr), 0u);
    EXPECT_EQ(w.mr(handler, seL4_CapFault_InRecvPhase), 1u);
    EXPECT_EQ(w.mr(handler, seL4_CapFault_LookupFailureType), Word{seL4_MissingCapability});
}

TEST_F(ReceivePath, RecvOnASendOnlyEndpointIsACapFault)
{
    insert_derived(ep.with_rights(CapRights::from_word(1)).cap(), w.root_slot(EndpointSlot), w.root_slot(9));
    a.recv(receiver, 9);
    EXPECT_EQ(w.reporter.lines.size(), 1u);
    EXPECT_EQ(receiver.state(), ThreadState::Inactive);
    EXPECT_EQ(w.object(ep).state(), EndpointState::Idle);
}

} // namespace
} // namespace tessera::core::test
