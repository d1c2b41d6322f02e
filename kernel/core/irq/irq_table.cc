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
    mask(irq, state == IrqState::Inactive ? IrqMasking::Masked : IrqMasking::Unmasked, controller);
}

void IrqTable::mask(IrqNumber irq, IrqMasking masking, InterruptController& controller)
{
    if (mask_route(routes_[irq.raw()], masking, controller))
        masked_[irq.raw()] = masking == IrqMasking::Masked;
}

} // namespace tessera::core
