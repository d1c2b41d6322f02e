// The model of a <pci_device> element (a Tessera extension): a PCI function a protection domain
// drives, named by address or by vendor and device ID, the BARs mapped into it, the page that
// describes the device and its interrupt. Firmware assigns BARs at boot, so the loader resolves
// all of it then (docs/system-description.md, "PCI devices").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <tessera/pci/address.h>

#include "diagnostics.h"

namespace tessera::sdf {

struct PciBarMap {
    uint64_t index = 0;  // 0-5
    uint64_t vaddr = 0;
    uint64_t size = 0;   // bytes mapped from the BAR's start; the BAR must be at least this big
    Location where;
};

enum class PciInterrupt : uint8_t { None, Intx, Msi, Msix };

struct PciDevice {
    std::string name;
    pci::DeviceMatch match;
    std::string match_text;  // canonical spelling, "00:04.0" or "1af4:1042#0"
    std::optional<uint64_t> info_vaddr; // where the device info page is mapped
    std::vector<PciBarMap> bars;
    PciInterrupt interrupt = PciInterrupt::None;
    uint64_t irq_id = 0;
    uint64_t vector = 0;     // MSI, MSI-X
    uint64_t msix_entry = 0; // MSI-X
    bool bus_master = true;  // DMA allowed (the default: drivers of DMA devices need it)
    Location where;
    Location interrupt_where;
};

} // namespace tessera::sdf
