// Invocation labels of the four device capability kinds mapped to the portable decoders, and the
// port instructions they end in.
#include <tessera/abi/invocation_labels.h>

#include "arch/x86_64/devices.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/kernel_objects.h"
#include "cap/cap_arch_kinds.h"
#include "device_state.h"
#include "ioport/ioport_invocation.h"
#include "irq/irq_invocation.h"

namespace tessera::x86_64 {
namespace {

using core::CapType;
using core::Progress;
using core::Result;
using core::SyscallError;
using core::Word;

// The kernel's PortAccess: the CPU's port instructions, defined below.
class PortInstructions final : public core::PortAccess {};

PortInstructions port_instructions;

Result<Progress> done(Result<void> result)
{
    if (!result)
        return result.error();
    return Progress::Done;
}

Result<Progress> invoke_irq_control(core::CoreContext& ctx, Word label, const core::Invocation& inv,
                                    core::Slot& slot)
{
    return done(
        core::invoke_irq_control(ctx, label, inv, slot, irq_table(), interrupt_controller()));
}

Result<Progress> invoke_irq_handler(core::CoreContext& ctx, Word label, const core::Invocation& inv,
                                    core::Slot& slot)
{
    core::IrqHandlerMethod method;
    switch (label) {
    case IRQAckIRQ:
        method = core::IrqHandlerMethod::Ack;
        break;
    case IRQSetIRQHandler:
        method = core::IrqHandlerMethod::SetNotification;
        break;
    case IRQClearIRQHandler:
        method = core::IrqHandlerMethod::Clear;
        break;
    default:
        return SyscallError::illegal_operation().because("IRQHandler: not an IRQHandler method");
    }
    return done(core::invoke_irq_handler(ctx, method, inv, core::IrqHandlerCap{slot.cap},
                                         irq_table(), interrupt_controller()));
}

Result<Progress> invoke_ioport(Word label, const core::Invocation& inv, core::Slot& slot,
                               Word* reply, Word& reply_length)
{
    if (label < X86IOPortIn8 || label > X86IOPortOut32)
        return SyscallError::illegal_operation().because("IOPort: not an IOPort method");
    const auto method = core::IoPortMethod(label - X86IOPortIn8);
    const auto result =
        core::invoke_ioport(method, inv, core::IoPortCap{slot.cap}, port_instructions);
    if (!result)
        return result.error();
    reply[0] = result.value().value;
    reply_length = result.value().length;
    return Progress::Done;
}

} // namespace

Result<Progress> invoke_device_object(core::CoreContext& ctx, Word label,
                                      const core::Invocation& inv, core::Slot& slot, Word* reply,
                                      Word& reply_length)
{
    switch (slot.cap.type()) {
    case CapType::IrqControl:
        return invoke_irq_control(ctx, label, inv, slot);
    case CapType::IrqHandler:
        return invoke_irq_handler(ctx, label, inv, slot);
    case CapType::IoPortControl:
        if (label != X86IOPortControlIssue)
            return SyscallError::illegal_operation().because("IOPortControl: not Issue");
        return done(core::invoke_ioport_control_issue(ctx, inv, slot, issued_ports()));
    case CapType::IoPort:
        return invoke_ioport(label, inv, slot, reply, reply_length);
    default:
        return SyscallError::illegal_operation().because("not a device capability");
    }
}

void finalise_device_cap(core::Cap cap, core::Finality finality)
{
    if (cap.type() == CapType::IrqHandler && finality == core::Finality::Final)
        core::deleting_irq_handler(core_context(), core::IrqHandlerCap{cap}, irq_table());
}

void release_device_cap(core::Cap cleanup)
{
    if (cleanup.type() == CapType::IrqHandler)
        core::deleted_irq_handler(core::IrqHandlerCap{cleanup}, irq_table(),
                                  interrupt_controller());
    if (cleanup.type() == CapType::IoPort)
        core::release_ioport_range(core::IoPortCap{cleanup}, issued_ports());
}

} // namespace tessera::x86_64

// The kernel's PortAccess is the one PortInstructions object above.
namespace tessera::core {

Word PortAccess::read(IoPort port, PortWidth width)
{
    switch (width) {
    case PortWidth::Bits8:
        return x86_64::in8(port.raw());
    case PortWidth::Bits16:
        return x86_64::in16(port.raw());
    case PortWidth::Bits32:
        return x86_64::in32(port.raw());
    }
    return 0;
}

void PortAccess::write(IoPort port, PortWidth width, Word value)
{
    switch (width) {
    case PortWidth::Bits8:
        x86_64::out8(port.raw(), uint8_t(value));
        return;
    case PortWidth::Bits16:
        x86_64::out16(port.raw(), uint16_t(value));
        return;
    case PortWidth::Bits32:
        x86_64::out32(port.raw(), uint32_t(value));
        return;
    }
}

} // namespace tessera::core
