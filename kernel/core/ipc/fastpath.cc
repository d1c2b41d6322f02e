#include "ipc/fastpath.h"

#include <tessera/abi/ipc_buffer.h>

#include "base/message_info.h"
#include "cdt/cdt.h"
#include "cnode/lookup.h"
#include "endpoint/endpoint.h"
#include "ipc/ipc_context.h"
#include "notification/notification.h"
#include "scheduler/scheduler.h"
#include "tcb/arch_thread.h"
#include "tcb/tcb.h"

namespace tessera::core {

namespace {

// seL4 lookup_fp for the usual CSpace: a root CNode whose guard and radix take all 64 bits, so
// one comparison and one index find the slot. Any other shape takes the general walk.
inline const Slot* lookup_fast(const CoreContext& ctx, Cap root, CPtr cptr)
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

// The transfer do_ipc_transfer makes for a message without capabilities, or false with nothing
// changed when it is longer than the registers and a side has no IPC buffer (the slow path then
// decides about truncation). Called once every other condition holds: it is the last check.
inline bool transfer(IpcContext& ctx, MessageInfo info, Tcb& from, Tcb& to, Badge badge)
{
    return ctx.arch.deliver_message(from, to, info.length(), MessageInfo::make(info.label(), 0, 0, info.length()).word(),
                                    badge);
}

} // namespace

bool fastpath_call(IpcContext& ctx, Tcb& caller, CPtr cptr, Word info_word)
{
    const MessageInfo info{info_word};
    const Slot* found = lookup_fast(ctx.core, caller.slot(TcbSlot::CSpace).cap, cptr);
    if (found == nullptr || !EndpointCap::is(found->cap))
        return false;
    const EndpointCap cap{found->cap};
    // Without Grant or GrantReply a Call makes no reply capability: the slow path's case.
    if (!cap.can_send() || !(cap.can_grant() || cap.can_grant_reply()))
        return false;
    Endpoint& endpoint = *ctx.core.window.at<Endpoint>(cap.object());
    if (endpoint.state() != EndpointState::Receive)
        return false;
    Tcb& receiver = *endpoint.head();
    if (info.extra_caps() != 0 || !ctx.scheduler.is_highest(receiver.thread.priority) ||
        !receiver.slot(TcbSlot::Caller).is_empty() || caller.slot(TcbSlot::Reply).is_empty() ||
        !transfer(ctx, info, caller, receiver, cap.badge()))
        return false;

    endpoint.remove(receiver);
    receiver.thread.blocked_endpoint = nullptr;
    const Cap reply =
        ReplyCap::make(ctx.core.window.physical(&caller), ReplyMaster::No, receiver.thread.blocked_can_grant).cap();
    // The reply capability: unrevocable, right after the caller's master reply capability.
    insert_after(caller.slot(TcbSlot::Reply), receiver.slot(TcbSlot::Caller), reply, false);
    caller.thread.state = ThreadState::BlockedOnReply;
    receiver.thread.state = ThreadState::Running;
    ctx.scheduler.run_now(receiver);
    return true;
}

bool fastpath_reply_recv(IpcContext& ctx, Tcb& thread, CPtr cptr, Word info_word)
{
    const MessageInfo info{info_word};
    const Slot* found = lookup_fast(ctx.core, thread.slot(TcbSlot::CSpace).cap, cptr);
    if (found == nullptr || !EndpointCap::is(found->cap))
        return false;
    const EndpointCap cap{found->cap};
    if (!cap.can_receive())
        return false;
    Endpoint& endpoint = *ctx.core.window.at<Endpoint>(cap.object());
    // A queued sender or a pending bound signal would complete the receive at once.
    if (endpoint.state() == EndpointState::Send)
        return false;
    const Notification* bound = thread.thread.bound_notification;
    if (bound != nullptr && bound->state() == NotificationState::Active)
        return false;
    Slot& caller_slot = thread.slot(TcbSlot::Caller);
    if (!ReplyCap::is(caller_slot.cap) || ReplyCap{caller_slot.cap}.is_master())
        return false;
    Tcb& caller = *ctx.core.window.at<Tcb>(ReplyCap{caller_slot.cap}.tcb());
    if (caller.state() != ThreadState::BlockedOnReply || caller.thread.fault.kind != FaultKind::None ||
        info.extra_caps() != 0 || !ctx.scheduler.is_highest(caller.thread.priority) ||
        !transfer(ctx, info, thread, caller, Badge{0}))
        return false;

    unlink_slot(caller_slot); // a reply capability finalises nothing
    thread.thread.blocked_endpoint = &endpoint;
    thread.thread.blocked_can_grant = cap.can_grant();
    thread.thread.state = ThreadState::BlockedOnReceive;
    endpoint.append(thread);
    endpoint.set_state(EndpointState::Receive);
    caller.thread.state = ThreadState::Running;
    ctx.scheduler.run_now(caller);
    return true;
}

} // namespace tessera::core
