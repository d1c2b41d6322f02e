#include "irq/irq_invocation.h"

#include <tessera/abi/invocation_decode.h>

#include "cdt/cdt.h"
#include "cdt/delete.h"
#include "cnode/lookup.h"
#include "irq/ioapic_entry.h"

namespace tessera::core {
namespace {

namespace inv = abi::invocation;

struct IssuePlan {
    IrqNumber irq;
    IrqRoute route;
    Slot* destination;
};

// The checks GetIOAPIC and GetMSI share, in seL4's order: message length and root, the vector's
// range, the IRQ being free, then the destination slot.
template <class Method>
Result<IssuePlan> decode_common(CoreContext& ctx, const Invocation& in, const IrqTable& table)
{
    Slot* root = in.extra_cap(Method::root_cap);
    if (in.length() < Method::word_count || root == nullptr)
        return SyscallError::truncated_message().because("IRQControl: truncated message");
    const auto args = in.arguments<Method>();
    if (args.vector > IrqUserMax - IrqUserMin)
        return SyscallError::range_error(0, IrqUserMax - IrqUserMin)
            .because("IRQControl: vector out of range");
    const IrqNumber irq{args.vector + IrqUserMin};
    if (table.is_active(irq))
        return SyscallError::revoke_first().because("IRQControl: IRQ already issued");
    auto dest = lookup_empty_target_slot(ctx, root->cap, CPtr{args.index}, Depth{args.depth});
    if (!dest)
        return dest.error();
    return IssuePlan{irq, IrqRoute{}, dest.value()};
}

Result<IssuePlan> decode_ioapic(CoreContext& ctx, const Invocation& in, const IrqTable& table,
                                const InterruptController& controller)
{
    using Method = inv::X86IRQIssueIRQHandlerIOAPIC;
    auto plan = decode_common<Method>(ctx, in, table);
    if (!plan)
        return plan;
    const auto args = in.arguments<Method>();
    // seL4 ioapic_decode_map_pin_to_vector.
    if (args.ioapic >= controller.ioapic_count())
        return SyscallError::range_error(0, controller.ioapic_count() - 1)
            .because("IRQControl: no such IOAPIC");
    if (args.pin >= ioapic::PinsPerIoapic)
        return SyscallError::range_error(0, ioapic::PinsPerIoapic - 1)
            .because("IRQControl: no such pin");
    if (args.level > 1)
        return SyscallError::range_error(0, 1).because("IRQControl: level must be 0 or 1");
    if (args.polarity > 1)
        return SyscallError::range_error(0, 1).because("IRQControl: polarity must be 0 or 1");
    IrqRoute& r = plan.value().route;
    r.source = IrqRoute::Source::Ioapic;
    r.pin = {args.ioapic, args.pin};
    r.trigger = static_cast<ioapic::Trigger>(args.level);
    r.polarity = static_cast<ioapic::Polarity>(args.polarity);
    return plan;
}

Result<IssuePlan> decode_msi(CoreContext& ctx, const Invocation& in, const IrqTable& table)
{
    using Method = inv::X86IRQIssueIRQHandlerMSI;
    auto plan = decode_common<Method>(ctx, in, table);
    if (!plan)
        return plan;
    const auto args = in.arguments<Method>();
    if (args.pci_bus > PciBusMax)
        return SyscallError::range_error(0, PciBusMax).because("GetMSI: PCI bus out of range");
    if (args.pci_dev > PciDeviceMax)
        return SyscallError::range_error(0, PciDeviceMax).because("GetMSI: PCI device out of range");
    if (args.pci_func > PciFunctionMax)
        return SyscallError::range_error(0, PciFunctionMax)
            .because("GetMSI: PCI function out of range");
    IrqRoute& r = plan.value().route;
    r.source = IrqRoute::Source::Msi;
    // Without interrupt remapping the handle is only recorded: the device is trusted to send
    // the vector it was given, as seL4 does.
    r.msi = {args.pci_bus, args.pci_dev, args.pci_func};
    r.msi_handle = args.handle;
    return plan;
}

Result<IssuePlan> decode_irq_control(CoreContext& ctx, IrqControlMethod method,
                                     const Invocation& in, const IrqTable& table,
                                     const InterruptController& controller)
{
    switch (method) {
    case IrqControlMethod::Get:
        if (in.length() < inv::IRQIssueIRQHandler::word_count ||
            in.extra_cap(inv::IRQIssueIRQHandler::root_cap) == nullptr)
            return SyscallError::truncated_message().because("IRQControl_Get: truncated message");
        return SyscallError::illegal_operation().because(
            "IRQControl_Get: ISA IRQs need the PIC; use GetIOAPIC");
    case IrqControlMethod::GetIoapic:
        return decode_ioapic(ctx, in, table, controller);
    case IrqControlMethod::GetMsi:
        return decode_msi(ctx, in, table);
    }
    return SyscallError::illegal_operation().because("IRQControl: not an IRQControl method");
}

} // namespace

Result<void> invoke_irq_control(CoreContext& ctx, IrqControlMethod method, const Invocation& inv,
                                Slot& control, IrqTable& table, InterruptController& controller)
{
    auto plan = decode_irq_control(ctx, method, inv, table, controller);
    if (!plan)
        return plan.error();
    const IssuePlan& p = plan.value();
    if (p.route.source == IrqRoute::Source::Ioapic)
        controller.route_pin(p.route.pin, p.route.trigger, p.route.polarity, vector_of(p.irq));
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
