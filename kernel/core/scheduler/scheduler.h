// The scheduler: per domain, 256 ready queues with a two-level bitmap of non-empty levels
// (seL4's ksReadyQueuesL1/L2Bitmap[domain]), round robin within a level, time slices, Yield,
// seL4's scheduler action and its domain schedule. All per-CPU state is in one CpuState so SMP
// adds an array, not a rewrite (seL4 runs the domain scheduler on one core only).
#pragma once

#include <cstddef>

#include "base/types.h"
#include "scheduler/domain_schedule.h"
#include "tcb/tcb.h"

namespace tessera::core {

class ArchThread;

class ReadyQueues {
public:
    // seL4 tcbSchedEnqueue: to the head of its priority's queue (it keeps its turn).
    void enqueue(Tcb& tcb);
    // seL4 tcbSchedAppend: to the tail (it goes after its peers).
    void append(Tcb& tcb);
    // seL4 tcbSchedDequeue; no-op when not queued.
    void dequeue(Tcb& tcb);
    // The head of the highest non-empty level, or null. Inline: the IPC fastpath asks.
    Tcb* highest() const { return level1_ == 0 ? nullptr : heads_[highest_priority()]; }
    bool is_empty_level(unsigned priority) const { return heads_[priority] == nullptr; }
    Tcb* head(unsigned priority) const { return heads_[priority]; }
    // The highest non-empty level; only when some level is non-empty.
    unsigned highest_priority() const
    {
        const unsigned group = highest_bit(level1_);
        return group * WordBits + highest_bit(level2_[group]);
    }
    bool is_empty() const { return level1_ == 0; }

private:
    static unsigned highest_bit(Word word)
    {
        return WordBits - 1 - static_cast<unsigned>(__builtin_clzll(word));
    }
    void mark(unsigned priority);
    void unmark(unsigned priority);

    static constexpr unsigned Groups = PriorityCount / WordBits;
    Tcb* heads_[PriorityCount] = {};
    Tcb* tails_[PriorityCount] = {};
    Word level1_ = 0;          // bit g: group g (priorities 64g..64g+63) has a non-empty level
    Word level2_[Groups] = {}; // bit p%64 of group p/64: level p is non-empty
};

// seL4 ksSchedulerAction: keep the current thread, choose from the queues, or consider one
// thread that was just made runnable.
enum class SchedulerAction { ResumeCurrentThread, ChooseNewThread, SwitchToThread };

struct CpuState {
    ReadyQueues ready[DomainCount]; // by the threads' domain
    DomainSchedule domains;
    Tcb* current = nullptr;
    Tcb* idle = nullptr;
    SchedulerAction action = SchedulerAction::ResumeCurrentThread;
    Tcb* candidate = nullptr; // SwitchToThread only
};

class Scheduler {
public:
    // `idle` runs when nothing else can; it starts as the current thread.
    Scheduler(ArchThread& arch, Tcb& idle);

    CpuState& cpu() { return cpu_; }
    Tcb* current() const { return cpu_.current; }

    // seL4 setThreadState: changes the state and asks for a reschedule if the current thread
    // stopped being runnable.
    void set_thread_state(Tcb& tcb, ThreadState state);
    // seL4 rescheduleRequired: the candidate (if any) goes back to its queue; choose anew.
    void reschedule_required();
    // seL4 possibleSwitchTo: `tcb` just became runnable.
    void possible_switch_to(Tcb& tcb);
    // seL4 schedule(): act on the scheduler action; afterwards current() is what runs.
    void schedule();
    // seL4 activateThread: a Restart thread resumes at its fault IP and becomes Running.
    void activate_current();
    // One timer tick (seL4 timerTick): at the end of its slice the current thread goes to the
    // back; at the end of the domain's time the next choice moves to the next domain.
    void tick();
    // seL4_Yield: the current thread goes to the back of its level.
    void yield();
    // Priority change (seL4 setPriority): requeues at the new level if queued.
    void set_priority(Tcb& tcb, unsigned priority);
    // The ready queues of one domain, and those a thread goes to.
    ReadyQueues& queues(Domain domain) { return cpu_.ready[static_cast<unsigned>(domain)]; }
    ReadyQueues& queues_of(const Tcb& tcb) { return cpu_.ready[tcb.thread.domain]; }
    // seL4 SCHED_ENQUEUE / SCHED_APPEND: to its domain's queue, at the head or the tail.
    void enqueue(Tcb& tcb) { queues_of(tcb).enqueue(tcb); }
    void append(Tcb& tcb) { queues_of(tcb).append(tcb); }
    Domain current_domain() const { return cpu_.domains.current(); }
    // Whether a ready thread waits for its domain's turn in the schedule: the idle thread then
    // only fills the current domain's time, the system is not idle. (A thread of a domain the
    // schedule never reaches, such as the loader after it started the schedule, waits forever.)
    bool is_waiting_for_domain() const
    {
        for (unsigned domain = 0; domain < DomainCount; ++domain)
            if (!cpu_.ready[domain].is_empty() && cpu_.domains.is_scheduled(Domain(domain)))
                return true;
        return false;
    }
    // True when `tcb` may run now: it belongs to the current domain and no ready thread of that
    // domain is above it (the IPC fastpath's test, seL4 fastpath's domain and priority checks).
    bool is_highest(const Tcb& tcb) const
    {
        const ReadyQueues& ready = cpu_.ready[static_cast<unsigned>(current_domain())];
        return Domain{tcb.thread.domain} == current_domain() &&
               (ready.is_empty() || tcb.thread.priority >= ready.highest_priority());
    }
    // seL4 setDomain: `tcb` moves to `domain`'s queues; a current thread leaving the current
    // domain gives up the CPU at the next choice.
    void set_domain(Tcb& tcb, Domain domain);
    // The domain schedule for DomainSet's ScheduleConfigure and ScheduleSetStart.
    DomainSchedule& domain_schedule() { return cpu_.domains; }
    // seL4 invokeDomainScheduleSetStart: the current entry ends now, the choice starts over.
    void set_domain_schedule_start(Word index);
    // The IPC fastpath's switch: `tcb` (runnable, not queued) becomes current at once; the
    // thread it replaces has just blocked, so there is nothing to decide.
    void run_now(Tcb& tcb) { cpu_.current = &tcb; }
    // Removes `tcb` from the ready queue and, if current, asks for a new choice.
    void remove(Tcb& tcb);

private:
    void choose_thread();
    // seL4 scheduleChooseNewThread: the next domain first when the current one's time is over.
    void choose_new_thread();
    void switch_to(Tcb& tcb);

    ArchThread& arch_;
    CpuState cpu_;
};

} // namespace tessera::core
