// Device memory for user-level drivers: every physical address that is not RAM becomes a device
// untyped (PCI BARs, the HPET, firmware areas), as on seL4 x86, except the pages of the kernel's
// own interrupt controllers, which no user may map.
#include "arch/x86_64/cpu_features.h"
#include "arch/x86_64/devices.h"
#include "arch/x86_64/memory.h"
#include "boot/multiboot.h"
#include "device_state.h"
#include "kernel/console.h"

namespace tessera::x86_64 {
namespace {

boot::PhysicalRegions regions;

bool remove_page(core::PAddr page)
{
    return regions.remove({boot::PAddr{page.raw()}, boot::PAddr{page.raw() + PageSize}});
}

} // namespace

void collect_device_memory(const boot::MultibootInfo& multiboot,
                           const core::InterruptTopology& topology)
{
    const unsigned bits = cpu_features().physical_address_bits;
    bool ok = regions.add({boot::PAddr{0}, boot::PAddr{uint64_t{1} << (bits ? bits : 36)}});
    // Any RAM, handed out or not (kernel image, modules, memory beyond the direct map), is never
    // device memory: a device frame over RAM would expose the kernel.
    for (unsigned i = 0; i < multiboot.memory_count; i++) {
        const auto& e = multiboot.memory[i];
        if (e.type == uint32_t(boot::MemoryType::Usable))
            ok = ok && regions.remove({e.start, boot::PAddr{e.start.raw() + e.length}});
    }
    ok = ok && remove_page(topology.local_apic);
    for (unsigned i = 0; i < topology.ioapic_count; i++)
        ok = ok && remove_page(topology.ioapics[i].address);
    if (!ok)
        kprintf("devices: too many device memory ranges; some are not handed out\n");
}

const boot::PhysicalRegions& device_memory()
{
    return regions;
}

} // namespace tessera::x86_64
