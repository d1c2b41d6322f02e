// The IOAPICs: found at boot, every pin masked and routed to this CPU; afterwards only the IRQ
// invocations route and mask pins (Intel 82093AA datasheet).
#include <tessera/abi/base.h>

#include "arch/x86_64/devices.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/memory.h"
#include "device_state.h"
#include "irq/ioapic_entry.h"
#include "irq/madt.h"
#include "kernel/console.h"

namespace tessera::x86_64 {
namespace {

using core::Word;
namespace ioapic = core::ioapic;

class Ioapics final : public core::InterruptController {
public:
    void init(const core::InterruptTopology& topology, uint64_t direct_map_end)
    {
        destination_ = lapic_id();
        for (unsigned i = 0; i < topology.ioapic_count; i++) {
            const core::IoapicDescription& d = topology.ioapics[i];
            // The direct map covers the first 4 GiB uncached where no RAM is; nothing else is
            // reachable, and an IOAPIC beyond it is ignored rather than touched.
            if (d.address.raw() + PageSize > direct_map_end) {
                kprintf("ioapic: %lu at 0x%lx is outside the direct map; ignored\n", d.id,
                        d.address.raw());
                continue;
            }
            const Registers r = physical_to_virtual<volatile uint32_t>(d.address.raw());
            registers_[count_] = r;
            const Word pins =
                ioapic::MaxRedirectionEntry::get(read(r, ioapic::VersionRegister)) + 1;
            pins_[count_] = pins;
            for (unsigned pin = 0; pin < pins; pin++)
                write_entry(r, pin,
                            ioapic::make_entry(0, ioapic::Trigger::Edge,
                                               ioapic::Polarity::ActiveHigh,
                                               ioapic::Masking::Masked, destination_));
            kprintf("ioapic: %lu at 0x%lx, %lu pins, GSI base %lu\n", count_, d.address.raw(), pins,
                    d.gsi_base);
            count_++;
        }
    }

    Word count() const { return count_; }

    void route(core::IoapicPin pin, ioapic::Trigger trigger, ioapic::Polarity polarity, Word vector)
    {
        if (!exists(pin))
            return;
        write_entry(
            registers_[pin.ioapic], unsigned(pin.pin),
            ioapic::make_entry(vector, trigger, polarity, ioapic::Masking::Masked, destination_));
    }

    void mask(core::IoapicPin pin, ioapic::Masking masking)
    {
        if (!exists(pin))
            return;
        const Registers r = registers_[pin.ioapic];
        const unsigned p = unsigned(pin.pin);
        write(r, ioapic::redirection_low(p),
              uint32_t(ioapic::with_masking(read(r, ioapic::redirection_low(p)), masking)));
    }

private:
    using Registers = volatile uint32_t*;
    static uint32_t read(Registers r, uint32_t reg)
    {
        r[ioapic::RegisterSelectOffset / 4] = reg;
        return r[ioapic::WindowOffset / 4];
    }
    static void write(Registers r, uint32_t reg, uint32_t value)
    {
        r[ioapic::RegisterSelectOffset / 4] = reg;
        r[ioapic::WindowOffset / 4] = value;
    }
    // The high half (destination) first, so the entry is never live with a stale destination.
    static void write_entry(Registers r, unsigned pin, uint64_t entry)
    {
        write(r, ioapic::redirection_high(pin), uint32_t(entry >> 32));
        write(r, ioapic::redirection_low(pin), uint32_t(entry));
    }
    // seL4 accepts pins 0..23 on every IOAPIC; one the chip does not have is ignored, as seL4
    // ignores masks of pins that do not exist.
    bool exists(core::IoapicPin pin) const
    {
        return pin.ioapic < count_ && pin.pin < pins_[pin.ioapic];
    }

    Registers registers_[core::MaxIoapics] = {};
    Word pins_[core::MaxIoapics] = {};
    Word count_ = 0;
    Word destination_ = 0;
};

Ioapics ioapics;

} // namespace
} // namespace tessera::x86_64

// The kernel's InterruptController is the one Ioapics object above.
namespace tessera::core {

Word InterruptController::ioapic_count() const
{
    return static_cast<const x86_64::Ioapics&>(*this).count();
}

void InterruptController::route_pin(IoapicPin pin, ioapic::Trigger trigger,
                                    ioapic::Polarity polarity, Word vector)
{
    static_cast<x86_64::Ioapics&>(*this).route(pin, trigger, polarity, vector);
}

void InterruptController::mask_pin(IoapicPin pin, IrqMasking masking)
{
    static_cast<x86_64::Ioapics&>(*this).mask(pin, masking);
}

} // namespace tessera::core

namespace tessera::x86_64 {

core::InterruptController& interrupt_controller()
{
    return ioapics;
}

void init_devices(const boot::MultibootInfo& multiboot, uint64_t direct_map_end)
{
    const auto found =
        core::read_interrupt_topology(core::MemoryWindow{DirectMapBase}, direct_map_end);
    if (!found)
        kprintf("ioapic: %s; using the standard IOAPIC at 0x%lx\n", core::describe(found.error()),
                core::StandardIoapicAddress);
    const core::InterruptTopology topology =
        found ? found.value() : core::standard_interrupt_topology();
    ioapics.init(topology, direct_map_end);
    for (unsigned i = 0; i < topology.override_count; i++)
        kprintf("ioapic: ISA IRQ %lu is GSI %lu\n", topology.overrides[i].isa_irq,
                topology.overrides[i].gsi);
    collect_device_memory(multiboot, topology);
}

} // namespace tessera::x86_64
