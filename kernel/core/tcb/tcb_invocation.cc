// seL4's TCB invocation checks in seL4's order (src/object/tcb.c, non-MCS), as decode + perform.

#include "tcb/tcb_invocation.h"

#include <tessera/abi/ipc_buffer.h>

#include "cap/cap_arch_kinds.h"
#include "cdt/cap_relations.h"
#include "cdt/cdt.h"
#include "cdt/delete.h"
#include "cdt/derive.h"
#include "ipc/ipc_context.h"
#include "notification/notification.h"
#include "scheduler/scheduler.h"
#include "tcb/tcb.h"
#include "tcb/thread_control.h"

namespace tessera::core {

namespace {

Tcb& tcb_at(IpcContext& ctx, TcbCap cap)
{
    return *ctx.core.window.at<Tcb>(cap.object());
}

// seL4 checkPrio: a priority above the authority's MCP is a RangeError 0..MCP.
Result<void> check_priority(Word priority, const Tcb& authority)
{
    Word mcp = authority.thread.max_controlled_priority;
    if (priority > mcp)
        return SyscallError::range_error(0, mcp).because("priority above the authority's MCP");
    return {};
}

// The authority TCB named by extra capability 0.
Result<Tcb*> authority(IpcContext& ctx, const Invocation& inv)
{
    Slot* slot = inv.extra_cap(0);
    if (slot == nullptr || !TcbCap::is(slot->cap))
        return SyscallError::invalid_capability(1).because("authority is not a TCB");
    return &tcb_at(ctx, TcbCap{slot->cap});
}

// seL4 slotCapLongRunningDelete: deleting the cap would need a preemptible zombie walk.
bool long_running_delete(const Slot& slot)
{
    if (slot.is_empty() || !is_final_capability(slot))
        return false;
    CapType t = slot.cap.type();
    return t == CapType::CNode || t == CapType::Tcb || t == CapType::Zombie;
}

// seL4 checkValidIPCBuffer (x86): a non-device frame, address aligned to the buffer size.
Result<void> check_ipc_buffer(Word address, Cap frame)
{
    if (!FrameCap::is(frame) || FrameCap{frame}.device() == Device::Yes)
        return SyscallError::illegal_operation().because("IPC buffer is not a RAM frame");
    if ((address & mask(seL4_IPCBufferSizeBits)) != 0)
        return SyscallError::alignment_error().because("IPC buffer misaligned");
    return {};
}

Result<void> decode_buffer(TcbPlan& plan, Word address, Slot* slot)
{
    plan.buffer_address = address;
    if (address == 0)
        return {};
    auto derived = derive_cap(*slot, slot->cap);
    if (!derived)
        return derived.error();
    auto valid = check_ipc_buffer(address, derived.value());
    if (!valid)
        return valid.error();
    plan.buffer_frame = derived.value();
    plan.buffer_slot = slot;
    return {};
}

Result<void> decode_space(TcbPlan& plan, Word fault_ep, Word cspace_data, Slot* cspace,
                          Slot* vspace)
{
    if (long_running_delete(plan.target->slot(TcbSlot::CSpace)) ||
        long_running_delete(plan.target->slot(TcbSlot::VSpace)))
        return SyscallError::illegal_operation().because("old root needs a long delete");
    Cap croot = cspace->cap;
    if (cspace_data != 0)
        croot = update_cap_data(UpdateMode::Preserve, cspace_data, croot);
    auto cderived = derive_cap(*cspace, croot);
    if (!cderived)
        return cderived.error();
    if (!CNodeCap::is(cderived.value()))
        return SyscallError::illegal_operation().because("CSpace root is not a CNode");
    auto vderived = derive_cap(*vspace, vspace->cap);
    if (!vderived)
        return vderived.error();
    if (!Pml4Cap::is(vderived.value()) || !Pml4Cap{vderived.value()}.is_mapped())
        return SyscallError::illegal_operation().because("VSpace root is not a mapped PML4");
    plan.fault_endpoint = fault_ep;
    plan.cspace_root = cderived.value();
    plan.cspace_slot = cspace;
    plan.vspace_root = vderived.value();
    plan.vspace_slot = vspace;
    return {};
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

} // namespace

Result<TcbPlan> decode_tcb_invocation(IpcContext& ctx, TcbMethod method, const Invocation& inv,
                                      TcbCap cap, Tcb& caller)
{
    TcbPlan plan{method, &tcb_at(ctx, cap)};
    switch (method) {
    case TcbMethod::ReadRegisters:
        if (inv.length() < 2)
            return SyscallError::truncated_message();
        plan.flags = inv.mr(0);
        plan.count = inv.mr(1);
        if (plan.count < 1 || plan.count > UserRegisterCount)
            return SyscallError::range_error(1, UserRegisterCount).because("register count");
        if (plan.target == &caller)
            return SyscallError::illegal_operation().because("reading own registers");
        return plan;
    case TcbMethod::WriteRegisters:
        if (inv.length() < 2)
            return SyscallError::truncated_message();
        plan.flags = inv.mr(0);
        plan.count = inv.mr(1);
        if (inv.length() - 2 < plan.count)
            return SyscallError::truncated_message().because("fewer words than registers");
        if (plan.target == &caller)
            return SyscallError::illegal_operation().because("writing own registers");
        if (plan.count > UserRegisterCount)
            plan.count = UserRegisterCount;
        for (Word i = 0; i < plan.count; ++i)
            plan.values[i] = inv.mr(2 + i);
        return plan;
    case TcbMethod::CopyRegisters: {
        if (inv.length() < 1 || inv.extra_cap(0) == nullptr)
            return SyscallError::truncated_message();
        plan.flags = inv.mr(0);
        Cap source = inv.extra_cap(0)->cap;
        if (!TcbCap::is(source))
            return SyscallError::invalid_capability(1).because("source is not a TCB");
        plan.source = &tcb_at(ctx, TcbCap{source});
        return plan;
    }
    case TcbMethod::Suspend:
    case TcbMethod::Resume:
        return plan;
    case TcbMethod::SetPriority:
    case TcbMethod::SetMCPriority: {
        if (inv.length() < 1 || inv.extra_cap(0) == nullptr)
            return SyscallError::truncated_message();
        auto auth = authority(ctx, inv);
        if (!auth)
            return auth.error();
        auto ok = check_priority(inv.mr(0), *auth.value());
        if (!ok)
            return ok.error();
        (method == TcbMethod::SetPriority ? plan.priority : plan.mcp) = inv.mr(0);
        return plan;
    }
    case TcbMethod::SetSchedParams: {
        if (inv.length() < 2 || inv.extra_cap(0) == nullptr)
            return SyscallError::truncated_message();
        auto auth = authority(ctx, inv);
        if (!auth)
            return auth.error();
        auto mcp_ok = check_priority(inv.mr(0), *auth.value());
        if (!mcp_ok)
            return mcp_ok.error();
        auto prio_ok = check_priority(inv.mr(1), *auth.value());
        if (!prio_ok)
            return prio_ok.error();
        plan.mcp = inv.mr(0);
        plan.priority = inv.mr(1);
        return plan;
    }
    case TcbMethod::SetIPCBuffer: {
        if (inv.length() < 1 || inv.extra_cap(0) == nullptr)
            return SyscallError::truncated_message();
        auto ok = decode_buffer(plan, inv.mr(0), inv.extra_cap(0));
        if (!ok)
            return ok.error();
        return plan;
    }
    case TcbMethod::SetSpace: {
        if (inv.length() < 3 || inv.extra_cap(0) == nullptr || inv.extra_cap(1) == nullptr)
            return SyscallError::truncated_message();
        auto ok = decode_space(plan, inv.mr(0), inv.mr(1), inv.extra_cap(0), inv.extra_cap(1));
        if (!ok)
            return ok.error();
        return plan;
    }
    case TcbMethod::Configure: {
        if (inv.length() < 4 || inv.extra_cap(0) == nullptr || inv.extra_cap(1) == nullptr ||
            inv.extra_cap(2) == nullptr)
            return SyscallError::truncated_message();
        auto buffer = decode_buffer(plan, inv.mr(3), inv.extra_cap(2));
        if (!buffer)
            return buffer.error();
        auto space = decode_space(plan, inv.mr(0), inv.mr(1), inv.extra_cap(0), inv.extra_cap(1));
        if (!space)
            return space.error();
        return plan;
    }
    case TcbMethod::BindNotification: {
        if (inv.extra_cap(0) == nullptr)
            return SyscallError::truncated_message();
        if (plan.target->thread.bound_notification != nullptr)
            return SyscallError::illegal_operation().because("TCB already bound");
        Cap ncap = inv.extra_cap(0)->cap;
        if (!NotificationCap::is(ncap) || !NotificationCap{ncap}.can_receive())
            return SyscallError::illegal_operation().because("not a receivable notification");
        Notification& ntfn = *ctx.core.window.at<Notification>(NotificationCap{ncap}.object());
        if (ntfn.head() != nullptr || ntfn.bound_tcb() != nullptr)
            return SyscallError::illegal_operation().because("notification in use");
        plan.notification = &ntfn;
        return plan;
    }
    case TcbMethod::UnbindNotification:
        if (plan.target->thread.bound_notification == nullptr)
            return SyscallError::illegal_operation().because("TCB not bound");
        return plan;
    case TcbMethod::SetTLSBase:
        if (inv.length() < 1)
            return SyscallError::truncated_message();
        plan.buffer_address = inv.mr(0);
        return plan;
    case TcbMethod::SetFlags:
        if (inv.length() < 2)
            return SyscallError::truncated_message();
        plan.clear_flags = inv.mr(0);
        plan.set_flags = inv.mr(1);
        return plan;
    }
    return SyscallError::illegal_operation();
}

Progress perform_tcb_invocation(IpcContext& ctx, const TcbPlan& plan, TcbReply& reply)
{
    Tcb& target = *plan.target;
    ArchThread& arch = ctx.arch;
    auto read = [&](Tcb& t, size_t r) {
        return r == 0 ? arch.fault_ip(t) : arch.user_register(t, UserRegister(r));
    };
    auto write = [&](Tcb& t, size_t r, Word v) {
        if (r == 0)
            arch.set_fault_ip(t, v);
        else
            arch.set_user_register(t, UserRegister(r), v);
    };
    switch (plan.method) {
    case TcbMethod::ReadRegisters:
        if (plan.flags & SuspendSourceFlag)
            suspend(ctx, target);
        reply.length = plan.count;
        for (size_t r = 0; r < plan.count; ++r)
            reply.words[r] = read(target, r);
        break;
    case TcbMethod::WriteRegisters:
        for (size_t r = 0; r < plan.count; ++r)
            write(target, r, plan.values[r]);
        if (&target != ctx.scheduler.current())
            arch.registers_written_from_outside(target);
        if (plan.flags & ResumeTargetFlag)
            restart(ctx, target);
        break;
    case TcbMethod::CopyRegisters:
        if (plan.flags & SuspendSourceFlag)
            suspend(ctx, *plan.source);
        if (plan.flags & CopyResumeTargetFlag)
            restart(ctx, target);
        if (plan.flags & TransferFrameFlag)
            for (size_t r = 0; r < FrameRegisterCount; ++r)
                write(target, r, read(*plan.source, r));
        if (plan.flags & TransferIntegerFlag)
            for (size_t r = FrameRegisterCount; r < UserRegisterCount; ++r)
                write(target, r, read(*plan.source, r));
        if (&target != ctx.scheduler.current())
            arch.registers_written_from_outside(target);
        break;
    case TcbMethod::Suspend:
        suspend(ctx, target);
        break;
    case TcbMethod::Resume:
        restart(ctx, target);
        break;
    case TcbMethod::SetPriority:
        ctx.scheduler.set_priority(target, static_cast<unsigned>(plan.priority));
        break;
    case TcbMethod::SetMCPriority:
        target.thread.max_controlled_priority = static_cast<uint8_t>(plan.mcp);
        break;
    case TcbMethod::SetSchedParams:
        target.thread.max_controlled_priority = static_cast<uint8_t>(plan.mcp);
        ctx.scheduler.set_priority(target, static_cast<unsigned>(plan.priority));
        break;
    case TcbMethod::Configure:
    case TcbMethod::SetSpace:
        target.thread.fault_endpoint = CPtr{plan.fault_endpoint};
        if (replace_slot(ctx, target.slot(TcbSlot::CSpace), plan.cspace_root, plan.cspace_slot) ==
            Progress::Preempted)
            return Progress::Preempted;
        if (replace_slot(ctx, target.slot(TcbSlot::VSpace), plan.vspace_root, plan.vspace_slot) ==
            Progress::Preempted)
            return Progress::Preempted;
        if (plan.method == TcbMethod::SetSpace)
            break;
        [[fallthrough]];
    case TcbMethod::SetIPCBuffer:
        target.thread.ipc_buffer = VAddr{plan.buffer_address};
        if (replace_slot(ctx, target.slot(TcbSlot::Buffer), plan.buffer_frame, plan.buffer_slot) ==
            Progress::Preempted)
            return Progress::Preempted;
        if (&target == ctx.scheduler.current())
            ctx.scheduler.reschedule_required();
        break;
    case TcbMethod::BindNotification:
        bind_notification(target, *plan.notification);
        break;
    case TcbMethod::UnbindNotification:
        unbind_notification(target);
        break;
    case TcbMethod::SetTLSBase:
        target.thread.tls_base = VAddr{plan.buffer_address};
        arch.set_user_register(target, UserRegister::FsBase, plan.buffer_address);
        if (&target == ctx.scheduler.current())
            ctx.scheduler.reschedule_required();
        break;
    case TcbMethod::SetFlags:
        target.thread.flags = (target.thread.flags & ~plan.clear_flags) | (plan.set_flags & TcbFlagMask);
        arch.tcb_flags_changed(target);
        reply.length = 1;
        reply.words[0] = target.thread.flags;
        break;
    }
    return Progress::Done;
}

} // namespace tessera::core
