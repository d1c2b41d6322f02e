// Thread-queue invariants over the IPC world: threads ready, current, blocked on endpoints and
// on notifications pass; a thread off the queue its state names, a queue whose state or links
// disagree, are each reported.

#include <gtest/gtest.h>

#include "invariant_test_support.h"
#include "ipc_world.h"

namespace tessera::core::test {
namespace {

struct ThreadQueuesFixture : ::testing::Test {
    IpcWorld w;
    Checker checker;
    Tcb& current = w.thread(20);
    Tcb& ready = w.thread(10);
    Tcb& sender = w.thread(10);
    Tcb& second_sender = w.thread(10);
    Tcb& waiter = w.thread(10);
    EndpointCap ep = w.endpoint(5);
    NotificationCap ntfn = w.notification(6);

    // Each thread also has a TCB capability, as every thread a system builds does.
    void SetUp() override
    {
        Word slot = 20;
        for (Tcb* tcb : {&current, &ready, &sender, &second_sender, &waiter})
            insert_root_cap(w.root_slot(slot++), TcbCap::make(w.core.window.physical(tcb)).cap());
        w.make_current(current);
    }

    // Blocks `tcb` the way the kernel does: only the current thread makes system calls.
    void as_current(Tcb& tcb, auto operation)
    {
        w.make_current(tcb);
        operation();
        w.scheduler.cpu().current = &current;
    }
    void block_senders()
    {
        as_current(sender, [&] { send_ipc(w.ctx, sender, ep, Blocking::Yes, IsCall::No); });
        as_current(second_sender,
                   [&] { send_ipc(w.ctx, second_sender, ep, Blocking::Yes, IsCall::No); });
    }
    void block_waiter()
    {
        as_current(waiter, [&] { receive_signal(w.ctx, waiter, w.object(ntfn), Blocking::Yes); });
    }

    std::string run() { return checker.run(w.core, w.root(), w.scheduler.cpu()).line(); }
    std::string at(const void* object) { return hex(w.core.window.physical(object).raw()); }
    std::string name(const Tcb& tcb) { return "thread " + at(&tcb); }
};

TEST_F(ThreadQueuesFixture, ReadyCurrentAndBlockedThreadsHold)
{
    block_senders();
    block_waiter();
    ASSERT_EQ(sender.state(), ThreadState::BlockedOnSend);
    ASSERT_EQ(waiter.state(), ThreadState::BlockedOnNotification);
    EXPECT_EQ(run(), "all invariants hold");
}

TEST_F(ThreadQueuesFixture, HoldsAfterMessagesAreDelivered)
{
    block_senders();
    block_waiter();
    recv(w.ctx, current, ep, Blocking::Yes);
    send_signal(w.ctx, w.object(ntfn), Badge{1});
    EXPECT_EQ(run(), "all invariants hold");
}

TEST_F(ThreadQueuesFixture, ReportsReadyThreadWithFlagCleared)
{
    ready.thread.in_ready_queue = false;
    EXPECT_EQ(run(),
              name(ready) + " (Running): in_ready_queue is clear but it is on 1 ready queues");
}

TEST_F(ThreadQueuesFixture, ReportsFlagSetButNotQueued)
{
    current.thread.in_ready_queue = true;
    EXPECT_EQ(run(),
              name(current) + " (Running): in_ready_queue is set but it is on 0 ready queues");
}

TEST_F(ThreadQueuesFixture, ReportsRunnableThreadNobodyWillRun)
{
    w.scheduler.queues(Domain{}).dequeue(ready);
    EXPECT_EQ(run(),
              name(ready) + " (Running): runnable but neither current, queued nor the candidate");
}

TEST_F(ThreadQueuesFixture, SchedulerCandidateNeedNotBeQueued)
{
    w.scheduler.queues(Domain{}).dequeue(ready);
    w.scheduler.cpu().candidate = &ready;
    w.scheduler.cpu().action = SchedulerAction::SwitchToThread;
    EXPECT_EQ(run(), "all invariants hold");
}

TEST_F(ThreadQueuesFixture, ReportsThreadOnTheWrongPriorityLevel)
{
    ready.thread.priority = 9;
    EXPECT_EQ(run(), name(ready) + " (Running): priority 9 but on the ready queue of priority 10");
}

TEST_F(ThreadQueuesFixture, ReportsBlockedThreadLeftOnTheReadyQueue)
{
    ready.thread.state = ThreadState::BlockedOnReply;
    EXPECT_EQ(run(), name(ready) +
                         " (BlockedOnReply): on the ready queue of priority 10 but not runnable");
}

TEST_F(ThreadQueuesFixture, ReportsReadyQueueBackLink)
{
    // ready, sender, second_sender and waiter share level 10 in that order.
    sender.thread.ready_prev = nullptr;
    EXPECT_EQ(run(), "ready queue of priority 10: " + name(sender) +
                         " links back to 0 instead of " + at(&ready));
}

TEST_F(ThreadQueuesFixture, ReportsSenderOnEndpointInReceiveState)
{
    block_senders();
    w.object(ep).set_state(EndpointState::Receive);
    EXPECT_EQ(run(), name(sender) + " (BlockedOnSend): endpoint " + at(&w.object(ep)) +
                         " is in state Receive");
}

TEST_F(ThreadQueuesFixture, ReportsIdleEndpointWithQueuedThreads)
{
    block_senders();
    w.object(ep).set_state(EndpointState::Idle);
    EXPECT_EQ(run(), "endpoint " + at(&w.object(ep)) + ": state Idle with 2 threads queued");
}

TEST_F(ThreadQueuesFixture, ReportsEndpointQueueBackLink)
{
    block_senders();
    second_sender.thread.queue_prev = nullptr;
    EXPECT_EQ(run(), "endpoint " + at(&w.object(ep)) + ": queued " + name(second_sender) +
                         " links back to 0 instead of " + at(&sender));
}

TEST_F(ThreadQueuesFixture, ReportsEndpointTailNotTheLastThread)
{
    block_senders();
    sender.thread.queue_next = nullptr; // second_sender falls off the walk, still the tail
    EXPECT_EQ(run(), "endpoint " + at(&w.object(ep)) + ": queue tail is " + at(&second_sender) +
                         " but the last queued thread is " + at(&sender));
}

TEST_F(ThreadQueuesFixture, ReportsQueuedThreadThatIsNotBlocked)
{
    block_senders();
    sender.thread.state = ThreadState::Inactive;
    EXPECT_EQ(run(), name(sender) + " (Inactive): queued on " + at(&w.object(ep)) +
                         " but not blocked there");
}

TEST_F(ThreadQueuesFixture, ReportsNotificationWaiterMissingFromTheQueue)
{
    w.scheduler.queues(Domain{}).dequeue(waiter);
    waiter.thread.state = ThreadState::BlockedOnNotification;
    waiter.thread.blocked_notification = &w.object(ntfn);
    EXPECT_EQ(run(), name(waiter) + " (BlockedOnNotification): not on the queue of " +
                         at(&w.object(ntfn)) + " it waits on (on 0 queues)");
}

TEST_F(ThreadQueuesFixture, ReportsWaitingNotificationWithEmptyQueue)
{
    w.object(ntfn).set_state(NotificationState::Waiting);
    EXPECT_EQ(run(),
              "notification " + at(&w.object(ntfn)) + ": state Waiting with 0 threads queued");
}

TEST_F(ThreadQueuesFixture, NamedThreadsAreReportedByName)
{
    std::strcpy(ready.thread.name, "driver");
    ready.thread.in_ready_queue = false;
    EXPECT_EQ(run(),
              name(ready) +
                  " 'driver' (Running): in_ready_queue is clear but it is on 1 ready queues");
}

} // namespace
} // namespace tessera::core::test
