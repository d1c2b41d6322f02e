// The architecture's part of the IRQ table (seL4's x86_irq_state_t): where an issued IRQ comes
// from, an IOAPIC pin or an MSI, and the interrupt controller that masks and routes IOAPIC pins.
// kernel/core/irq/irq_table.h includes this header by name; the build's choice of arch folder
// decides which architecture's it is, and mask_route is that architecture's, linked in.
#pragma once

#include "base/types.h"
#include "irq/ioapic_line.h"
#include "irq/irq_masking.h"

namespace tessera::core {

struct PciFunction {
    Word bus;
    Word device;
    Word function;
};

struct IrqRoute {
    enum class Source { Free, Ioapic, Msi } source = Source::Free;
    IoapicPin pin{};
    ioapic::Trigger trigger = ioapic::Trigger::Edge;
    ioapic::Polarity polarity = ioapic::Polarity::ActiveHigh;
    PciFunction msi{};
    Word msi_handle = 0;
};

// The IOAPICs (the kernel's, or a host test's fake).
class InterruptController {
public:
    virtual Word ioapic_count() const = 0;
    // seL4 ioapic_map_pin_to_vector: routes the pin to `vector` on this CPU, masked.
    virtual void route_pin(IoapicPin pin, ioapic::Trigger trigger, ioapic::Polarity polarity,
                           Word vector) = 0;
    virtual void mask_pin(IoapicPin pin, IrqMasking masking) = 0;

protected:
    ~InterruptController() = default;
};

// seL4 maskInterrupt for one route: an IOAPIC pin is masked or unmasked at its chip; ISA lines
// stay masked at the PIC and MSIs have no mask here, as in seL4. False when nothing was changed.
bool mask_route(const IrqRoute& route, IrqMasking masking, InterruptController& controller);

} // namespace tessera::core
