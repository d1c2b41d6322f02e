#include "irq/irq_delivery.h"

#include "cap/cap_kinds.h"

namespace tessera::core {

IrqOutcome handle_irq(IrqTable& table, InterruptController& controller,
                      NotificationSignaller& signaller, IrqNumber irq)
{
    IrqCounters& counters = table.counters();
    if (!IrqTable::is_valid(irq)) {
        counters.spurious++;
        return IrqOutcome::Spurious;
    }
    switch (table.state(irq)) {
    case IrqState::Signal: {
        const Cap cap = table.notification_slot(irq).cap;
        IrqOutcome outcome = IrqOutcome::Undelivered;
        if (cap.type() == CapType::Notification && NotificationCap{cap}.can_send()) {
            const NotificationCap n{cap};
            signaller.signal(n.object(), n.badge());
            outcome = IrqOutcome::Signalled;
            counters.signalled++;
        } else {
            counters.undelivered++;
        }
        table.mask(irq, IrqMasking::Masked, controller);
        return outcome;
    }
    case IrqState::Inactive:
        // Nobody holds this IRQ: mask it again so a stuck line cannot storm.
        table.mask(irq, IrqMasking::Masked, controller);
        counters.unclaimed++;
        return IrqOutcome::Unclaimed;
    case IrqState::Timer:
    case IrqState::Reserved:
        break;
    }
    counters.spurious++;
    return IrqOutcome::Spurious;
}

} // namespace tessera::core
