// The capability list of a function (PCI Local Bus Specification 3.0, 6.7): walked defensively,
// because a device (or a corrupted snapshot) can point anywhere, including into a loop.
#pragma once

#include <tessera/libos/result.h>
#include <tessera/pci/config.h>
#include <tessera/pci/registers.h>

namespace tessera::pci {

// At most this many entries fit between 0x40 and 0xff at 4-byte spacing.
constexpr unsigned MaxCapabilities = 48;

struct Capability {
    uint8_t id;
    uint8_t offset; // where its header (id, next) starts
};

// Calls visit(Capability) for each entry in list order. InvalidArgument naming the fault when
// the list points below 0x40, runs off the end or loops; entries before the fault were visited.
// Returns the number visited. A function without a list (status bit 4 clear) has none.
template <class Visit> libos::Result<unsigned> for_each_capability(const ConfigSpace& space, Visit visit)
{
    if ((space.read16(reg::Status) & reg::StatusCapabilitiesList) == 0)
        return 0u;
    uint64_t seen[4] = {}; // one bit per byte offset 0..255
    unsigned count = 0;
    // The bottom two bits of every pointer are reserved and must be ignored.
    for (uint8_t offset = space.read8(reg::CapabilitiesPointer) & 0xfc; offset != 0;) {
        if (offset < 0x40)
            return libos::make_error(seL4_InvalidArgument, "pci: capability pointer into the header");
        if (seen[offset / 64] & (uint64_t(1) << (offset % 64)))
            return libos::make_error(seL4_InvalidArgument, "pci: capability list loops");
        if (++count > MaxCapabilities)
            return libos::make_error(seL4_InvalidArgument, "pci: capability list too long");
        seen[offset / 64] |= uint64_t(1) << (offset % 64);
        const uint16_t header = space.read16(offset);
        visit(Capability{static_cast<uint8_t>(header & 0xff), offset});
        offset = static_cast<uint8_t>(header >> 8) & 0xfc;
    }
    return count;
}

// The first capability with `id`, or FailedLookup. Errors of the list itself are returned.
libos::Result<Capability> find_capability(const ConfigSpace& space, uint8_t id);

} // namespace tessera::pci
