#include "boot/root_cnode_size.h"

namespace tessera::boot {

unsigned root_cnode_bits(uint64_t boot_caps)
{
    constexpr uint64_t default_slots = uint64_t{1} << DefaultRootCNodeBits;
    if (boot_caps <= default_slots)
        return DefaultRootCNodeBits;
    // seL4's default leaves nearly all of its 4096 slots free to a small task; a large one gets
    // as much room, so that what it builds at run time does not depend on its image's size.
    unsigned bits = DefaultRootCNodeBits + 1;
    while (bits < MaxRootCNodeBits && (uint64_t{1} << bits) < boot_caps + default_slots)
        bits++;
    return bits;
}

} // namespace tessera::boot
