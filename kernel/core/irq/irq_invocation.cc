#include "irq/irq_invocation.h"

#include <tessera/abi/invocation_decode.h>
#include <tessera/abi/invocation_labels.h>

#include "cdt/cdt.h"
#include "cdt/delete.h"
#include "irq/irq_issue.h"

namespace tessera::core {
namespace {

namespace inv = abi::invocation;

// seL4 decodeIRQControlInvocation: IRQIssueIRQHandler is core's; every other label is the
// architecture's.
Result<IrqIssue> decode_irq_control(CoreContext& ctx, Word label, const Invocation& in,
                                    const IrqTable& table, const InterruptController& controller)
{
    if (label != IRQIssueIRQHandler)
        return decode_arch_irq_control(ctx, label, in, table, controller);
    if (in.length() < inv::IRQIssueIRQHandler::word_count ||
        in.extra_cap(inv::IRQIssueIRQHandler::root_cap) == nullptr)
        return SyscallError::truncated_message().because("IRQControl_Get: truncated message");
    return SyscallError::illegal_operation().because(
        "IRQControl_Get: ISA IRQs need the PIC; use GetIOAPIC");
}

} // namespace

Result<void> invoke_irq_control(CoreContext& ctx, Word label, const Invocation& inv,
                                Slot& control, IrqTable& table, InterruptController& controller)
{
    auto issue = decode_irq_control(ctx, label, inv, table, controller);
    if (!issue)
        return issue.error();
    const IrqIssue& p = issue.value();
    install_route(p.route, vector_of(p.irq), controller);
    table.set_route(p.irq, p.route);
    // As in seL4, issuing unmasks the line: an interrupt before SetNotification is counted as
    // undelivered and masks it again until Ack.
    table.set_state(p.irq, IrqState::Signal, controller);
    insert_derived(IrqHandlerCap::make(p.irq).cap(), control, *p.destination);
    return {};
}

Result<void> invoke_irq_handler(CoreContext& ctx, IrqHandlerMethod method, const Invocation& inv,
                                IrqHandlerCap handler, IrqTable& table,
                                InterruptController& controller)
{
    const IrqNumber irq = handler.irq();
    switch (method) {
    case IrqHandlerMethod::Ack:
        table.mask(irq, IrqMasking::Unmasked, controller);
        return {};
    case IrqHandlerMethod::SetNotification: {
        Slot* source = inv.extra_cap(inv::IRQSetIRQHandler::notification_cap);
        if (source == nullptr)
            return SyscallError::truncated_message().because("IRQHandler: no notification");
        const Cap cap = source->cap;
        if (cap.type() != CapType::Notification || !NotificationCap{cap}.can_send())
            return SyscallError::invalid_capability(0).because(
                "IRQHandler: not a notification with Send");
        Slot& target = table.notification_slot(irq);
        delete_one(ctx, target);
        insert_derived(cap, *source, target);
        return {};
    }
    case IrqHandlerMethod::Clear:
        delete_one(ctx, table.notification_slot(irq));
        return {};
    }
    return SyscallError::illegal_operation().because("IRQHandler: not an IRQHandler method");
}

void deleting_irq_handler(CoreContext& ctx, IrqHandlerCap handler, IrqTable& table)
{
    delete_one(ctx, table.notification_slot(handler.irq()));
}

void deleted_irq_handler(IrqHandlerCap handler, IrqTable& table, InterruptController& controller)
{
    table.set_state(handler.irq(), IrqState::Inactive, controller);
}

} // namespace tessera::core
