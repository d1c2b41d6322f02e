/* What a driver learns about its PCI device: the page the loader fills at boot (spec op
 * PCI_DESCRIBE) and maps read-only into the driver. Firmware placed the BARs, so only the loader
 * knows where they are; the driver also gets a copy of the function's configuration header, taken
 * after the loader set the device up, to read capabilities from (it never writes configuration
 * space). C11 and C++20; docs/drivers.md describes it. */
#ifndef TESSERA_PCI_DEVICE_INFO_H
#define TESSERA_PCI_DEVICE_INFO_H

#include <stdint.h>

#include <tessera/spec.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TESSERA_PCI_INFO_MAGIC 0x49494350u /* "PCII" */

enum tessera_pci_bar_kind {
    TESSERA_PCI_BAR_ABSENT = 0,
    TESSERA_PCI_BAR_IO = 1,
    TESSERA_PCI_BAR_MEMORY32 = 2,
    TESSERA_PCI_BAR_MEMORY64 = 3,
};

#define TESSERA_PCI_BAR_PREFETCHABLE 1u

struct tessera_pci_bar_info {
    uint64_t address; /* bus (physical) address or I/O port */
    uint64_t size;    /* bytes */
    uint64_t vaddr;   /* where this driver has it mapped, 0 = not mapped */
    uint32_t mapped;  /* bytes mapped there, from the BAR's start */
    uint16_t kind;    /* enum tessera_pci_bar_kind */
    uint16_t flags;   /* TESSERA_PCI_BAR_PREFETCHABLE */
};

struct tessera_pci_device_info {
    uint32_t magic;     /* TESSERA_PCI_INFO_MAGIC */
    uint16_t vendor;
    uint16_t device;
    uint8_t bus;
    uint8_t slot;
    uint8_t function;
    uint8_t interrupt;  /* enum tessera_pci_interrupt */
    uint8_t intx_pin;   /* INTX: the I/O APIC pin */
    uint8_t reserved[3];
    uint64_t msi_address; /* MSI and MSIX: the message the loader chose */
    uint32_t msi_data;
    uint32_t msix_entry; /* MSIX: the table entry to program with msi_address and msi_data */
    struct tessera_pci_bar_info bars[6];
    uint8_t config[256]; /* the first 256 bytes of configuration space, as at boot */
};
TESSERA_SPEC_ASSERT(sizeof(struct tessera_pci_bar_info) == 32, "a BAR record is 32 bytes");
TESSERA_SPEC_ASSERT(sizeof(struct tessera_pci_device_info) == 32 + 192 + 256,
                    "the device info is 480 bytes");

#ifdef __cplusplus
}
#endif
#endif /* TESSERA_PCI_DEVICE_INFO_H */
