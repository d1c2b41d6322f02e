#include "irq/irq_table.h"

namespace tessera::core {

IrqTable::IrqTable()
{
    for (Word i = 0; i < IrqCount; i++) {
        const bool user = i >= IrqUserMin && i <= IrqUserMax;
        states_[i] = user ? IrqState::Inactive : IrqState::Reserved;
        masked_[i] = true;
    }
}

void IrqTable::set_state(IrqNumber irq, IrqState state, InterruptController& controller)
{
    states_[irq.raw()] = state;
    mask(irq, state == IrqState::Inactive ? ioapic::Masking::Masked : ioapic::Masking::Unmasked,
         controller);
}

void IrqTable::mask(IrqNumber irq, ioapic::Masking masking, InterruptController& controller)
{
    const IrqRoute& r = routes_[irq.raw()];
    // ISA lines stay masked at the PIC and MSIs have no mask here, as in seL4.
    if (r.source != IrqRoute::Source::Ioapic)
        return;
    masked_[irq.raw()] = masking == ioapic::Masking::Masked;
    controller.mask_pin(r.pin, masking);
}

} // namespace tessera::core
