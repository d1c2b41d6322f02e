// Where a PCI Express machine's ECAM is: the ACPI MCFG table (PCI Firmware Specification 3.2,
// 4.1.2), found from the RSDP through the XSDT (or the RSDT of an ACPI 1.0 RSDP). Tables are
// read through PhysicalMemory, so firmware data is copied before it is trusted and every pointer
// and length in it is checked: a missing or malformed table is an error, never a wild read.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <tessera/libos/result.h>

namespace tessera::pci {

// Reads firmware memory by physical address (the loader maps device frames; tests fake it).
class PhysicalMemory {
public:
    // Copies `bytes` bytes from `paddr`; false when any of them cannot be read.
    virtual bool read(uint64_t paddr, void* out, size_t bytes) = 0;

protected:
    ~PhysicalMemory() = default;
};

// One MCFG allocation: buses first_bus..last_bus of `segment`, bus first_bus at `base`.
struct EcamRegion {
    uint64_t base;
    uint16_t segment;
    uint8_t first_bus;
    uint8_t last_bus;
};

constexpr size_t RsdpV1Bytes = 20, RsdpV2Bytes = 36;
// Root tables may list at most this many tables; more is treated as a corrupt length.
constexpr uint32_t MaxRootEntries = 256;

// The ECAM region of segment 0 that covers bus 0 (the one every PC walk starts from), from the
// RSDP's `rsdp_bytes` bytes (seL4's BootInfo chunk: 36, a revision 0 RSDP zero-padded).
// Errors: FailedLookup when the machine has no MCFG (a `pc`: not an error for the caller, which
// uses ports 0xCF8/0xCFC then), InvalidArgument for a bad signature, checksum or length (with
// the table in `what`), RangeError when a table cannot be read.
libos::Result<EcamRegion> find_ecam(PhysicalMemory& memory, const uint8_t* rsdp, size_t rsdp_bytes);

} // namespace tessera::pci
