// Seeded random sequences of IPC, notification, scheduler and lifecycle operations, checking
// after every step that every thread is on exactly the queue its state says.

#include <gtest/gtest.h>

#include <random>

#include "ipc/fault.h"
#include "ipc_world.h"

namespace tessera::core::test {
namespace {

struct World {
    IpcWorld w;
    std::vector<Tcb*> threads;
    std::vector<EndpointCap> endpoints;
    NotificationCap ntfn = w.notification(20);

    World()
    {
        for (unsigned i = 0; i < 6; ++i)
            threads.push_back(&w.thread(i % 3 == 0 ? 10 : 5 + i));
        for (Word s = 10; s < 12; ++s)
            endpoints.push_back(w.endpoint(s));
        for (Tcb* t : threads)
            t->thread.fault_endpoint = CPtr{10};
    }
};

size_t count_in(Tcb* head, Tcb& t)
{
    size_t n = 0;
    for (Tcb* p = head; p != nullptr; p = p->thread.queue_next)
        n += p == &t;
    return n;
}

size_t count_ready(IpcWorld& w, Tcb& t)
{
    size_t n = 0;
    for (unsigned p = 0; p < PriorityCount; ++p)
        for (Tcb* q = w.scheduler.queues(Domain{}).head(p); q != nullptr; q = q->thread.ready_next)
            n += q == &t;
    return n;
}

void check(World& s, const std::string& where)
{
    IpcWorld& w = s.w;
    Notification& n = w.object(s.ntfn);
    for (Tcb* t : s.threads) {
        size_t ready = count_ready(w, *t);
        ASSERT_EQ(ready, t->thread.in_ready_queue ? 1u : 0u) << where;
        if (ready == 1) {
            ASSERT_NE(w.scheduler.current(), t) << where;
        }
        size_t ep_count[2] = {count_in(w.object(s.endpoints[0]).head(), *t),
                              count_in(w.object(s.endpoints[1]).head(), *t)};
        size_t ntfn_count = count_in(n.head(), *t);
        switch (t->state()) {
        case ThreadState::Running:
        case ThreadState::Restart:
            ASSERT_EQ(ep_count[0] + ep_count[1] + ntfn_count, 0u) << where;
            ASSERT_TRUE(ready == 1 || w.scheduler.current() == t ||
                        w.scheduler.cpu().candidate == t)
                << where;
            break;
        case ThreadState::BlockedOnSend:
        case ThreadState::BlockedOnReceive: {
            ASSERT_EQ(ready, 0u) << where;
            ASSERT_EQ(ntfn_count, 0u) << where;
            ASSERT_EQ(ep_count[0] + ep_count[1], 1u) << where;
            Endpoint& ep = *t->thread.blocked_endpoint;
            size_t index = &ep == &w.object(s.endpoints[0]) ? 0 : 1;
            ASSERT_EQ(ep_count[index], 1u) << where;
            ASSERT_EQ(ep.state(), t->state() == ThreadState::BlockedOnSend ? EndpointState::Send
                                                                           : EndpointState::Receive)
                << where;
            break;
        }
        case ThreadState::BlockedOnNotification:
            ASSERT_EQ(ready, 0u) << where;
            ASSERT_EQ(ntfn_count, 1u) << where;
            ASSERT_EQ(n.state(), NotificationState::Waiting) << where;
            break;
        default:
            ASSERT_EQ(ready + ep_count[0] + ep_count[1] + ntfn_count, 0u) << where;
            break;
        }
    }
    for (auto cap : s.endpoints) {
        Endpoint& ep = w.object(cap);
        ASSERT_EQ(ep.head() == nullptr, ep.state() == EndpointState::Idle) << where;
    }
    ASSERT_EQ(n.head() == nullptr, n.state() != NotificationState::Waiting) << where;
}

TEST(IpcProperty, EveryThreadIsOnTheQueueItsStateSays)
{
    size_t seen[8] = {};
    for (unsigned seed = 1; seed <= 300; ++seed) {
        World s;
        std::mt19937_64 rng(seed);
        auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
        for (int step = 0; step < 200; ++step) {
            // Only the current thread makes system calls, as in the kernel; lifecycle
            // operations and signals may name any thread.
            s.w.scheduler.schedule();
            s.w.scheduler.activate_current();
            Tcb& t = *s.w.scheduler.current();
            Tcb& u = *s.threads[pick(s.threads.size())];
            EndpointCap ep = s.endpoints[pick(2)].with_badge(Badge{pick(3)});
            Notification& n = s.w.object(s.ntfn);
            IpcContext& ctx = s.w.ctx;
            unsigned op = static_cast<unsigned>(pick(16));
            bool running = t.state() == ThreadState::Running;
            if (op < 10 && !running)
                op = 10 + op % 5;
            switch (op) {
            case 0:
                s.w.load(t, 1, {1, 2, 3});
                send_ipc(ctx, t, ep, Blocking::Yes, IsCall::No);
                break;
            case 1:
                send_ipc(ctx, t, ep, Blocking::No, IsCall::No);
                break;
            case 2:
                recv(ctx, t, ep, Blocking::Yes);
                break;
            case 3:
                recv(ctx, t, ep, Blocking::No);
                break;
            case 4:
                call(ctx, t, ep);
                break;
            case 5:
                reply_receive(ctx, t, ep);
                break;
            case 6:
                receive_signal(ctx, t, n, pick(2) ? Blocking::Yes : Blocking::No);
                break;
            case 7:
                (void)handle_fault(ctx, t, vm_fault(VAddr{0x1000}, false, 0));
                break;
            case 8:
                if (t.thread.bound_notification == nullptr && n.bound_tcb() == nullptr)
                    bind_notification(t, n);
                else
                    unbind_notification(t);
                break;
            case 9:
                reply(ctx, t);
                break;
            case 10:
                send_signal(ctx, n, Badge{Word{1} << pick(4)});
                break;
            case 11:
                suspend(ctx, u);
                break;
            case 12:
                restart(ctx, u);
                break;
            case 15:
                s.w.scheduler.set_priority(u, 5 + static_cast<unsigned>(pick(6)));
                break;
            case 13:
                cancel_badged_sends(ctx, s.w.object(ep), ep.badge());
                break;
            default:
                if (pick(2))
                    s.w.scheduler.tick();
                else
                    s.w.scheduler.yield();
                break;
            }
            // Tick and Yield queue the current thread until schedule() picks again.
            s.w.scheduler.schedule();
            check(s, "seed " + std::to_string(seed) + " step " + std::to_string(step) + " op " +
                         std::to_string(op));
            if (::testing::Test::HasFatalFailure())
                return;
            for (Tcb* x : s.threads)
                ++seen[static_cast<size_t>(x->state())];
        }
        // Deleting every endpoint and the notification leaves nobody blocked on them.
        for (auto cap : s.endpoints)
            cancel_all_ipc(s.w.ctx, s.w.object(cap));
        cancel_all_signals(s.w.ctx, s.w.object(s.ntfn));
        for (Tcb* t : s.threads)
            ASSERT_FALSE(t->state() == ThreadState::BlockedOnSend ||
                         t->state() == ThreadState::BlockedOnReceive ||
                         t->state() == ThreadState::BlockedOnNotification);
        check(s, "after cancel, seed " + std::to_string(seed));
        if (::testing::Test::HasFatalFailure())
            return;
    }
    // The sequences really reach every state a thread can be in.
    for (ThreadState st : {ThreadState::Inactive, ThreadState::Running, ThreadState::Restart,
                           ThreadState::BlockedOnReceive, ThreadState::BlockedOnSend,
                           ThreadState::BlockedOnReply, ThreadState::BlockedOnNotification})
        EXPECT_GT(seen[static_cast<size_t>(st)], 0u) << static_cast<int>(st);
}

} // namespace
} // namespace tessera::core::test
