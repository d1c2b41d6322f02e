// The guest a VMM image carries when `tessera vm` built it: one blob, a header and then the
// kernel, the initrd and the command line, written by the tool (tools/tessera/src/vm_run.cc) into
// the VMM's placeholder segment (pd/vm_guest.ld) and parsed by guest_bundle.h. Little-endian,
// 8-byte fields; offsets from the blob's start. No dependencies: the host tool includes it too.
#pragma once

#include <stdint.h>

namespace tessera::services::vmm {

constexpr char GuestBundleMagic[8] = {'T', 'S', 'R', 'V', 'M', 'G', '0', '1'};

struct GuestBundleHeader {
    char magic[8];
    uint64_t memory_bytes; // guest RAM
    uint64_t kernel_offset, kernel_size;
    uint64_t initrd_offset, initrd_size;             // size 0: no initrd
    uint64_t command_line_offset, command_line_size; // NUL included
};
static_assert(sizeof(GuestBundleHeader) == 64);

// The symbols of the VMM's placeholder segment (pd/embedded_guest.cc).
#define TESSERA_VM_GUEST_SYMBOL "tessera_vm_guest"
#define TESSERA_VM_GUEST_SIZE_SYMBOL "tessera_vm_guest_size"

} // namespace tessera::services::vmm
