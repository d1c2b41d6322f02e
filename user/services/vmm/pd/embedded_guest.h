// The guest bundle `tessera vm` put into this image, if any (guest_bundle.h): its bytes, at most
// as many as the kernel mapped for the placeholder segment.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tessera::services::vmm {

struct EmbeddedGuest {
    const uint8_t* data;
    size_t size; // 0: none (the configure-time guest, guest_files.S, is used)
};

EmbeddedGuest embedded_guest();

} // namespace tessera::services::vmm
