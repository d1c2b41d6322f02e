// seL4's TCB invocation checks in seL4's order (src/object/tcb.c, non-MCS), one decoder per
// method family. Arguments come from the generated unpackers (the invocation table); every
// rejection names its reason for the kernel's debug log.

#include <tessera/abi/ipc_buffer.h>

#include "cap/cap_arch_kinds.h"
#include "cdt/cap_relations.h"
#include "cdt/derive.h"
#include "ipc/ipc_context.h"
#include "notification/notification.h"
#include "tcb/tcb.h"
#include "tcb/tcb_invocation.h"

namespace tessera::core {

namespace {

namespace inv = abi::invocation;

Tcb& tcb_at(IpcContext& ctx, TcbCap cap)
{
    return *ctx.core.window.at<Tcb>(cap.object());
}

// seL4_UserContext as the word array the register methods index (fault IP first).
struct RegisterWords {
    Word words[UserRegisterCount];
};
static_assert(sizeof(seL4_UserContext) == sizeof(RegisterWords));

// seL4 checkPrio: a priority above the authority's MCP is a RangeError 0..MCP.
Result<void> check_priority(Word priority, const Tcb& authority)
{
    Word mcp = authority.thread.max_controlled_priority;
    if (priority > mcp)
        return SyscallError::range_error(0, mcp).because("priority above the authority's MCP");
    return {};
}

// The authority TCB named by extra capability 0 (the same index in all three methods).
static_assert(inv::TCBSetPriority::authority_cap == 0 && inv::TCBSetMCPriority::authority_cap == 0 &&
              inv::TCBSetSchedParams::authority_cap == 0);
Result<Tcb*> authority(IpcContext& ctx, const Invocation& in)
{
    Slot* slot = in.extra_cap(inv::TCBSetPriority::authority_cap);
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

Result<void> decode_roots(TcbPlan& plan, Word fault_ep, Word cspace_data, Slot* cspace,
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

Result<TcbPlan> decode_read_registers(TcbPlan plan, const Invocation& in, const Tcb& caller)
{
    if (in.length() < inv::TCBReadRegisters::word_count)
        return SyscallError::truncated_message().because("ReadRegisters: truncated message");
    const auto args = in.arguments<inv::TCBReadRegisters>();
    plan.flags.suspend_source = args.suspend_source != 0;
    plan.count = args.count;
    if (plan.count < 1 || plan.count > UserRegisterCount)
        return SyscallError::range_error(1, UserRegisterCount).because("register count");
    if (plan.target == &caller)
        return SyscallError::illegal_operation().because("reading own registers");
    return plan;
}

// The register values follow the two header words in seL4_UserContext order; fewer than the
// count is a truncated message, more than a context holds are ignored (seL4 decodeWriteRegisters).
Result<TcbPlan> decode_write_registers(TcbPlan plan, const Invocation& in, const Tcb& caller)
{
    constexpr size_t HeaderWords = inv::TCBWriteRegisters::word_count - UserRegisterCount;
    if (in.length() < HeaderWords)
        return SyscallError::truncated_message().because("WriteRegisters: truncated message");
    const auto args = in.arguments<inv::TCBWriteRegisters>();
    plan.flags.resume_target = args.resume_target != 0;
    plan.count = args.count;
    if (in.length() - HeaderWords < plan.count)
        return SyscallError::truncated_message().because("fewer words than registers");
    if (plan.target == &caller)
        return SyscallError::illegal_operation().because("writing own registers");
    if (plan.count > UserRegisterCount)
        plan.count = UserRegisterCount;
    const auto values = __builtin_bit_cast(RegisterWords, args.regs);
    for (Word i = 0; i < plan.count; ++i)
        plan.values[i] = values.words[i];
    return plan;
}

Result<TcbPlan> decode_copy_registers(IpcContext& ctx, TcbPlan plan, const Invocation& in)
{
    if (in.length() < inv::TCBCopyRegisters::word_count ||
        in.extra_cap(inv::TCBCopyRegisters::source_cap) == nullptr)
        return SyscallError::truncated_message().because("CopyRegisters: truncated message");
    const auto args = in.arguments<inv::TCBCopyRegisters>();
    plan.flags = {args.suspend_source != 0, args.resume_target != 0, args.transfer_frame != 0,
                  args.transfer_integer != 0};
    Cap source = in.extra_cap(inv::TCBCopyRegisters::source_cap)->cap;
    if (!TcbCap::is(source))
        return SyscallError::invalid_capability(1).because("source is not a TCB");
    plan.source = &tcb_at(ctx, TcbCap{source});
    return plan;
}

// SetPriority, SetMCPriority and SetSchedParams: values checked against the authority's MCP.
Result<TcbPlan> decode_priorities(IpcContext& ctx, TcbPlan plan, const Invocation& in)
{
    const bool both = plan.method == TcbMethod::SetSchedParams;
    const size_t words = both ? inv::TCBSetSchedParams::word_count : inv::TCBSetPriority::word_count;
    static_assert(inv::TCBSetPriority::word_count == inv::TCBSetMCPriority::word_count);
    if (in.length() < words || in.extra_cap(inv::TCBSetPriority::authority_cap) == nullptr)
        return SyscallError::truncated_message().because("priority method: truncated message");
    auto auth = authority(ctx, in);
    if (!auth)
        return auth.error();
    if (both) {
        const auto args = in.arguments<inv::TCBSetSchedParams>();
        auto mcp_ok = check_priority(args.mcp, *auth.value());
        if (!mcp_ok)
            return mcp_ok.error();
        auto prio_ok = check_priority(args.priority, *auth.value());
        if (!prio_ok)
            return prio_ok.error();
        plan.mcp = args.mcp;
        plan.priority = args.priority;
        return plan;
    }
    const Word value = plan.method == TcbMethod::SetPriority
                           ? in.arguments<inv::TCBSetPriority>().priority
                           : in.arguments<inv::TCBSetMCPriority>().mcp;
    auto ok = check_priority(value, *auth.value());
    if (!ok)
        return ok.error();
    (plan.method == TcbMethod::SetPriority ? plan.priority : plan.mcp) = value;
    return plan;
}

Result<TcbPlan> decode_set_ipc_buffer(TcbPlan plan, const Invocation& in)
{
    using Method = inv::TCBSetIPCBuffer;
    if (in.length() < Method::word_count || in.extra_cap(Method::bufferFrame_cap) == nullptr)
        return SyscallError::truncated_message().because("SetIPCBuffer: truncated message");
    auto ok = decode_buffer(plan, in.arguments<Method>().buffer, in.extra_cap(Method::bufferFrame_cap));
    if (!ok)
        return ok.error();
    return plan;
}

Result<TcbPlan> decode_set_space(TcbPlan plan, const Invocation& in)
{
    using Method = inv::TCBSetSpace;
    Slot* cspace = in.extra_cap(Method::cspace_root_cap);
    Slot* vspace = in.extra_cap(Method::vspace_root_cap);
    if (in.length() < Method::word_count || cspace == nullptr || vspace == nullptr)
        return SyscallError::truncated_message().because("SetSpace: truncated message");
    const auto args = in.arguments<Method>();
    auto ok = decode_roots(plan, args.fault_ep, args.cspace_root_data, cspace, vspace);
    if (!ok)
        return ok.error();
    return plan;
}

Result<TcbPlan> decode_configure(TcbPlan plan, const Invocation& in)
{
    using Method = inv::TCBConfigure;
    Slot* cspace = in.extra_cap(Method::cspace_root_cap);
    Slot* vspace = in.extra_cap(Method::vspace_root_cap);
    Slot* frame = in.extra_cap(Method::bufferFrame_cap);
    if (in.length() < Method::word_count || cspace == nullptr || vspace == nullptr ||
        frame == nullptr)
        return SyscallError::truncated_message().because("Configure: truncated message");
    const auto args = in.arguments<Method>();
    auto buffer = decode_buffer(plan, args.buffer, frame);
    if (!buffer)
        return buffer.error();
    auto space = decode_roots(plan, args.fault_ep, args.cspace_root_data, cspace, vspace);
    if (!space)
        return space.error();
    return plan;
}

Result<TcbPlan> decode_bind_notification(IpcContext& ctx, TcbPlan plan, const Invocation& in)
{
    using Method = inv::TCBBindNotification;
    if (in.extra_cap(Method::notification_cap) == nullptr)
        return SyscallError::truncated_message().because("BindNotification: no notification");
    if (plan.target->thread.bound_notification != nullptr)
        return SyscallError::illegal_operation().because("TCB already bound");
    Cap ncap = in.extra_cap(Method::notification_cap)->cap;
    if (!NotificationCap::is(ncap) || !NotificationCap{ncap}.can_receive())
        return SyscallError::illegal_operation().because("not a receivable notification");
    Notification& ntfn = *ctx.core.window.at<Notification>(NotificationCap{ncap}.object());
    if (ntfn.head() != nullptr || ntfn.bound_tcb() != nullptr)
        return SyscallError::illegal_operation().because("notification in use");
    plan.notification = &ntfn;
    return plan;
}

Result<TcbPlan> decode_unbind_notification(TcbPlan plan)
{
    if (plan.target->thread.bound_notification == nullptr)
        return SyscallError::illegal_operation().because("TCB not bound");
    return plan;
}

Result<TcbPlan> decode_set_tls_base(TcbPlan plan, const Invocation& in)
{
    if (in.length() < inv::TCBSetTLSBase::word_count)
        return SyscallError::truncated_message().because("SetTLSBase: truncated message");
    plan.buffer_address = in.arguments<inv::TCBSetTLSBase>().tls_base;
    return plan;
}

Result<TcbPlan> decode_set_flags(TcbPlan plan, const Invocation& in)
{
    if (in.length() < inv::TCBSetFlags::word_count)
        return SyscallError::truncated_message().because("SetFlags: truncated message");
    const auto args = in.arguments<inv::TCBSetFlags>();
    plan.clear_flags = args.clear;
    plan.set_flags = args.set;
    return plan;
}

} // namespace

Result<TcbPlan> decode_tcb_invocation(IpcContext& ctx, TcbMethod method, const Invocation& in,
                                      TcbCap cap, Tcb& caller)
{
    const TcbPlan plan{method, &tcb_at(ctx, cap)};
    switch (method) {
    case TcbMethod::ReadRegisters:
        return decode_read_registers(plan, in, caller);
    case TcbMethod::WriteRegisters:
        return decode_write_registers(plan, in, caller);
    case TcbMethod::CopyRegisters:
        return decode_copy_registers(ctx, plan, in);
    case TcbMethod::Suspend:
    case TcbMethod::Resume:
        return plan;
    case TcbMethod::SetPriority:
    case TcbMethod::SetMCPriority:
    case TcbMethod::SetSchedParams:
        return decode_priorities(ctx, plan, in);
    case TcbMethod::SetIPCBuffer:
        return decode_set_ipc_buffer(plan, in);
    case TcbMethod::SetSpace:
        return decode_set_space(plan, in);
    case TcbMethod::Configure:
        return decode_configure(plan, in);
    case TcbMethod::BindNotification:
        return decode_bind_notification(ctx, plan, in);
    case TcbMethod::UnbindNotification:
        return decode_unbind_notification(plan);
    case TcbMethod::SetTLSBase:
        return decode_set_tls_base(plan, in);
    case TcbMethod::SetFlags:
        return decode_set_flags(plan, in);
    }
    return SyscallError::illegal_operation().because("TCB: not a TCB method");
}

} // namespace tessera::core
