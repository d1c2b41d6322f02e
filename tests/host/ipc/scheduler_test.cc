// The scheduler's queues, bitmap, round robin, yield and seL4's switch decisions.

#include <gtest/gtest.h>

#include "ipc_world.h"

namespace tessera::core::test {
namespace {

TEST(ReadyQueues, HighestLevelAcrossBitmapGroups)
{
    IpcWorld w;
    ReadyQueues& q = w.scheduler.queues(Domain{});
    Tcb& a = w.thread(3);
    Tcb& b = w.thread(200);
    Tcb& c = w.thread(64);
    EXPECT_EQ(q.highest(), &b);
    EXPECT_EQ(q.highest_priority(), 200u);
    q.dequeue(b);
    EXPECT_EQ(q.highest(), &c);
    q.dequeue(c);
    EXPECT_EQ(q.highest(), &a);
    q.dequeue(a);
    EXPECT_EQ(q.highest(), nullptr);
    EXPECT_TRUE(q.is_empty_level(3));
}

TEST(ReadyQueues, EnqueueGoesToHeadAppendToTail)
{
    IpcWorld w;
    ReadyQueues& q = w.scheduler.queues(Domain{});
    Tcb& a = w.thread(10);
    Tcb& b = w.thread(10);
    EXPECT_EQ(q.head(10), &a);
    q.dequeue(b);
    q.enqueue(b);
    EXPECT_EQ(q.head(10), &b);
    q.dequeue(b);
    q.append(b);
    EXPECT_EQ(q.head(10), &a);
    q.dequeue(a);
    EXPECT_EQ(q.head(10), &b);
}

TEST(Scheduler, ChoosesHighestPriorityThenIdle)
{
    IpcWorld w;
    Tcb& low = w.thread(1);
    Tcb& high = w.thread(100);
    w.scheduler.reschedule_required();
    w.scheduler.schedule();
    EXPECT_EQ(w.scheduler.current(), &high);
    w.scheduler.set_thread_state(high, ThreadState::Inactive);
    w.scheduler.schedule();
    EXPECT_EQ(w.scheduler.current(), &low);
    w.scheduler.set_thread_state(low, ThreadState::Inactive);
    w.scheduler.schedule();
    EXPECT_EQ(w.scheduler.current(), &w.idle());
}

TEST(Scheduler, TimeSliceExpiryRotatesRoundRobin)
{
    IpcWorld w;
    Tcb& a = w.thread(7);
    Tcb& b = w.thread(7);
    Tcb& c = w.thread(7);
    w.scheduler.reschedule_required();
    w.scheduler.schedule();
    std::vector<Tcb*> order;
    for (int slice = 0; slice < 6; ++slice) {
        order.push_back(w.scheduler.current());
        for (Word t = 0; t < TimeSliceTicks; ++t) {
            EXPECT_EQ(w.scheduler.current(), order.back());
            w.scheduler.tick();
            w.scheduler.schedule();
        }
    }
    EXPECT_EQ(order, (std::vector<Tcb*>{&a, &b, &c, &a, &b, &c}));
}

TEST(Scheduler, YieldGoesBehindPeersButNotBelowLowerLevels)
{
    IpcWorld w;
    Tcb& a = w.thread(9);
    Tcb& b = w.thread(9);
    w.thread(2);
    w.scheduler.reschedule_required();
    w.scheduler.schedule();
    ASSERT_EQ(w.scheduler.current(), &a);
    w.scheduler.yield();
    w.scheduler.schedule();
    EXPECT_EQ(w.scheduler.current(), &b);
    w.scheduler.yield();
    w.scheduler.schedule();
    EXPECT_EQ(w.scheduler.current(), &a);
}

TEST(Scheduler, HigherPriorityWokenThreadPreempts)
{
    IpcWorld w;
    Tcb& low = w.thread(5);
    Tcb& high = w.thread(50);
    w.make_current(low);
    w.scheduler.queues(Domain{}).dequeue(high);
    high.thread.state = ThreadState::Inactive;
    high.thread.state = ThreadState::Running;
    w.scheduler.possible_switch_to(high);
    w.scheduler.schedule();
    EXPECT_EQ(w.scheduler.current(), &high);
    EXPECT_TRUE(low.thread.in_ready_queue);
}

TEST(Scheduler, LowerOrEqualWokenThreadWaitsItsTurn)
{
    IpcWorld w;
    Tcb& cur = w.thread(20);
    Tcb& low = w.thread(5);
    Tcb& peer = w.thread(20);
    w.make_current(cur);
    w.scheduler.queues(Domain{}).dequeue(low);
    w.scheduler.queues(Domain{}).dequeue(peer);
    w.scheduler.possible_switch_to(low);
    w.scheduler.schedule();
    EXPECT_EQ(w.scheduler.current(), &cur);
    EXPECT_TRUE(low.thread.in_ready_queue);
    w.scheduler.possible_switch_to(peer);
    w.scheduler.schedule();
    EXPECT_EQ(w.scheduler.current(), &cur);
    EXPECT_EQ(w.scheduler.queues(Domain{}).head(20), &peer);
}

TEST(Scheduler, RestartThreadResumesAtFaultIp)
{
    IpcWorld w;
    Tcb& t = w.thread(4);
    w.arch.of(t).fault_ip = 0x4000;
    t.thread.state = ThreadState::Restart;
    w.scheduler.reschedule_required();
    w.scheduler.schedule();
    w.scheduler.activate_current();
    EXPECT_EQ(t.state(), ThreadState::Running);
    EXPECT_EQ(w.arch.of(t).restarted_at, 0x4000u);
}

TEST(Scheduler, SetPriorityRequeuesAtNewLevel)
{
    IpcWorld w;
    Tcb& t = w.thread(4);
    w.scheduler.set_priority(t, 99);
    EXPECT_TRUE(w.scheduler.queues(Domain{}).is_empty_level(4));
    EXPECT_EQ(w.scheduler.queues(Domain{}).head(99), &t);
}

} // namespace
} // namespace tessera::core::test
