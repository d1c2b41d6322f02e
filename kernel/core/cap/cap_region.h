// The physical memory a capability names, if any (seL4's capIsPhysical/capPtr/capSizeBits):
// used to tell whether an object lies inside an untyped region.
#pragma once

#include "base/types.h"
#include "cap/cap.h"

namespace tessera::core {

struct Region {
    PAddr base;
    SizeBits size_bits;

    // Last byte of the region (inclusive), so a region reaching the top of memory still works.
    constexpr Word last() const { return base.raw() + mask(size_bits.raw()); }
    constexpr bool contains(const Region& inner) const
    {
        return base.raw() <= inner.base.raw() && inner.last() <= last();
    }
    constexpr bool overlaps(const Region& other) const
    {
        return base.raw() <= other.last() && other.base.raw() <= last();
    }
    constexpr bool operator==(const Region&) const = default;
};

// True for capabilities that name memory (untyped, kernel objects, frames, tables, pools).
bool is_physical(Cap cap);
// The memory a physical capability names; only meaningful when is_physical(cap).
Region region_of(Cap cap);

} // namespace tessera::core
