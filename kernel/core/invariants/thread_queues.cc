// Thread-queue invariants. Every queue is walked once, recording where each thread was seen;
// then each thread's state is compared with its sightings.

#include <tessera/format.h>

#include "invariants/invariant_checks.h"

namespace tessera::core {

namespace {

// "thread 0x...", plus the debug name when the thread has one.
class ThreadName {
public:
    ThreadName(const CoreContext& ctx, const Tcb& tcb)
    {
        Word at = physical_of(ctx, &tcb);
        if (tcb.thread.name[0] != '\0')
            tessera_snprintf(text_, sizeof text_, "thread %#lx '%.31s'", at, tcb.thread.name);
        else
            tessera_snprintf(text_, sizeof text_, "thread %#lx", at);
    }
    const char* text() const { return text_; }

private:
    char text_[64];
};

class QueueChecker {
public:
    QueueChecker(const CoreContext& ctx, InvariantWorkspace& workspace, InvariantReport& report)
        : ctx_(ctx), workspace_(workspace), report_(report)
    {
    }

    void check(const CpuState& cpu)
    {
        for (unsigned domain = 0; domain < DomainCount; ++domain)
            for (unsigned priority = 0; priority < PriorityCount && report_.holds(); ++priority)
                walk_ready_queue(domain, priority, cpu.ready[domain].head(priority));
        for (size_t i = 0; i < workspace_.endpoints.size() && report_.holds(); ++i)
            check_endpoint(*workspace_.endpoints.at(i));
        for (size_t i = 0; i < workspace_.notifications.size() && report_.holds(); ++i)
            check_notification(*workspace_.notifications.at(i));
        for (size_t i = 0; i < workspace_.threads.size() && report_.holds(); ++i)
            check_thread(*workspace_.threads.at(i), cpu);
    }

private:
    Word at(const void* object) const { return physical_of(ctx_, object); }
    size_t bound() const { return workspace_.threads.size(); }

    void walk_ready_queue(unsigned domain, unsigned priority, Tcb* head)
    {
        const Tcb* prev = nullptr;
        size_t steps = 0;
        for (Tcb* tcb = head; tcb != nullptr; prev = tcb, tcb = tcb->thread.ready_next) {
            if (++steps > bound()) {
                report_.fail("ready queue of priority %u loops", priority);
                return;
            }
            if (tcb->thread.ready_prev != prev) {
                report_.fail("ready queue of priority %u: %s links back to %#lx instead of %#lx",
                             priority, ThreadName{ctx_, *tcb}.text(),
                             tcb->thread.ready_prev ? at(tcb->thread.ready_prev) : 0,
                             prev ? at(prev) : 0);
                return;
            }
            ThreadSightings& seen = workspace_.sightings_of(*tcb);
            ++seen.ready_queues;
            seen.ready_priority = priority;
            seen.ready_domain = domain;
        }
    }

    // Walks a blocked-thread queue; returns its length, or -1 (after reporting) when broken.
    long walk_wait_queue(const char* kind, const void* object, Tcb* head, Tcb* tail)
    {
        const Tcb* prev = nullptr;
        long length = 0;
        for (Tcb* tcb = head; tcb != nullptr; prev = tcb, tcb = tcb->thread.queue_next) {
            if (static_cast<size_t>(++length) > bound()) {
                report_.fail("%s %#lx: its queue loops", kind, at(object));
                return -1;
            }
            if (tcb->thread.queue_prev != prev) {
                report_.fail("%s %#lx: queued %s links back to %#lx instead of %#lx", kind,
                             at(object), ThreadName{ctx_, *tcb}.text(),
                             tcb->thread.queue_prev ? at(tcb->thread.queue_prev) : 0,
                             prev ? at(prev) : 0);
                return -1;
            }
            ThreadSightings& seen = workspace_.sightings_of(*tcb);
            ++seen.wait_queues;
            seen.waits_on = object;
        }
        if (prev != tail) {
            report_.fail("%s %#lx: queue tail is %#lx but the last queued thread is %#lx", kind,
                         at(object), tail ? at(tail) : 0, prev ? at(prev) : 0);
            return -1;
        }
        return length;
    }

    void check_endpoint(const Endpoint& endpoint)
    {
        long length = walk_wait_queue("endpoint", &endpoint, endpoint.head(), endpoint.tail());
        if (length < 0)
            return;
        bool idle = endpoint.state() == EndpointState::Idle;
        if (idle != (length == 0))
            report_.fail("endpoint %#lx: state %s with %ld threads queued", at(&endpoint),
                         endpoint_state_name(endpoint.state()), length);
    }

    void check_notification(const Notification& notification)
    {
        long length = walk_wait_queue("notification", &notification, notification.head(),
                                      notification.tail());
        if (length < 0)
            return;
        bool waiting = notification.state() == NotificationState::Waiting;
        if (waiting != (length != 0))
            report_.fail("notification %#lx: state %s with %ld threads queued", at(&notification),
                         notification_state_name(notification.state()), length);
    }

    void check_thread(const Tcb& tcb, const CpuState& cpu)
    {
        const ThreadSightings& seen = workspace_.sightings_of(tcb);
        const char* state = thread_state_name(tcb.state());
        ThreadName name{ctx_, tcb};
        bool queued = tcb.thread.in_ready_queue;
        if (queued != (seen.ready_queues != 0) || seen.ready_queues > 1) {
            report_.fail("%s (%s): in_ready_queue is %s but it is on %u ready queues", name.text(),
                         state, queued ? "set" : "clear", seen.ready_queues);
            return;
        }
        if (queued && !tcb.is_runnable()) {
            report_.fail("%s (%s): on the ready queue of priority %u but not runnable", name.text(),
                         state, seen.ready_priority);
            return;
        }
        if (queued && seen.ready_priority != tcb.thread.priority) {
            report_.fail("%s (%s): priority %u but on the ready queue of priority %u", name.text(),
                         state, tcb.thread.priority, seen.ready_priority);
            return;
        }
        if (queued && seen.ready_domain != tcb.thread.domain) {
            report_.fail("%s (%s): domain %u but on a ready queue of domain %u", name.text(), state,
                         tcb.thread.domain, seen.ready_domain);
            return;
        }
        // seL4's valid_blocked: a runnable thread nobody will run again is lost.
        bool candidate = cpu.action == SchedulerAction::SwitchToThread && cpu.candidate == &tcb;
        if (tcb.is_runnable() && !queued && &tcb != cpu.current && !candidate) {
            report_.fail("%s (%s): runnable but neither current, queued nor the candidate",
                         name.text(), state);
            return;
        }
        check_wait(tcb, name, state, seen);
    }

    void check_wait(const Tcb& tcb, const ThreadName& name, const char* state,
                    const ThreadSightings& seen)
    {
        const void* expected = nullptr;
        switch (tcb.state()) {
        case ThreadState::BlockedOnSend:
        case ThreadState::BlockedOnReceive: {
            const Endpoint* endpoint = tcb.thread.blocked_endpoint;
            if (endpoint == nullptr) {
                report_.fail("%s (%s): no blocked endpoint", name.text(), state);
                return;
            }
            EndpointState wanted = tcb.state() == ThreadState::BlockedOnSend
                                       ? EndpointState::Send
                                       : EndpointState::Receive;
            if (endpoint->state() != wanted) {
                report_.fail("%s (%s): endpoint %#lx is in state %s", name.text(), state,
                             at(endpoint), endpoint_state_name(endpoint->state()));
                return;
            }
            expected = endpoint;
            break;
        }
        case ThreadState::BlockedOnNotification:
            expected = tcb.thread.blocked_notification;
            if (expected == nullptr) {
                report_.fail("%s (%s): no blocked notification", name.text(), state);
                return;
            }
            break;
        default:
            break;
        }
        if (expected == nullptr && seen.wait_queues != 0)
            report_.fail("%s (%s): queued on %#lx but not blocked there", name.text(), state,
                         at(seen.waits_on));
        else if (expected != nullptr && (seen.wait_queues != 1 || seen.waits_on != expected))
            report_.fail("%s (%s): not on the queue of %#lx it waits on (on %u queues)",
                         name.text(), state, at(expected), seen.wait_queues);
    }

    static const char* endpoint_state_name(EndpointState state)
    {
        switch (state) {
        case EndpointState::Idle:
            return "Idle";
        case EndpointState::Send:
            return "Send";
        case EndpointState::Receive:
            return "Receive";
        }
        return "invalid";
    }
    static const char* notification_state_name(NotificationState state)
    {
        switch (state) {
        case NotificationState::Idle:
            return "Idle";
        case NotificationState::Waiting:
            return "Waiting";
        case NotificationState::Active:
            return "Active";
        }
        return "invalid";
    }

    const CoreContext& ctx_;
    InvariantWorkspace& workspace_;
    InvariantReport& report_;
};

} // namespace

void check_thread_queues(const CoreContext& ctx, const CpuState& cpu, InvariantWorkspace& workspace,
                         InvariantReport& report)
{
    QueueChecker{ctx, workspace, report}.check(cpu);
}

} // namespace tessera::core
