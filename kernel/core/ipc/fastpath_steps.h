// The IPC fastpath's decisions and state changes, apart from the message itself: check (every
// condition, nothing written), then, once the architecture has delivered the message, commit.
// Inline so that an architecture's flat fastpath (kernel/arch/x86_64/syscall/fastpath_entry.cc)
// compiles them into its one function, and the same code runs on the host under
// tests/host/ipc/fastpath_test.cc through fastpath_call/fastpath_reply_recv (fastpath.cc), which
// is what keeps the flat path equal to the slow path.
#pragma once

#include <bit>

#include "base/message_info.h"
#include "cdt/cdt.h"
#include "cnode/lookup.h"
#include "endpoint/endpoint.h"
#include "ipc/fault.h"
#include "ipc/ipc_context.h"
#include "ipc/transfer.h"
#include "tcb/arch_thread.h"
#include "notification/notification.h"
#include "scheduler/scheduler.h"
#include "tcb/tcb.h"

namespace tessera::core::fastpath {

// seL4 lookup_fp for the usual CSpace: a root CNode whose guard and radix take all 64 bits, so
// one comparison and one index find the slot. Any other shape takes the general walk.
[[gnu::always_inline]] inline const Slot* lookup(const CoreContext& ctx, Cap root, CPtr cptr)
{
    if (root.type() == CapType::CNode) {
        const CNodeCap cnode{root};
        const unsigned radix = cnode.radix();
        if (radix + cnode.guard_size() == WordBits) {
            const Word address = raw(cptr);
            if ((address >> radix) != cnode.guard())
                return nullptr;
            return ctx.window.at<Slot>(cnode.slot_address(address & mask(radix)));
        }
    }
    return lookup_slot_fast(ctx, root, cptr);
}

// The general lookup for `thread`'s CSpace, remembering the decoded root when it is the
// one-level shape lookup takes in one comparison. Out of line (fastpath.cc): the fastpath's miss.
const Slot* lookup_and_remember(const CoreContext& ctx, Tcb& thread, CPtr cptr);

// `lookup` in `thread`'s own CSpace through its remembered root (tcb.h, CSpaceRootCache): while
// the root's first word is the remembered one, the guard comparison and the index are all that
// is left of the walk. Null when the slot is not found (the slow path reports why).
[[gnu::always_inline]] inline const Slot* lookup_for(const CoreContext& ctx, Tcb& thread, CPtr cptr)
{
    const Cap root = thread.slot(TcbSlot::CSpace).cap;
    const CSpaceRootCache& cache = thread.thread.cspace_root;
    if (~root.word0() != cache.inverted_root_word0) [[unlikely]]
        return lookup_and_remember(ctx, thread, cptr);
    const Word address = raw(cptr);
    if ((address >> cache.radix) != root.word1())
        return nullptr;
    // A hit is on a root lookup_and_remember decoded: its slot array is never null (the zero
    // state matches no root), so the callers' test for "not found" is not needed on this way.
    const Slot* found = cache.slots + (address & cache.index_mask);
    if (found == nullptr)
        __builtin_unreachable();
    return found;
}

// Whether `slot` holds no capability, read as the top byte of its first word: the kind is that
// byte's top five bits, so one `testb` of memory decides (a load, a shift and a test otherwise:
// one instruction fewer for each of the Call's two slot tests).
[[gnu::always_inline]] inline bool holds_no_cap(const Slot& slot)
{
    static_assert(std::endian::native == std::endian::little && cap_layout::Type::mask == 0xf8ull << 56);
    const unsigned char* word0 = reinterpret_cast<const unsigned char*>(&slot.cap);
    return (word0[sizeof(Word) - 1] & 0xf8) == 0;
}

// The message info word the receiver gets: no capabilities, nothing unwrapped.
inline Word delivered_info(MessageInfo info)
{
    return MessageInfo::make(info.label(), 0, 0, info.length()).word();
}

// The slot of the endpoint capability `cptr` names in `thread`'s CSpace, for a message without
// extra capabilities; null otherwise.
inline const Slot* endpoint_slot(IpcContext& ctx, Tcb& thread, CPtr cptr, MessageInfo info)
{
    if (info.extra_caps() != 0)
        return nullptr;
    const Slot* found = lookup_for(ctx.core, thread, cptr);
    if (found == nullptr || !EndpointCap::is(found->cap))
        return nullptr;
    return found;
}

// seL4 fastpath's scheduling test for `next`, which the IPC wakes while `current` blocks: whether
// it runs at once. At or above `current`'s priority it is what the slow path's schedule chooses
// whatever the ready queues hold (its fast_fail is false: the running thread was the highest),
// so the bitmap search is needed only below; either way it must be of the current domain.
// The search is out of line (fastpath.cc): inline, GCC loaded the ready queues' address on the
// common way too (one instruction a side).
bool is_highest(const IpcContext& ctx, const Tcb& next);

[[gnu::always_inline]] inline bool runs_at_once(const IpcContext& ctx, const Tcb& current, const Tcb& next)
{
    if (next.thread.priority >= current.thread.priority)
        return Domain{next.thread.domain} == ctx.scheduler.current_domain();
    return is_highest(ctx, next);
}

// A Call the fastpath takes: the endpoint, the thread waiting on it and the sending badge.
struct CallPlan {
    Endpoint* endpoint;
    Tcb* receiver;
    Badge badge;
};

// Every condition of seL4 fastpath_call once the endpoint capability is found, except the
// message transfer, which the caller makes next (its last check). False, with nothing written,
// when the slow path must run. A fault's send (check_fault) makes the same.
[[gnu::always_inline]] inline bool check_call_to(IpcContext& ctx, Tcb& caller, const Slot& found, CallPlan& plan)
{
    const EndpointCap cap{found.cap};
    // Without Grant or GrantReply a Call makes no reply capability: the slow path's case (and
    // a fault endpoint without them is no handler at all).
    if (!cap.can_send() || !(cap.can_grant() || cap.can_grant_reply()))
        return false;
    Endpoint& endpoint = *ctx.core.window.at<Endpoint>(cap.object());
    if (!endpoint.is_receiving())
        return false;
    Tcb& receiver = *endpoint.head();
    if (!runs_at_once(ctx, caller, receiver) || !holds_no_cap(receiver.slot(TcbSlot::Caller)) ||
        holds_no_cap(caller.slot(TcbSlot::Reply)))
        return false;
    plan = CallPlan{&endpoint, &receiver, cap.badge()};
    return true;
}

inline bool check_call(IpcContext& ctx, Tcb& caller, CPtr cptr, MessageInfo info, CallPlan& plan)
{
    const Slot* found = endpoint_slot(ctx, caller, cptr, info);
    return found != nullptr && check_call_to(ctx, caller, *found, plan);
}

// The reply capability a Call gives the receiver, made from the caller's master reply
// capability: the slot holds only that (setup_reply_master writes it, naming its own TCB, and
// nothing else writes a TCB's Reply slot; check_call_to saw it there), so its first word already
// has the kind and the caller's physical address, where deriving the address from the TCB's
// kernel address took four instructions.
[[gnu::always_inline]] inline Cap reply_from_master(Cap master, bool can_grant)
{
    return Cap::from_words(ReplyCap::CanGrant::set(ReplyCap::Master::set(master.word0(), 0), can_grant), 0);
}

// The Call's state changes once the message is delivered: the receiver leaves the endpoint with
// a reply capability to the caller, the caller waits for the reply, the receiver runs.
[[gnu::always_inline]] inline void commit_call(IpcContext& ctx, Tcb& caller, const CallPlan& plan)
{
    Tcb& receiver = *plan.receiver;
    plan.endpoint->remove_head(receiver); // check_call took the head
    receiver.thread.blocked_endpoint = nullptr;
    const Cap reply = reply_from_master(caller.slot(TcbSlot::Reply).cap, receiver.thread.blocked_can_grant);
    // The reply capability: unrevocable, right after the caller's master reply capability.
    insert_after(caller.slot(TcbSlot::Reply), receiver.slot(TcbSlot::Caller), reply, false);
    caller.thread.state = ThreadState::BlockedOnReply;
    receiver.thread.state = ThreadState::Running;
    ctx.scheduler.run_now(receiver);
}

// A ReplyRecv the fastpath takes: the endpoint to wait on and the thread the reply wakes, which
// waits either for a reply to its Call or for its fault's (fault_reply: the reply writes its
// registers, seL4 handleFaultReply, and it resumes at its fault IP).
struct ReplyRecvPlan {
    Endpoint* endpoint;
    Tcb* caller;
    bool can_grant;
    bool fault_reply;
};

// Every condition of seL4 fastpath_reply_recv except the message transfer. A reply to a fault
// is taken when it restarts the thread; one that stops it (a nonzero label for an unknown
// system call or a user exception) leaves a choice to the scheduler: the slow path's.
inline bool check_reply_recv(IpcContext& ctx, Tcb& thread, CPtr cptr, MessageInfo info, ReplyRecvPlan& plan)
{
    const Slot* found = endpoint_slot(ctx, thread, cptr, info);
    if (found == nullptr)
        return false;
    const EndpointCap cap{found->cap};
    if (!cap.can_receive())
        return false;
    Endpoint& endpoint = *ctx.core.window.at<Endpoint>(cap.object());
    // A queued sender or a pending bound signal would complete the receive at once.
    if (endpoint.is_sending())
        return false;
    const Notification* bound = thread.thread.bound_notification;
    if (bound != nullptr && bound->state() == NotificationState::Active)
        return false;
    const Slot& caller_slot = thread.slot(TcbSlot::Caller);
    if (!ReplyCap::is(caller_slot.cap) || ReplyCap{caller_slot.cap}.is_master())
        return false;
    Tcb& caller = *ctx.core.window.at<Tcb>(ReplyCap{caller_slot.cap}.tcb());
    if (caller.state() != ThreadState::BlockedOnReply || !runs_at_once(ctx, thread, caller))
        return false;
    const FaultKind fault = caller.thread.fault.kind;
    if (fault != FaultKind::None && !fault_reply_restarts(fault, info.label()))
        return false;
    plan = ReplyRecvPlan{&endpoint, &caller, cap.can_grant(), fault != FaultKind::None};
    return true;
}

// The ReplyRecv's state changes once the reply is delivered (for a fault: written into the
// caller's registers): the reply capability goes, the thread waits on the endpoint, the caller
// runs; after a fault it has no fault left and resumes at its fault IP (seL4 activateThread for
// Restart, done here as the slow path's schedule would).
[[gnu::always_inline]] inline void commit_reply_recv(IpcContext& ctx, Tcb& thread, const ReplyRecvPlan& plan)
{
    unlink_slot(thread.slot(TcbSlot::Caller)); // a reply capability finalises nothing
    thread.thread.blocked_endpoint = plan.endpoint;
    thread.thread.blocked_can_grant = plan.can_grant;
    thread.thread.state = ThreadState::BlockedOnReceive;
    plan.endpoint->append_receiver(thread);
    if (plan.fault_reply) [[unlikely]] {
        // Only the kind: the other words mean nothing without one, and the next fault writes
        // them all (tcb.h).
        plan.caller->thread.fault.kind = FaultKind::None;
        ctx.arch.restart_at_fault_ip(*plan.caller);
    }
    plan.caller->thread.state = ThreadState::Running;
    ctx.scheduler.run_now(*plan.caller);
}

// A ReplyRecv to a faulted thread once checked: the reply written into its registers (seL4
// handleFaultReply, which cannot fail: check_reply_recv took only a reply that restarts it),
// then commit_reply_recv. Out of line (fastpath.cc): a rare path an architecture's flat
// fastpath leaves through, so that its common path keeps everything in registers.
void reply_to_fault(IpcContext& ctx, Tcb& thread, const ReplyRecvPlan& plan);

// seL4 handleFault's send when its common case holds: the fault endpoint, found with the
// one-compare lookup in the thread's own CSpace, is one the thread may Call (Send and Grant or
// GrantReply) and a handler waits on it, as check_call_to requires of a Call. False, with
// nothing written, otherwise: handle_fault then decides (and reports a missing handler).
[[gnu::always_inline]] inline bool check_fault(IpcContext& ctx, Tcb& thread, CallPlan& plan)
{
    const Slot* found = lookup_for(ctx.core, thread, thread.thread.fault_endpoint);
    return found != nullptr && EndpointCap::is(found->cap) && check_call_to(ctx, thread, *found, plan);
}

// The fault's state changes once its message is delivered: the thread keeps the fault (the
// reply reads its kind) and waits for the reply as a Call's sender does.
[[gnu::always_inline]] inline void commit_fault(IpcContext& ctx, Tcb& thread, const PendingFault& fault, const CallPlan& plan)
{
    thread.thread.fault = fault;
    commit_call(ctx, thread, plan);
}

// commit_fault for an unknown system call's fault (a foreign thread's every Linux call): the
// record written in place in the thread rather than built, passed and copied.
[[gnu::always_inline]] inline void commit_syscall_fault(IpcContext& ctx, Tcb& thread, Word number, const CallPlan& plan)
{
    record_unknown_syscall_fault(thread.thread.fault, number);
    commit_call(ctx, thread, plan);
}

// The slot `cptr` names in `thread`'s CSpace, or null (the slow path then reports the failure).
[[gnu::always_inline]] inline const Slot* lookup_in(IpcContext& ctx, Tcb& thread, CPtr cptr)
{
    return lookup_for(ctx.core, thread, cptr);
}

// seL4_Signal's fastpath: the notification a Send on `found` signals (a notification
// capability with the send right) and the badge it carries; null otherwise. What the signal
// then does is send_signal's, as on the slow path.
inline Notification* signal_target(IpcContext& ctx, const Slot& found, Badge& badge)
{
    if (!NotificationCap::is(found.cap))
        return nullptr;
    const NotificationCap cap{found.cap};
    if (!cap.can_send())
        return nullptr;
    badge = cap.badge();
    return ctx.core.window.at<Notification>(cap.object());
}

// seL4 handleRecv once the capability is found, for the slow path (x86_64 handle_recv) and
// seL4_Wait's fastpath alike: a receive on an endpoint, or on a notification not bound to another
// thread. False, with nothing done, for anything else (the slow path's capability fault).
inline bool receive_on(IpcContext& ctx, Tcb& thread, Cap cap, Blocking blocking)
{
    if (EndpointCap::is(cap) && EndpointCap{cap}.can_receive()) {
        recv(ctx, thread, EndpointCap{cap}, blocking);
        return true;
    }
    if (NotificationCap::is(cap) && NotificationCap{cap}.can_receive()) {
        Notification& notification = *ctx.core.window.at<Notification>(NotificationCap{cap}.object());
        // A notification bound to another thread is that thread's to wait on.
        if (notification.bound_tcb() == nullptr || notification.bound_tcb() == &thread) {
            receive_signal(ctx, thread, notification, blocking);
            return true;
        }
    }
    return false;
}

} // namespace tessera::core::fastpath
