// The placeholder lives in its own section, which image.ld places in a segment of its own at a
// fixed address; the tool replaces that segment's contents and patches the size (tessera/spec.h).
#include "embedded_image.h"

#include <string.h>
#include <tessera/elf/elf64.h>
#include <tessera/spec.h>

extern "C" {
// A page-aligned placeholder; its bytes are not an image, so a loader booted without one says so.
extern const uint8_t tessera_system_image[16];
__attribute__((section(".tessera_image"), used, aligned(4096))) const uint8_t tessera_system_image[16] = {};
// Patched by the tool; volatile so the compiler reads the patched value, not this zero.
extern volatile const uint64_t tessera_system_image_size;
__attribute__((used)) volatile const uint64_t tessera_system_image_size = 0;
extern const unsigned char __ehdr_start[];
}

namespace tessera::loader {
namespace {

// The size of the image segment as the kernel mapped it, from the loader's own program headers:
// a size patched larger than the segment must not make the loader read unmapped memory.
uint64_t mapped_size()
{
    elf::FileHeader header;
    memcpy(&header, __ehdr_start, sizeof header);
    for (uint16_t i = 0; i < header.program_header_count; ++i) {
        elf::ProgramHeader ph;
        memcpy(&ph, __ehdr_start + header.program_header_offset + i * sizeof ph, sizeof ph);
        if (ph.type == elf::SegmentLoad && ph.vaddr == reinterpret_cast<uintptr_t>(tessera_system_image))
            return ph.memory_size;
    }
    return 0;
}

} // namespace

EmbeddedImage embedded_image()
{
    const uint64_t stored = tessera_system_image_size;
    const uint64_t mapped = mapped_size();
    return {tessera_system_image, stored < mapped ? stored : mapped};
}

} // namespace tessera::loader
