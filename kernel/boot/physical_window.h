// How boot code reads physical memory: the kernel passes its direct map, tests a host buffer.
#pragma once

#include <cstdint>

#include "core/base/types.h"

namespace tessera::boot {

using core::PAddr;
using core::VAddr;
using core::Word;

// Physical address p is readable at p + offset. Costs one add in the kernel.
struct PhysicalWindow {
    uintptr_t offset;

    template <class T> T* at(PAddr p) const { return reinterpret_cast<T*>(p.raw() + offset); }
};

// A half-open physical range [start, end).
struct PhysicalRange {
    PAddr start;
    PAddr end;

    constexpr Word size() const { return end - start; }
    constexpr bool is_empty() const { return end <= start; }
    constexpr bool overlaps(const PhysicalRange& o) const { return start < o.end && o.start < end; }
};

} // namespace tessera::boot
