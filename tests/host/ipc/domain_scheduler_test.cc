// seL4's domain scheduler: threads run only in their domain's slot of the schedule, the schedule
// advances on timer ticks, and DomainSet's methods decode with seL4's errors.

#include <gtest/gtest.h>

#include <vector>

#include "domain/domain_invocation.h"
#include "ipc_world.h"

namespace tessera::core::test {
namespace {

// Runs one timer tick and the scheduler decision that follows it, as the kernel's trap does.
Tcb* tick_world(IpcWorld& w)
{
    w.scheduler.tick();
    w.scheduler.schedule();
    return w.scheduler.current();
}

// A world whose kernel has Microkit's 16 domains and 100 schedule entries.
struct MicrokitWorld : IpcWorld {
    MicrokitWorld() { scheduler.domain_schedule().set_limits(DomainLimits::microkit()); }
};

// A thread of `domain` at `priority`, queued on its domain's queues.
Tcb& thread_in(IpcWorld& w, unsigned priority, unsigned domain)
{
    Tcb& tcb = w.thread(priority);
    w.scheduler.set_domain(tcb, Domain(domain));
    return tcb;
}

Result<Progress> call(IpcWorld& w, DomainMethod method, std::vector<Word> words, Slot* cap = nullptr)
{
    Slot* caps[1] = {cap};
    return invoke_domain(w.ctx, method, Invocation{words.data(), words.size(), caps, cap ? 1u : 0u});
}

void configure(IpcWorld& w, Word index, Word domain, Word duration)
{
    ASSERT_TRUE(call(w, DomainMethod::ScheduleConfigure, {index, domain, duration}));
}

TEST(DomainScheduler, WithoutAScheduleDomainZeroRunsForever)
{
    IpcWorld w;
    Tcb& zero = w.thread(10);
    thread_in(w, 200, 1);
    w.scheduler.reschedule_required();
    w.scheduler.schedule();
    for (int t = 0; t < 1000; ++t)
        ASSERT_EQ(tick_world(w), &zero);
    EXPECT_EQ(w.scheduler.current_domain(), Domain{});
    EXPECT_EQ(w.arch.fpu_releases, 0);
}

TEST(DomainScheduler, TwoDomainsAlternateByTheirDurations)
{
    MicrokitWorld w;
    Tcb& a = thread_in(w, 10, 0);
    Tcb& b = thread_in(w, 200, 1); // higher, but only in its own slot
    configure(w, 0, 0, 3);
    configure(w, 1, 1, 2);
    ASSERT_TRUE(call(w, DomainMethod::ScheduleSetStart, {0}));
    w.scheduler.schedule();
    std::vector<Tcb*> ran{w.scheduler.current()};
    for (int t = 0; t < 10; ++t)
        ran.push_back(tick_world(w));
    // Domain 0 for 3 ticks, domain 1 for 2, and round again.
    EXPECT_EQ(ran, (std::vector<Tcb*>{&a, &a, &a, &b, &b, &a, &a, &a, &b, &b, &a}));
    EXPECT_EQ(w.arch.fpu_releases, 5); // at every domain switch, the start one included
}

TEST(DomainScheduler, AnEmptyDomainRunsIdle)
{
    MicrokitWorld w;
    Tcb& a = thread_in(w, 10, 0);
    configure(w, 0, 0, 1);
    configure(w, 1, 5, 2);
    ASSERT_TRUE(call(w, DomainMethod::ScheduleSetStart, {0}));
    w.scheduler.schedule();
    EXPECT_EQ(w.scheduler.current(), &a);
    EXPECT_EQ(tick_world(w), &w.idle());
    EXPECT_EQ(w.scheduler.current_domain(), Domain(5));
    EXPECT_EQ(tick_world(w), &w.idle());
    EXPECT_EQ(tick_world(w), &a);
}

TEST(DomainScheduler, TheScheduleRestartsAtTheStartIndexAfterAnEndMarker)
{
    MicrokitWorld w;
    Tcb& a = thread_in(w, 10, 0);
    Tcb& b = thread_in(w, 10, 1);
    Tcb& c = thread_in(w, 10, 2);
    configure(w, 0, 2, 5); // before the start: never reached again
    configure(w, 1, 0, 1);
    configure(w, 2, 1, 1);
    ASSERT_TRUE(call(w, DomainMethod::ScheduleSetStart, {1}));
    w.scheduler.schedule();
    std::vector<Tcb*> ran{w.scheduler.current()};
    for (int t = 0; t < 5; ++t)
        ran.push_back(tick_world(w));
    EXPECT_EQ(ran, (std::vector<Tcb*>{&a, &b, &a, &b, &a, &b}));
    EXPECT_TRUE(c.thread.in_ready_queue);
}

TEST(DomainScheduler, AThreadWokenInAnotherDomainWaitsForItsSlot)
{
    MicrokitWorld w;
    Tcb& cur = thread_in(w, 10, 0);
    Tcb& other = thread_in(w, 250, 1);
    w.make_current(cur);
    w.scheduler.queues(Domain(1)).dequeue(other);
    EXPECT_FALSE(w.scheduler.is_highest(other)); // the fastpath leaves it to the slow path
    w.scheduler.possible_switch_to(other);
    w.scheduler.schedule();
    EXPECT_EQ(w.scheduler.current(), &cur);
    EXPECT_EQ(w.scheduler.queues(Domain(1)).head(250), &other);
    EXPECT_TRUE(w.scheduler.is_highest(cur));
}

TEST(DomainScheduler, SetMovesTheCurrentThreadOutOfTheCpu)
{
    MicrokitWorld w;
    Tcb& cur = w.thread(10);
    Tcb& next = w.thread(5);
    w.make_current(cur);
    insert_root_cap(w.root_slot(7), TcbCap::make(w.core.window.physical(&cur)).cap());
    ASSERT_TRUE(call(w, DomainMethod::Set, {3}, &w.root_slot(7)));
    EXPECT_EQ(cur.thread.domain, 3u);
    w.scheduler.schedule();
    EXPECT_EQ(w.scheduler.current(), &next);
    EXPECT_EQ(w.scheduler.queues(Domain(3)).head(10), &cur);
}

TEST(DomainScheduler, DecodingRefusesWhatSeL4Refuses)
{
    MicrokitWorld w;
    Tcb& t = w.thread(10);
    insert_root_cap(w.root_slot(7), TcbCap::make(w.core.window.physical(&t)).cap());
    auto code = [](const Result<Progress>& r) { return r ? seL4_NoError : r.error().code(); };
    EXPECT_EQ(code(call(w, DomainMethod::Set, {DomainCount}, &w.root_slot(7))), seL4_InvalidArgument);
    EXPECT_EQ(code(call(w, DomainMethod::Set, {1})), seL4_TruncatedMessage);
    EXPECT_EQ(code(call(w, DomainMethod::Set, {1}, &w.root_slot(0))), seL4_InvalidArgument);
    EXPECT_EQ(code(call(w, DomainMethod::ScheduleConfigure, {0, 1})), seL4_TruncatedMessage);
    EXPECT_EQ(code(call(w, DomainMethod::ScheduleConfigure, {DomainScheduleLength - 1, 0, 0})), seL4_RangeError);
    EXPECT_EQ(code(call(w, DomainMethod::ScheduleConfigure, {0, DomainCount, 1})), seL4_RangeError);
    EXPECT_EQ(code(call(w, DomainMethod::ScheduleConfigure, {1, 0, DomainMaxDuration + 1})), seL4_InvalidArgument);
    EXPECT_EQ(code(call(w, DomainMethod::ScheduleConfigure, {1, 2, 0})), seL4_InvalidArgument);
    EXPECT_EQ(code(call(w, DomainMethod::ScheduleConfigure, {0, 0, 0})), seL4_InvalidArgument); // the start
    EXPECT_EQ(code(call(w, DomainMethod::ScheduleSetStart, {})), seL4_TruncatedMessage);
    EXPECT_EQ(code(call(w, DomainMethod::ScheduleSetStart, {DomainScheduleLength})), seL4_RangeError);
    EXPECT_EQ(code(call(w, DomainMethod::ScheduleSetStart, {1})), seL4_InvalidArgument); // an end marker
    // Nothing refused changed anything.
    EXPECT_EQ(t.thread.domain, 0u);
    EXPECT_EQ(w.scheduler.domain_schedule().entry(0).duration, DomainMaxDuration);
    EXPECT_TRUE(w.scheduler.domain_schedule().is_end_marker(1));
}

TEST(DomainScheduler, SeL4sDefaultBuildHasOneDomainAndTwoEntries)
{
    IpcWorld w; // as sel4test's build of seL4 expects (its DOMAINS0002 asks for domain 11)
    Tcb& t = w.thread(10);
    insert_root_cap(w.root_slot(7), TcbCap::make(w.core.window.physical(&t)).cap());
    auto code = [](const Result<Progress>& r) { return r ? seL4_NoError : r.error().code(); };
    EXPECT_EQ(code(call(w, DomainMethod::Set, {11}, &w.root_slot(7))), seL4_InvalidArgument);
    EXPECT_EQ(code(call(w, DomainMethod::Set, {0}, &w.root_slot(7))), seL4_NoError);
    EXPECT_EQ(code(call(w, DomainMethod::ScheduleConfigure, {1, 0, 5})), seL4_RangeError);
    EXPECT_EQ(code(call(w, DomainMethod::ScheduleConfigure, {0, 1, 5})), seL4_RangeError);
    EXPECT_EQ(code(call(w, DomainMethod::ScheduleConfigure, {0, 0, 5})), seL4_NoError);
    EXPECT_EQ(code(call(w, DomainMethod::ScheduleSetStart, {2})), seL4_RangeError);
    EXPECT_EQ(code(call(w, DomainMethod::ScheduleSetStart, {0})), seL4_NoError);
    w.scheduler.schedule();
    for (int tick = 0; tick < 12; ++tick) // domain 0 for 5 ticks, then domain 0 again
        EXPECT_EQ(tick_world(w), &t);
}

} // namespace
} // namespace tessera::core::test
