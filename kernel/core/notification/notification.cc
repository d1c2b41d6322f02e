// seL4's notification operations (src/object/notification.c, non-MCS).

#include "notification/notification.h"

#include "ipc/ipc_context.h"
#include "scheduler/scheduler.h"
#include "tcb/arch_thread.h"
#include "tcb/thread_queue.h"

namespace tessera::core {

void Notification::append(Tcb& tcb)
{
    const QueueEnds ends = queue_append({head_, tail()}, tcb);
    head_ = ends.head;
    set_tail(ends.tail);
}

void Notification::remove(Tcb& tcb)
{
    const QueueEnds ends = queue_remove({head_, tail()}, tcb);
    head_ = ends.head;
    set_tail(ends.tail);
    if (head_ == nullptr)
        set_state(NotificationState::Idle);
}

void send_signal(IpcContext& ctx, Notification& ntfn, Badge badge)
{
    switch (ntfn.state()) {
    case NotificationState::Idle: {
        Tcb* bound = ntfn.bound_tcb();
        if (bound != nullptr && bound->state() == ThreadState::BlockedOnReceive) {
            // A bound thread waiting on an endpoint takes the signal instead of a message.
            cancel_ipc(ctx, *bound);
            ctx.scheduler.set_thread_state(*bound, ThreadState::Running);
            ctx.arch.set_badge(*bound, badge);
            ctx.scheduler.possible_switch_to(*bound);
            return;
        }
        ntfn.set_message(badge.raw());
        ntfn.set_state(NotificationState::Active);
        return;
    }
    case NotificationState::Waiting: {
        Tcb& dest = *ntfn.head();
        ntfn.remove(dest);
        dest.thread.blocked_notification = nullptr;
        ctx.scheduler.set_thread_state(dest, ThreadState::Running);
        ctx.arch.set_badge(dest, badge);
        ctx.scheduler.possible_switch_to(dest);
        return;
    }
    case NotificationState::Active:
        ntfn.set_message(ntfn.message() | badge.raw());
        return;
    }
}

void receive_signal(IpcContext& ctx, Tcb& thread, Notification& ntfn, Blocking blocking)
{
    if (ntfn.state() == NotificationState::Active) {
        ctx.arch.set_badge(thread, Badge{ntfn.message()});
        ntfn.set_message(0);
        ntfn.set_state(NotificationState::Idle);
        return;
    }
    if (blocking == Blocking::No) {
        ctx.arch.set_badge(thread, Badge{0});
        return;
    }
    thread.thread.blocked_notification = &ntfn;
    ctx.scheduler.set_thread_state(thread, ThreadState::BlockedOnNotification);
    ntfn.append(thread);
    ntfn.set_state(NotificationState::Waiting);
}

void complete_signal(IpcContext& ctx, Notification& ntfn, Tcb& tcb)
{
    if (ntfn.state() != NotificationState::Active)
        return;
    ctx.arch.set_badge(tcb, Badge{ntfn.message()});
    ntfn.set_message(0);
    ntfn.set_state(NotificationState::Idle);
}

void bind_notification(Tcb& tcb, Notification& ntfn)
{
    ntfn.set_bound_tcb(&tcb);
    tcb.thread.bound_notification = &ntfn;
}

void unbind_notification(Tcb& tcb)
{
    if (tcb.thread.bound_notification != nullptr)
        tcb.thread.bound_notification->set_bound_tcb(nullptr);
    tcb.thread.bound_notification = nullptr;
}

void cancel_signal(IpcContext& ctx, Tcb& tcb, Notification& ntfn)
{
    ntfn.remove(tcb);
    tcb.thread.blocked_notification = nullptr;
    ctx.scheduler.set_thread_state(tcb, ThreadState::Inactive);
}

void cancel_all_signals(IpcContext& ctx, Notification& ntfn)
{
    if (ntfn.state() != NotificationState::Waiting)
        return;
    while (Tcb* tcb = ntfn.head()) {
        ntfn.remove(*tcb);
        tcb->thread.blocked_notification = nullptr;
        tcb->thread.state = ThreadState::Restart;
        ctx.scheduler.enqueue(*tcb);
    }
    ctx.scheduler.reschedule_required();
}

} // namespace tessera::core
