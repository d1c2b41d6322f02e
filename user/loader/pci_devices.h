// The PCI devices a system's drivers are given (spec op PCI_FIND): found at boot by the loader,
// which alone holds configuration access (ECAM or the ports, pci_config.h) while it runs, set up (decoding, bus mastering,
// MSI or MSI-X), and described to their drivers (PCI_DESCRIBE). A function is given to one
// driver at most, whichever way the descriptions name it.
#pragma once

#include <sel4/sel4.h>
#include <tessera/alloc/object_allocator.h>
#include <tessera/pci/bar.h>
#include <tessera/pci/enumerate.h>
#include <tessera/pci/msi.h>
#include <tessera/pci_device_info.h>

#include "pci_config.h"

namespace tessera::loader {

class PciDevices {
public:
    explicit PciDevices(alloc::ObjectAllocator& objects) : config_(objects) {}

    // Finds, claims and sets up the function `op` names; `name` ("PD/device") is for messages.
    // Prints one line describing what it found. Errors: FailedLookup (no such function),
    // DeleteFirst (claimed already), InvalidArgument (the device lacks what the description
    // asks: an interrupt kind, a sane BAR), and the kernel's for the port capability.
    libos::Result<void> find(const tessera_op_pci_find& op, const char* name);

    // The physical address of page `offset` of BAR `bar` of device `device`, for a frame.
    // InvalidArgument when the BAR is not memory, is smaller than a page (its page would hold
    // other devices' registers) or ends before offset + 4 KiB.
    libos::Result<libos::PAddr> bar_page(uint32_t device, uint32_t bar, uint64_t offset) const;

    // Address (bus, device, function) and INTx pin of a found device.
    pci::Address address(uint32_t device) const { return found_[device].address; }
    uint8_t intx_pin(uint32_t device) const { return found_[device].intx_pin; }

    // The page a driver reads (tessera/pci_device_info.h).
    void describe(uint32_t device, const uint64_t (&bar_vaddr)[6], tessera_pci_device_info& out) const;

private:
    struct Found {
        pci::Address address;
        pci::FunctionInfo info;
        pci::Bar bars[6];
        uint64_t mapped[6]; // bytes of each BAR the description maps
        uint8_t interrupt;
        uint8_t intx_pin;
        pci::MsiMessage message;
        uint32_t msix_entry;
        uint8_t config[256];
    };

    libos::Result<void> set_up_interrupt(pci::FunctionConfig& space, const tessera_op_pci_find& op, Found& found);

    PciConfig config_; // ECAM or the ports, opened at the first PCI_FIND
    Found found_[TESSERA_MAX_PCI_DEVICES] = {};
    uint32_t count_ = 0;
};

} // namespace tessera::loader
