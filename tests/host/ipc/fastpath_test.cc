// The fastpath against the slow path: the same Call and ReplyRecv in two identical worlds, one
// through fastpath_call/fastpath_reply_recv and one through the slow path's operations, must
// leave the same registers, buffers, states, queues and reply capabilities. And every condition
// the fastpath does not cover must leave everything untouched for the slow path.

#include <gtest/gtest.h>

#include <utility>

#include "ipc/fastpath.h"
#include "ipc/fastpath_steps.h"
#include "ipc_world.h"

namespace tessera::core::test {
namespace {

constexpr Word EndpointSlot = 5;

// A server blocked in Recv on an endpoint and a client about to call it, as the kernel sees
// them: the client is current.
struct Scene {
    IpcWorld w;
    Tcb& client;
    Tcb& server;
    EndpointCap ep;

    explicit Scene(unsigned client_priority = 10, unsigned server_priority = 10)
        : client(w.thread(client_priority)), server(w.thread(server_priority)), ep(w.endpoint(EndpointSlot))
    {
        w.make_current(server);
        recv(w.ctx, server, ep, Blocking::Yes);
        w.scheduler.schedule();
        w.make_current(client);
    }
    Word info(Word label, Word length, Word caps = 0) { return info_word(label, length, caps); }
};

std::vector<Word> words(size_t length, Word seed)
{
    std::vector<Word> v(length);
    for (size_t i = 0; i < length; ++i)
        v[i] = seed * 1000 + i;
    return v;
}

void expect_same_thread(IpcWorld& a, Tcb& ta, IpcWorld& b, Tcb& tb, size_t length)
{
    EXPECT_EQ(ta.state(), tb.state());
    EXPECT_EQ(a.arch.of(ta).info, b.arch.of(tb).info);
    EXPECT_EQ(a.arch.of(ta).badge, b.arch.of(tb).badge);
    for (size_t i = 0; i < length; ++i)
        EXPECT_EQ(a.mr(ta, i), b.mr(tb, i)) << "message register " << i;
    EXPECT_EQ(ta.slot(TcbSlot::Caller).cap.type(), tb.slot(TcbSlot::Caller).cap.type());
}

class FastpathLengths : public ::testing::TestWithParam<size_t> {};

TEST_P(FastpathLengths, CallAndReplyRecvMatchTheSlowPath)
{
    const size_t length = GetParam();
    Scene fast, slow;
    for (Scene* s : {&fast, &slow}) {
        s->w.load(s->client, 7, words(length, 3));
        s->w.arch.of(s->client).info = s->info(7, length);
    }
    ASSERT_TRUE(fastpath_call(fast.w.ctx, fast.client, CPtr{EndpointSlot}, fast.info(7, length)));
    call(slow.w.ctx, slow.client, slow.ep);
    slow.w.scheduler.schedule();

    EXPECT_EQ(fast.w.scheduler.current(), &fast.server);
    EXPECT_EQ(slow.w.scheduler.current(), &slow.server);
    expect_same_thread(fast.w, fast.server, slow.w, slow.server, length);
    expect_same_thread(fast.w, fast.client, slow.w, slow.client, 0);
    EXPECT_EQ(fast.server.slot(TcbSlot::Caller).cap.type(), CapType::Reply);

    for (Scene* s : {&fast, &slow})
        s->w.load(s->server, 9, words(length, 5));
    ASSERT_TRUE(fastpath_reply_recv(fast.w.ctx, fast.server, CPtr{EndpointSlot}, fast.info(9, length)));
    reply(slow.w.ctx, slow.server);
    recv(slow.w.ctx, slow.server, slow.ep, Blocking::Yes);
    slow.w.scheduler.schedule();

    EXPECT_EQ(fast.w.scheduler.current(), &fast.client);
    EXPECT_EQ(slow.w.scheduler.current(), &slow.client);
    expect_same_thread(fast.w, fast.client, slow.w, slow.client, length);
    expect_same_thread(fast.w, fast.server, slow.w, slow.server, 0);
    EXPECT_EQ(fast.w.object(fast.ep).state(), EndpointState::Receive);
    EXPECT_EQ(fast.w.object(fast.ep).head(), &fast.server);
    EXPECT_TRUE(fast.server.slot(TcbSlot::Caller).is_empty());
}

INSTANTIATE_TEST_SUITE_P(Lengths, FastpathLengths, ::testing::Values(0, 1, 4, 5, 10, 64, 120));

TEST(Fastpath, BadgeReachesTheReceiver)
{
    Scene s;
    const Badge badge{0x5a};
    insert_derived(s.ep.with_badge(badge).cap(), s.w.root_slot(EndpointSlot), s.w.root_slot(6));
    s.w.load(s.client, 1, {42});
    ASSERT_TRUE(fastpath_call(s.w.ctx, s.client, CPtr{6}, s.info(1, 1)));
    EXPECT_EQ(s.w.arch.of(s.server).badge, badge.raw());
}

// Each case leaves the world as it was, for the slow path.
void expect_untouched(Scene& s)
{
    EXPECT_EQ(s.client.state(), ThreadState::Running);
    EXPECT_EQ(s.server.state(), ThreadState::BlockedOnReceive);
    EXPECT_EQ(s.w.scheduler.current(), &s.client);
    EXPECT_TRUE(s.server.slot(TcbSlot::Caller).is_empty());
}

TEST(Fastpath, LeavesCapabilityTransfersToTheSlowPath)
{
    Scene s;
    EXPECT_FALSE(fastpath_call(s.w.ctx, s.client, CPtr{EndpointSlot}, s.info(0, 0, 1)));
    expect_untouched(s);
}

// The Call's slot tests read only the top byte of the capability's first word: it must answer
// as is_empty for every kind, whatever the other bits hold.
TEST(Fastpath, TheByteTestOfASlotAgreesWithIsEmptyForEveryKind)
{
    for (Word kind = 0; kind <= static_cast<Word>(CapType::SvmVcpu); ++kind) {
        for (const Word rest : {Word{0}, Word{1}, (Word{1} << 59) - 1, Word{0x07} << 56}) {
            Slot slot;
            slot.cap = Cap::of_type(static_cast<CapType>(kind), rest, ~Word{0});
            EXPECT_EQ(fastpath::holds_no_cap(slot), slot.is_empty()) << "kind " << kind << " rest " << rest;
        }
    }
}

// A receiver that still holds a reply capability, or a caller without its master reply
// capability, is the slow path's case, with nothing written.
TEST(Fastpath, LeavesOccupiedOrMissingReplySlotsToTheSlowPath)
{
    {
        Scene s;
        s.server.slot(TcbSlot::Caller).cap = Cap::of_type(CapType::Reply, 0x1000);
        EXPECT_FALSE(fastpath_call(s.w.ctx, s.client, CPtr{EndpointSlot}, s.info(0, 0)));
        EXPECT_EQ(s.client.state(), ThreadState::Running);
        EXPECT_EQ(s.server.state(), ThreadState::BlockedOnReceive);
    }
    {
        Scene s;
        s.client.slot(TcbSlot::Reply).cap = Cap{};
        EXPECT_FALSE(fastpath_call(s.w.ctx, s.client, CPtr{EndpointSlot}, s.info(0, 0)));
        EXPECT_EQ(s.client.state(), ThreadState::Running);
        EXPECT_EQ(s.server.state(), ThreadState::BlockedOnReceive);
    }
}

TEST(Fastpath, LeavesAMissingReceiverToTheSlowPath)
{
    Scene s;
    const EndpointCap other = s.w.endpoint(7);
    (void)other;
    EXPECT_FALSE(fastpath_call(s.w.ctx, s.client, CPtr{7}, s.info(0, 0)));
    EXPECT_FALSE(fastpath_call(s.w.ctx, s.client, CPtr{99}, s.info(0, 0))); // empty slot
    expect_untouched(s);
}

TEST(Fastpath, LeavesALowerPriorityReceiverToTheSlowPath)
{
    Scene s(100, 10);
    Tcb& busy = s.w.thread(50); // ready, below the caller and above the server
    (void)busy;
    EXPECT_FALSE(fastpath_call(s.w.ctx, s.client, CPtr{EndpointSlot}, s.info(0, 0)));
    expect_untouched(s);
}

TEST(Fastpath, TakesALowerPriorityReceiverWhenNothingReadyIsAbove)
{
    Scene fast(100, 10), slow(100, 10);
    ASSERT_TRUE(fastpath_call(fast.w.ctx, fast.client, CPtr{EndpointSlot}, fast.info(0, 0)));
    call(slow.w.ctx, slow.client, slow.ep);
    slow.w.scheduler.schedule();
    EXPECT_EQ(fast.w.scheduler.current(), &fast.server);
    EXPECT_EQ(slow.w.scheduler.current(), &slow.server);
}

// seL4's fastpath and the slow path's schedule alike: a thread woken at or above the priority of
// the one that blocks runs at once, whatever the ready queues hold (here a thread above both,
// which the running thread's own priority says cannot be there in a real system: the test only
// shows that the queues are not consulted).
TEST(Fastpath, AThreadAtTheBlockingThreadsPriorityRunsAtOnceAsOnTheSlowPath)
{
    Scene fast, slow;
    Tcb& fast_busy = fast.w.thread(200);
    Tcb& slow_busy = slow.w.thread(200);
    for (Scene* s : {&fast, &slow})
        s->w.arch.of(s->client).info = s->info(3, 0);
    ASSERT_TRUE(fastpath_call(fast.w.ctx, fast.client, CPtr{EndpointSlot}, fast.info(3, 0)));
    call(slow.w.ctx, slow.client, slow.ep);
    slow.w.scheduler.schedule();
    EXPECT_EQ(fast.w.scheduler.current(), &fast.server);
    EXPECT_EQ(slow.w.scheduler.current(), &slow.server);
    expect_same_thread(fast.w, fast.server, slow.w, slow.server, 0);

    for (Scene* s : {&fast, &slow})
        s->w.arch.of(s->server).info = s->info(4, 0);
    ASSERT_TRUE(fastpath_reply_recv(fast.w.ctx, fast.server, CPtr{EndpointSlot}, fast.info(4, 0)));
    reply(slow.w.ctx, slow.server);
    recv(slow.w.ctx, slow.server, slow.ep, Blocking::Yes);
    slow.w.scheduler.schedule();
    EXPECT_EQ(fast.w.scheduler.current(), &fast.client);
    EXPECT_EQ(slow.w.scheduler.current(), &slow.client);
    expect_same_thread(fast.w, fast.client, slow.w, slow.client, 0);
    EXPECT_EQ(fast_busy.state(), ThreadState::Running);
    EXPECT_EQ(slow_busy.state(), ThreadState::Running);
}

TEST(Fastpath, LeavesAReplyToALowerPriorityCallerBelowAReadyThreadToTheSlowPath)
{
    Scene s(10, 100);
    ASSERT_TRUE(fastpath_call(s.w.ctx, s.client, CPtr{EndpointSlot}, s.info(0, 0)));
    Tcb& busy = s.w.thread(50); // ready, above the caller: the reply must not run the caller
    (void)busy;
    EXPECT_FALSE(fastpath_reply_recv(s.w.ctx, s.server, CPtr{EndpointSlot}, s.info(0, 0)));
    EXPECT_EQ(s.client.state(), ThreadState::BlockedOnReply);
    EXPECT_EQ(s.w.scheduler.current(), &s.server);
}

TEST(Fastpath, LeavesLongMessagesWithoutABufferToTheSlowPath)
{
    Scene s;
    s.w.arch.of(s.server).has_buffer = false;
    s.w.load(s.client, 3, words(5, 1));
    const Word info_before = s.w.arch.of(s.server).info;
    const Word first_word_before = s.w.mr(s.server, 0);
    EXPECT_FALSE(fastpath_call(s.w.ctx, s.client, CPtr{EndpointSlot}, s.info(3, 5)));
    expect_untouched(s);
    // The declined transfer wrote nothing into the receiver, not even the register words.
    EXPECT_EQ(s.w.arch.of(s.server).info, info_before);
    EXPECT_EQ(s.w.mr(s.server, 0), first_word_before);
    EXPECT_TRUE(fastpath_call(s.w.ctx, s.client, CPtr{EndpointSlot}, s.info(0, 4)));
}

TEST(Fastpath, ReplyRecvWithoutACallerIsTheSlowPathsCase)
{
    Scene s;
    EXPECT_FALSE(fastpath_reply_recv(s.w.ctx, s.client, CPtr{EndpointSlot}, s.info(0, 0)));
    EXPECT_EQ(s.client.state(), ThreadState::Running);
}

// The reply capability's place in the derivation tree, relative to its thread's slots, so two
// worlds can be compared.
struct ReplyLinks {
    Cap cap;
    bool after_master;      // the caller slot's prev is the caller's master reply slot
    bool master_points_to;  // the master's next is the caller slot
    bool revocable, first_badged;
    bool next_points_back;  // whatever follows links back to the caller slot
};

ReplyLinks reply_links(Tcb& caller, Tcb& receiver)
{
    Slot& master = caller.slot(TcbSlot::Reply);
    Slot& slot = receiver.slot(TcbSlot::Caller);
    Slot* next = slot.mdb.next();
    return {slot.cap,
            slot.mdb.prev() == &master,
            master.mdb.next() == &slot,
            slot.mdb.is_revocable(),
            slot.mdb.is_first_badged(),
            next == nullptr || next->mdb.prev() == &slot};
}

TEST(Fastpath, ReplyCapabilityIsLinkedAndUnlinkedAsByTheSlowPath)
{
    Scene fast, slow;
    const Slot* master_next_before = fast.client.slot(TcbSlot::Reply).mdb.next();
    ASSERT_TRUE(fastpath_call(fast.w.ctx, fast.client, CPtr{EndpointSlot}, fast.info(1, 0)));
    call(slow.w.ctx, slow.client, slow.ep);
    slow.w.scheduler.schedule();

    const ReplyLinks f = reply_links(fast.client, fast.server);
    const ReplyLinks l = reply_links(slow.client, slow.server);
    EXPECT_EQ(f.cap, l.cap); // both worlds place their objects at the same physical addresses
    EXPECT_TRUE(f.after_master && l.after_master);
    EXPECT_TRUE(f.master_points_to && l.master_points_to);
    EXPECT_EQ(f.revocable, l.revocable);
    EXPECT_EQ(f.first_badged, l.first_badged);
    EXPECT_TRUE(f.next_points_back && l.next_points_back);

    ASSERT_TRUE(fastpath_reply_recv(fast.w.ctx, fast.server, CPtr{EndpointSlot}, fast.info(2, 0)));
    Slot& caller_slot = fast.server.slot(TcbSlot::Caller);
    EXPECT_TRUE(caller_slot.is_empty());
    EXPECT_TRUE(caller_slot.mdb.is_empty());
    EXPECT_EQ(fast.client.slot(TcbSlot::Reply).mdb.next(), master_next_before);
}

// The reply capability is made from the caller's master reply capability (reply_from_master):
// it must be the slow path's for a receiver that waits without the Grant right too.
TEST(Fastpath, ReplyCapabilityOfAReceiverWithoutGrantIsTheSlowPaths)
{
    Scene fast, slow;
    for (Scene* s : {&fast, &slow})
        s->server.thread.blocked_can_grant = false; // as a Recv on a capability without Grant leaves it
    ASSERT_TRUE(fastpath_call(fast.w.ctx, fast.client, CPtr{EndpointSlot}, fast.info(1, 0)));
    call(slow.w.ctx, slow.client, slow.ep);
    slow.w.scheduler.schedule();
    const Cap f = fast.server.slot(TcbSlot::Caller).cap;
    EXPECT_EQ(f, slow.server.slot(TcbSlot::Caller).cap);
    ASSERT_TRUE(ReplyCap::is(f));
    EXPECT_FALSE(ReplyCap{f}.can_grant());
    EXPECT_FALSE(ReplyCap{f}.is_master());
    EXPECT_EQ(ReplyCap{f}.tcb(), fast.w.ctx.core.window.physical(&fast.client));
}

// A ReplyRecv behind another receiver already waiting (a pool of server threads): the fastpath
// queues the replier last, as the slow path's recv does (Endpoint::append_receiver, whose empty
// queue is the common case every other test here takes).
TEST(Fastpath, ReplyRecvQueuesBehindAWaitingReceiverAsTheSlowPathDoes)
{
    Scene fast, slow;
    Tcb& fast_other = fast.w.thread(10);
    Tcb& slow_other = slow.w.thread(10);
    const std::pair<Scene*, Tcb*> worlds[] = {{&fast, &fast_other}, {&slow, &slow_other}};
    for (auto [s, other] : worlds) {
        s->w.make_current(*other);
        recv(s->w.ctx, *other, s->ep, Blocking::Yes);
        s->w.scheduler.schedule();
        s->w.make_current(s->client);
    }
    ASSERT_TRUE(fastpath_call(fast.w.ctx, fast.client, CPtr{EndpointSlot}, fast.info(1, 0)));
    call(slow.w.ctx, slow.client, slow.ep);
    slow.w.scheduler.schedule();
    ASSERT_EQ(fast.w.scheduler.current(), &fast.server);
    ASSERT_EQ(slow.w.scheduler.current(), &slow.server);

    ASSERT_TRUE(fastpath_reply_recv(fast.w.ctx, fast.server, CPtr{EndpointSlot}, fast.info(2, 0)));
    reply(slow.w.ctx, slow.server);
    recv(slow.w.ctx, slow.server, slow.ep, Blocking::Yes);
    slow.w.scheduler.schedule();

    for (auto [s, other] : worlds) {
        const Endpoint& endpoint = s->w.object(s->ep);
        EXPECT_EQ(s->w.scheduler.current(), &s->client);
        EXPECT_EQ(endpoint.state(), EndpointState::Receive);
        EXPECT_EQ(endpoint.head(), other);
        EXPECT_EQ(endpoint.tail(), &s->server);
        EXPECT_EQ(other->thread.queue_prev, nullptr);
        EXPECT_EQ(other->thread.queue_next, &s->server);
        EXPECT_EQ(s->server.thread.queue_prev, other);
        EXPECT_EQ(s->server.thread.queue_next, nullptr);
        EXPECT_EQ(s->server.state(), ThreadState::BlockedOnReceive);
        EXPECT_EQ(other->state(), ThreadState::BlockedOnReceive);
    }
}

// A ReplyRecv on an endpoint where a sender already waits would receive at once: the slow
// path's case (fastpath::check_reply_recv's is_sending test), with nothing written.
TEST(Fastpath, ReplyRecvWithASenderQueuedIsTheSlowPathsCase)
{
    Scene s;
    Tcb& sender = s.w.thread(10);
    ASSERT_TRUE(fastpath_call(s.w.ctx, s.client, CPtr{EndpointSlot}, s.info(1, 0)));
    ASSERT_EQ(s.w.scheduler.current(), &s.server);
    send_ipc(s.w.ctx, sender, s.ep, Blocking::Yes, IsCall::No);
    ASSERT_EQ(s.w.object(s.ep).state(), EndpointState::Send);
    EXPECT_FALSE(fastpath_reply_recv(s.w.ctx, s.server, CPtr{EndpointSlot}, s.info(2, 0)));
    EXPECT_EQ(s.server.state(), ThreadState::Running);
    EXPECT_EQ(s.client.state(), ThreadState::BlockedOnReply);
    EXPECT_EQ(s.server.slot(TcbSlot::Caller).cap.type(), CapType::Reply);
    EXPECT_EQ(s.w.object(s.ep).head(), &sender);
}

TEST(Fastpath, GuardMismatchLeavesTheLookupFailureToTheSlowPath)
{
    Scene s;
    // The root CNode resolves all 64 bits in one level; a set bit in its guard fails the lookup.
    const Word wrong_guard = (Word{1} << 63) | EndpointSlot;
    EXPECT_FALSE(fastpath_call(s.w.ctx, s.client, CPtr{wrong_guard}, s.info(0, 0)));
    expect_untouched(s);
    EXPECT_TRUE(fastpath_call(s.w.ctx, s.client, CPtr{EndpointSlot}, s.info(0, 0)));
}

// seL4_Signal and seL4_Wait: the fastpath in one world, send_signal and receive_signal (what the
// slow path's invocation and receive run) in the other, from the same scene. (A Recv on an
// endpoint is the fastpath's too: it runs recv, as the slow path does.)
struct NotificationScene {
    IpcWorld w;
    Tcb& signaller = w.thread(10);
    Tcb& waiter = w.thread(50);
    NotificationCap cap = w.notification(7);
    Notification& ntfn = w.object(cap);
    static constexpr Word BadgedSlot = 8;

    NotificationScene()
    {
        insert_derived(cap.with_badge(Badge{0x30}).cap(), w.root_slot(7), w.root_slot(BadgedSlot));
        w.make_current(signaller);
    }
};

void expect_same_notification_world(NotificationScene& a, NotificationScene& b)
{
    EXPECT_EQ(a.ntfn.state(), b.ntfn.state());
    EXPECT_EQ(a.ntfn.message(), b.ntfn.message());
    EXPECT_EQ(a.waiter.state(), b.waiter.state());
    EXPECT_EQ(a.signaller.state(), b.signaller.state());
    EXPECT_EQ(a.w.arch.of(a.waiter).badge, b.w.arch.of(b.waiter).badge);
    EXPECT_EQ(a.w.arch.of(a.signaller).badge, b.w.arch.of(b.signaller).badge);
    a.w.scheduler.schedule();
    b.w.scheduler.schedule();
    EXPECT_EQ(a.w.scheduler.current() == &a.waiter, b.w.scheduler.current() == &b.waiter);
    EXPECT_EQ(a.w.scheduler.current() == &a.signaller, b.w.scheduler.current() == &b.signaller);
}

TEST(FastpathNotification, SignalWakesAWaiterAsTheSlowPathDoes)
{
    NotificationScene fast, slow;
    for (NotificationScene* s : {&fast, &slow}) {
        receive_signal(s->w.ctx, s->waiter, s->ntfn, Blocking::Yes);
        s->w.scheduler.schedule();
        s->w.make_current(s->signaller);
    }
    ASSERT_TRUE(fastpath_signal(fast.w.ctx, fast.signaller, CPtr{NotificationScene::BadgedSlot}, info_word(0, 0, 0)));
    send_signal(slow.w.ctx, slow.ntfn, Badge{0x30});
    EXPECT_EQ(fast.waiter.state(), ThreadState::Running);
    EXPECT_EQ(fast.w.arch.of(fast.waiter).badge, 0x30u);
    expect_same_notification_world(fast, slow);
    EXPECT_EQ(fast.w.scheduler.current(), &fast.waiter); // the higher priority runs at once
}

TEST(FastpathNotification, SignalsWithNobodyWaitingAreOredAsByTheSlowPath)
{
    NotificationScene fast, slow;
    ASSERT_TRUE(fastpath_signal(fast.w.ctx, fast.signaller, CPtr{NotificationScene::BadgedSlot}, info_word(0, 0, 0)));
    ASSERT_TRUE(fastpath_signal(fast.w.ctx, fast.signaller, CPtr{7}, info_word(0, 0, 0)));
    send_signal(slow.w.ctx, slow.ntfn, Badge{0x30});
    send_signal(slow.w.ctx, slow.ntfn, Badge{0});
    EXPECT_EQ(fast.ntfn.state(), NotificationState::Active);
    expect_same_notification_world(fast, slow);
}

TEST(FastpathNotification, WaitCollectsOrBlocksAsTheSlowPathDoes)
{
    NotificationScene fast, slow;
    for (NotificationScene* s : {&fast, &slow})
        send_signal(s->w.ctx, s->ntfn, Badge{0x5});
    // Pending: the badge at once.
    ASSERT_TRUE(fastpath_wait(fast.w.ctx, fast.signaller, CPtr{7}));
    receive_signal(slow.w.ctx, slow.signaller, slow.ntfn, Blocking::Yes);
    EXPECT_EQ(fast.w.arch.of(fast.signaller).badge, 0x5u);
    expect_same_notification_world(fast, slow);
    // Nothing pending: the thread waits.
    for (NotificationScene* s : {&fast, &slow})
        s->w.make_current(s->signaller);
    ASSERT_TRUE(fastpath_wait(fast.w.ctx, fast.signaller, CPtr{7}));
    receive_signal(slow.w.ctx, slow.signaller, slow.ntfn, Blocking::Yes);
    EXPECT_EQ(fast.signaller.state(), ThreadState::BlockedOnNotification);
    expect_same_notification_world(fast, slow);
}

TEST(FastpathNotification, RecvOnAnEndpointWaitsAsTheSlowPathDoes)
{
    IpcWorld fast, slow;
    Tcb& fast_server = fast.thread(10);
    Tcb& slow_server = slow.thread(10);
    const EndpointCap fast_ep = fast.endpoint(EndpointSlot);
    const EndpointCap slow_ep = slow.endpoint(EndpointSlot);
    fast.make_current(fast_server);
    slow.make_current(slow_server);
    ASSERT_TRUE(fastpath_wait(fast.ctx, fast_server, CPtr{EndpointSlot}));
    recv(slow.ctx, slow_server, slow_ep, Blocking::Yes);
    EXPECT_EQ(fast_server.state(), slow_server.state());
    EXPECT_EQ(fast_server.state(), ThreadState::BlockedOnReceive);
    EXPECT_EQ(fast.object(fast_ep).state(), slow.object(slow_ep).state());
    EXPECT_EQ(fast.object(fast_ep).head(), &fast_server);
}

TEST(FastpathNotification, LeavesEverythingElseToTheSlowPath)
{
    NotificationScene s;
    s.w.endpoint(EndpointSlot);
    insert_derived(NotificationCap::make(s.cap.object(), Badge{0}, CapRights::from_word(0)).cap(), s.w.root_slot(7),
                   s.w.root_slot(9));
    // Not a notification, no right, no capability, extra capabilities.
    EXPECT_FALSE(fastpath_signal(s.w.ctx, s.signaller, CPtr{EndpointSlot}, info_word(0, 0, 0)));
    EXPECT_FALSE(fastpath_signal(s.w.ctx, s.signaller, CPtr{9}, info_word(0, 0, 0)));
    EXPECT_FALSE(fastpath_signal(s.w.ctx, s.signaller, CPtr{99}, info_word(0, 0, 0)));
    EXPECT_FALSE(fastpath_signal(s.w.ctx, s.signaller, CPtr{7}, info_word(0, 0, 1)));
    EXPECT_FALSE(fastpath_wait(s.w.ctx, s.signaller, CPtr{9}));
    EXPECT_FALSE(fastpath_wait(s.w.ctx, s.signaller, CPtr{99}));
    // A notification bound to another thread is that thread's to wait on.
    bind_notification(s.waiter, s.ntfn);
    EXPECT_FALSE(fastpath_wait(s.w.ctx, s.signaller, CPtr{7}));
    EXPECT_EQ(s.ntfn.state(), NotificationState::Idle);
    EXPECT_EQ(s.signaller.state(), ThreadState::Running);
    EXPECT_EQ(s.w.scheduler.current(), &s.signaller);
}

// The fastpath's lookup through the thread's remembered CSpace root answers as the full lookup
// does, whatever the root becomes between calls: the same CNode with another guard (same first
// word: the guard is compared live), a shape that needs more than one level (never remembered),
// a null root (the zero state answers "not found"), and back.
TEST(FastpathLookup, AnswersAsTheFullLookupWhateverTheRootBecomes)
{
    IpcWorld w;
    Tcb& thread = w.thread(10);
    (void)w.endpoint(EndpointSlot);
    const CNodeCap flat = w.root();
    const unsigned guard_bits = 64 - IpcWorld::RootRadix;
    const Cap roots[] = {flat.cap(), flat.with_guard(1, guard_bits).cap(), flat.with_guard(0, guard_bits - 4).cap(),
                         Cap{}, flat.cap()};
    const Word cptrs[] = {0, EndpointSlot, (Word{1} << IpcWorld::RootRadix) | EndpointSlot, ~Word{0},
                          (Word{1} << 63) | EndpointSlot, 0x10 | EndpointSlot};
    for (const Cap& root : roots) {
        thread.slot(TcbSlot::CSpace).cap = root;
        for (const Word cptr : cptrs) {
            const Slot* expected = root.is_null() ? nullptr : lookup_slot_fast(w.core, root, CPtr{cptr});
            EXPECT_EQ(fastpath::lookup_for(w.core, thread, CPtr{cptr}), expected)
                << "root words " << root.word0() << "/" << root.word1() << ", cptr " << cptr;
        }
    }
}

TEST(FastpathLookup, ANullRootIsNotFoundFromTheZeroState)
{
    IpcWorld w;
    Tcb& thread = w.thread(10);
    thread.thread.cspace_root = CSpaceRootCache{}; // a TCB's memory starts zeroed
    thread.slot(TcbSlot::CSpace).cap = Cap{};
    for (const Word cptr : {Word{0}, Word{EndpointSlot}, ~Word{0}})
        EXPECT_EQ(fastpath::lookup_for(w.core, thread, CPtr{cptr}), nullptr);
    EXPECT_FALSE(fastpath_call(w.ctx, thread, CPtr{0}, info_word(0, 0, 0)));
}

} // namespace
} // namespace tessera::core::test
