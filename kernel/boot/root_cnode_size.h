// The root task's CNode size. seL4 fixes it at build time (CONFIG_ROOT_CNODE_SIZE_BITS, 12 on
// x86_64) and refuses a root task whose boot capabilities do not fit; Tessera keeps seL4's size
// wherever seL4 would boot the task and grows the CNode for a larger image instead of refusing
// it (a VMM whose image carries a guest's kernel and initrd). BootInfo's initThreadCNodeSizeBits
// tells the task the size, as it does on seL4.
#pragma once

#include <cstdint>

namespace tessera::boot {

constexpr unsigned DefaultRootCNodeBits = 12;
constexpr unsigned MaxRootCNodeBits = 16; // 2 MiB of slots

// The radix for a boot that hands out `boot_caps` capabilities (initial, paging, image frames,
// extra BootInfo frames, untypeds): 12 whenever they fit, else the smallest radix that holds them
// and 2^12 more for the task's own objects, at most MaxRootCNodeBits.
unsigned root_cnode_bits(uint64_t boot_caps);

} // namespace tessera::boot
