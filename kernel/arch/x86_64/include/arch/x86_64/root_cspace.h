// The root task's capability space and BootInfo, in seL4's layout (seL4 Reference Manual,
// "Initial Thread's CSpace" and "BootInfo"): the initial capabilities in their fixed slots, then
// the image's paging structures and frames, the extra BootInfo frames and the untypeds.
#pragma once

#include <cstdint>

#include "arch/x86_64/user_address_space.h"
#include "boot/multiboot.h"
#include "boot/physical_regions.h"
#include "cap/cap.h"

namespace tessera::x86_64 {

struct MappedFrame {
    uint64_t vaddr;
    uint64_t physical;
};

struct RootTaskImage {
    const UserAddressSpaceBuilder& space;
    const MappedFrame* image_frames; // in address order
    unsigned image_frame_count;
    MappedFrame ipc_buffer;
    MappedFrame boot_info;
    const MappedFrame* extra_boot_info; // in address order
    unsigned extra_boot_info_count;
};

struct RootCSpace {
    core::Cap cnode; // the root CNode capability (the thread's CSpace root)
    unsigned cnode_bits; // boot/root_cnode_size.h
    unsigned untyped_count;
    uint64_t untyped_bytes;
};

// Creates the root CNode, TCB and ASID pool from boot memory, fills the CNode, turns all remaining
// free memory into untyped capabilities and writes the BootInfo frame. Returns false when boot
// memory runs out.
[[nodiscard]] bool create_root_cspace(const RootTaskImage& image, const boot::MultibootInfo& multiboot,
                                      uint64_t tsc_hz, boot::PhysicalRegions& free, RootCSpace& out);

} // namespace tessera::x86_64
