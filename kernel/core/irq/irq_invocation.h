// The IRQControl and IRQHandler invocations, as seL4 decodes them (src/object/interrupt.c): every
// check first, with no side effects; then the change, which cannot fail. The architecture's
// IRQControl methods are decoded under kernel/arch (irq/irq_issue.h's hook) and performed here.
#pragma once

#include "base/context.h"
#include "base/invocation.h"
#include "base/result.h"
#include "cap/cap_kinds.h"
#include "cap/slot.h"
#include "irq/irq_table.h"

namespace tessera::core {

// seL4_IRQHandler_Ack, _SetNotification, _Clear.
enum class IrqHandlerMethod { Ack, SetNotification, Clear };

// The IRQControl method `label`: issues an IRQHandler capability into the slot the arguments
// name, as a child of `control`. Get (IRQIssueIRQHandler) is IllegalOperation (IRQs 0..15 are
// the PIC's, which an IOAPIC configuration does not use); the architecture's methods
// (irq/irq_issue.h: x86 GetIOAPIC, GetMSI) take a user vector 0..107 (RangeError), refuse an IRQ
// already issued (RevokeFirst), and check the IOAPIC, pin, level and polarity or the PCI address
// (RangeError). Any other label is IllegalOperation.
Result<void> invoke_irq_control(CoreContext& ctx, Word label, const Invocation& inv,
                                Slot& control, IrqTable& table, InterruptController& controller);

// Ack unmasks the IRQ (again: a second Ack changes nothing); SetNotification needs a notification
// capability with the Send right (InvalidCapability 0) and keeps a copy of it; Clear drops it.
Result<void> invoke_irq_handler(CoreContext& ctx, IrqHandlerMethod method, const Invocation& inv,
                                IrqHandlerCap handler, IrqTable& table,
                                InterruptController& controller);

// seL4 deletingIRQHandler: the last handler capability is being finalised; its notification
// copy goes.
void deleting_irq_handler(CoreContext& ctx, IrqHandlerCap handler, IrqTable& table);
// seL4 deletedIRQHandler (postCapDeletion): the IRQ is Inactive and masked, ready to be issued
// again.
void deleted_irq_handler(IrqHandlerCap handler, IrqTable& table, InterruptController& controller);

} // namespace tessera::core
