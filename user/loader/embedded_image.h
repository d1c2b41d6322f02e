// The boot image `tessera build --loader` stored inside the loader's own ELF file.
#pragma once

#include <stdint.h>

namespace tessera::loader {

struct EmbeddedImage {
    const uint8_t* data;
    uint64_t size; // bytes the tool stored, clipped to what the kernel mapped
};

// The image the tool put in the loader (size 0 when the loader was booted without one).
EmbeddedImage embedded_image();

} // namespace tessera::loader
