// seL4's endpoint operations (src/object/endpoint.c, non-MCS) over intrusive TCB queues.

#include "endpoint/endpoint.h"

#include "cdt/cdt.h"
#include "cdt/delete.h"
#include "ipc/ipc_context.h"
#include "ipc/transfer.h"
#include "notification/notification.h"
#include "scheduler/scheduler.h"
#include "tcb/arch_thread.h"
#include "tcb/thread_queue.h"

namespace tessera::core {

namespace {

Endpoint& endpoint_of(IpcContext& ctx, EndpointCap cap)
{
    return *ctx.core.window.at<Endpoint>(cap.object());
}

// seL4 setupCallerCap: the sender waits for a reply; the receiver's caller slot names it.
void setup_caller_cap(IpcContext& ctx, Tcb& sender, Tcb& receiver, bool can_grant)
{
    ctx.scheduler.set_thread_state(sender, ThreadState::BlockedOnReply);
    Slot& master = sender.slot(TcbSlot::Reply);
    Slot& caller = receiver.slot(TcbSlot::Caller);
    // The receive path deleted any old caller cap; a stale one here is a broken invariant.
    Cap reply = ReplyCap::make(ctx.core.window.physical(&sender), ReplyMaster::No, can_grant).cap();
    insert_derived(reply, master, caller);
}

} // namespace

void setup_reply_master(IpcContext& ctx, Tcb& tcb)
{
    Slot& slot = tcb.slot(TcbSlot::Reply);
    if (!slot.is_empty())
        return;
    insert_root_cap(slot,
                    ReplyCap::make(ctx.core.window.physical(&tcb), ReplyMaster::Yes, true).cap());
}

void send_ipc(IpcContext& ctx, Tcb& sender, EndpointCap cap, Blocking blocking, IsCall call)
{
    Endpoint& ep = endpoint_of(ctx, cap);
    if (ep.state() != EndpointState::Receive) {
        if (blocking == Blocking::No)
            return; // NBSend with no receiver: the message is dropped, as in seL4
        sender.thread.blocked_endpoint = &ep;
        sender.thread.blocked_badge = cap.badge();
        sender.thread.blocked_can_grant = cap.can_grant();
        sender.thread.blocked_can_grant_reply = cap.can_grant_reply();
        sender.thread.blocked_call = call == IsCall::Yes ? CallKind::Call : CallKind::Send;
        ctx.scheduler.set_thread_state(sender, ThreadState::BlockedOnSend);
        ep.append(sender);
        ep.set_state(EndpointState::Send);
        return;
    }
    Tcb& receiver = *ep.head();
    ep.remove(receiver);
    receiver.thread.blocked_endpoint = nullptr;
    do_ipc_transfer(ctx, sender, &ep, cap.badge(), cap.can_grant() ? Grant::Yes : Grant::No,
                    receiver);
    bool reply_can_grant = receiver.thread.blocked_can_grant;
    ctx.scheduler.set_thread_state(receiver, ThreadState::Running);
    ctx.scheduler.possible_switch_to(receiver);
    if (call == IsCall::Yes) {
        if (cap.can_grant() || cap.can_grant_reply())
            setup_caller_cap(ctx, sender, receiver, reply_can_grant);
        else
            ctx.scheduler.set_thread_state(sender, ThreadState::Inactive);
    }
}

void receive_ipc(IpcContext& ctx, Tcb& receiver, EndpointCap cap, Blocking blocking)
{
    Notification* bound = receiver.thread.bound_notification;
    if (bound != nullptr && bound->state() == NotificationState::Active) {
        complete_signal(ctx, *bound, receiver);
        return;
    }
    Endpoint& ep = endpoint_of(ctx, cap);
    if (ep.state() != EndpointState::Send) {
        if (blocking == Blocking::No) {
            ctx.arch.set_badge(receiver, Badge{0}); // seL4 doNBRecvFailedTransfer
            return;
        }
        receiver.thread.blocked_endpoint = &ep;
        receiver.thread.blocked_can_grant = cap.can_grant();
        ctx.scheduler.set_thread_state(receiver, ThreadState::BlockedOnReceive);
        ep.append(receiver);
        ep.set_state(EndpointState::Receive);
        return;
    }
    Tcb& sender = *ep.head();
    ep.remove(sender);
    sender.thread.blocked_endpoint = nullptr;
    do_ipc_transfer(ctx, sender, &ep, sender.thread.blocked_badge,
                    sender.thread.blocked_can_grant ? Grant::Yes : Grant::No, receiver);
    if (sender.thread.blocked_call == CallKind::Call) {
        if (sender.thread.blocked_can_grant || sender.thread.blocked_can_grant_reply)
            setup_caller_cap(ctx, sender, receiver, cap.can_grant());
        else
            ctx.scheduler.set_thread_state(sender, ThreadState::Inactive);
    } else {
        ctx.scheduler.set_thread_state(sender, ThreadState::Running);
        ctx.scheduler.possible_switch_to(sender);
    }
}

void do_reply_transfer(IpcContext& ctx, Tcb& sender, Tcb& receiver, Slot& caller_slot,
                       bool can_grant)
{
    if (receiver.thread.fault.kind == FaultKind::None) {
        do_ipc_transfer(ctx, sender, nullptr, Badge{0}, can_grant ? Grant::Yes : Grant::No,
                        receiver);
        delete_one(ctx.core, caller_slot);
        ctx.scheduler.set_thread_state(receiver, ThreadState::Running);
        ctx.scheduler.possible_switch_to(receiver);
        return;
    }
    delete_one(ctx.core, caller_slot);
    bool restart = handle_fault_reply(ctx, receiver, sender);
    receiver.thread.fault = PendingFault{};
    if (restart) {
        ctx.scheduler.set_thread_state(receiver, ThreadState::Restart);
        ctx.scheduler.possible_switch_to(receiver);
    } else {
        ctx.scheduler.set_thread_state(receiver, ThreadState::Inactive);
    }
}

void reply(IpcContext& ctx, Tcb& replier)
{
    Slot& caller_slot = replier.slot(TcbSlot::Caller);
    if (!ReplyCap::is(caller_slot.cap))
        return; // nothing to reply to: seL4 ignores the Reply
    ReplyCap cap{caller_slot.cap};
    if (cap.is_master())
        return;
    Tcb& caller = *ctx.core.window.at<Tcb>(cap.tcb());
    do_reply_transfer(ctx, replier, caller, caller_slot, cap.can_grant());
}

void delete_caller_cap(IpcContext& ctx, Tcb& tcb)
{
    Slot& caller_slot = tcb.slot(TcbSlot::Caller);
    if (!caller_slot.is_empty())
        delete_one(ctx.core, caller_slot);
}

void recv(IpcContext& ctx, Tcb& receiver, EndpointCap cap, Blocking blocking)
{
    delete_caller_cap(ctx, receiver);
    receive_ipc(ctx, receiver, cap, blocking);
}

void call(IpcContext& ctx, Tcb& caller, EndpointCap cap)
{
    send_ipc(ctx, caller, cap, Blocking::Yes, IsCall::Yes);
}

void reply_receive(IpcContext& ctx, Tcb& thread, EndpointCap cap)
{
    reply(ctx, thread);
    delete_caller_cap(ctx, thread);
    receive_ipc(ctx, thread, cap, Blocking::Yes);
}

void cancel_ipc(IpcContext& ctx, Tcb& tcb)
{
    switch (tcb.state()) {
    case ThreadState::BlockedOnSend:
    case ThreadState::BlockedOnReceive: {
        Endpoint* ep = tcb.thread.blocked_endpoint;
        ep->remove(tcb);
        tcb.thread.blocked_endpoint = nullptr;
        ctx.scheduler.set_thread_state(tcb, ThreadState::Inactive);
        break;
    }
    case ThreadState::BlockedOnNotification:
        cancel_signal(ctx, tcb, *tcb.thread.blocked_notification);
        break;
    case ThreadState::BlockedOnReply: {
        // The reply capability naming this thread is the master's child, right after it.
        tcb.thread.fault = PendingFault{};
        Slot* child = tcb.slot(TcbSlot::Reply).mdb.next();
        if (child != nullptr && ReplyCap::is(child->cap) && !ReplyCap{child->cap}.is_master() &&
            ReplyCap{child->cap}.tcb() == ctx.core.window.physical(&tcb))
            delete_one(ctx.core, *child);
        break;
    }
    default:
        break;
    }
}

void cancel_all_ipc(IpcContext& ctx, Endpoint& endpoint)
{
    if (endpoint.state() == EndpointState::Idle)
        return;
    while (Tcb* tcb = endpoint.head()) {
        endpoint.remove(*tcb);
        tcb->thread.blocked_endpoint = nullptr;
        tcb->thread.state = ThreadState::Restart;
        ctx.scheduler.enqueue(*tcb);
    }
    ctx.scheduler.reschedule_required();
}

void cancel_badged_sends(IpcContext& ctx, Endpoint& endpoint, Badge badge)
{
    if (endpoint.state() != EndpointState::Send)
        return;
    Tcb* tcb = endpoint.head();
    while (tcb != nullptr) {
        Tcb* next = tcb->thread.queue_next;
        if (tcb->thread.blocked_badge == badge) {
            endpoint.remove(*tcb);
            tcb->thread.blocked_endpoint = nullptr;
            tcb->thread.state = ThreadState::Restart;
            ctx.scheduler.enqueue(*tcb);
        }
        tcb = next;
    }
    ctx.scheduler.reschedule_required();
}

} // namespace tessera::core
