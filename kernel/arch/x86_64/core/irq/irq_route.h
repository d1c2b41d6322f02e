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

// The IOAPICs. Calls are direct, not virtual: an image has one controller. The class has no
// state; the kernel's (devices/ioapic.cc) and the host tests' fake (tests/host/ipc/
// fake_interrupt_controller.cc) each derive the one class their image makes controllers of and
// define these members over it, chosen at link time (STYLE rule 9).
class InterruptController {
public:
    Word ioapic_count() const;
    // seL4 ioapic_map_pin_to_vector: routes the pin to `vector` on this CPU, masked.
    void route_pin(IoapicPin pin, ioapic::Trigger trigger, ioapic::Polarity polarity, Word vector);
    void mask_pin(IoapicPin pin, IrqMasking masking);

protected:
    // Only the image's own controller class makes one.
    InterruptController() = default;
    ~InterruptController() = default;
};

// seL4 maskInterrupt for one route: an IOAPIC pin is masked or unmasked at its chip; ISA lines
// stay masked at the PIC and MSIs have no mask here, as in seL4. False when nothing was changed.
bool mask_route(const IrqRoute& route, IrqMasking masking, InterruptController& controller);
// An IRQ control capability has just issued `route`: an IOAPIC pin is routed to `vector` on this
// CPU (still masked; the IRQ table unmasks it); an MSI needs nothing here.
void install_route(const IrqRoute& route, Word vector, InterruptController& controller);

} // namespace tessera::core
