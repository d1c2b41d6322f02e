// The guest bundle (guest_bundle_format.h) read back by the VMM: checked before anything in it is
// believed.
#pragma once

#include "boot_protocol.h"
#include "guest_bundle_format.h"

#include <stddef.h>
#include <stdint.h>
#include <tessera/libos/result.h>

namespace tessera::services::vmm {

struct GuestBundle {
    uint64_t memory_bytes;
    ImageBytes kernel;
    ImageBytes initrd;
    const char* command_line; // NUL-terminated
};

// Errors (seL4_InvalidArgument, with what is wrong): shorter than the header, a wrong magic, a
// part outside the blob, no kernel, a command line without its NUL, no memory.
libos::Result<GuestBundle> parse_guest_bundle(const uint8_t* blob, size_t size);

} // namespace tessera::services::vmm
