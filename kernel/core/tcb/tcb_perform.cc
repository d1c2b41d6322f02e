// Carrying out a decoded TCB plan (seL4 invokeTCB_*, non-MCS), one function per method family.
// Nothing here can fail; replacing a root or buffer slot may stop at a preemption point and is
// then restarted from the top, which finds the slots it already emptied.

#include "cdt/cap_relations.h"
#include "cdt/cdt.h"
#include "cdt/delete.h"
#include "ipc/ipc_context.h"
#include "notification/notification.h"
#include "scheduler/scheduler.h"
#include "tcb/tcb.h"
#include "tcb/tcb_invocation.h"
#include "tcb/thread_control.h"

namespace tessera::core {

namespace {

// Register r in seL4_UserContext order: 0 is the fault IP, the rest are UserRegister(r).
Word read_register(ArchThread& arch, Tcb& t, size_t r)
{
    return r == 0 ? arch.fault_ip(t) : arch.user_register(t, UserRegister(r));
}

void write_register(ArchThread& arch, Tcb& t, size_t r, Word value)
{
    if (r == 0)
        arch.set_fault_ip(t, value);
    else
        arch.set_user_register(t, UserRegister(r), value);
}

// Replaces one of the TCB's own slots with `cap` derived from `source`, if `source` still
// holds the object it held at decode time (seL4 invokeTCB_ThreadControl's sameObjectAs check).
Progress replace_slot(IpcContext& ctx, Slot& own, Cap cap, Slot* source)
{
    if (delete_cap(ctx.core, own) == Progress::Preempted)
        return Progress::Preempted;
    if (source != nullptr && !cap.is_null() && same_object_as(cap, source->cap) && own.is_empty())
        insert_derived(cap, *source, own);
    return Progress::Done;
}

void perform_read_registers(IpcContext& ctx, const TcbPlan& plan, TcbReply& reply)
{
    Tcb& target = *plan.target;
    if (plan.flags.suspend_source)
        suspend(ctx, target);
    reply.length = plan.count;
    for (size_t r = 0; r < plan.count; ++r)
        reply.words[r] = read_register(ctx.arch, target, r);
}

void perform_write_registers(IpcContext& ctx, const TcbPlan& plan)
{
    Tcb& target = *plan.target;
    for (size_t r = 0; r < plan.count; ++r)
        write_register(ctx.arch, target, r, plan.values[r]);
    if (&target != ctx.scheduler.current())
        ctx.arch.registers_written_from_outside(target);
    if (plan.flags.resume_target)
        restart(ctx, target);
}

void perform_copy_registers(IpcContext& ctx, const TcbPlan& plan)
{
    Tcb& target = *plan.target;
    Tcb& source = *plan.source;
    if (plan.flags.suspend_source)
        suspend(ctx, source);
    if (plan.flags.resume_target)
        restart(ctx, target);
    if (plan.flags.transfer_frame)
        for (size_t r = 0; r < FrameRegisterCount; ++r)
            write_register(ctx.arch, target, r, read_register(ctx.arch, source, r));
    if (plan.flags.transfer_integer)
        for (size_t r = FrameRegisterCount; r < UserRegisterCount; ++r)
            write_register(ctx.arch, target, r, read_register(ctx.arch, source, r));
    if (&target != ctx.scheduler.current())
        ctx.arch.registers_written_from_outside(target);
}

void perform_priorities(IpcContext& ctx, const TcbPlan& plan)
{
    Tcb& target = *plan.target;
    if (plan.method != TcbMethod::SetPriority)
        target.thread.max_controlled_priority = static_cast<uint8_t>(plan.mcp);
    if (plan.method != TcbMethod::SetMCPriority)
        ctx.scheduler.set_priority(target, static_cast<unsigned>(plan.priority));
}

Progress perform_ipc_buffer(IpcContext& ctx, const TcbPlan& plan)
{
    Tcb& target = *plan.target;
    target.thread.ipc_buffer = VAddr{plan.buffer_address};
    if (replace_slot(ctx, target.slot(TcbSlot::Buffer), plan.buffer_frame, plan.buffer_slot) ==
        Progress::Preempted)
        return Progress::Preempted;
    if (&target == ctx.scheduler.current())
        ctx.scheduler.reschedule_required();
    return Progress::Done;
}

// SetSpace, and Configure's first half: the fault endpoint and both roots.
Progress perform_space(IpcContext& ctx, const TcbPlan& plan)
{
    Tcb& target = *plan.target;
    target.thread.fault_endpoint = CPtr{plan.fault_endpoint};
    if (replace_slot(ctx, target.slot(TcbSlot::CSpace), plan.cspace_root, plan.cspace_slot) ==
        Progress::Preempted)
        return Progress::Preempted;
    const Progress progress = replace_slot(ctx, target.slot(TcbSlot::VSpace), plan.vspace_root, plan.vspace_slot);
    ctx.arch.vspace_changed(target); // preempted too: the slot may already be empty
    return progress;
}

Progress perform_configure(IpcContext& ctx, const TcbPlan& plan)
{
    if (perform_space(ctx, plan) == Progress::Preempted)
        return Progress::Preempted;
    return perform_ipc_buffer(ctx, plan);
}

void perform_set_tls_base(IpcContext& ctx, const TcbPlan& plan)
{
    Tcb& target = *plan.target;
    target.thread.tls_base = VAddr{plan.buffer_address};
    ctx.arch.set_user_register(target, TlsBaseRegister, plan.buffer_address);
    if (&target == ctx.scheduler.current())
        ctx.scheduler.reschedule_required();
}

void perform_set_flags(IpcContext& ctx, const TcbPlan& plan, TcbReply& reply)
{
    Tcb& target = *plan.target;
    target.thread.flags =
        (target.thread.flags & ~plan.clear_flags) | (plan.set_flags & TcbFlagMask);
    ctx.arch.tcb_flags_changed(target);
    reply.length = 1;
    reply.words[0] = target.thread.flags;
}

} // namespace

Progress perform_tcb_invocation(IpcContext& ctx, const TcbPlan& plan, TcbReply& reply)
{
    switch (plan.method) {
    case TcbMethod::ReadRegisters:
        perform_read_registers(ctx, plan, reply);
        break;
    case TcbMethod::WriteRegisters:
        perform_write_registers(ctx, plan);
        break;
    case TcbMethod::CopyRegisters:
        perform_copy_registers(ctx, plan);
        break;
    case TcbMethod::Suspend:
        suspend(ctx, *plan.target);
        break;
    case TcbMethod::Resume:
        restart(ctx, *plan.target);
        break;
    case TcbMethod::SetPriority:
    case TcbMethod::SetMCPriority:
    case TcbMethod::SetSchedParams:
        perform_priorities(ctx, plan);
        break;
    case TcbMethod::Configure:
        return perform_configure(ctx, plan);
    case TcbMethod::SetSpace:
        return perform_space(ctx, plan);
    case TcbMethod::SetIPCBuffer:
        return perform_ipc_buffer(ctx, plan);
    case TcbMethod::BindNotification:
        bind_notification(*plan.target, *plan.notification);
        break;
    case TcbMethod::UnbindNotification:
        unbind_notification(*plan.target);
        break;
    case TcbMethod::SetTLSBase:
        perform_set_tls_base(ctx, plan);
        break;
    case TcbMethod::SetFlags:
        perform_set_flags(ctx, plan, reply);
        break;
    }
    return Progress::Done;
}

} // namespace tessera::core
