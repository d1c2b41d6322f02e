// The scheduler: 256 ready queues with a two-level bitmap of non-empty levels (seL4's
// ksReadyQueuesL1/L2Bitmap), round robin within a level, time slices, Yield, and seL4's
// scheduler action. All per-CPU state is in one CpuState so SMP adds an array, not a rewrite.
#pragma once

#include <cstddef>

#include "base/types.h"
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
    ReadyQueues ready;
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
    // One timer tick for the current thread: at the end of its slice it goes to the back.
    void tick();
    // seL4_Yield: the current thread goes to the back of its level.
    void yield();
    // Priority change (seL4 setPriority): requeues at the new level if queued.
    void set_priority(Tcb& tcb, unsigned priority);
    // True when a thread at `priority` may run now: no ready thread is above it.
    bool is_highest(unsigned priority) const
    {
        return cpu_.ready.is_empty() || priority >= cpu_.ready.highest_priority();
    }
    // The IPC fastpath's switch: `tcb` (runnable, not queued) becomes current at once; the
    // thread it replaces has just blocked, so there is nothing to decide.
    void run_now(Tcb& tcb) { cpu_.current = &tcb; }
    // Removes `tcb` from the ready queue and, if current, asks for a new choice.
    void remove(Tcb& tcb);

private:
    void choose_thread();
    void switch_to(Tcb& tcb);

    ArchThread& arch_;
    CpuState cpu_;
};

} // namespace tessera::core
