// Finding and setting up PCI devices at boot.
#include "pci_devices.h"

#include <stdio.h>
#include <string.h>

namespace tessera::loader {
namespace {

using libos::make_error;
using libos::Result;

// The bootstrap processor's local APIC: the kernel runs on one CPU, and QEMU gives it ID 0.
constexpr uint8_t BootApicId = 0;
constexpr uint8_t FirstUserVector = 0x30; // seL4 x86: IRQ vector v is CPU vector 0x30 + v

} // namespace

Result<void> PciDevices::find(const tessera_op_pci_find& op, const char* name)
{
    auto opened = config_.open();
    if (!opened)
        return opened.error();
    pci::ConfigAccess& access = *opened.value();
    pci::DeviceMatch match;
    if (op.match == TESSERA_PCI_MATCH_ADDRESS)
        match = pci::DeviceMatch{pci::DeviceMatch::Kind::ByAddress, pci::Address{op.bus, op.slot, op.function}, 0, 0, 0};
    else
        match = pci::DeviceMatch{pci::DeviceMatch::Kind::ById, {}, op.vendor, op.device_id, op.instance};
    char text[32];
    pci::format_device_match(match, text, sizeof text);
    auto function = pci::find_function(access, match);
    if (!function) {
        printf("loader: pci: no device %s for %s\n", text, name);
        return function.error();
    }
    const pci::Address address = function.value().address;
    for (uint32_t i = 0; i < count_; ++i)
        if (found_[i].address == address) {
            char first[16];
            printf("loader: pci: device %s (%s) for %s is already claimed (as device %u)\n", text,
                   pci::format_address(address, first, sizeof first), name, i);
            return make_error(seL4_DeleteFirst, "pci: device claimed twice");
        }
    Found& found = found_[count_];
    found = Found{};
    found.address = address;
    found.info = function.value();
    pci::FunctionConfig space(access, address);
    if (found.info.header_type != pci::reg::HeaderTypeDevice) {
        printf("loader: pci: %s for %s is a bridge, not a device\n", text, name);
        return make_error(seL4_InvalidArgument, "pci: not a type 0 function");
    }
    // BARs are sized while the function decodes nothing; then decoding and bus mastering are
    // switched on as the description asks (INTx stays as firmware left it unless MSI replaces it).
    auto bars = pci::read_bars(space, found.bars);
    if (!bars)
        return bars.error();
    uint16_t command = space.read16(pci::reg::Command);
    if (op.command & TESSERA_PCI_COMMAND_MEMORY)
        command |= pci::reg::CommandMemorySpace;
    if (op.command & TESSERA_PCI_COMMAND_IO)
        command |= pci::reg::CommandIoSpace;
    if (op.command & TESSERA_PCI_COMMAND_BUS_MASTER)
        command |= pci::reg::CommandBusMaster;
    space.write16(pci::reg::Command, command);
    for (unsigned i = 0; i < 6; ++i) {
        found.mapped[i] = uint64_t(op.bar_pages[i]) * libos::PageSize;
        if (found.mapped[i] == 0)
            continue;
        if (!found.bars[i].is_memory() || found.bars[i].size < libos::PageSize || found.mapped[i] > found.bars[i].size) {
            printf("loader: pci: %s for %s: BAR %u is %s of 0x%llx bytes; the description maps 0x%llx\n", text, name, i,
                   found.bars[i].is_memory() ? "memory" : "not memory", (unsigned long long)found.bars[i].size,
                   (unsigned long long)found.mapped[i]);
            return make_error(seL4_RangeError, "pci: a BAR map does not fit the BAR");
        }
    }
    auto interrupt = set_up_interrupt(space, op, found);
    if (!interrupt) {
        printf("loader: pci: %s for %s: %s\n", text, name, interrupt.error().what);
        return interrupt;
    }
    // The driver's copy, taken after the set-up so it shows what is in force.
    pci::copy_config(space, found.config, sizeof found.config);
    char where[16];
    printf("loader: pci: %s is %04x:%04x at %s, for %s\n", text, found.info.vendor, found.info.device,
           pci::format_address(address, where, sizeof where), name);
    ++count_;
    return {};
}

Result<void> PciDevices::set_up_interrupt(pci::FunctionConfig& space, const tessera_op_pci_find& op, Found& found)
{
    found.interrupt = op.interrupt;
    found.msix_entry = op.msix_entry;
    found.message = pci::x86_msi_message(BootApicId, uint8_t(FirstUserVector + op.vector));
    switch (op.interrupt) {
    case TESSERA_PCI_INTERRUPT_NONE: return {};
    case TESSERA_PCI_INTERRUPT_INTX: {
        // Firmware wrote the line it routed INTx to; on the PC's I/O APIC that is the pin.
        const uint8_t pin = space.read8(pci::reg::InterruptPin);
        const uint8_t line = space.read8(pci::reg::InterruptLine);
        if (pin == 0 || pin > 4)
            return make_error(seL4_InvalidArgument, "the device has no INTx pin");
        if (line == 0 || line >= 24)
            return make_error(seL4_InvalidArgument, "firmware routed no I/O APIC pin to INTx");
        found.intx_pin = line;
        space.write16(pci::reg::Command, space.read16(pci::reg::Command) & ~pci::reg::CommandInterruptDisable);
        return {};
    }
    case TESSERA_PCI_INTERRUPT_MSI: {
        auto msi = pci::parse_msi(space);
        if (!msi)
            return make_error(seL4_InvalidArgument, "the device has no usable MSI capability");
        pci::enable_msi(space, msi.value(), found.message);
        return {};
    }
    default: {
        auto msix = pci::parse_msix(space);
        if (!msix)
            return make_error(seL4_InvalidArgument, "the device has no usable MSI-X capability");
        if (op.msix_entry >= msix.value().table_size)
            return make_error(seL4_InvalidArgument, "the MSI-X entry is beyond the device's table");
        // Entries stay masked (their reset state) until the driver writes this one.
        pci::enable_msix(space, msix.value());
        return {};
    }
    }
}

Result<libos::PAddr> PciDevices::bar_page(uint32_t device, uint32_t bar, uint64_t offset) const
{
    if (device >= count_ || bar > 5)
        return make_error(seL4_InvalidArgument, "pci: no such device or BAR");
    const pci::Bar& b = found_[device].bars[bar];
    if (!b.is_memory())
        return make_error(seL4_InvalidArgument, "pci: the BAR is not memory");
    if (b.size < libos::PageSize)
        return make_error(seL4_InvalidArgument, "pci: the BAR is smaller than a page");
    if (offset >= b.size || b.size - offset < libos::PageSize)
        return make_error(seL4_RangeError, "pci: the mapping is larger than the BAR", b.size);
    return libos::PAddr{b.base + offset};
}

void PciDevices::describe(uint32_t device, const uint64_t (&bar_vaddr)[6], tessera_pci_device_info& out) const
{
    const Found& found = found_[device];
    memset(&out, 0, sizeof out);
    out.magic = TESSERA_PCI_INFO_MAGIC;
    out.vendor = found.info.vendor;
    out.device = found.info.device;
    out.bus = found.address.bus;
    out.slot = found.address.device;
    out.function = found.address.function;
    out.interrupt = found.interrupt;
    out.intx_pin = found.intx_pin;
    out.msi_address = found.message.address;
    out.msi_data = found.message.data;
    out.msix_entry = found.msix_entry;
    for (unsigned i = 0; i < 6; ++i) {
        const pci::Bar& bar = found.bars[i];
        const uint16_t kind = bar.kind == pci::BarKind::Io         ? TESSERA_PCI_BAR_IO
                              : bar.kind == pci::BarKind::Memory32 ? TESSERA_PCI_BAR_MEMORY32
                              : bar.kind == pci::BarKind::Memory64 ? TESSERA_PCI_BAR_MEMORY64
                                                                   : TESSERA_PCI_BAR_ABSENT;
        out.bars[i] = tessera_pci_bar_info{bar.base, bar.size, bar_vaddr[i],
                                           bar_vaddr[i] != 0 ? uint32_t(found.mapped[i]) : 0u, kind,
                                           uint16_t(bar.prefetchable ? TESSERA_PCI_BAR_PREFETCHABLE : 0)};
    }
    memcpy(out.config, found.config, sizeof out.config);
}

} // namespace tessera::loader
