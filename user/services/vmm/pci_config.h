// The guest's PCI configuration space through mechanism #1 (ports 0xcf8 address, 0xcfc-0xcff
// data): bus 0 with a host bridge at 00:00.0 (Linux's pci_sanity_check looks for one) and the
// functions the VMM attaches (virtio-blk). Each function is a 256-byte type-0 header with a
// write mask, BAR sizing as firmware and Linux probe it, and a capability list. An absent function
// reads all ones. PCI Local Bus 3.0, 6.1 (header), 6.2.5 (BARs), 3.2.2.3.2 (mechanism #1).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tessera::services::vmm {

enum class PciBarKind : uint8_t { Unused, Io, Memory32, Memory64 };

struct PciBar {
    PciBarKind kind;
    uint64_t size; // a power of two: >= 4 for I/O, >= 16 for memory
};

struct PciFunctionIdentity {
    uint16_t vendor;
    uint16_t device;
    uint8_t revision;
    uint32_t class_code; // base class, subclass, programming interface (24 bits)
    uint16_t subsystem_vendor;
    uint16_t subsystem;
    uint8_t interrupt_pin; // 0 none, 1-4 INTA-INTD
};

constexpr unsigned PciBarCount = 6;
constexpr size_t PciConfigBytes = 256;

class PciFunction {
public:
    // BARs: a Memory64 BAR takes its slot and the next, which must be Unused.
    PciFunction(const PciFunctionIdentity& identity, const PciBar (&bars)[PciBarCount]);

    // Appends a capability (`id`, then `body` bytes after the id/next pair) to the list; returns
    // its offset, or 0 when it does not fit below 256 bytes.
    uint8_t add_capability(uint8_t id, const uint8_t* body, size_t body_bytes);

    uint32_t read(unsigned offset, unsigned size) const;
    void write(unsigned offset, unsigned size, uint32_t value);

    // The BAR's current address (with the flag bits removed), and whether decoding is on.
    uint64_t bar_address(unsigned index) const;
    const PciBar& bar(unsigned index) const { return bars_[index]; }
    bool memory_enabled() const;
    bool io_enabled() const;
    bool bus_master() const;

private:
    void put(unsigned offset, unsigned size, uint32_t value, bool writable);

    uint8_t bytes_[PciConfigBytes] = {};
    uint8_t mask_[PciConfigBytes] = {};
    PciBar bars_[PciBarCount];
    uint8_t next_capability_ = 0x40;
    uint8_t last_capability_ = 0;
};

constexpr unsigned PciDevicesPerBus = 32;

// Where the guest's PCI devices live, as the DSDT's root bridge describes them (acpi_tables.cc):
// BARs in a memory window above guest RAM (at most 3 GiB) and below the I/O APIC, and INTx pins
// routed by the _PRT to I/O APIC inputs 16-19 (level, active low), rotated by slot as PC
// chipsets swizzle them, so that no PCI interrupt shares an ISA IRQ's input.
constexpr uint32_t PciMmioWindowFirst = 0xc0000000;
constexpr uint32_t PciMmioWindowLast = 0xfebfffff;
constexpr unsigned PciFirstIntxGsi = 16;
constexpr unsigned PciIntxPins = 4;
// `pin` 0-3 for INTA-INTD.
constexpr unsigned pci_intx_gsi(unsigned slot, unsigned pin)
{
    return PciFirstIntxGsi + (slot + pin) % PciIntxPins;
}

class PciBus {
public:
    PciBus();

    // Attaches `function` as device `slot` (1-31; 0 is the host bridge), function 0.
    bool attach(unsigned slot, PciFunction& function);

    // 0xcf8 (32-bit accesses) and 0xcfc-0xcff; 0xcf9 belongs to the reset register.
    static bool handles(uint16_t port);
    uint32_t read(uint16_t port, unsigned size) const;
    void write(uint16_t port, unsigned size, uint32_t value);

private:
    PciFunction* selected(unsigned& offset) const;

    PciFunction bridge_;
    PciFunction* slots_[PciDevicesPerBus] = {};
    uint32_t address_ = 0;
};

} // namespace tessera::services::vmm
