// Physical ranges for boot code. Boot code reads physical memory through core::MemoryWindow:
// the kernel passes its direct map, tests a host buffer.
#pragma once

#include <cstdint>

#include "core/base/memory_window.h"
#include "core/base/types.h"

namespace tessera::boot {

using core::PAddr;
using core::VAddr;
using core::Word;

// A half-open physical range [start, end).
struct PhysicalRange {
    PAddr start;
    PAddr end;

    constexpr Word size() const { return end - start; }
    constexpr bool is_empty() const { return end <= start; }
    constexpr bool overlaps(const PhysicalRange& o) const { return start < o.end && o.start < end; }
};

} // namespace tessera::boot
