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
        cpu_.ready.enqueue(*cpu_.candidate);
    cpu_.action = SchedulerAction::ChooseNewThread;
    cpu_.candidate = nullptr;
}

void Scheduler::possible_switch_to(Tcb& tcb)
{
    if (cpu_.action != SchedulerAction::ResumeCurrentThread) {
        reschedule_required();
        cpu_.ready.enqueue(tcb);
    } else {
        cpu_.action = SchedulerAction::SwitchToThread;
        cpu_.candidate = &tcb;
    }
}

void Scheduler::switch_to(Tcb& tcb)
{
    cpu_.ready.dequeue(tcb);
    cpu_.current = &tcb;
}

void Scheduler::choose_thread()
{
    Tcb* next = cpu_.ready.highest();
    if (next != nullptr)
        switch_to(*next);
    else
        cpu_.current = cpu_.idle;
}

void Scheduler::schedule()
{
    if (cpu_.action == SchedulerAction::ResumeCurrentThread)
        return;
    Tcb& current = *cpu_.current;
    bool was_runnable = current.is_runnable();
    if (was_runnable && &current != cpu_.idle)
        cpu_.ready.enqueue(current);
    if (cpu_.action == SchedulerAction::ChooseNewThread) {
        choose_thread();
    } else {
        Tcb& candidate = *cpu_.candidate;
        // A candidate below the current thread, or one that cannot beat the queues, waits.
        bool fast_fail =
            &current == cpu_.idle || candidate.thread.priority < current.thread.priority;
        bool highest = cpu_.ready.highest() == nullptr ||
                       candidate.thread.priority >= cpu_.ready.highest_priority();
        if (fast_fail && !highest) {
            cpu_.ready.enqueue(candidate);
            choose_thread();
        } else if (was_runnable && &current != cpu_.idle &&
                   candidate.thread.priority == current.thread.priority) {
            // Equal priority: the running thread keeps the CPU, the candidate queues behind.
            cpu_.ready.append(candidate);
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
    if (&current == cpu_.idle || !current.is_runnable())
        return;
    if (current.thread.time_slice > 1) {
        --current.thread.time_slice;
        return;
    }
    current.thread.time_slice = TimeSliceTicks;
    cpu_.ready.append(current);
    reschedule_required();
}

void Scheduler::yield()
{
    Tcb& current = *cpu_.current;
    if (&current == cpu_.idle)
        return;
    cpu_.ready.dequeue(current);
    cpu_.ready.append(current);
    reschedule_required();
}

void Scheduler::set_priority(Tcb& tcb, unsigned priority)
{
    bool queued = tcb.thread.in_ready_queue;
    cpu_.ready.dequeue(tcb);
    tcb.thread.priority = static_cast<uint8_t>(priority);
    if (queued)
        cpu_.ready.enqueue(tcb);
    // seL4 setPriority: a running thread may have lost its place; choose again.
    if (&tcb == cpu_.current || queued)
        reschedule_required();
}

void Scheduler::remove(Tcb& tcb)
{
    cpu_.ready.dequeue(tcb);
    if (cpu_.candidate == &tcb) {
        cpu_.candidate = nullptr;
        cpu_.action = SchedulerAction::ChooseNewThread;
    }
    if (&tcb == cpu_.current && cpu_.action == SchedulerAction::ResumeCurrentThread)
        reschedule_required();
}

} // namespace tessera::core
