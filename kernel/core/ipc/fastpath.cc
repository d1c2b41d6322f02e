// The portable fastpath: fastpath_steps.h's checks and commits around ArchThread's message
// delivery. The host tests run it against the slow path; x86_64 runs the same steps in its own
// flat path from the `syscall` entry (kernel/arch/x86_64/syscall/fastpath_entry.cc).
#include "ipc/fastpath.h"

#include "ipc/fastpath_steps.h"
#include "tcb/arch_thread.h"

namespace tessera::core {

const Slot* fastpath::lookup_and_remember(const CoreContext& ctx, Tcb& thread, CPtr cptr)
{
    const Cap root = thread.slot(TcbSlot::CSpace).cap;
    if (root.type() == CapType::CNode) {
        const CNodeCap cnode{root};
        const unsigned radix = cnode.radix();
        if (radix < WordBits && radix + cnode.guard_size() == WordBits)
            thread.thread.cspace_root =
                CSpaceRootCache{~root.word0(), radix, mask(radix), ctx.window.at<Slot>(cnode.slot_address(0))};
    }
    return lookup(ctx, root, cptr);
}

bool fastpath_call(IpcContext& ctx, Tcb& caller, CPtr cptr, Word info_word)
{
    const MessageInfo info{info_word};
    fastpath::CallPlan plan;
    // The delivery is the last check: a long message without a buffer declines unwritten.
    if (!fastpath::check_call(ctx, caller, cptr, info, plan) ||
        !ctx.arch.deliver_message(caller, *plan.receiver, info.length(), fastpath::delivered_info(info), plan.badge))
        return false;
    fastpath::commit_call(ctx, caller, plan);
    return true;
}

bool fastpath_reply_recv(IpcContext& ctx, Tcb& thread, CPtr cptr, Word info_word)
{
    const MessageInfo info{info_word};
    fastpath::ReplyRecvPlan plan;
    if (!fastpath::check_reply_recv(ctx, thread, cptr, info, plan))
        return false;
    if (plan.fault_reply) {
        fastpath::reply_to_fault(ctx, thread, plan);
        return true;
    }
    if (!ctx.arch.deliver_message(thread, *plan.caller, info.length(), fastpath::delivered_info(info), Badge{0}))
        return false;
    fastpath::commit_reply_recv(ctx, thread, plan);
    return true;
}

bool fastpath::is_highest(const IpcContext& ctx, const Tcb& next) { return ctx.scheduler.is_highest(next); }

void fastpath::reply_to_fault(IpcContext& ctx, Tcb& thread, const ReplyRecvPlan& plan)
{
    (void)handle_fault_reply(ctx, *plan.caller, thread);
    commit_reply_recv(ctx, thread, plan);
}

bool fastpath_fault(IpcContext& ctx, Tcb& thread, const PendingFault& fault)
{
    fastpath::CallPlan plan;
    if (!fastpath::check_fault(ctx, thread, plan))
        return false;
    deliver_fault_message(ctx, thread, fault, plan.badge, *plan.receiver);
    fastpath::commit_fault(ctx, thread, fault, plan);
    return true;
}

bool fastpath_syscall_fault(IpcContext& ctx, Tcb& thread, Word number)
{
    fastpath::CallPlan plan;
    if (!fastpath::check_fault(ctx, thread, plan) ||
        !ctx.arch.set_syscall_fault_message(thread, *plan.receiver, number, SyscallFaultInfo, plan.badge))
        return false;
    fastpath::commit_syscall_fault(ctx, thread, number, plan);
    return true;
}

bool fastpath_signal(IpcContext& ctx, Tcb& thread, CPtr cptr, Word info)
{
    if (MessageInfo{info}.extra_caps() != 0)
        return false;
    const Slot* found = fastpath::lookup_in(ctx, thread, cptr);
    Badge badge{0};
    Notification* notification = found ? fastpath::signal_target(ctx, *found, badge) : nullptr;
    if (notification == nullptr)
        return false;
    send_signal(ctx, *notification, badge);
    return true;
}

bool fastpath_wait(IpcContext& ctx, Tcb& thread, CPtr cptr)
{
    const Slot* found = fastpath::lookup_in(ctx, thread, cptr);
    return found != nullptr && fastpath::receive_on(ctx, thread, found->cap, Blocking::Yes);
}

} // namespace tessera::core
