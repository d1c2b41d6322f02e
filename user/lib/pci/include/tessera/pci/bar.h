// Base address registers: what a function decodes, where firmware placed it and how big it is.
// Sizing writes all ones and reads back, with decoding off meanwhile so the function never
// answers at the transient address (PCI Local Bus Specification 3.0, 6.2.5.1).
#pragma once

#include <tessera/libos/result.h>
#include <tessera/pci/config.h>

namespace tessera::pci {

enum class BarKind : uint8_t { Absent, Io, Memory32, Memory64 };

struct Bar {
    BarKind kind = BarKind::Absent;
    bool prefetchable = false;
    uint8_t index = 0;  // 0..5; a 64-bit BAR also uses index + 1
    uint64_t base = 0;  // bus address (= physical address without an IOMMU)
    uint64_t size = 0;  // bytes, a power of two; 0 when absent

    bool is_memory() const { return kind == BarKind::Memory32 || kind == BarKind::Memory64; }
};

// Decodes a BAR from its original value(s) and what it read back after all ones were written.
// `high`/`sized_high` are the next register's values, used only for a 64-bit BAR.
Bar decode_bar(uint8_t index, uint32_t original, uint32_t sized, uint32_t high, uint32_t sized_high);

// Reads and sizes BAR `index` of a type 0 function (the function's decoding is switched off
// for the sizing and restored). InvalidArgument for an index above 5 or a 64-bit BAR in slot 5.
libos::Result<Bar> read_bar(ConfigSpace& space, unsigned index);

// Every BAR of a type 0 function in order; the upper half of a 64-bit BAR is skipped (its slot
// reads as Absent). Returns the count filled (at most 6).
libos::Result<unsigned> read_bars(ConfigSpace& space, Bar (&bars)[6]);

} // namespace tessera::pci
