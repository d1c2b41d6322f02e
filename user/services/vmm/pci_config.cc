// PCI configuration space (pci_config.h).
#include "pci_config.h"

namespace tessera::services::vmm {
namespace {

constexpr unsigned OffsetVendor = 0x00, OffsetCommand = 0x04, OffsetStatus = 0x06,
                   OffsetRevision = 0x08, OffsetHeaderType = 0x0e, OffsetBar0 = 0x10,
                   OffsetSubsystemVendor = 0x2c, OffsetCapabilities = 0x34,
                   OffsetInterruptLine = 0x3c, OffsetInterruptPin = 0x3d;
constexpr uint16_t CommandIo = 1u << 0, CommandMemory = 1u << 1, CommandBusMaster = 1u << 2,
                   CommandInterruptDisable = 1u << 10;
constexpr uint16_t StatusCapabilities = 1u << 4;
constexpr uint32_t BarIo = 0x1, BarMemory64 = 0x4;

constexpr uint16_t AddressPort = 0xcf8, DataPort = 0xcfc;
constexpr uint32_t AddressEnable = 1u << 31;

// The host bridge: Red Hat's "QEMU PCIe host bridge" identity carries no Linux quirks.
constexpr PciFunctionIdentity BridgeIdentity{0x1b36, 0x0008, 0, 0x060000, 0x1b36, 0x0008, 0};
constexpr PciBar NoBars[PciBarCount] = {};

} // namespace

PciFunction::PciFunction(const PciFunctionIdentity& identity, const PciBar (&bars)[PciBarCount])
{
    for (unsigned i = 0; i < PciBarCount; ++i)
        bars_[i] = bars[i];
    put(OffsetVendor, 2, identity.vendor, false);
    put(OffsetVendor + 2, 2, identity.device, false);
    put(OffsetRevision, 1, identity.revision, false);
    put(OffsetRevision + 1, 3, identity.class_code, false);
    put(OffsetHeaderType, 1, 0, false);
    put(OffsetSubsystemVendor, 2, identity.subsystem_vendor, false);
    put(OffsetSubsystemVendor + 2, 2, identity.subsystem, false);
    put(OffsetInterruptPin, 1, identity.interrupt_pin, false);
    put(OffsetInterruptLine, 1, 0xff, true);
    // Command: only the bits this function implements are writable.
    uint16_t command_mask = CommandMemory | CommandIo | CommandBusMaster | CommandInterruptDisable;
    mask_[OffsetCommand] = static_cast<uint8_t>(command_mask);
    mask_[OffsetCommand + 1] = static_cast<uint8_t>(command_mask >> 8);

    for (unsigned i = 0; i < PciBarCount; ++i) {
        const PciBar& bar = bars_[i];
        unsigned offset = OffsetBar0 + 4 * i;
        if (bar.kind == PciBarKind::Unused)
            continue;
        uint64_t address_mask = ~(bar.size - 1);
        uint32_t flags = bar.kind == PciBarKind::Io         ? BarIo
                         : bar.kind == PciBarKind::Memory64 ? BarMemory64
                                                            : 0;
        // The low bits say what the BAR is; the address bits above the size are writable.
        put(offset, 4, flags, false);
        uint32_t low_mask =
            static_cast<uint32_t>(address_mask) & (bar.kind == PciBarKind::Io ? ~0x3u : ~0xfu);
        for (unsigned b = 0; b < 4; ++b)
            mask_[offset + b] = static_cast<uint8_t>(low_mask >> (8 * b));
        if (bar.kind == PciBarKind::Memory64 && i + 1 < PciBarCount) {
            uint32_t high_mask = static_cast<uint32_t>(address_mask >> 32);
            for (unsigned b = 0; b < 4; ++b)
                mask_[offset + 4 + b] = static_cast<uint8_t>(high_mask >> (8 * b));
            ++i;
        }
    }
}

void PciFunction::put(unsigned offset, unsigned size, uint32_t value, bool writable)
{
    for (unsigned i = 0; i < size && offset + i < PciConfigBytes; ++i) {
        bytes_[offset + i] = static_cast<uint8_t>(value >> (8 * i));
        mask_[offset + i] = writable ? 0xff : 0;
    }
}

uint8_t PciFunction::add_capability(uint8_t id, const uint8_t* body, size_t body_bytes)
{
    size_t total = (2 + body_bytes + 3) & ~size_t{3}; // dword-aligned entries
    if (next_capability_ + total > PciConfigBytes)
        return 0;
    uint8_t at = next_capability_;
    bytes_[at] = id;
    bytes_[at + 1] = 0;
    for (size_t i = 0; i < body_bytes; ++i)
        bytes_[at + 2 + i] = body[i];
    if (last_capability_ == 0) {
        bytes_[OffsetCapabilities] = at;
        bytes_[OffsetStatus] |= StatusCapabilities;
    } else {
        bytes_[last_capability_ + 1] = at;
    }
    last_capability_ = at;
    next_capability_ = static_cast<uint8_t>(at + total);
    return at;
}

uint32_t PciFunction::read(unsigned offset, unsigned size) const
{
    uint32_t value = 0;
    for (unsigned i = 0; i < size && offset + i < PciConfigBytes; ++i)
        value |= static_cast<uint32_t>(bytes_[offset + i]) << (8 * i);
    return value;
}

void PciFunction::write(unsigned offset, unsigned size, uint32_t value)
{
    for (unsigned i = 0; i < size && offset + i < PciConfigBytes; ++i) {
        uint8_t mask = mask_[offset + i];
        uint8_t byte = static_cast<uint8_t>(value >> (8 * i));
        bytes_[offset + i] = static_cast<uint8_t>((bytes_[offset + i] & ~mask) | (byte & mask));
    }
}

uint64_t PciFunction::bar_address(unsigned index) const
{
    if (index >= PciBarCount || bars_[index].kind == PciBarKind::Unused)
        return 0;
    uint64_t low = read(OffsetBar0 + 4 * index, 4);
    if (bars_[index].kind == PciBarKind::Io)
        return low & ~0x3ull;
    uint64_t address = low & ~0xfull;
    if (bars_[index].kind == PciBarKind::Memory64 && index + 1 < PciBarCount)
        address |= static_cast<uint64_t>(read(OffsetBar0 + 4 * (index + 1), 4)) << 32;
    return address;
}

bool PciFunction::memory_enabled() const
{
    return read(OffsetCommand, 2) & CommandMemory;
}
bool PciFunction::io_enabled() const
{
    return read(OffsetCommand, 2) & CommandIo;
}
bool PciFunction::bus_master() const
{
    return read(OffsetCommand, 2) & CommandBusMaster;
}

PciBus::PciBus() : bridge_(BridgeIdentity, NoBars)
{
    slots_[0] = &bridge_;
}

bool PciBus::attach(unsigned slot, PciFunction& function)
{
    if (slot == 0 || slot >= PciDevicesPerBus || slots_[slot] != nullptr)
        return false;
    slots_[slot] = &function;
    return true;
}

bool PciBus::handles(uint16_t port)
{
    // 0xcf9 is the reset register (AcpiPm), not part of the address port.
    return port == AddressPort || (port >= DataPort && port < DataPort + 4);
}

PciFunction* PciBus::selected(unsigned& offset) const
{
    if ((address_ & AddressEnable) == 0)
        return nullptr;
    unsigned bus = (address_ >> 16) & 0xff, slot = (address_ >> 11) & 0x1f,
             function = (address_ >> 8) & 7;
    if (bus != 0 || function != 0)
        return nullptr;
    offset = address_ & 0xfc;
    return slots_[slot];
}

uint32_t PciBus::read(uint16_t port, unsigned size) const
{
    uint32_t all_ones = size >= 4 ? ~0u : (1u << (8 * size)) - 1;
    if (port == AddressPort && size == 4)
        return address_;
    if (port < DataPort || port >= DataPort + 4)
        return all_ones;
    unsigned offset = 0;
    PciFunction* function = selected(offset);
    if (function == nullptr)
        return all_ones;
    return function->read(offset + (port - DataPort), size);
}

void PciBus::write(uint16_t port, unsigned size, uint32_t value)
{
    if (port == AddressPort && size == 4) {
        address_ = value & 0x80fffffcu;
        return;
    }
    if (port < DataPort || port >= DataPort + 4)
        return; // byte writes to 0xcf8-0xcfb are other chipset registers (0xcf9: reset)
    unsigned offset = 0;
    PciFunction* function = selected(offset);
    if (function != nullptr)
        function->write(offset + (port - DataPort), size, value);
}

} // namespace tessera::services::vmm
