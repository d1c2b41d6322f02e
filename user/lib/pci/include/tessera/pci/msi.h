// Message-signalled interrupts: MSI (PCI Local Bus Specification 3.0, 6.8.1) and MSI-X (6.8.2).
// On x86 a message is a write of `data` to `address` in the local APIC's window (Intel SDM vol. 3,
// 11.11): fixed delivery, edge, physical destination.
#pragma once

#include <tessera/libos/result.h>
#include <tessera/pci/capability.h>

namespace tessera::pci {

struct MsiMessage {
    uint64_t address;
    uint32_t data;
};

// The message that raises CPU vector `vector` (0x30 + the seL4 IRQ vector) on local APIC `apic_id`.
constexpr MsiMessage x86_msi_message(uint8_t apic_id, uint8_t vector)
{
    return MsiMessage{0xfee00000u | uint64_t(apic_id) << 12, vector};
}

struct MsiCapability {
    uint8_t offset;
    bool is_64bit;
    bool per_vector_masking;
    uint8_t vectors_capable; // 1, 2, 4, ..., 32
};

struct MsixCapability {
    uint8_t offset;
    uint16_t table_size;   // entries, 1..2048
    uint8_t table_bar;     // BAR index (BIR)
    uint32_t table_offset; // bytes into that BAR, 8-byte aligned
    uint8_t pba_bar;
    uint32_t pba_offset;
};

constexpr unsigned MsixEntryBytes = 16;

libos::Result<MsiCapability> parse_msi(const ConfigSpace& space);
libos::Result<MsixCapability> parse_msix(const ConfigSpace& space);

// Programs one MSI message (single vector), enables MSI and disables INTx.
void enable_msi(ConfigSpace& space, const MsiCapability& msi, MsiMessage message);

// Writes table entry `entry` (unmasked) in a mapped MSI-X table. The caller checked the entry
// against table_size.
void write_msix_entry(volatile uint32_t* table, uint16_t entry, MsiMessage message);

// Enables MSI-X (function mask off) and disables INTx and MSI.
void enable_msix(ConfigSpace& space, const MsixCapability& msix);

} // namespace tessera::pci
