// x86's IRQControl methods, as seL4 decodes them for an IOAPIC configuration
// (src/arch/x86/object/interrupt.c): GetIOAPIC names an IOAPIC pin, GetMSI a PCI function.
// Core performs what they decode (kernel/core/irq/irq_invocation.cc).
#include <tessera/abi/invocation_labels.h>

#include "irq/ioapic_entry.h"
#include "irq/irq_issue.h"

namespace tessera::core {
namespace {

namespace inv = abi::invocation;

// seL4's PCI_BUS_MAX, PCI_DEV_MAX, PCI_FUNC_MAX.
constexpr Word PciBusMax = 255, PciDeviceMax = 31, PciFunctionMax = 7;

Result<IrqIssue> decode_ioapic(CoreContext& ctx, const Invocation& in, const IrqTable& table,
                               const InterruptController& controller)
{
    using Method = inv::X86IRQIssueIRQHandlerIOAPIC;
    auto issue = decode_irq_issue<Method>(ctx, in, table);
    if (!issue)
        return issue;
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
    IrqRoute& r = issue.value().route;
    r.source = IrqRoute::Source::Ioapic;
    r.pin = {args.ioapic, args.pin};
    r.trigger = static_cast<ioapic::Trigger>(args.level);
    r.polarity = static_cast<ioapic::Polarity>(args.polarity);
    return issue;
}

Result<IrqIssue> decode_msi(CoreContext& ctx, const Invocation& in, const IrqTable& table)
{
    using Method = inv::X86IRQIssueIRQHandlerMSI;
    auto issue = decode_irq_issue<Method>(ctx, in, table);
    if (!issue)
        return issue;
    const auto args = in.arguments<Method>();
    if (args.pci_bus > PciBusMax)
        return SyscallError::range_error(0, PciBusMax).because("GetMSI: PCI bus out of range");
    if (args.pci_dev > PciDeviceMax)
        return SyscallError::range_error(0, PciDeviceMax).because("GetMSI: PCI device out of range");
    if (args.pci_func > PciFunctionMax)
        return SyscallError::range_error(0, PciFunctionMax)
            .because("GetMSI: PCI function out of range");
    IrqRoute& r = issue.value().route;
    r.source = IrqRoute::Source::Msi;
    // Without interrupt remapping the handle is only recorded: the device is trusted to send
    // the vector it was given, as seL4 does.
    r.msi = {args.pci_bus, args.pci_dev, args.pci_func};
    r.msi_handle = args.handle;
    return issue;
}

} // namespace

Result<IrqIssue> decode_arch_irq_control(CoreContext& ctx, Word label, const Invocation& in,
                                         const IrqTable& table,
                                         const InterruptController& controller)
{
    switch (label) {
    case X86IRQIssueIRQHandlerIOAPIC:
        return decode_ioapic(ctx, in, table, controller);
    case X86IRQIssueIRQHandlerMSI:
        return decode_msi(ctx, in, table);
    default:
        return SyscallError::illegal_operation().because("IRQControl: not an IRQControl method");
    }
}

} // namespace tessera::core
