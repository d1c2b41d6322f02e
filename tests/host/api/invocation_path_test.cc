// seL4 handleInvocation on the host: Call, Send and NBSend through their core entries over real
// objects and a real CSpace, with the answer and the thread states the kernel leaves.

#include <string>

#include <gtest/gtest.h>

#include <tessera/abi/errors.h>
#include <tessera/abi/faults.h>
#include <tessera/abi/invocation_labels.h>

#include "api_world.h"
#include "ipc/fastpath.h"

namespace tessera::core::test {
namespace {

constexpr Word RootCNode = 0;   // root slot 0 holds the root CNode's own capability
constexpr Word EndpointSlot = 5;
constexpr Word TargetTcb = 40;
constexpr Word CallerTcb = 41;
constexpr Word ArchObject = 42;
constexpr Word Depth = 64; // root radix 8 + guard 56
constexpr Word Unresolvable = Word{1} << 60; // guard mismatch in the root CNode

struct InvocationPath : ::testing::Test {
    ApiWorld a;
    IpcWorld& w = a.w;
    Tcb& caller = w.thread(100);
    Tcb& target = w.thread(10);

    void SetUp() override
    {
        insert_root_cap(w.root_slot(TargetTcb), TcbCap::make(w.core.window.physical(&target)).cap());
        insert_root_cap(w.root_slot(CallerTcb), TcbCap::make(w.core.window.physical(&caller)).cap());
        insert_root_cap(w.root_slot(ArchObject), IrqControlCap::make().cap());
        w.make_current(caller);
    }
};

TEST_F(InvocationPath, CallOnACNodePerformsTheMethodAndAnswersEmpty)
{
    w.endpoint(EndpointSlot);
    a.call(caller, RootCNode, CNodeCopy, {20, Depth, EndpointSlot, Depth, 0xf}, {RootCNode});
    EXPECT_EQ(w.root_slot(20).cap.type(), CapType::Endpoint);
    EXPECT_EQ(a.reply_label(caller), 0u);
    EXPECT_EQ(a.reply_length(caller), 0u);
    EXPECT_EQ(w.arch.of(caller).badge, 0u);
    EXPECT_EQ(caller.state(), ThreadState::Running);
}

TEST_F(InvocationPath, CallWithAnotherObjectsLabelAnswersIllegalOperation)
{
    a.call(caller, RootCNode, TCBSuspend);
    EXPECT_EQ(a.reply_label(caller), Word{seL4_IllegalOperation});
    EXPECT_EQ(a.reply_length(caller), 0u);
    EXPECT_EQ(caller.state(), ThreadState::Running);
    EXPECT_EQ(w.arch.of(caller).badge, 0u);
}

TEST_F(InvocationPath, RejectedSendLeavesTheCallersRegistersAlone)
{
    reported_rejections().clear();
    a.send(caller, RootCNode, TCBSuspend, {1, 2});
    EXPECT_EQ(w.arch.of(caller).info, info_word(TCBSuspend, 2));
    EXPECT_EQ(a.mr(caller, 0), 1u);
    EXPECT_EQ(caller.state(), ThreadState::Running);
    ASSERT_EQ(reported_rejections().size(), 1u); // logged though nobody is answered
    EXPECT_EQ(reported_rejections()[0].label, TCBSuspend);
    EXPECT_EQ(reported_rejections()[0].code, seL4_IllegalOperation);
}

TEST_F(InvocationPath, CallOnAnEmptySlotAnswersInvalidCapability)
{
    a.call(caller, 77, CNodeCopy);
    EXPECT_EQ(a.reply_label(caller), Word{seL4_InvalidCapability});
    EXPECT_EQ(a.reply_length(caller), 1u);
    EXPECT_EQ(a.mr(caller, 0), 0u);
    EXPECT_EQ(caller.state(), ThreadState::Running);
}

TEST_F(InvocationPath, CallOnAReceiveOnlyEndpointAnswersInvalidCapability)
{
    const EndpointCap ep = w.endpoint(EndpointSlot);
    insert_derived(ep.with_rights(CapRights::from_word(2)).cap(), w.root_slot(EndpointSlot), w.root_slot(6));
    a.call(caller, 6, 0, {1});
    EXPECT_EQ(a.reply_label(caller), Word{seL4_InvalidCapability});
    EXPECT_EQ(caller.state(), ThreadState::Running);
    EXPECT_EQ(w.object(ep).state(), EndpointState::Idle);
}

// What the debug kernel's rejection log receives for a capability that cannot be invoked.
struct Refusal {
    seL4_Error code;
    std::string reason;
    bool operator==(const Refusal&) const = default;
};
Refusal only_refusal()
{
    EXPECT_EQ(reported_rejections().size(), 1u);
    if (reported_rejections().empty())
        return {seL4_NoError, ""};
    return {reported_rejections()[0].code, reported_rejections()[0].reason};
}

TEST_F(InvocationPath, NonInvocableCapabilitiesAreRejectedWithAReason)
{
    const EndpointCap ep = w.endpoint(EndpointSlot);
    insert_derived(ep.with_rights(CapRights::from_word(2)).cap(), w.root_slot(EndpointSlot), w.root_slot(6));
    const NotificationCap ntfn = w.notification(7);
    insert_root_cap(w.root_slot(8), NotificationCap::make(ntfn.object(), Badge{0}, CapRights::from_word(2)).cap());
    insert_root_cap(w.root_slot(9), ReplyCap::make(w.core.window.physical(&target), ReplyMaster::Yes, true).cap());
    struct Case {
        Word cptr;
        const char* reason;
    } cases[] = {
        {77, "null capability cannot be invoked"},
        {6, "endpoint without Send cannot be invoked"},
        {8, "notification without Send cannot be invoked"},
        {9, "master reply capability cannot be invoked"},
    };
    for (const Case& c : cases) {
        reported_rejections().clear();
        a.call(caller, c.cptr, CNodeCopy, {1});
        EXPECT_EQ(only_refusal(), (Refusal{seL4_InvalidCapability, c.reason})) << c.reason;
        EXPECT_EQ(a.reply_label(caller), Word{seL4_InvalidCapability}) << c.reason;
        EXPECT_EQ(caller.state(), ThreadState::Running) << c.reason;
    }
}

TEST_F(InvocationPath, NonInvocableCapabilityOnASendIsLoggedButNotAnswered)
{
    reported_rejections().clear();
    a.send(caller, 77, CNodeCopy, {1, 2});
    EXPECT_EQ(only_refusal(), (Refusal{seL4_InvalidCapability, "null capability cannot be invoked"}));
    EXPECT_EQ(w.arch.of(caller).info, info_word(CNodeCopy, 2)); // registers untouched
    EXPECT_EQ(caller.state(), ThreadState::Running);
}

TEST_F(InvocationPath, CallOnATcbAnswersWithTheMethodsWords)
{
    for (size_t r = 0; r < UserRegisterCount; ++r)
        w.arch.of(target).registers[r] = 0x500 + r;
    w.arch.of(target).fault_ip = 0x401000; // where it resumes: seL4 reports that as rip
    a.call(caller, TargetTcb, TCBReadRegisters, {0, 3});
    EXPECT_EQ(a.reply_label(caller), 0u);
    ASSERT_EQ(a.reply_length(caller), 3u);
    EXPECT_EQ(a.mr(caller, 0), 0x401000u); // rip
    EXPECT_EQ(a.mr(caller, 1), 0x501u); // rsp
    EXPECT_EQ(a.mr(caller, 2), 0x502u); // rflags
    EXPECT_EQ(caller.state(), ThreadState::Running);
}

TEST_F(InvocationPath, TcbMethodWithAnAuthorityCapabilityChangesTheTarget)
{
    a.call(caller, TargetTcb, TCBSetPriority, {50}, {CallerTcb});
    EXPECT_EQ(a.reply_label(caller), 0u);
    EXPECT_EQ(target.thread.priority, 50);
}

TEST_F(InvocationPath, MethodThatStopsTheCallerLeavesNoAnswer)
{
    a.call(caller, CallerTcb, TCBSuspend);
    EXPECT_EQ(caller.state(), ThreadState::Inactive);
    EXPECT_EQ(w.arch.of(caller).info, info_word(TCBSuspend, 0)); // nothing written back
}

TEST_F(InvocationPath, ArchitectureObjectsGetTheWordsAndCapabilities)
{
    w.endpoint(EndpointSlot);
    a.call(caller, ArchObject, EchoLabel, {11, 12, 13, 14, 15, 16}, {EndpointSlot});
    ASSERT_EQ(arch_object_calls().size(), 1u);
    EXPECT_EQ(arch_object_calls()[0].caller, &caller);
    EXPECT_EQ(a.reply_label(caller), 0u);
    ASSERT_EQ(a.reply_length(caller), 9u);
    EXPECT_EQ(a.mr(caller, 0), EchoLabel);
    EXPECT_EQ(a.mr(caller, 1), 6u);
    EXPECT_EQ(a.mr(caller, 2), 1u); // one extra capability
    EXPECT_EQ(a.mr(caller, 8), 16u);
    EXPECT_EQ(caller.state(), ThreadState::Running);
}

// The kernel's answer writes its own words only (the reply is not cleared to the longest
// message first): message registers past its length keep what the caller left there.
TEST_F(InvocationPath, AnAnswerWritesOnlyItsOwnWords)
{
    w.arch.set_message_register(caller, 3, 0x33);
    w.arch.set_message_register(caller, 7, 0x77);
    a.call(caller, ArchObject, EchoLabel);
    ASSERT_EQ(a.reply_length(caller), 3u);
    EXPECT_EQ(a.mr(caller, 2), 0u); // no extra capability
    EXPECT_EQ(a.mr(caller, 3), 0x33u);
    EXPECT_EQ(a.mr(caller, 7), 0x77u);
}

TEST_F(InvocationPath, WithoutAnIpcBufferOnlyTheRegisterWordsAndNoCapabilitiesArrive)
{
    w.endpoint(EndpointSlot);
    w.arch.of(caller).has_buffer = false;
    a.call(caller, ArchObject, EchoLabel, {11, 12, 13, 14, 15, 16}, {EndpointSlot});
    ASSERT_EQ(arch_object_calls().size(), 1u);
    EXPECT_EQ(arch_object_calls()[0].length, Word{seL4_FastMessageRegisters});
    EXPECT_EQ(arch_object_calls()[0].extra_caps, 0u);
}

TEST_F(InvocationPath, PreemptedMethodLeavesTheCallerToRestart)
{
    a.call(caller, ArchObject, PreemptLabel, {1});
    EXPECT_EQ(caller.state(), ThreadState::Restart);
    EXPECT_EQ(w.arch.of(caller).info, info_word(PreemptLabel, 1));
}

TEST_F(InvocationPath, ArchitectureRejectionIsAnsweredAsSeL4Does)
{
    reported_rejections().clear();
    a.call(caller, ArchObject, RangeErrorLabel);
    ASSERT_EQ(reported_rejections().size(), 1u); // the debug kernel's log line
    EXPECT_EQ(reported_rejections()[0].label, RangeErrorLabel);
    EXPECT_EQ(reported_rejections()[0].code, seL4_RangeError);
    EXPECT_EQ(a.reply_label(caller), Word{seL4_RangeError});
    ASSERT_EQ(a.reply_length(caller), 2u);
    EXPECT_EQ(a.mr(caller, 0), 3u);
    EXPECT_EQ(a.mr(caller, 1), 9u);
    EXPECT_EQ(caller.state(), ThreadState::Running);
}

TEST_F(InvocationPath, ArchitectureMethodThatStopsTheCallerLeavesNoAnswer)
{
    a.call(caller, ArchObject, StopCallerLabel, {1});
    EXPECT_EQ(caller.state(), ThreadState::Inactive);
    EXPECT_EQ(w.arch.of(caller).info, info_word(StopCallerLabel, 1));
}

TEST_F(InvocationPath, UnresolvableCapabilityFaultsABlockingCall)
{
    a.call(caller, Unresolvable, CNodeCopy);
    ASSERT_EQ(w.reporter.lines.size(), 1u); // no fault handler: reported, then stopped
    EXPECT_EQ(caller.state(), ThreadState::Inactive);
}

TEST_F(InvocationPath, UnresolvableCapabilityIsIgnoredByNBSend)
{
    a.nb_send(caller, Unresolvable, CNodeCopy);
    EXPECT_TRUE(w.reporter.lines.empty());
    EXPECT_EQ(caller.state(), ThreadState::Running);
}

TEST_F(InvocationPath, UnresolvableExtraCapabilityFaultsTheCallWithItsAddress)
{
    Tcb& handler = w.thread(10);
    const EndpointCap ep = w.endpoint(EndpointSlot);
    caller.thread.fault_endpoint = CPtr{EndpointSlot};
    recv(w.ctx, handler, ep, Blocking::Yes);
    a.call(caller, RootCNode, CNodeCopy, {20, Depth, 0, Depth, 0xf}, {Unresolvable});
    EXPECT_EQ(caller.state(), ThreadState::BlockedOnReply);
    EXPECT_EQ(info_label(w.arch.of(handler).info), Word{seL4_Fault_CapFault});
    EXPECT_EQ(w.mr(handler, seL4_CapFault_Addr), Unresolvable);
    EXPECT_EQ(w.mr(handler, seL4_CapFault_InRecvPhase), 0u);
    EXPECT_EQ(w.root_slot(20).cap.type(), CapType::Null);
}

TEST_F(InvocationPath, CallOnANotificationSignalsAndAnswersEmpty)
{
    Tcb& waiter = w.thread(10);
    const NotificationCap n = w.notification(7);
    insert_derived(n.with_badge(Badge{0x5}).cap(), w.root_slot(7), w.root_slot(8));
    a.recv(waiter, 7);
    EXPECT_EQ(waiter.state(), ThreadState::BlockedOnNotification);
    a.call(caller, 8, 0, {99});
    EXPECT_EQ(waiter.state(), ThreadState::Running);
    EXPECT_EQ(w.arch.of(waiter).badge, 0x5u);
    EXPECT_EQ(a.reply_label(caller), 0u);
    EXPECT_EQ(a.reply_length(caller), 0u);
    EXPECT_EQ(caller.state(), ThreadState::Running);
}

TEST_F(InvocationPath, SavedReplyCapabilityAnswersTheClient)
{
    Tcb& server = w.thread(100);
    w.endpoint(EndpointSlot);
    a.recv(server, EndpointSlot);
    a.call(caller, EndpointSlot, 3, {31, 32});
    EXPECT_EQ(caller.state(), ThreadState::BlockedOnReply);
    EXPECT_EQ(server.state(), ThreadState::Running);
    EXPECT_EQ(a.mr(server, 1), 32u);

    a.call(server, RootCNode, CNodeSaveCaller, {30, Depth});
    ASSERT_EQ(w.root_slot(30).cap.type(), CapType::Reply);
    a.send(server, 30, 4, {41});
    EXPECT_EQ(caller.state(), ThreadState::Running);
    EXPECT_EQ(info_label(w.arch.of(caller).info), 4u);
    EXPECT_EQ(a.mr(caller, 0), 41u);
    EXPECT_EQ(w.root_slot(30).cap.type(), CapType::Null); // a reply capability is used once
}

// The slow path's Call against the fastpath's, in twin worlds: the same server, client and
// reply capability afterwards.
TEST(InvocationPathTwin, CallOnAnEndpointMatchesTheFastpath)
{
    ApiWorld slow_world, fast_world;
    struct Side {
        ApiWorld& a;
        Tcb& client;
        Tcb& server;
    } slow{slow_world, slow_world.w.thread(10), slow_world.w.thread(10)},
        fast{fast_world, fast_world.w.thread(10), fast_world.w.thread(10)};
    for (Side* s : {&slow, &fast}) {
        s->a.w.endpoint(EndpointSlot);
        s->a.recv(s->server, EndpointSlot);
        s->a.w.scheduler.schedule();
        s->a.w.load(s->client, 7, {1, 2, 3, 4, 5, 6});
        s->a.w.make_current(s->client);
    }
    slow.a.call(slow.client, EndpointSlot, 7, {1, 2, 3, 4, 5, 6});
    ASSERT_TRUE(fastpath_call(fast.a.w.ctx, fast.client, CPtr{EndpointSlot}, info_word(7, 6)));
    slow.a.w.scheduler.schedule();
    for (Side* s : {&slow, &fast}) {
        EXPECT_EQ(s->a.w.scheduler.current(), &s->server);
        EXPECT_EQ(s->client.state(), ThreadState::BlockedOnReply);
        EXPECT_EQ(s->server.slot(TcbSlot::Caller).cap.type(), CapType::Reply);
    }
    EXPECT_EQ(slow.server.state(), fast.server.state());
    EXPECT_EQ(slow.a.w.arch.of(slow.server).info, fast.a.w.arch.of(fast.server).info);
    EXPECT_EQ(slow.a.w.arch.of(slow.server).badge, fast.a.w.arch.of(fast.server).badge);
    for (size_t i = 0; i < 6; ++i)
        EXPECT_EQ(slow.a.mr(slow.server, i), fast.a.mr(fast.server, i)) << "message register " << i;
}

} // namespace
} // namespace tessera::core::test
