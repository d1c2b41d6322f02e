// The guest's RAM for the VMM protection domain: 2 MiB frames mapped twice, at their
// guest-physical addresses in the nested page table (an ordinary PML4 with an ASID, docs/vmm.md)
// and contiguously in the VMM's own address space, so that the portable core sees guest-physical
// 0 as one byte array.
#pragma once

#include <sel4/sel4.h>
#include <tessera/libos/result.h>

#include "linux_loader.h"

namespace tessera::services::vmm {

// Where the VMM sees guest RAM: a 1 GiB-aligned window of its own, far from the library OS's
// heap and mappings (which stay below 2 TiB).
constexpr seL4_Word HostRamWindow = 0x30000000000ull;
constexpr seL4_Word GuestPageBytes = seL4_Word{1} << seL4_LargePageBits;
// One page directory per GiB in both address spaces; 1 GiB of RAM is plenty for one guest now.
constexpr seL4_Word MaxGuestRamBytes = seL4_Word{1} << 30;
// The VMM's device mappings (the HPET), in the GiB after guest RAM under the same PDPT.
constexpr seL4_Word HostDeviceWindow = HostRamWindow + MaxGuestRamBytes;

struct GuestMemoryCaps {
    seL4_CPtr npt; // the nested page table's root, for SetNPT
    GuestRam ram;  // the VMM's view
};

// `bytes` is rounded up to whole 2 MiB frames. Errors: seL4_InvalidArgument for a size of 0 or
// over MaxGuestRamBytes, otherwise the allocator's or a mapping's error, with what failed.
libos::Result<GuestMemoryCaps> make_guest_ram(seL4_Word bytes);

} // namespace tessera::services::vmm
