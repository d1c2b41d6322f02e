// seL4's non-MCS scheduler (src/kernel/thread.c semantics) over a two-level bitmap.

#include "scheduler/scheduler.h"

#include "tcb/arch_thread.h"

namespace tessera::core {

void ReadyQueues::mark(unsigned priority)
{
    level2_[priority / WordBits] |= bit(priority % WordBits);
    level1_ |= bit(priority / WordBits);
}

void ReadyQueues::unmark(unsigned priority)
{
    unsigned group = priority / WordBits;
    level2_[group] &= ~bit(priority % WordBits);
    if (level2_[group] == 0)
        level1_ &= ~bit(group);
}

void ReadyQueues::enqueue(Tcb& tcb)
{
    if (tcb.thread.in_ready_queue)
        return;
    unsigned p = tcb.thread.priority;
    tcb.thread.ready_prev = nullptr;
    tcb.thread.ready_next = heads_[p];
    if (heads_[p] != nullptr)
        heads_[p]->thread.ready_prev = &tcb;
    else
        tails_[p] = &tcb;
    heads_[p] = &tcb;
    mark(p);
    tcb.thread.in_ready_queue = true;
}

void ReadyQueues::append(Tcb& tcb)
{
    if (tcb.thread.in_ready_queue)
        return;
    unsigned p = tcb.thread.priority;
    tcb.thread.ready_next = nullptr;
    tcb.thread.ready_prev = tails_[p];
    if (tails_[p] != nullptr)
        tails_[p]->thread.ready_next = &tcb;
    else
        heads_[p] = &tcb;
    tails_[p] = &tcb;
    mark(p);
    tcb.thread.in_ready_queue = true;
}

void ReadyQueues::dequeue(Tcb& tcb)
{
    if (!tcb.thread.in_ready_queue)
        return;
    unsigned p = tcb.thread.priority;
    if (tcb.thread.ready_prev != nullptr)
        tcb.thread.ready_prev->thread.ready_next = tcb.thread.ready_next;
    else
        heads_[p] = tcb.thread.ready_next;
    if (tcb.thread.ready_next != nullptr)
        tcb.thread.ready_next->thread.ready_prev = tcb.thread.ready_prev;
    else
        tails_[p] = tcb.thread.ready_prev;
    tcb.thread.ready_next = tcb.thread.ready_prev = nullptr;
    tcb.thread.in_ready_queue = false;
    if (heads_[p] == nullptr)
        unmark(p);
}

Scheduler::Scheduler(ArchThread& arch, Tcb& idle) : arch_(arch)
{
    idle.thread.state = ThreadState::IdleThreadState;
    cpu_.idle = &idle;
    cpu_.current = &idle;
}

void Scheduler::set_thread_state(Tcb& tcb, ThreadState state)
{
    tcb.thread.state = state;
    // seL4 scheduleTCB: the current thread blocking forces a new choice.
    if (&tcb == cpu_.current && !tcb.is_runnable() &&
        cpu_.action == SchedulerAction::ResumeCurrentThread)
        reschedule_required();
}

void Scheduler::reschedule_required()
{
    if (cpu_.action == SchedulerAction::SwitchToThread)
        enqueue(*cpu_.candidate);
    cpu_.action = SchedulerAction::ChooseNewThread;
    cpu_.candidate = nullptr;
}

void Scheduler::possible_switch_to(Tcb& tcb)
{
    if (Domain{tcb.thread.domain} != current_domain()) {
        enqueue(tcb); // it waits for its domain's turn
    } else if (cpu_.action != SchedulerAction::ResumeCurrentThread) {
        reschedule_required();
        enqueue(tcb);
    } else {
        cpu_.action = SchedulerAction::SwitchToThread;
        cpu_.candidate = &tcb;
    }
}

void Scheduler::switch_to(Tcb& tcb)
{
    queues_of(tcb).dequeue(tcb);
    cpu_.current = &tcb;
}

void Scheduler::choose_thread()
{
    Tcb* next = queues(current_domain()).highest();
    if (next != nullptr)
        switch_to(*next);
    else
        cpu_.current = cpu_.idle;
}

void Scheduler::choose_new_thread()
{
    if (cpu_.domains.is_expired()) {
        // seL4 prepareNextDomain: no FPU state crosses into the next domain's threads.
        arch_.release_fpu_owner();
        cpu_.domains.advance();
    }
    choose_thread();
}

void Scheduler::schedule()
{
    if (cpu_.action == SchedulerAction::ResumeCurrentThread)
        return;
    Tcb& current = *cpu_.current;
    bool was_runnable = current.is_runnable();
    if (was_runnable && &current != cpu_.idle)
        enqueue(current);
    if (cpu_.action == SchedulerAction::ChooseNewThread) {
        choose_new_thread();
    } else {
        // possible_switch_to names only a candidate of the current domain.
        Tcb& candidate = *cpu_.candidate;
        const ReadyQueues& ready = queues(current_domain());
        // A candidate below the current thread, or one that cannot beat the queues, waits.
        bool fast_fail =
            &current == cpu_.idle || candidate.thread.priority < current.thread.priority;
        bool highest = ready.highest() == nullptr || candidate.thread.priority >= ready.highest_priority();
        if (fast_fail && !highest) {
            enqueue(candidate);
            choose_thread();
        } else if (was_runnable && &current != cpu_.idle &&
                   candidate.thread.priority == current.thread.priority) {
            // Equal priority: the running thread keeps the CPU, the candidate queues behind.
            append(candidate);
            choose_thread();
        } else {
            switch_to(candidate);
        }
    }
    cpu_.action = SchedulerAction::ResumeCurrentThread;
    cpu_.candidate = nullptr;
}

void Scheduler::activate_current()
{
    Tcb& current = *cpu_.current;
    if (current.state() == ThreadState::Restart) {
        arch_.restart_at_fault_ip(current);
        current.thread.state = ThreadState::Running;
    }
}

void Scheduler::tick()
{
    Tcb& current = *cpu_.current;
    if (&current != cpu_.idle && current.is_runnable()) {
        if (current.thread.time_slice > 1) {
            --current.thread.time_slice;
        } else {
            current.thread.time_slice = TimeSliceTicks;
            append(current);
            reschedule_required();
        }
    }
    if (cpu_.domains.tick())
        reschedule_required();
}

void Scheduler::yield()
{
    Tcb& current = *cpu_.current;
    if (&current == cpu_.idle)
        return;
    queues_of(current).dequeue(current);
    append(current);
    reschedule_required();
}

void Scheduler::set_priority(Tcb& tcb, unsigned priority)
{
    bool queued = tcb.thread.in_ready_queue;
    queues_of(tcb).dequeue(tcb);
    tcb.thread.priority = static_cast<uint8_t>(priority);
    if (queued)
        enqueue(tcb);
    // seL4 setPriority: a running thread may have lost its place; choose again.
    if (&tcb == cpu_.current || queued)
        reschedule_required();
}

void Scheduler::set_domain(Tcb& tcb, Domain domain)
{
    // seL4 prepareSetDomain: a thread leaving the running domain leaves its FPU state behind.
    if (domain != current_domain())
        arch_.release_fpu(tcb);
    queues_of(tcb).dequeue(tcb);
    tcb.thread.domain = static_cast<uint8_t>(domain);
    if (tcb.is_runnable() && &tcb != cpu_.idle)
        enqueue(tcb);
    if (&tcb == cpu_.current)
        reschedule_required();
}

void Scheduler::set_domain_schedule_start(Word index)
{
    cpu_.domains.set_start(index);
    reschedule_required();
}

void Scheduler::remove(Tcb& tcb)
{
    queues_of(tcb).dequeue(tcb);
    if (cpu_.candidate == &tcb) {
        cpu_.candidate = nullptr;
        cpu_.action = SchedulerAction::ChooseNewThread;
    }
    if (&tcb == cpu_.current && cpu_.action == SchedulerAction::ResumeCurrentThread)
        reschedule_required();
}

} // namespace tessera::core
