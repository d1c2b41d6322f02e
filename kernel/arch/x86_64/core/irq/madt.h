// Where the interrupt controllers are: the ACPI MADT (ACPI 6.5, 5.2.12), found through the RSDP
// in the BIOS areas (5.2.5.1). Every pointer and length is checked against the readable range
// and every table's checksum, so a broken firmware table is "not found", never a crash.
#pragma once

#include <cstdint>

#include "base/memory_window.h"
#include "base/result.h"
#include "base/types.h"

namespace tessera::core {

inline constexpr unsigned MaxIoapics = 8;
inline constexpr unsigned MaxIsaOverrides = 16;
// Where an IOAPIC is when the firmware has no ACPI (the PC standard).
inline constexpr Word StandardIoapicAddress = 0xfec00000;

struct IoapicDescription {
    Word id;
    PAddr address;
    Word gsi_base; // the first global system interrupt its pin 0 carries
};

// An ISA IRQ wired to another global system interrupt (QEMU: the PIT's IRQ 0 is GSI 2).
struct IsaOverride {
    Word isa_irq;
    Word gsi;
    Word flags; // MPS INTI flags: polarity bits 0..1, trigger bits 2..3
};

struct InterruptTopology {
    PAddr local_apic;
    IoapicDescription ioapics[MaxIoapics];
    unsigned ioapic_count;
    IsaOverride overrides[MaxIsaOverrides];
    unsigned override_count;
};

enum class AcpiError { NoRsdp, NoMadt, BadMadt };
const char* describe(AcpiError error);

// The ACPI Root System Description Pointer (searched as below), for the BootInfo's RSDP chunk.
Result<PAddr, AcpiError> find_acpi_rsdp(const MemoryWindow& window, Word readable_end);

// Searches the first KiB of the EBDA and 0xe0000..0xfffff for the RSDP, then the RSDT or XSDT
// for the MADT. Reads memory through `window`, only below `readable_end`.
Result<InterruptTopology, AcpiError> read_interrupt_topology(const MemoryWindow& window,
                                                             Word readable_end);

// The topology of a PC without ACPI: one IOAPIC at the standard address, no overrides.
InterruptTopology standard_interrupt_topology();

} // namespace tessera::core
