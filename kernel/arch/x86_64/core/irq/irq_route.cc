#include "irq/irq_route.h"

namespace tessera::core {

bool mask_route(const IrqRoute& route, IrqMasking masking, InterruptController& controller)
{
    if (route.source != IrqRoute::Source::Ioapic)
        return false;
    controller.mask_pin(route.pin, masking);
    return true;
}

void install_route(const IrqRoute& route, Word vector, InterruptController& controller)
{
    if (route.source == IrqRoute::Source::Ioapic)
        controller.route_pin(route.pin, route.trigger, route.polarity, vector);
}

} // namespace tessera::core
